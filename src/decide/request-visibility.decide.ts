/**
 * Who may see requests, grants and `check` answers about other identities (SPEC §4; administration records are
 * `visibility.decide.ts`'s). Reading is not acting, so these rules are wider than the lifecycle's, but they are
 * still decisions with reasons: an identity always sees its own; approvers and auditors see every request (an
 * approver needs the inbox, an auditor the whole picture); `audit` and `provision` holders see every grant (a
 * gateway runs as an NHI holding `provision` and must know who holds access); asking `check` about someone else
 * needs `audit` or `provision` on the profile of the resource asked about; a `check` about oneself explains a
 * denial only on a profile the caller may read, and otherwise answers as for an unknown resource.
 */
import { reason, type Reason } from '../core/decision.js';
import type { Duty, PolicySet, ResourceProfile } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { decideProfileRead } from './visibility.decide.js';

/** `all`: every record; `own`: only the viewer's own (requests it made, grants it holds). */
export interface VisibilityDecision {
  readonly scope: 'all' | 'own';
  readonly reasons: readonly Reason[];
}

function widestScope(duties: DutyIndex, viewer: string, wide: readonly Duty[], what: string): VisibilityDecision {
  for (const duty of wide) {
    const holding = duties.holdsAnywhere(viewer, duty);
    if (holding !== undefined) {
      return {
        scope: 'all',
        reasons: [
          reason(
            `visibility.${duty}`,
            `'${viewer}' holds '${duty}' through role '${holding.role}' and sees all ${what}`,
          ),
        ],
      };
    }
  }
  return {
    scope: 'own',
    reasons: [
      reason(
        'visibility.own',
        `'${viewer}' holds none of ${wide.map((d) => `'${d}'`).join(', ')} and sees its own ${what}`,
      ),
    ],
  };
}

/**
 * Which requests `viewer` may list and read. Invariant: anyone sees the requests it made; only a holder of
 * `approve` or `audit` (in force, on any profile) sees other identities' requests.
 */
export function decideRequestVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['approve', 'audit'], 'requests');
}

/**
 * Which grants `viewer` may list. Invariant: anyone sees the grants it holds; only a holder of `audit` or
 * `provision` (in force, on any profile) sees other identities' grants.
 */
export function decideGrantVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['audit', 'provision'], 'grants');
}

/** May one request be shown to `viewer`, given the visibility decided for it? */
export function mayView(decision: VisibilityDecision, viewer: string, owner: string): boolean {
  return decision.scope === 'all' || viewer === owner;
}

export interface CheckAccessDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/** The profile a resource is bound to, as scopes see it (a name without definition has no labels). */
function profileOfResource(policy: PolicySet, resource: string): Pick<ResourceProfile, 'name' | 'labels'> | undefined {
  const name = policy.resources.get(resource)?.profile;
  if (name === undefined) return undefined;
  return policy.profiles.get(name) ?? { name, labels: {} };
}

/** Stands for "any profile" when the resource is unknown: only a scope over every profile covers it. */
const NO_PROFILE: Pick<ResourceProfile, 'name' | 'labels'> = { name: '', labels: {} };

/**
 * May `caller` ask `check` whether `subject` may act on `resource`? Invariant: anyone may ask about itself;
 * asking about another identity needs `audit` or `provision` in force on the profile of `resource` (for a
 * resource the policy does not know, on every profile). The refusal names neither the profile nor whether the
 * resource exists, so it reads the same for an unknown resource and for one on a profile the caller cannot see.
 */
export function decideCheckAccess(
  policy: PolicySet,
  duties: DutyIndex,
  caller: string,
  subject: string,
  resource: string,
): CheckAccessDecision {
  if (caller === subject) {
    return { allowed: true, reasons: [reason('check_access.self', `'${caller}' asks about itself`)] };
  }
  const profile = profileOfResource(policy, resource) ?? NO_PROFILE;
  for (const duty of ['audit', 'provision'] as const) {
    const holding = duties.holds(caller, duty, profile);
    if (holding !== undefined) {
      return {
        allowed: true,
        reasons: [
          reason(
            `check_access.${duty}`,
            `'${caller}' holds '${duty}' through role '${holding.role}' on the profile of resource '${resource}'`,
          ),
        ],
      };
    }
  }
  return {
    allowed: false,
    reasons: [
      reason(
        'check_access.not_self',
        `'${caller}' may ask only about itself: asking about '${subject}' needs 'audit' or 'provision' on the profile of resource '${resource}'`,
      ),
    ],
  };
}

/**
 * May `caller`, asking `check` about itself, learn why it is denied on `resource`? Invariant: only when it holds
 * some duty (in force or eligible) on the resource's profile, i.e. when it may read that profile
 * (`decideProfileRead`). Otherwise the denial is answered as for an unknown resource, so that `check` tells
 * nothing of resources, profiles and actions the caller cannot read. An allowed answer is always shown: it is
 * the caller's own access.
 */
export function mayExplainOwnDenial(policy: PolicySet, duties: DutyIndex, caller: string, resource: string): boolean {
  const profile = profileOfResource(policy, resource);
  return profile !== undefined && decideProfileRead(duties, caller, profile).allowed;
}
