/**
 * The one place where an error becomes an HTTP answer: RFC 9457 `application/problem+json` with the stable
 * `code` of `AppError`. Every code has exactly one status here (a code missing from the table fails to
 * compile). Anything that is not an `AppError` (a raw driver error, a bug) becomes a bare `internal` problem:
 * its message, stack, SQL or driver text never reach the client; it is logged on the server instead.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ERROR_CODES, isAppError, type ErrorCode } from '../core/errors.js';
import { DATABASE_RETRY_AFTER_SECONDS, classifyStoreError, toStoreError } from '../store/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

/** Every `AppError` code and its HTTP status; `Record<ErrorCode, …>` makes a missing code a type error. */
export const PROBLEM_BY_CODE: Readonly<Record<ErrorCode, ProblemKind>> = {
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  invalid: { status: 400, title: 'Invalid input' },
  conflict: { status: 409, title: 'Conflict' },
  sod_violation: { status: 403, title: 'Separation of duties violation' },
  policy_denied: { status: 403, title: 'Denied by policy' },
  audit_unavailable: { status: 503, title: 'Audit log unavailable' },
  database_unavailable: { status: 503, title: 'Database unavailable' },
  provider_failed: { status: 502, title: 'Provider failed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
};

/** Longest `instance` (the request path) a problem repeats; a longer path (a 414's) is cut. */
const MAX_INSTANCE_LENGTH = 2100;

/** The problem document every error response carries (also published in the OpenAPI document). */
export const problemSchema = z
  .object({
    type: z.string().max(200),
    title: z.string().max(200),
    status: z.number().int(),
    detail: z.string().max(4000),
    code: z.enum(ERROR_CODES),
    instance: z.string().max(MAX_INSTANCE_LENGTH),
    problems: z.array(z.string().max(1000)).max(100).optional(),
    reasons: z.array(z.object({ code: z.string().max(200), message: z.string().max(2000) })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** Framework statuses that keep their own number but are reported with the `invalid` code, and their titles. */
const FRAMEWORK_TITLES: Readonly<Record<number, string>> = {
  400: PROBLEM_BY_CODE.invalid.title,
  405: 'Method not allowed',
  406: 'Not acceptable',
  413: 'Content too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  431: 'Request header fields too large',
};

/** The title of a problem answered with `status` and `code` (a framework status has its own). */
export function titleOfStatus(status: number, code: ErrorCode): string {
  return (code === 'invalid' ? FRAMEWORK_TITLES[status] : undefined) ?? PROBLEM_BY_CODE[code].title;
}

/**
 * An `invalid` answered with one of the framework's statuses rather than 400: a method the path does not
 * serve (405, with `Allow`), for instance.
 */
export class StatusProblem extends AppError {
  constructor(
    readonly status: number,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super('invalid', message, details);
    if (FRAMEWORK_TITLES[status] === undefined) throw new Error(`${status} is not a framework status`);
  }
}

/** The router's own refusals, in product words (Fastify's messages would repeat the whole path). */
const ROUTER_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: 'the path holds malformed percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is longer than any name or id the API knows',
};

/** The `AppError` for anything a route or Fastify threw; the status when the framework's differs. */
export function toAppError(error: unknown): { readonly error: AppError; readonly status?: number } {
  if (error instanceof StatusProblem) return { error, status: error.status };
  if (isAppError(error)) return { error };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'input';
    const problems = error.validation.map((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return `${where}${path === '' ? '' : `.${path}`}: ${issue.message ?? 'is invalid'}`;
    });
    return { error: new AppError('invalid', `invalid ${where}: ${problems.join('; ')}`, { problems }) };
  }
  if (isResponseSerializationError(error)) return { error: new AppError('internal', 'internal error') };
  // A driver error that escaped a verb (an authentication read, a health probe) still says what it is.
  if (classifyStoreError(error) !== 'unknown') return { error: toStoreError(error) };
  const framework = error as Partial<FastifyError>;
  if (typeof framework.code === 'string' && framework.code.startsWith('FST_') && framework.statusCode) {
    if (FRAMEWORK_TITLES[framework.statusCode] !== undefined) {
      // Fastify's own messages for these (body too large, bad JSON, wrong media type) hold no server secrets.
      const message = ROUTER_MESSAGES[framework.code] ?? framework.message ?? 'invalid request';
      return { error: new AppError('invalid', message), status: framework.statusCode };
    }
  }
  return { error: new AppError('internal', 'internal error') };
}

/** Details a client may see: only `problems` and `reasons` are lifted out; the rest stays under `details`. */
function safeDetails(error: AppError): Pick<Problem, 'problems' | 'reasons' | 'details'> {
  const { problems, reasons, ...rest } = error.details as Record<string, unknown>;
  const out: Pick<Problem, 'problems' | 'reasons' | 'details'> = {};
  if (Array.isArray(problems)) out.problems = problems.map(String);
  if (Array.isArray(reasons)) {
    out.reasons = reasons.map((r) => {
      const { code, message } = r as { code?: unknown; message?: unknown };
      return { code: String(code), message: String(message) };
    });
  }
  if (Object.keys(rest).length > 0) out.details = rest;
  return out;
}

/** The problem document for an error, at `instance` (the request path). */
export function toProblem(error: unknown, instance: string): { readonly status: number; readonly problem: Problem } {
  const { error: appError, status: override } = toAppError(error);
  const kind = PROBLEM_BY_CODE[appError.code];
  const status = override ?? kind.status;
  return {
    status,
    problem: {
      type: `https://countersign.dev/problems/${appError.code.replaceAll('_', '-')}`,
      title: titleOfStatus(status, appError.code),
      status,
      detail: appError.message,
      code: appError.code,
      instance: instance.slice(0, MAX_INSTANCE_LENGTH),
      ...safeDetails(appError),
    },
  };
}

/** Fastify error handler: logs what the client must not see, answers with the problem document. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, problem } = toProblem(error, request.url.split('?')[0] ?? request.url);
  if (status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
  else request.log.info({ code: problem.code, status }, problem.detail);
  const mapped = toAppError(error).error;
  const retryAfter =
    typeof mapped.details.retryAfterSeconds === 'number'
      ? mapped.details.retryAfterSeconds
      : mapped.code === 'database_unavailable'
        ? DATABASE_RETRY_AFTER_SECONDS
        : undefined;
  if ((status === 429 || status === 503) && retryAfter !== undefined) {
    void reply.header('retry-after', String(retryAfter));
  }
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="countersign"');
  // Serialised here (not by a route schema) so that a broken schema can never turn an error into another one.
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(problem);
}
