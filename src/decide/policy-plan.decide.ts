/**
 * What a proposed policy would change (SPEC §3, `policy plan`), computed without writing anything: the profiles
 * it touches — exactly the `touched` a submitted change set records — with their versions before and after,
 * the other kinds (identities, groups, roles, SoD rules, resources, notifiers) added, changed or removed, and
 * who would have to approve it under `decidePolicyChangeApproval`, the rule the approval itself applies.
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { Reason } from '../core/decision.js';
import type { PolicySet } from '../policy/model.js';
import {
  decidePolicyChangeApproval,
  decidePolicyChangeSubmission,
  governing,
  type PolicyChangeContext,
  type TouchedProfiles,
} from './policy-change.decide.js';
import { formatSubject } from './request.decide.js';

/** The kinds besides profiles, in the order a plan lists them. */
export const PLAN_KINDS = ['identities', 'groups', 'roles', 'sodRules', 'resources', 'notifiers'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export interface NameChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** A touched profile with its version in force (`from`) and proposed (`to`); null where it does not exist. */
export interface ProfileVersionChange {
  readonly name: string;
  readonly change: 'added' | 'changed' | 'removed';
  readonly from: string | null;
  readonly to: string | null;
  /** The governing definition's `governance.approvers` (the one in force, for a profile that exists). */
  readonly approvers: readonly string[];
}

export interface PolicyPlan {
  readonly touched: TouchedProfiles;
  readonly profiles: readonly ProfileVersionChange[];
  readonly kinds: Readonly<Record<PlanKind, NameChanges>>;
  /** Nothing at all would change: applying it would only record the same policy again. */
  readonly unchanged: boolean;
  /**
   * `governance`: one approval from a governance approver of every touched profile; `administrators`: the change
   * touches no profile, so an administrator of every profile must approve it. Never the author either way.
   */
  readonly approval: 'governance' | 'administrators';
  /** Identities who could approve it now, the author excluded. */
  readonly eligibleApprovers: readonly string[];
  /** Whether the author may submit it (`decidePolicyChangeSubmission`). */
  readonly submit: { readonly allowed: boolean; readonly reasons: readonly Reason[] };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Names added, changed (a different canonical form) or removed between two keyed collections. */
function diffByName(current: ReadonlyMap<string, unknown>, proposed: ReadonlyMap<string, unknown>): NameChanges {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, value] of proposed) {
    const before = current.get(name);
    if (before === undefined) added.push(name);
    else if (canonicalJson(before) !== canonicalJson(value)) changed.push(name);
  }
  const removed = [...current.keys()].filter((name) => !proposed.has(name));
  return { added: added.sort(byName), changed: changed.sort(byName), removed: removed.sort(byName) };
}

/** A role together with its policy subjects: YAML writes both in one document, so a plan compares them together. */
function rolesWithSubjects(policy: PolicySet): Map<string, unknown> {
  const roles = new Map<string, unknown>();
  for (const [name, role] of policy.roles) {
    const subjects = policy.assignments
      .filter((a) => a.role === name && a.source === 'policy')
      .map((a) => ({ subject: formatSubject(a.subject), assignment: a.assignment, expiresAt: a.expiresAt }))
      .sort((a, b) => byName(a.subject, b.subject));
    roles.set(name, { role, subjects });
  }
  return roles;
}

function kindDiffs(inForce: PolicySet, proposed: PolicySet): Record<PlanKind, NameChanges> {
  return {
    identities: diffByName(inForce.identities, proposed.identities),
    groups: diffByName(inForce.groups, proposed.groups),
    roles: diffByName(rolesWithSubjects(inForce), rolesWithSubjects(proposed)),
    sodRules: diffByName(
      new Map(inForce.sodRules.map((rule) => [rule.name, rule])),
      new Map(proposed.sodRules.map((rule) => [rule.name, rule])),
    ),
    resources: diffByName(inForce.resources, proposed.resources),
    notifiers: diffByName(inForce.notifiers, proposed.notifiers),
  };
}

/**
 * The plan of a proposed policy. `ctx` is the context a submission of the same documents would decide on
 * (its `touched` computed by `touchedProfiles` over the policy in force); `inForce` is the loaded policy
 * without database overlays, so that an identity disabled through the API does not show up as changed (a
 * policy load never re-enables it). Invariant: the profiles listed are exactly `ctx.touched.all`.
 */
export function planPolicyChange(ctx: PolicyChangeContext, inForce: PolicySet, author: string): PolicyPlan {
  const current = ctx.duties.policy;
  const change = (name: string): ProfileVersionChange['change'] =>
    ctx.touched.added.includes(name) ? 'added' : ctx.touched.removed.includes(name) ? 'removed' : 'changed';
  const profiles = ctx.touched.all.map((name) => ({
    name,
    change: change(name),
    from: current.profiles.get(name)?.version ?? null,
    to: ctx.proposed.profiles.get(name)?.version ?? null,
    approvers: (governing(current, ctx.proposed, name)?.governance.approvers ?? []).map(formatSubject),
  }));
  const kinds = kindDiffs(inForce, ctx.proposed);
  const unchanged =
    profiles.length === 0 &&
    PLAN_KINDS.every((kind) => Object.values(kinds[kind]).every((names: readonly string[]) => names.length === 0));
  const eligibleApprovers = [...current.identities.keys()]
    .filter((name) => decidePolicyChangeApproval(ctx, author, name).allowed)
    .sort(byName);
  const submit = decidePolicyChangeSubmission(ctx, author);
  return {
    touched: ctx.touched,
    profiles,
    kinds,
    unchanged,
    approval: ctx.touched.all.length === 0 ? 'administrators' : 'governance',
    eligibleApprovers,
    submit: { allowed: submit.allowed, reasons: submit.reasons },
  };
}
