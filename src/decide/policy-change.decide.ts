/**
 * Policy change sets (SPEC §3): which profiles a proposed policy touches, what approvals it needs, who may
 * submit, approve or reject it, and when its governance is satisfied. Policy changes get four eyes too, and the
 * author never picks the other pair: every requirement is read from the policy in force, never from the proposal.
 *
 * A change set needs one approval, by an active human other than the author, for each requirement:
 * - for every touched profile that exists in force, one of that profile's `governance.approvers` in force
 *   (a profile is touched when its version changes, it is removed, or a resource bound to it before or after
 *   the change is added, re-bound, changed or removed);
 * - for every added profile, an administrator of it (through the roles in force);
 * - for any change to identities, groups, roles, SoD rules, notifiers, context sources, or resources beyond a move between
 *   profiles (and for an empty change), an administrator of every profile in force.
 * One approver may satisfy several requirements (a security engineer governing two touched profiles approves
 * once), but no requirement is ever satisfied by the author.
 */
import { reason, type Reason } from '../core/decision.js';
import type { PolicySet, ResourceProfile, SubjectRef } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { byName, kindDiffs, resourceChanges, type PlanKind } from './policy-diff.decide.js';

export interface TouchedProfiles {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Profiles otherwise unchanged that a resource is bound to before or after it is added, moved, changed or removed. */
  readonly resources: readonly string[];
  /** All of the above, sorted. */
  readonly all: readonly string[];
}

/**
 * Profiles added, whose resolved version changed, or removed between the policy in force and the proposal,
 * plus the old and new profile of every resource added, re-bound, changed or removed. `current` is the policy
 * in force with its registered resources; `filed` the policy files in force (default `current`).
 */
export function touchedProfiles(current: PolicySet, proposed: PolicySet, filed: PolicySet = current): TouchedProfiles {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [name, profile] of proposed.profiles) {
    const before = current.profiles.get(name);
    if (!before) added.push(name);
    else if (before.version !== profile.version) changed.push(name);
  }
  for (const name of current.profiles.keys()) if (!proposed.profiles.has(name)) removed.push(name);
  const direct = new Set([...added, ...changed, ...removed]);
  const resources = [...resourceChanges(current, filed, proposed).profiles].filter((name) => !direct.has(name));
  return {
    added: added.sort(byName),
    changed: changed.sort(byName),
    removed: removed.sort(byName),
    resources: resources.sort(byName),
    all: [...direct, ...resources].sort(byName),
  };
}

/** Touched profiles as stored by any version: change sets stored before `resources` existed have none. */
export function withResources(stored: Partial<TouchedProfiles>): TouchedProfiles {
  return {
    added: stored.added ?? [],
    changed: stored.changed ?? [],
    removed: stored.removed ?? [],
    resources: stored.resources ?? [],
    all: stored.all ?? [],
  };
}

/** One approval a change set needs; `profile` on an administrator requirement names an added profile. */
export type ChangeRequirement =
  | {
      readonly kind: 'governance';
      readonly profile: string;
      readonly approvers: readonly SubjectRef[];
      readonly description: string;
    }
  | { readonly kind: 'administrator'; readonly profile?: string; readonly description: string };

const GLOBAL_KINDS: readonly Exclude<PlanKind, 'resources'>[] = [
  'identities',
  'groups',
  'roles',
  'sodRules',
  'notifiers',
  // A context source feeds approval rules (an on-call list that auto-approves): as global as a role.
  'contextSources',
];
const KIND_WORDS: Readonly<Record<Exclude<PlanKind, 'resources'>, string>> = {
  identities: 'identities',
  groups: 'groups',
  roles: 'roles',
  sodRules: 'SoD rules',
  notifiers: 'notifiers',
  contextSources: 'context sources',
};

