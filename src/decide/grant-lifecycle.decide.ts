/**
 * The life of a grant (SPEC §2.8) as one pure table, the grant-side twin of the request lifecycle
 * (`lifecycle.decide.ts`). Every status a grant row takes is named here, so the legal moves live in one place:
 *
 * | from                              | event          | to            | when                                               |
 * |-----------------------------------|----------------|---------------|----------------------------------------------------|
 * | (new row)                         | intend         | provisioning  | an activation records its intent before the provider call |
 * | (new row)                         | record         | active        | a person confirmed a manual grant they made by hand |
 * | provisioning                      | provision      | active        | the provider granted and the grant was recorded    |
 * | active                            | extend         | active        | an approved extension lengthened it                |
 * | active, revoke_failed, revoking   | claim_teardown | revoking      | a worker claims its revoke (`revoking`: a lapsed claim is taken over) |
 * | revoking                          | revoke         | revoked       | the provider's revoke succeeded (a person, offboarding, certification) |
 * | revoking                          | expire         | expired       | the provider's revoke at `expiresAt` succeeded     |
 * | revoking                          | revoke_fail    | revoke_failed | the provider's revoke failed: retried, alerted on  |
 *
 * Every other pair is refused. A `provisioning` intent whose provider grant was undone (compensated) is deleted
 * rather than moved: it never held privilege (`mayDiscard`). `revoked` and `expired` are final.
 *
 * Stores change a grant's status in one conditional statement (`… where status in (…)`), so besides the
 * single-row `grantTransition` the table answers the two halves such a statement needs: which statuses an
 * event leaves (`grantEventSources`) and the one it reaches (`grantEventTarget`).
 */
import { reason, type Reason } from '../core/decision.js';
import type { GrantStatus } from '../core/domain.js';

export { GRANT_STATUSES, type GrantStatus } from '../core/domain.js';

/** Statuses no event leaves: the privilege is gone and recorded as gone. */
export const FINAL_GRANT_STATUSES: ReadonlySet<GrantStatus> = new Set<GrantStatus>(['revoked', 'expired']);

/** How a grant row comes to exist. */
export const GRANT_BIRTHS = ['intend', 'record'] as const;
export type GrantBirth = (typeof GRANT_BIRTHS)[number];

export const GRANT_EVENTS = ['provision', 'extend', 'claim_teardown', 'revoke', 'expire', 'revoke_fail'] as const;
export type GrantEvent = (typeof GRANT_EVENTS)[number];

const BIRTHS: Readonly<Record<GrantBirth, GrantStatus>> = { intend: 'provisioning', record: 'active' };

const TRANSITIONS: Readonly<Record<GrantEvent, { readonly from: readonly GrantStatus[]; readonly to: GrantStatus }>> = {
  provision: { from: ['provisioning'], to: 'active' },
  extend: { from: ['active'], to: 'active' },
  claim_teardown: { from: ['active', 'revoke_failed', 'revoking'], to: 'revoking' },
  revoke: { from: ['revoking'], to: 'revoked' },
  expire: { from: ['revoking'], to: 'expired' },
  revoke_fail: { from: ['revoking'], to: 'revoke_failed' },
};

export type GrantTransitionResult =
  { readonly ok: true; readonly to: GrantStatus } | { readonly ok: false; readonly reason: Reason };

/**
 * The status a grant in `from` moves to on `event`. Invariant: only the moves of the table above exist; nothing
 * leaves `revoked` or `expired`, nothing becomes `active` but an intent the provider fulfilled (or a manual grant
 * a person recorded), and a grant still holding privilege can always be claimed for its revoke.
 */
export function grantTransition(from: GrantStatus, event: GrantEvent): GrantTransitionResult {
  const move = TRANSITIONS[event];
  if (move.from.includes(from)) return { ok: true, to: move.to };
  const why = FINAL_GRANT_STATUSES.has(from) ? `; '${from}' is final` : '';
  return {
    ok: false,
    reason: reason('grant.illegal_transition', `a grant that is ${from} cannot ${describe(event)}${why}`),
  };
}

/** The statuses `event` moves a grant out of: the `where status in (…)` of the statement that applies it. */
export function grantEventSources(event: GrantEvent): readonly GrantStatus[] {
  return TRANSITIONS[event].from;
}

/** The status `event` moves a grant to: the `set status = …` of the statement that applies it. */
export function grantEventTarget(event: GrantEvent): GrantStatus {
  return TRANSITIONS[event].to;
}

/** The status a new grant row is inserted with. */
export function grantBirthStatus(birth: GrantBirth): GrantStatus {
  return BIRTHS[birth];
}

/** The events a grant in `status` accepts, in table order. */
export function grantEventsFrom(status: GrantStatus): GrantEvent[] {
  return GRANT_EVENTS.filter((event) => TRANSITIONS[event].from.includes(status));
}

/** Only an intent may be deleted (when its provider grant was undone): every other row is history. */
export function mayDiscard(status: GrantStatus): boolean {
  return status === 'provisioning';
}

function describe(event: GrantEvent): string {
  const phrases: Record<GrantEvent, string> = {
    provision: 'become active',
    extend: 'be extended',
    claim_teardown: 'be claimed for its revoke',
    revoke: 'be recorded as revoked',
    expire: 'be recorded as expired',
    revoke_fail: 'record a failed revoke',
  };
  return phrases[event];
}
