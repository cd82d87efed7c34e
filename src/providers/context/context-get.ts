/**
 * One bounded HTTP GET of a JSON answer for a context source: a timeout (the signal), a cap on the body, no
 * redirects (a credential goes only to the service the policy names), and an outcome as a value rather than an
 * exception. Reasons name the status or the network failure, never the URL's query, a header or a credential.
 */

/** Largest answer read from a context source; an on-call list or an issue is far smaller. */
export const MAX_CONTEXT_RESPONSE_BYTES = 1024 * 1024;

export type GetOutcome =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'failed'; readonly reason: string };

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return `unreachable: ${(code && NETWORK_REASONS[code]) ?? (code ? `network error ${code}` : 'network error')}`;
}

async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url` and parses its JSON answer. `notFoundIsAnswer`: a 404 is returned (as an answer), not a failure. */
export async function getJson(
  url: URL,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  options: { readonly notFoundIsAnswer?: boolean } = {},
): Promise<GetOutcome> {
  try {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      headers: { accept: 'application/json', 'user-agent': 'countersign', ...headers },
    });
    const text = await readBounded(response, MAX_CONTEXT_RESPONSE_BYTES);
    if (response.status === 404 && options.notFoundIsAnswer === true) {
      return { kind: 'json', status: 404, body: null };
    }
    if (response.status < 200 || response.status > 299)
      return { kind: 'failed', reason: `answered HTTP ${response.status}` };
    if (text === undefined) return { kind: 'failed', reason: `answered more than ${MAX_CONTEXT_RESPONSE_BYTES} bytes` };
    try {
      return { kind: 'json', status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'failed', reason: 'answered something that is not JSON' };
    }
  } catch (error) {
    return { kind: 'failed', reason: networkReason(error, timeoutMs) };
  }
}

/** A value as one URL path segment: percent-encoded, and never a dot segment the URL parser would resolve. */
export function pathSegment(value: string): string | undefined {
  if (value === '' || /^(?:\.|%2e){1,2}$/i.test(value)) return undefined;
  return encodeURIComponent(value);
}

/**
 * `base` + `path`, refused (undefined) unless the result stays on the base URL's origin and under its path: a
 * value filled into a template must never move a credential-bearing request elsewhere.
 */
export function urlUnder(base: string, path: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(base + path);
  } catch {
    return undefined;
  }
  const root = new URL(base);
  const prefix = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`;
  if (url.origin !== root.origin || !(url.pathname + '/').startsWith(prefix)) return undefined;
  return url;
}
