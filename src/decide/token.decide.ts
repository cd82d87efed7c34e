/**
 * Who may mint and revoke API tokens, and for how long (SPEC §2.1, OWASP NHI7). A human mints tokens only for
 * itself; a non-human identity's tokens are minted only by an `administer` holder (never by the NHI itself,
 * so a leaked NHI token cannot prolong its own life); the operator bootstrap (`system:operator`, who has
 * direct database access anyway) mints for anyone. Every token expires, within a maximum lifetime per kind.
 */
import { reason, type Reason } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import type { DutyIndex } from './duties.js';

export interface TokenLimits {
  /** Longest lifetime of a human's token. */
  readonly humanMaxSeconds: number;
  /** Longest lifetime of a non-human identity's token. */
  readonly nhiMaxSeconds: number;
}

export const DEFAULT_TOKEN_LIMITS: TokenLimits = { humanMaxSeconds: 12 * 3600, nhiMaxSeconds: 30 * 86_400 };

export interface TokenDecision {
  readonly allowed: boolean;
  /** Why not, in the error vocabulary: `not_found` (no such identity), `forbidden`, or `invalid` (lifetime). */
  readonly refusal?: 'not_found' | 'forbidden' | 'invalid';
  readonly reasons: readonly Reason[];
}

function refuse(refusal: NonNullable<TokenDecision['refusal']>, code: string, message: string): TokenDecision {
  return { allowed: false, refusal, reasons: [reason(code, message)] };
}

/**
 * May `actor` mint a token for `target` lasting `ttlSeconds`? Invariants: the target exists and is enabled;
 * humans get tokens only from themselves (or the operator); NHIs only from an `administer` holder (or the
 * operator); the lifetime is positive and within `limits` for the target's kind, whoever asks.
 */
export function decideTokenIssue(
  duties: DutyIndex,
  actor: string,
  target: string,
  ttlSeconds: number,
  limits: TokenLimits = DEFAULT_TOKEN_LIMITS,
): TokenDecision {
  const identity = duties.policy.identities.get(target);
  if (!identity) return refuse('not_found', 'token.unknown_identity', `identity '${target}' does not exist`);
  if (identity.disabled) return refuse('forbidden', 'token.identity_disabled', `identity '${target}' is disabled`);
  const human = identity.kind === 'human';
  const max = human ? limits.humanMaxSeconds : limits.nhiMaxSeconds;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > max) {
    return refuse(
      'invalid',
      'token.ttl_too_long',
      `a token for ${human ? 'human' : identity.kind} identity '${target}' lasts at most ${formatDurationSeconds(max)}`,
    );
  }
  const lasting = reason('token.ttl_ok', `the token lasts ${formatDurationSeconds(ttlSeconds)}, within the maximum`);
  if (actor === SYSTEM_OPERATOR) {
    return {
      allowed: true,
      reasons: [reason('token.operator', `the operator mints a token for '${target}'`), lasting],
    };
  }
  if (human) {
    if (actor !== target) {
      return refuse('forbidden', 'token.not_self', `'${actor}' may not mint a token for human '${target}'`);
    }
    return { allowed: true, reasons: [reason('token.self', `'${actor}' mints a token for itself`), lasting] };
  }
  const holding = duties.holdsAnywhere(actor, 'administer');
  if (!holding) {
    return refuse(
      'forbidden',
      'token.nhi_needs_administer',
      `only an 'administer' holder may mint a token for ${identity.kind} identity '${target}'; '${actor}' holds none`,
    );
  }
  return {
    allowed: true,
    reasons: [reason('token.administer', `'${actor}' holds 'administer' through role '${holding.role}'`), lasting],
  };
}

/**
 * May `actor` revoke a token of `owner`? Invariant: an identity revokes its own tokens; anyone else's only
 * with `administer` (offboarding and incident response).
 */
export function decideTokenRevoke(duties: DutyIndex, actor: string, owner: string): TokenDecision {
  if (actor === owner || actor === SYSTEM_OPERATOR) {
    return { allowed: true, reasons: [reason('token.own', `'${actor}' may revoke tokens of '${owner}'`)] };
  }
  const holding = duties.holdsAnywhere(actor, 'administer');
  if (!holding) {
    return refuse('forbidden', 'token.not_owner', `'${actor}' may not revoke a token of '${owner}'`);
  }
  return {
    allowed: true,
    reasons: [reason('token.administer', `'${actor}' holds 'administer' through role '${holding.role}'`)],
  };
}
