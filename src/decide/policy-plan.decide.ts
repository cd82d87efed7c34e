/**
 * What a proposed policy would change (SPEC §3, `policy plan`), computed without writing anything: the profiles
 * it touches — exactly the `touched` a submitted change set records — with their versions before and after,
 * the other kinds (identities, groups, roles, SoD rules, resources, notifiers, context sources) added, changed or removed, and
 * who would have to approve it under `decidePolicyChangeApproval`, the rule the approval itself applies.
 */
import type { Reason } from '../core/decision.js';
import type { PolicySet } from '../policy/model.js';
import {
  decidePolicyChangeSubmission,
  eligibleApprovers,
  governing,
  type ChangeRequirement,
  type PolicyChangeContext,
  type TouchedProfiles,
} from './policy-change.decide.js';
import { kindDiffs, PLAN_KINDS, type NameChanges, type PlanKind } from './policy-diff.decide.js';
import { formatSubject } from './request.decide.js';

export { PLAN_KINDS, type NameChanges, type PlanKind } from './policy-diff.decide.js';

/** A touched profile with its version in force (`from`) and proposed (`to`); null where it does not exist. */
export interface ProfileVersionChange {
  readonly name: string;
  /** `resources`: the profile itself is unchanged, but a resource bound to it is added, moved, changed or removed. */
  readonly change: 'added' | 'changed' | 'removed' | 'resources';
  readonly from: string | null;
  readonly to: string | null;
  /** The governing definition's `governance.approvers` (the one in force, for a profile that exists). */
  readonly approvers: readonly string[];
}

/** One approval the change needs and who could give it now (the author excluded). */
export interface PlanRequirement {
  readonly kind: ChangeRequirement['kind'];
  readonly profile: string | null;
  readonly description: string;
  readonly eligible: readonly string[];
}

export interface PolicyPlan {
  readonly touched: TouchedProfiles;
  readonly profiles: readonly ProfileVersionChange[];
  readonly kinds: Readonly<Record<PlanKind, NameChanges>>;
  /** Nothing at all would change: applying it would only record the same policy again. */
  readonly unchanged: boolean;
  /** Every approval the change needs (`changeRequirements`), each by someone other than the author. */
  readonly requirements: readonly PlanRequirement[];
  /** Identities who could approve it now (meet at least one requirement), the author excluded. */
  readonly eligibleApprovers: readonly string[];
  /** Whether the author may submit it (`decidePolicyChangeSubmission`). */
  readonly submit: { readonly allowed: boolean; readonly reasons: readonly Reason[] };
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
    ctx.touched.added.includes(name)
      ? 'added'
      : ctx.touched.removed.includes(name)
        ? 'removed'
        : ctx.touched.changed.includes(name)
          ? 'changed'
          : 'resources';
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
  const eligible = eligibleApprovers(ctx, author);
  const requirements = ctx.requirements.map((requirement, index) => ({
    kind: requirement.kind,
    profile: requirement.profile ?? null,
    description: requirement.description,
    eligible: eligible.byRequirement[index] ?? [],
  }));
  const submit = decidePolicyChangeSubmission(ctx, author);
  return {
    touched: ctx.touched,
    profiles,
    kinds,
    unchanged,
    requirements,
    eligibleApprovers: eligible.any,
    submit: { allowed: submit.allowed, reasons: submit.reasons },
  };
}
