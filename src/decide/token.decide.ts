/**
 * Who may mint and revoke API tokens, and for how long (SPEC §2.1, §2.4, OWASP NHI7). A human mints tokens only
 * for itself; a non-human identity's tokens are minted only by its human owner (never by the NHI itself, so a
 * leaked NHI token cannot prolong its own life, and never by anyone else: minting a token for someone else would
 * widen access, and the minter joins the NHI's principal); the operator bootstrap (`system:operator`, who has
 * direct database access anyway) mints for anyone. Every token expires, within a maximum lifetime per kind, and
 * a human token minted with another API token ends no later than the chain it descends from: `humanMaxSeconds`
 * after the sign-in (OIDC) or operator token that started it, so no token mints longer-lived successors forever.
 */
import { reason, refusalOf, type Reason, type ReasonCode, type RefusalKind } from '../core/decision.js';
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

/** The API token the actor mints with, when it is one: its chain began at `originAt` (epoch ms). */
export interface MintingChain {
  readonly originAt: number;
  readonly now: number;
}

export interface TokenDecision {
  readonly allowed: boolean;
  /** The kind of a refusal: `not_found` (no such identity), `forbidden`, or `invalid` (lifetime). */
  readonly refusal?: RefusalKind;
  readonly reasons: readonly Reason[];
}

function refuse(code: ReasonCode, message: string): TokenDecision {
  const reasons = [reason(code, message)];
  return { allowed: false, refusal: refusalOf(reasons).kind, reasons };
}

/**
 * May `actor` mint a token for `target` lasting `ttlSeconds`? Invariants: the target exists and is enabled;
 * humans get tokens only from themselves (or the operator); NHIs only from their owner (or the operator); the
 * lifetime is positive and within `limits` for the target's kind, whoever asks; a human minting with an API token
 * (`chain`) gets one that ends by `chain.originAt + humanMaxSeconds`.
 */
export function decideTokenIssue(
  duties: DutyIndex,
  actor: string,
  target: string,
  ttlSeconds: number,
  limits: TokenLimits = DEFAULT_TOKEN_LIMITS,
  chain?: MintingChain,
): TokenDecision {
  const identity = duties.policy.identities.get(target);
  if (!identity) return refuse('token.unknown_identity', `identity '${target}' does not exist`);
  if (identity.disabled) return refuse('token.identity_disabled', `identity '${target}' is disabled`);
  const human = identity.kind === 'human';
  const max = human ? limits.humanMaxSeconds : limits.nhiMaxSeconds;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > max) {
    return refuse(
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
      return refuse('token.not_self', `'${actor}' may not mint a token for human '${target}'`);
    }
    const chainLimit = chain === undefined ? undefined : chainRefusal(target, ttlSeconds, limits, chain);
    if (chainLimit !== undefined) return chainLimit;
    return { allowed: true, reasons: [reason('token.self', `'${actor}' mints a token for itself`), lasting] };
  }
  if (identity.owner === undefined || actor !== identity.owner) {
    const owner = identity.owner === undefined ? 'no owner' : `owner '${identity.owner}'`;
    return refuse(
      'token.not_nhi_owner',
      `only the owner of ${identity.kind} identity '${target}' mints its tokens (it has ${owner}); '${actor}' may not`,
    );
  }
  return {
    allowed: true,
    reasons: [reason('token.nhi_owner', `'${actor}' owns ${identity.kind} identity '${target}'`), lasting],
  };
}

/** The refusal of a token that would outlive the chain it is minted from, or undefined. */
function chainRefusal(
  target: string,
  ttlSeconds: number,
  limits: TokenLimits,
  chain: MintingChain,
): TokenDecision | undefined {
  const leftSeconds = Math.floor((chain.originAt + limits.humanMaxSeconds * 1000 - chain.now) / 1000);
  if (ttlSeconds <= leftSeconds) return undefined;
  const left = leftSeconds > 0 ? `at most ${formatDurationSeconds(leftSeconds)} more` : 'no more time';
  return refuse(
    'token.chain_ends',
    `a token '${target}' mints with another API token ends within ${formatDurationSeconds(limits.humanMaxSeconds)} of the sign-in it descends from: ${left}; sign in again for a longer one`,
  );
}

/**
 * May `actor` revoke a token of `owner`? Invariant: an identity revokes its own tokens, an NHI's owner (who
 * mints them) the NHI's; anyone else's only with `administer` (offboarding and incident response).
 */
export function decideTokenRevoke(duties: DutyIndex, actor: string, owner: string): TokenDecision {
  if (actor === owner || actor === SYSTEM_OPERATOR) {
    return { allowed: true, reasons: [reason('token.own', `'${actor}' may revoke tokens of '${owner}'`)] };
  }
  const identity = duties.policy.identities.get(owner);
  if (identity !== undefined && identity.kind !== 'human' && identity.owner === actor) {
    return { allowed: true, reasons: [reason('token.nhi_owner', `'${actor}' owns '${owner}' and mints its tokens`)] };
  }
  const holding = duties.holdsAnywhere(actor, 'administer');
  if (!holding) {
    return refuse('token.not_owner', `'${actor}' may not revoke a token of '${owner}'`);
  }
  return {
    allowed: true,
    reasons: [reason('token.administer', `'${actor}' holds 'administer' through role '${holding.role}'`)],
  };
}
