/**
 * How Countersign signs every outgoing webhook: provider calls (`webhook-provider.ts`) and notifications
 * (`notify/`). The scheme, for receivers:
 *
 *     Countersign-Timestamp: <unix seconds>
 *     Countersign-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A receiver recomputes the HMAC over the timestamp header, a full stop and the raw request body bytes with
 * the shared secret, compares it in constant time with the `v1=` value, and refuses a timestamp more than five
 * minutes from its own clock (so a captured request cannot be replayed later). Each attempt is signed afresh
 * with a new timestamp. `v1` names the scheme so that a future one can be sent alongside during a rotation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'Countersign-Timestamp';
export const SIGNATURE_HEADER = 'Countersign-Signature';
/** How far a receiver should let the timestamp stray from its clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=<hex>`: the HMAC-SHA256 of `${timestampSeconds}.${body}` under `secret`. */
export function signatureFor(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/** The two signing headers for `body` at `nowMs`. */
export function signingHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signatureFor(secret, timestamp, body) };
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What a receiver does, for receivers written in TypeScript: checks the signature in constant time and the
 * timestamp's freshness. Invariant: a request signed with another secret, over other bytes, or older (or
 * newer) than `toleranceSeconds` is refused.
 */
export function verifySignature(input: {
  readonly secret: string;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly nowMs: number;
  readonly toleranceSeconds?: number;
}): SignatureCheck {
  if (input.timestamp === undefined || !/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, reason: 'missing or malformed timestamp' };
  }
  const timestamp = Number(input.timestamp);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.nowMs / 1000 - timestamp) > tolerance) return { ok: false, reason: 'timestamp outside tolerance' };
  const expected = Buffer.from(signatureFor(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
