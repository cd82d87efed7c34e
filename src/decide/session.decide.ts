/**
 * Whether a browser session of the web console still stands, and until when (issue 12). Pure: the row, what the
 * store says of its API token and identity, the configured lifetime and `now` come in; a verdict comes out. A
 * session ends at the first of: its idle timeout (sliding from the last request seen), its absolute limit, the
 * expiry of the API token it was signed in with, the revocation of that token, or its identity being disabled
 * or removed from the policy.
 */

export interface SessionLifetime {
  /** Inactivity after which a session ends (sliding). */
  readonly idleMs: number;
  /** Longest life of a session, however active. */
  readonly maxMs: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

/** `last_seen_at` is written at most this often per session, to keep reads off the write path. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionState {
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end recorded when the session began. */
  readonly expiresAt: number;
  readonly endedAt: number | null;
  /** The API token signed in with, when there is one: its expiry and whether it was revoked. */
  readonly token?: { readonly expiresAt: number; readonly revoked: boolean };
  /** False when the identity is disabled, unknown, or no longer in the policy. */
  readonly identityUsable: boolean;
}

export type SessionRefusal = 'ended' | 'expired' | 'idle' | 'token_revoked' | 'token_expired' | 'identity_unusable';

export type SessionVerdict =
  | {
      readonly valid: true;
      /** When the session ends unless it is used again (the idle deadline counted from this request). */
      readonly expiresAt: number;
      /** True when `last_seen_at` should be written now (at most once per `LAST_SEEN_RESOLUTION_MS`). */
      readonly touch: boolean;
    }
  | { readonly valid: false; readonly refusal: SessionRefusal };

/**
 * The verdict on a session at `now`. `personActive` says whether this request shows a person at work (a change,
 * or the console reporting recent keyboard or pointer use); a page polling in a forgotten tab does not, so it
 * never slides the idle deadline. Invariant: a valid verdict's `expiresAt` is later than `now`.
 */
export function judgeSession(
  state: SessionState,
  lifetime: SessionLifetime,
  now: number,
  personActive = true,
): SessionVerdict {
  if (state.endedAt !== null) return { valid: false, refusal: 'ended' };
  if (!state.identityUsable) return { valid: false, refusal: 'identity_unusable' };
  if (state.token?.revoked === true) return { valid: false, refusal: 'token_revoked' };
  if (state.token !== undefined && state.token.expiresAt <= now) return { valid: false, refusal: 'token_expired' };
  // A lower --session-max set after the session began applies to it too.
  const absolute = Math.min(state.expiresAt, state.createdAt + lifetime.maxMs);
  if (absolute <= now) return { valid: false, refusal: 'expired' };
  if (state.lastSeenAt + lifetime.idleMs <= now) return { valid: false, refusal: 'idle' };
  const touch = personActive && state.lastSeenAt + LAST_SEEN_RESOLUTION_MS <= now;
  const idleEnd = (touch ? now : state.lastSeenAt) + lifetime.idleMs;
  const expiresAt = Math.min(idleEnd, absolute, state.token?.expiresAt ?? Number.POSITIVE_INFINITY);
  return { valid: true, expiresAt, touch };
}

/** What a refusal tells the person (product words; never which secret). */
export function describeSessionRefusal(refusal: SessionRefusal): string {
  switch (refusal) {
    case 'ended':
      return 'the session has ended; sign in again';
    case 'expired':
      return 'the session reached its time limit; sign in again';
    case 'idle':
      return 'the session expired after inactivity; sign in again';
    case 'token_revoked':
      return 'the API token this session was signed in with was revoked';
    case 'token_expired':
      return 'the API token this session was signed in with has expired';
    case 'identity_unusable':
      return 'the identity of this session is disabled or no longer in the policy';
  }
}
