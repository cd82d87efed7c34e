/**
 * What an identity may ask for on one resource (SPEC §2.3, §2.5; the console's New request page): which actions
 * it may request through `POST /v1/requests` and which it may take through break-glass. Both answers come from
 * the evaluation a real request gets (`checkRequestDuty`, `evaluateRequest`), so the page never offers what
 * creating would refuse as `forbidden`, nor hides what it would accept.
 */
import type { ActionDefinition, PolicySet, Resource } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { checkRequestDuty, evaluateRequest } from './request.decide.js';
import { NO_DRIFT } from './types.js';

export interface RequestableAction {
  readonly action: ActionDefinition;
  /** The requester holds `request` on the profile in force: `POST /v1/requests` does not refuse it as forbidden. */
  readonly request: boolean;
  /** The profile's break-glass covers the action for this requester. */
  readonly breakGlass: boolean;
}

/**
 * The actions of `resource` that `requester` may ask for, in the profile's order; empty when it may ask for
 * none (unknown or disabled requester, no `request` duty and no break-glass). Invariant: `request` is the
 * entitlement check `evaluateRequest` makes for a request, and `breakGlass` is `evaluateRequest`'s own answer
 * for a break-glass request: it checks who may break glass before the content, so a probe with an empty
 * duration is refused `forbidden` exactly when the requester may not, and `invalid` (for its duration) when it
 * may.
 */
export function requestableActions(
  ctx: { readonly policy: PolicySet; readonly duties: DutyIndex; readonly now: number },
  requester: string,
  resource: Resource,
): RequestableAction[] {
  const identity = ctx.policy.identities.get(requester);
  const profile = ctx.policy.profiles.get(resource.profile);
  if (identity === undefined || identity.disabled || profile === undefined) return [];
  const request = checkRequestDuty(ctx.duties, identity, profile).problems.length === 0;
  const offered: RequestableAction[] = [];
  for (const action of profile.actions.values()) {
    const breakGlass =
      profile.breakGlass !== undefined &&
      evaluateRequest(
        { policy: ctx.policy, duties: ctx.duties, state: { drift: NO_DRIFT }, now: ctx.now },
        { requester, resource: resource.name, action: action.name, durationSeconds: 0, breakGlass: true },
      ).outcome !== 'forbidden';
    if (request || breakGlass) offered.push({ action, request, breakGlass });
  }
  return offered;
}
