/**
 * Who may revoke an active grant early (SPEC §2.8): the requester, who gives their access back, or a holder of
 * `administer` on the request's profile (incident response, offboarding by hand). Anyone else is refused with
 * the reason. Revoking only takes privilege away, so the lifecycle's separation rules do not restrict it.
 */
import { reason, type Reason } from '../core/decision.js';
import type { PolicySet } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import type { RequestRecord } from './types.js';

export type RevokeDecision =
  | { readonly outcome: 'accepted'; readonly as: 'requester' | 'administrator'; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] };

/**
 * Decides whether `actor` may revoke the grant of `request`. Invariant: only an `active` request (or one whose
 * revoke failed and is being retried) is revoked, and only by its requester or by an enabled identity holding
 * `administer` on its profile now.
 */
export function decideRevoke(
  ctx: { readonly policy: PolicySet; readonly duties: DutyIndex },
  request: RequestRecord,
  actor: string,
): RevokeDecision {
  if (request.status !== 'active' && request.status !== 'revoke_failed') {
    const message = `request '${request.id}' is ${request.status}; only an active grant can be revoked`;
    return { outcome: 'refused', reasons: [reason('request.wrong_status', message)] };
  }
  if (actor === request.requester) {
    const message = `'${actor}' requested '${request.id}' and may give the access back`;
    return { outcome: 'accepted', as: 'requester', reasons: [reason('revoker.requester', message)] };
  }
  const profile = ctx.policy.profiles.get(request.profile);
  const holding = profile === undefined ? undefined : ctx.duties.holds(actor, 'administer', profile);
  if (holding !== undefined) {
    const message = `'${actor}' holds 'administer' on profile '${request.profile}' through role '${holding.role}'`;
    return { outcome: 'accepted', as: 'administrator', reasons: [reason('revoker.administrator', message)] };
  }
  const message = `'${actor}' is neither the requester of '${request.id}' nor holds 'administer' on profile '${request.profile}'`;
  return { outcome: 'refused', reasons: [reason('revoker.not_entitled', message)] };
}
