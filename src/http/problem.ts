/**
 * The one place where an error becomes an HTTP answer: RFC 9457 `application/problem+json` with the stable
 * `code` of `AppError`. Every code has exactly one status here (a code missing from the table fails to
 * compile). Anything that is not an `AppError` (a raw driver error, a bug) becomes a bare `internal` problem:
 * its message, stack, SQL or driver text never reach the client; it is logged on the server instead.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, isAppError, type ErrorCode } from '../core/errors.js';
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

/** The problem document every error response carries (also published in the OpenAPI document). */
export const problemSchema = z
  .object({
    type: z.string().max(200),
    title: z.string().max(200),
    status: z.number().int(),
    detail: z.string().max(4000),
    code: z.string().max(50),
    instance: z.string().max(2100),
    problems: z.array(z.string().max(1000)).max(100).optional(),
    reasons: z.array(z.object({ code: z.string().max(200), message: z.string().max(2000) })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** Framework statuses that keep their own number but are reported with the `invalid` code. */
const CLIENT_STATUSES = new Set([400, 405, 406, 413, 414, 415, 431]);

/** The `AppError` for anything a route or Fastify threw; the status when the framework's differs. */
export function toAppError(error: unknown): { readonly error: AppError; readonly status?: number } {
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
    if (CLIENT_STATUSES.has(framework.statusCode)) {
      // Fastify's own messages for these (body too large, bad JSON, wrong media type) hold no server secrets.
      return { error: new AppError('invalid', framework.message ?? 'invalid request'), status: framework.statusCode };
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
      title: kind.title,
      status,
      detail: appError.message,
      code: appError.code,
      instance,
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
