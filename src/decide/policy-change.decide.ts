/**
 * Policy change sets (SPEC §3): which profiles a proposed policy touches, who may submit, approve or reject it,
 * and when its governance is satisfied. Policy changes get four eyes too: the author never approves their own
 * change, and an approver must be a governance approver of every profile the change touches.
 */
import { reason, type Reason } from '../core/decision.js';
import type { PolicySet, ResourceProfile, SubjectRef } from '../policy/model.js';
import type { DutyIndex } from './duties.js';

export interface TouchedProfiles {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** All of the above, sorted. */
  readonly all: readonly string[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Profiles added, whose resolved version changed, or removed between the policy in force and the proposal. */
export function touchedProfiles(current: PolicySet, proposed: PolicySet): TouchedProfiles {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [name, profile] of proposed.profiles) {
    const before = current.profiles.get(name);
    if (!before) added.push(name);
    else if (before.version !== profile.version) changed.push(name);
  }
  for (const name of current.profiles.keys()) if (!proposed.profiles.has(name)) removed.push(name);
  return {
    added: added.sort(byName),
    changed: changed.sort(byName),
    removed: removed.sort(byName),
    all: [...added, ...changed, ...removed].sort(byName),
  };
}

/**
 * The governing definition of a touched profile: the one in force when it exists (so a change cannot pick its
 * own reviewers by rewriting `governance`), else the proposed one (a new profile).
 */
export function governing(current: PolicySet, proposed: PolicySet, name: string): ResourceProfile | undefined {
  return current.profiles.get(name) ?? proposed.profiles.get(name);
}

function isNamedBy(policy: PolicySet, identity: string, refs: readonly SubjectRef[]): boolean {
  const groups = policy.identities.get(identity)?.groups ?? [];
  return refs.some((ref) => (ref.type === 'identity' ? ref.name === identity : groups.includes(ref.name)));
}

export interface PolicyChangeContext {
  /** Duties at `now` over the policy in force (disabled identities already marked). */
  readonly duties: DutyIndex;
  readonly proposed: PolicySet;
  readonly touched: TouchedProfiles;
}

export interface ChangeDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

function activeHuman(ctx: PolicyChangeContext, identity: string): Reason | undefined {
  const found = ctx.duties.policy.identities.get(identity);
  if (!found) return reason('policy_change.unknown_identity', `identity '${identity}' does not exist`);
  if (found.disabled) return reason('policy_change.disabled', `identity '${identity}' is disabled`);
  if (found.kind !== 'human')
    return reason(
      'policy_change.not_human',
      `'${identity}' is a ${found.kind} identity; policy changes are reviewed by people`,
    );
  return undefined;
}

/** Holds `administer` over every profile (in force or proposed) the change touches, or over everything. */
function administersChange(ctx: PolicyChangeContext, identity: string): boolean {
  const current = ctx.duties.policy;
  if (ctx.touched.all.length === 0) {
    return [...current.profiles.values()].every(
      (profile) => ctx.duties.holds(identity, 'administer', profile) !== undefined,
    );
  }
  return ctx.touched.all.every((name) => {
    const profile = governing(current, ctx.proposed, name);
    return profile !== undefined && ctx.duties.holds(identity, 'administer', profile) !== undefined;
  });
}

/** Submitting a change set: a human holding `administer` over every profile it touches. */
export function decidePolicyChangeSubmission(ctx: PolicyChangeContext, author: string): ChangeDecision {
  const notActive = activeHuman(ctx, author);
  if (notActive) return { allowed: false, reasons: [notActive] };
  if (!administersChange(ctx, author)) {
    const what =
      ctx.touched.all.length === 0 ? 'every profile' : `profile ${ctx.touched.all.map((n) => `'${n}'`).join(', ')}`;
    return {
      allowed: false,
      reasons: [reason('policy_change.not_administrator', `'${author}' does not hold 'administer' over ${what}`)],
    };
  }
  return {
    allowed: true,
    reasons: [reason('policy_change.submit_allowed', `'${author}' may submit this policy change`)],
  };
}

/**
 * Approving a change set. Invariants: the approver is an active human other than the author; for every touched
 * profile they are named by the governing definition's `governance.approvers`; a change touching no profile
 * (roles, identities, SoD rules only) needs an approver holding `administer` over every profile.
 */
export function decidePolicyChangeApproval(ctx: PolicyChangeContext, author: string, approver: string): ChangeDecision {
  if (approver === author) {
    return {
      allowed: false,
      reasons: [reason('sod.own_policy_change', `'${approver}' wrote this policy change and may not approve it`)],
    };
  }
  const notActive = activeHuman(ctx, approver);
  if (notActive) return { allowed: false, reasons: [notActive] };
  const current = ctx.duties.policy;
  if (ctx.touched.all.length === 0) {
    return administersChange(ctx, approver)
      ? {
          allowed: true,
          reasons: [
            reason(
              'policy_change.administrator_approves',
              `'${approver}' holds 'administer' over every profile and approves a change that touches no profile`,
            ),
          ],
        }
      : {
          allowed: false,
          reasons: [
            reason(
              'policy_change.not_administrator',
              `this change touches no profile, so only an administrator of every profile may approve it; '${approver}' is not`,
            ),
          ],
        };
  }
  const notGoverning = ctx.touched.all.filter((name) => {
    const profile = governing(current, ctx.proposed, name);
    return profile === undefined || !isNamedBy(current, approver, profile.governance.approvers);
  });
  if (notGoverning.length > 0) {
    return {
      allowed: false,
      reasons: [
        reason(
          'policy_change.not_governance_approver',
          `'${approver}' is not a governance approver of profile ${notGoverning.map((n) => `'${n}'`).join(', ')}`,
        ),
      ],
    };
  }
  return {
    allowed: true,
    reasons: [
      reason(
        'policy_change.governance_approver',
        `'${approver}' is a governance approver of ${ctx.touched.all.map((n) => `'${n}'`).join(', ')}`,
      ),
    ],
  };
}

/** Rejecting: any identity that could approve it; the author may withdraw (cancel) their own change. */
export function decidePolicyChangeRejection(
  ctx: PolicyChangeContext,
  author: string,
  actor: string,
): ChangeDecision & { readonly as?: 'author' | 'reviewer' } {
  if (actor === author)
    return {
      allowed: true,
      as: 'author',
      reasons: [reason('policy_change.withdrawn', `'${actor}' withdraws their own change`)],
    };
  const approval = decidePolicyChangeApproval(ctx, author, actor);
  return approval.allowed ? { ...approval, as: 'reviewer' } : approval;
}

export interface GovernanceProgress {
  readonly satisfied: boolean;
  /** Touched profiles not yet approved by one of their governance approvers. */
  readonly waitingFor: readonly string[];
  readonly reasons: readonly Reason[];
}

/**
 * Is the change's governance satisfied by these approvals (each already bound to the current digest)? Every
 * touched profile needs one approval that `decidePolicyChangeApproval` accepts; an approval that no longer
 * holds (the approver was disabled or left the group) does not count.
 */
export function policyChangeProgress(
  ctx: PolicyChangeContext,
  author: string,
  approvers: readonly string[],
): GovernanceProgress {
  const valid = [...new Set(approvers)].filter((approver) => decidePolicyChangeApproval(ctx, author, approver).allowed);
  if (ctx.touched.all.length === 0) {
    return valid.length > 0
      ? {
          satisfied: true,
          waitingFor: [],
          reasons: [reason('policy_change.satisfied', `approved by ${valid.map((a) => `'${a}'`).join(', ')}`)],
        }
      : {
          satisfied: false,
          waitingFor: [],
          reasons: [reason('policy_change.waiting', 'waiting for an administrator other than the author')],
        };
  }
  // A valid approver governs every touched profile, so one valid approval satisfies them all.
  const waitingFor = valid.length > 0 ? [] : ctx.touched.all;
  return waitingFor.length === 0
    ? {
        satisfied: true,
        waitingFor,
        reasons: [reason('policy_change.satisfied', `approved by ${valid.map((a) => `'${a}'`).join(', ')}`)],
      }
    : {
        satisfied: false,
        waitingFor,
        reasons: [
          reason(
            'policy_change.waiting',
            `waiting for a governance approver of ${waitingFor.map((n) => `'${n}'`).join(', ')}`,
          ),
        ],
      };
}
