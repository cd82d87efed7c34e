/**
 * The CLI's client of the Countersign HTTP API (SPEC §4). It finds the server (`--server` / `COUNTERSIGN_URL`)
 * and the token (`--token` / `COUNTERSIGN_TOKEN`), calls the API with a timeout, and turns every failure into
 * an `AppError` whose code `exit-codes.ts` maps: a problem+json answer keeps the server's `code` and `detail`;
 * a server that cannot be reached, answers late or answers something that is not the API is `internal` (exit 4).
 *
 * The token is a secret: it goes into the `Authorization` header and nowhere else — never into a message, and
 * any text the server sends back is scrubbed of it before it is shown.
 */
import { AppError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import { parseDurationSeconds } from '../../core/duration.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** The options every client command accepts (see `client-options.ts`). */
export interface ClientOptions {
  readonly server?: string;
  readonly token?: string;
  /** A duration such as `10s` or `2m`. */
  readonly timeout?: string;
}

export interface ClientConfig {
  /** The server's base URL, always ending in `/`. */
  readonly baseUrl: URL;
  /** The base URL as shown in messages: without any user name or password. */
  readonly displayUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** A token is printable ASCII without spaces; anything else would be rejected by `fetch` with the token in the message. */
const TOKEN_PATTERN = /^[\x21-\x7e]{1,4096}$/;

/**
 * Reads the server, token and timeout from the options, then the environment. A malformed URL or timeout is a
 * usage error (`invalid`); a malformed token is `unauthenticated`, with a message that does not contain it.
 */
export function resolveClientConfig(options: ClientOptions, env: Env = process.env): ClientConfig {
  const server = nonEmpty(options.server) ?? nonEmpty(env.COUNTERSIGN_URL) ?? DEFAULT_SERVER_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(server);
  } catch {
    throw new AppError('invalid', `'${server.slice(0, 200)}' is not a server URL such as ${DEFAULT_SERVER_URL}`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new AppError('invalid', `the server URL must start with http:// or https://, not '${baseUrl.protocol}'`);
  }
  baseUrl.username = '';
  baseUrl.password = '';
  baseUrl.search = '';
  baseUrl.hash = '';
  if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname = `${baseUrl.pathname}/`;
  const displayUrl = baseUrl.toString().replace(/\/$/, '');

  const token = nonEmpty(options.token) ?? nonEmpty(env.COUNTERSIGN_TOKEN);
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    throw new AppError(
      'unauthenticated',
      'the API token contains characters no token has (spaces or control characters)',
    );
  }

  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
  if (options.timeout !== undefined) {
    const seconds = parseDurationSeconds(options.timeout);
    if (seconds === undefined) {
      throw new AppError('invalid', `'${options.timeout.slice(0, 50)}' is not a timeout such as '10s' or '2m'`);
    }
    timeoutMs = seconds * 1000;
  }
  return { baseUrl, displayUrl, timeoutMs, ...(token === undefined ? {} : { token }) };
}

/** A query string value; arrays repeat the key, `undefined` leaves it out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface CallOptions {
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** Calls that need no token (none of the client commands today; health checks would). */
  readonly anonymous?: boolean;
}

const STATUS_CODES: ReadonlyArray<readonly [number, ErrorCode]> = [
  [400, 'invalid'],
  [401, 'unauthenticated'],
  [403, 'forbidden'],
  [404, 'not_found'],
  [409, 'conflict'],
  [413, 'invalid'],
  [415, 'invalid'],
  [422, 'invalid'],
  [429, 'rate_limited'],
];

/** The error code for an answer without a recognisable problem document. */
function codeForStatus(status: number): ErrorCode {
  return STATUS_CODES.find(([known]) => known === status)?.[1] ?? (status < 500 ? 'invalid' : 'internal');
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

interface ProblemLike {
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly title?: unknown;
  readonly reasons?: unknown;
  readonly problems?: unknown;
  readonly details?: unknown;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'unknown error';
}

/** A thin, typed client of the API. One per command run. */
export class ApiClient {
  constructor(readonly config: ClientConfig) {}

  get<T>(path: string, query?: CallOptions['query']): Promise<T> {
    return this.call<T>('GET', path, query === undefined ? {} : { query });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, { body });
  }

  /** Replaces the token wherever it appears in text that came from elsewhere (a server's message). */
  scrub(text: string): string {
    const token = this.config.token;
    return token === undefined ? text : text.split(token).join('[token]');
  }

  /** The URL of an API path (`/v1/requests`), below the server's base path. */
  urlOf(path: string, query: CallOptions['query'] = {}): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.config.baseUrl);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: CallOptions = {}): Promise<T> {
    const { token, displayUrl, timeoutMs } = this.config;
    if (token === undefined && options.anonymous !== true) {
      throw new AppError(
        'unauthenticated',
        'no API token: pass --token TOKEN or set COUNTERSIGN_TOKEN (an operator mints one with `countersign token issue`)',
      );
    }
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (token !== undefined && options.anonymous !== true) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.urlOf(path, options.query), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new AppError(
          'internal',
          `the Countersign server at ${displayUrl} did not answer within ${timeoutMs / 1000}s (${method} ${path})`,
          { reason: 'timeout' },
        );
      }
      throw new AppError(
        'internal',
        `cannot reach the Countersign server at ${displayUrl} (${this.scrub(describeCause(error))}): is it running? ` +
          'Set --server or COUNTERSIGN_URL',
        { reason: 'unreachable' },
      );
    }
    const text = await response.text();
    if (!response.ok) throw this.problemError(response.status, text);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new AppError(
        'internal',
        `the server at ${displayUrl} answered ${method} ${path} with something that is not JSON: is it a Countersign server?`,
        { reason: 'bad_response' },
      );
    }
  }

  /** The `AppError` for an error answer: the problem's code and detail, its reasons listed below the detail. */
  private problemError(status: number, text: string): AppError {
    let problem: ProblemLike = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) problem = parsed as ProblemLike;
    } catch {
      problem = {};
    }
    const code = isErrorCode(problem.code) ? problem.code : codeForStatus(status);
    const detail =
      typeof problem.detail === 'string' && problem.detail !== ''
        ? problem.detail
        : typeof problem.title === 'string'
          ? problem.title
          : `the server at ${this.config.displayUrl} answered HTTP ${status}`;
    const reasons = Array.isArray(problem.reasons)
      ? problem.reasons
          .map((reason) => (reason as { message?: unknown }).message)
          .filter((message): message is string => typeof message === 'string' && message !== detail)
      : [];
    const problems = Array.isArray(problem.problems)
      ? problem.problems.filter((item): item is string => typeof item === 'string' && !detail.includes(item))
      : [];
    let message = [detail, ...[...reasons, ...problems].map((line) => `  - ${line}`)].join('\n');
    if (code === 'unauthenticated') {
      message += `\n  (the server at ${this.config.displayUrl} did not accept the token from --token or COUNTERSIGN_TOKEN)`;
    }
    return new AppError(code, this.scrub(message), {
      status,
      ...(Array.isArray(problem.reasons) ? { reasons: problem.reasons } : {}),
      ...(Array.isArray(problem.problems) ? { problems: problem.problems } : {}),
    });
  }
}

/** A client for the options of one command run. */
export function apiClient(options: ClientOptions): ApiClient {
  return new ApiClient(resolveClientConfig(options));
}
