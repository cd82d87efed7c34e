/**
 * One signed HTTP POST of a JSON body (see `webhook-signing.ts`), shared by the webhook provider and the
 * notification outbox. It never throws for what the network does: the outcome is a value (`response` with the
 * status and a bounded body, or `network` with a short reason), so callers decide on retries. Redirects are
 * not followed (a signed body goes only where policy said). Reasons never carry the URL, which may itself be a
 * secret (Slack-style webhook URLs are), nor the secret.
 */
import { signingHeaders } from './webhook-signing.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface SignedPost {
  readonly url: URL;
  readonly secret: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly nowMs: number;
  readonly maxResponseBytes?: number;
}

export type PostOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly truncated: boolean }
  | { readonly kind: 'network'; readonly reason: string };

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'no response in time',
};

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return (code && NETWORK_REASONS[code]) ?? (code ? `network error ${code}` : 'network error');
}

async function readBounded(response: Response, limit: number): Promise<{ body: string; truncated: boolean }> {
  if (response.body === null) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      await reader.cancel();
      return { body: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** Sends one attempt. The timeout covers connecting, the response headers and reading the body. */
export async function postSigned(post: SignedPost): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(Math.max(1, post.timeoutMs));
  try {
    const response = await fetch(post.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'countersign',
        ...post.headers,
        ...signingHeaders(post.secret, post.body, post.nowMs),
      },
      body: post.body,
    });
    const { body, truncated } = await readBounded(response, post.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    return { kind: 'response', status: response.status, body, truncated };
  } catch (error) {
    return { kind: 'network', reason: networkReason(error) };
  }
}

/** Whether another attempt may help: a network failure, 408, 429 or a 5xx. A 3xx or other 4xx will not change. */
export function isRetryable(outcome: PostOutcome): boolean {
  if (outcome.kind === 'network') return true;
  return outcome.status >= 500 || outcome.status === 408 || outcome.status === 429;
}

/** A short description for logs and `last_error`: the status or network reason, never a URL or a secret. */
export function describeOutcome(outcome: PostOutcome): string {
  return outcome.kind === 'network' ? outcome.reason : `HTTP ${outcome.status}`;
}

/** Parses `http:`/`https:` URLs only; undefined for anything else (a `file:` URL is not a webhook). */
export function parseWebhookUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