function quoteAll(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

/**
 * The requirements of a proposal against the policy in force (see the module header). Invariant: they depend
 * on the proposal only through what it changes, never through what it says about governance or roles.
 */
export function changeRequirements(
  current: PolicySet,
  filed: PolicySet,
  proposed: PolicySet,
  touched: TouchedProfiles,
): ChangeRequirement[] {
  const requirements: ChangeRequirement[] = [];
  for (const name of touched.all) {
    const inForce = current.profiles.get(name);
    if (inForce) {
      const approvers = inForce.governance.approvers;
      const who = approvers.map((ref) => `${ref.type}:${ref.name}`).join(', ') || 'nobody';
      requirements.push({
        kind: 'governance',
        profile: name,
        approvers,
        description: `a governance approver of profile '${name}' in force (${who})`,
      });
    } else if (proposed.profiles.has(name)) {
      requirements.push({
        kind: 'administrator',
        profile: name,
        description: `an administrator of the added profile '${name}'`,
      });
    }
  }
  const kinds = kindDiffs(filed, proposed);
  const what = GLOBAL_KINDS.flatMap((kind) => {
    const names = [...kinds[kind].added, ...kinds[kind].changed, ...kinds[kind].removed].sort(byName);
    return names.length === 0 ? [] : [`${KIND_WORDS[kind]} ${quoteAll(names)}`];
  });
  const beyondMoves = resourceChanges(current, filed, proposed).beyondMoves;
  if (beyondMoves.length > 0) what.push(`resources ${quoteAll(beyondMoves)}`);
  if (what.length > 0 || requirements.length === 0) {
    const subject = what.length > 0 ? `the change to ${what.join('; ')}` : 'a change that changes nothing';
    requirements.push({ kind: 'administrator', description: `an administrator of every profile, for ${subject}` });
  }
  return requirements;
}

export interface PolicyChangeContext {
  /** Duties at `now` over the policy in force (disabled identities already marked). */
  readonly duties: DutyIndex;
  readonly proposed: PolicySet;
  readonly touched: TouchedProfiles;
  readonly requirements: readonly ChangeRequirement[];
}

/**
 * The context every change decision reads. `filed` is the policy files in force without database overlays
 * (default: the policy of `duties`): what a load compares identities, roles and resources with.
 */
export function policyChangeContext(duties: DutyIndex, proposed: PolicySet, filed?: PolicySet): PolicyChangeContext {
  const current = duties.policy;
  const files = filed ?? current;
  const touched = touchedProfiles(current, proposed, files);
  return { duties, proposed, touched, requirements: changeRequirements(current, files, proposed, touched) };
}

/**
 * The governing definition of a touched profile: the one in force when it exists (so a change cannot pick its
 * own reviewers by rewriting `governance`), else the proposed one (a new profile, which only an administrator
 * approves).
 */
export function governing(current: PolicySet, proposed: PolicySet, name: string): ResourceProfile | undefined {
  return current.profiles.get(name) ?? proposed.profiles.get(name);
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

function isNamedBy(policy: PolicySet, identity: string, refs: readonly SubjectRef[]): boolean {
  const groups = policy.identities.get(identity)?.groups ?? [];
  return refs.some((ref) => (ref.type === 'identity' ? ref.name === identity : groups.includes(ref.name)));
}

/** Holds `administer` (in force) over every profile in force, and somewhere at all when there are none. */
function administersEverything(ctx: PolicyChangeContext, identity: string): boolean {
  return (
    ctx.duties.holdsAnywhere(identity, 'administer') !== undefined &&
    [...ctx.duties.policy.profiles.values()].every(
      (profile) => ctx.duties.holds(identity, 'administer', profile) !== undefined,
    )
  );
}

/** Does `identity` (not yet checked for being the author or active) meet `requirement`? */
function meets(ctx: PolicyChangeContext, identity: string, requirement: ChangeRequirement): boolean {
  if (requirement.kind === 'governance') return isNamedBy(ctx.duties.policy, identity, requirement.approvers);
  if (requirement.profile === undefined) return administersEverything(ctx, identity);
  const profile = ctx.proposed.profiles.get(requirement.profile);
  return profile !== undefined && ctx.duties.holds(identity, 'administer', profile) !== undefined;
}

/** Holds `administer` over every profile (in force or proposed) the change touches, and over everything if needed. */
function administersChange(ctx: PolicyChangeContext, identity: string): boolean {
  const current = ctx.duties.policy;
  const global = ctx.requirements.some((r) => r.kind === 'administrator' && r.profile === undefined);
  if (global && !administersEverything(ctx, identity)) return false;
  return ctx.touched.all.every((name) => {
    const profile = governing(current, ctx.proposed, name);
    return profile !== undefined && ctx.duties.holds(identity, 'administer', profile) !== undefined;
  });
}

/** Submitting a change set: a human holding `administer` over every profile it touches (everything, if need be). */
export function decidePolicyChangeSubmission(ctx: PolicyChangeContext, author: string): ChangeDecision {
  const notActive = activeHuman(ctx, author);
  if (notActive) return { allowed: false, reasons: [notActive] };
  if (!administersChange(ctx, author)) {
    const global = ctx.requirements.some((r) => r.kind === 'administrator' && r.profile === undefined);
    const what = global || ctx.touched.all.length === 0 ? 'every profile' : `profile ${quoteAll(ctx.touched.all)}`;
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
 * Approving a change set. Invariants: the approver is an active human other than the author and meets at least
 * one of the change's requirements, judged only on the policy in force.
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
  const met = ctx.requirements.filter((requirement) => meets(ctx, approver, requirement));
  if (met.length === 0) {
    const governance = ctx.requirements.some((r) => r.kind === 'governance');
    return {
      allowed: false,
      reasons: [
        reason(
          governance ? 'policy_change.not_governance_approver' : 'policy_change.not_administrator',
          `'${approver}' may not approve this change: it needs ${ctx.requirements.map((r) => r.description).join('; ')}`,
        ),
      ],
    };
  }
  const asGovernance = met.some((r) => r.kind === 'governance');
  return {
    allowed: true,
    reasons: [
      reason(
        asGovernance ? 'policy_change.governance_approver' : 'policy_change.administrator_approves',
        `'${approver}' approves as ${met.map((r) => r.description).join('; ')}`,
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
  /** The requirements no valid approval meets yet, in words. */
  readonly waitingFor: readonly string[];
  readonly reasons: readonly Reason[];
}

/**
 * Is the change's governance satisfied by these approvals (each already bound to the current digest)? Every
 * requirement needs one approval, by someone `decidePolicyChangeApproval` accepts now, that meets it; an
 * approval that no longer holds (the approver was disabled or left the group) does not count.
 */
export function policyChangeProgress(
  ctx: PolicyChangeContext,
  author: string,
  approvers: readonly string[],
): GovernanceProgress {
  const valid = [...new Set(approvers)].filter((approver) => decidePolicyChangeApproval(ctx, author, approver).allowed);
  const waitingFor = ctx.requirements
    .filter((requirement) => !valid.some((approver) => meets(ctx, approver, requirement)))
    .map((requirement) => requirement.description);
  return waitingFor.length === 0
    ? {
        satisfied: true,
        waitingFor,
        reasons: [reason('policy_change.satisfied', `approved by ${quoteAll(valid)}`)],
      }
    : {
        satisfied: false,
        waitingFor,
        reasons: [reason('policy_change.waiting', `waiting for ${waitingFor.join('; ')}`)],
      };
}

/** Who could approve the change now, the author excluded, per requirement and overall (sorted). */
export function eligibleApprovers(
  ctx: PolicyChangeContext,
  author: string,
): { readonly byRequirement: readonly (readonly string[])[]; readonly any: readonly string[] } {
  const candidates = [...ctx.duties.policy.identities.keys()]
    .filter((name) => name !== author && activeHuman(ctx, name) === undefined)
    .sort(byName);
  const byRequirement = ctx.requirements.map((requirement) =>
    candidates.filter((name) => meets(ctx, name, requirement)),
  );
  return { byRequirement, any: candidates.filter((name) => byRequirement.some((list) => list.includes(name))) };
}
