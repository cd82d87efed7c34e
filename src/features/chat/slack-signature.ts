/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack): Slack sends
 * `X-Slack-Request-Timestamp` (Unix seconds) and `X-Slack-Signature: v0=<hex>`, the HMAC-SHA256 with the app's
 * signing secret of `v0:<timestamp>:<raw body>`. A request is genuine only when the signature over the exact raw
 * bytes matches (compared in constant time) and the timestamp is within five minutes of our clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way. */
export const MAX_SLACK_SKEW_MS = 5 * 60_000;

export type SignatureCheck =
  | { readonly ok: true; readonly timestampMs: number }
  | { readonly ok: false; readonly reason: 'missing' | 'stale' | 'mismatch' };

/** `v0=` and the hex HMAC-SHA256 of `v0:timestamp:body` under `secret`. */
export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Whether (`timestamp`, `signature`) authenticate `rawBody` under one of `secrets` at `nowMs`. Invariant: the
 * timestamp is checked before any secret is tried, and every comparison takes the same time whatever matches.
 */
export function verifySlackSignature(input: {
  readonly rawBody: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly secrets: readonly string[];
  readonly nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'missing' };
  }
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'mismatch' };
  const timestampMs = Number(timestamp) * 1000;
  if (Math.abs(input.nowMs - timestampMs) > MAX_SLACK_SKEW_MS) return { ok: false, reason: 'stale' };
  const given = Buffer.from(signature, 'utf8');
  let matched = false;
  for (const secret of input.secrets) {
    const expected = Buffer.from(slackSignature(secret, timestamp, input.rawBody), 'utf8');
    // Both are `v0=` and 64 hex digits here, so the lengths are equal and the comparison is constant-time.
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true, timestampMs } : { ok: false, reason: 'mismatch' };
}
