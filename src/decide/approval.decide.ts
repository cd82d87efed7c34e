/**
 * Approval and denial of pending requests (SPEC §2.4, §2.6): who may approve the current step of a request,
 * when an approval counts, and when the request is fully approved. Approvals count once per identity, never per
 * group; the requester never counts, nor does a non-human identity, nor an identity that already approved.
 * The dynamic SoD checks (built-in and configured `scope: request` rules) come from `sod-lifecycle.decide.ts`.
 */
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import type { ApproverRef, Identity, PolicySet, ResourceProfile, SodException } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { formatSubject, identityMatchesSubject } from './request.decide.js';
import { requestDigest } from './request-digest.js';
import { checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { ApprovalRecord, RequestRecord } from './types.js';

export interface ApprovalContext {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly exceptions: readonly SodException[];
  /** Epoch milliseconds. */
  readonly now: number;
}

export type ApprovalDecision =
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] }
  | {
      readonly outcome: 'counted';
      /** 0-based index of the step the approval counts toward. */
      readonly step: number;
      readonly stepSatisfied: boolean;
      readonly nextState: 'pending' | 'approved';
      /** The record to append to the request's approvals. */
      readonly approval: ApprovalRecord;
      readonly reasons: readonly Reason[];
    };

export type DenialDecision =
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'accepted'; readonly reasons: readonly Reason[] };

export interface StepProgress {
  readonly step: number;
  readonly required: number;
  /** Distinct identities counted toward this step, in approval order. */
  readonly approvers: readonly string[];
  readonly satisfied: boolean;
}

export interface ApprovalProgress {
  readonly steps: readonly StepProgress[];
  /** 0-based index of the first unsatisfied step; unset when every step is satisfied. */
  readonly currentStep?: number;
  readonly remainingInCurrentStep: number;
  readonly remainingTotal: number;
  readonly complete: boolean;
}

/**
 * Where a request stands: which step is current and how many approvals remain. Steps are sequential; an
 * identity counts at most once per request (its first approval), whatever step its later records name.
 * `counts` lets re-validation drop approvals that no longer hold.
 */
export function approvalProgress(
  request: Pick<RequestRecord, 'steps' | 'approvals'>,
  counts: (approval: ApprovalRecord) => boolean = () => true,
): ApprovalProgress {
  const seen = new Set<string>();
  const byStep: string[][] = request.steps.map(() => []);
  for (const approval of request.approvals) {
    const bucket = byStep[approval.step];
    if (bucket === undefined || seen.has(approval.approver) || !counts(approval)) continue;
    seen.add(approval.approver);
    bucket.push(approval.approver);
  }
  const steps = request.steps.map((step, index) => {
    const approvers = byStep[index] ?? [];
    return { step: index, required: step.count, approvers, satisfied: approvers.length >= step.count };
  });
  const current = steps.find((step) => !step.satisfied);
  const remainingTotal = steps.reduce((sum, step) => sum + Math.max(0, step.required - step.approvers.length), 0);
  return {
    steps,
    ...(current !== undefined ? { currentStep: current.step } : {}),
    remainingInCurrentStep: current === undefined ? 0 : current.required - current.approvers.length,
    remainingTotal,
    complete: current === undefined,
  };
}

/**
 * Whether `approverName` may approve step `stepIndex` of `request` under the current policy: a human, enabled,
 * holding `approve` on the profile in force (standing, or eligible and activated), in the step's `from`, and
 * independent of the requester when the step says so. Returns the failures (empty when eligible) and the reasons
 * it is eligible. That the requester never approves, and an identity approves once, is separation of duties
 * (`checkLifecycleActor`), said once there.
 */
export function checkApproverForStep(
  ctx: Pick<ApprovalContext, 'policy' | 'duties'>,
  request: RequestRecord,
  approverName: string,
  stepIndex: number,
): { readonly problems: readonly Reason[]; readonly reasons: readonly Reason[] } {
  const problems: Reason[] = [];
  const reasons: Reason[] = [];
  const stepLabel = `step ${stepIndex + 1}`;
  const approver = ctx.policy.identities.get(approverName);
  const profile = ctx.policy.profiles.get(request.profile);
  const step = request.steps[stepIndex];
  if (approver === undefined) {
    problems.push(reason('approver.unknown', `identity '${approverName}' does not exist`));
    return { problems, reasons };
  }
  if (approver.disabled) problems.push(reason('approver.disabled', `identity '${approverName}' is disabled`));
  if (approver.kind !== 'human') {
    problems.push(reason('approver.not_human', `'${approverName}' is a ${approver.kind}; only humans approve`));
  }
  if (profile === undefined) {
    problems.push(reason('profile.unknown', `profile '${request.profile}' does not exist`));
    return { problems, reasons };
  }
  if (step === undefined) {
    problems.push(reason('step.unknown', `request '${request.id}' has no ${stepLabel}`));
    return { problems, reasons };
  }

  const holding = ctx.duties.holds(approverName, 'approve', profile);
  if (holding !== undefined) {
    const message = `'${approverName}' holds 'approve' on profile '${profile.name}' through role '${holding.role}'`;
    reasons.push(reason('approver.holds_approve', message));
  } else {
    const eligible = ctx.duties.holds(approverName, 'approve', profile, { includeEligible: true });
    const message =
      eligible !== undefined
        ? `'${approverName}' is only eligible for role '${eligible.role}' and has not activated it, so does not hold 'approve' on profile '${profile.name}'`
        : `'${approverName}' does not hold 'approve' on profile '${profile.name}'`;
    problems.push(reason('approver.no_approve_duty', message));
  }

  const via = step.from.find((ref) => matchesApproverRef(ctx, approver, ref, profile, request.resource));
  if (via !== undefined) {
    reasons.push(reason('approver.in_step', `'${approverName}' may approve ${stepLabel} as ${formatSubject(via)}`));
  } else {
    const from = step.from.map(formatSubject).join(', ');
    problems.push(
      reason('approver.not_in_step', `'${approverName}' is not among the approvers of ${stepLabel} (${from})`),
    );
  }

  if (step.independent) {
    const requester = ctx.policy.identities.get(request.requester);
    if (requester === undefined) {
      const message = `requester '${request.requester}' no longer exists, so independence cannot be established`;
      problems.push(reason('approver.independence_unknown', message));
    } else {
      const shared = approver.groups.filter((group) => requester.groups.includes(group));
      if (shared.length > 0) {
        const groups = shared.map((group) => `'${group}'`).join(', ');
        const message = `${stepLabel} needs an independent approver, but '${approverName}' shares group ${groups} with requester '${requester.name}'`;
        problems.push(reason('approver.not_independent', message));
      } else {
        reasons.push(
          reason('approver.independent', `'${approverName}' shares no group with requester '${requester.name}'`),
        );
      }
    }
  }
  return { problems, reasons };
}

/** Is the identity one of the approvers a step reference names? `owners` includes the resource's owner. */
function matchesApproverRef(
  ctx: Pick<ApprovalContext, 'policy' | 'duties'>,
  identity: Identity,
  ref: ApproverRef,
  profile: ResourceProfile,
  resourceName: string,
): boolean {
  switch (ref.type) {
    case 'group':
    case 'identity':
      return identityMatchesSubject(identity, ref);
    case 'role':
      return ctx.duties.holdsRole(identity.name, ref.name);
    case 'owners': {
      const resourceOwner = ctx.policy.resources.get(resourceName)?.owner;
      const owners = resourceOwner === undefined ? profile.owners : [...profile.owners, resourceOwner];
      return owners.some((owner) => identityMatchesSubject(identity, owner));
    }
  }
}

/**
 * Decides whether `approverName` approving `request` counts. Invariants: only a pending request is approved; the
 * approval counts toward the current step only; the requester, non-humans, disabled identities, identities
 * without `approve` in force, and identities that already approved any step never count; the approval binds to
 * the request digest (recomputed from the stored content, and equal to `seenDigest` when the approver sent one);
 * the dynamic SoD rules allow the approver. Separation of duties (the requester, a second approval by the same
 * identity) is said first: it refuses whatever else holds.
 */
export function decideApproval(
  ctx: ApprovalContext,
  request: RequestRecord,
  approverName: string,
  seenDigest?: string,
): ApprovalDecision {
  if (request.status !== 'pending') {
    return refused('request.not_pending', `request '${request.id}' is ${request.status}, not pending`);
  }
  const progress = approvalProgress(request);
  const stepIndex = progress.currentStep;
  if (stepIndex === undefined) {
    return refused('request.no_open_step', `request '${request.id}' has no approval step left to approve`);
  }

  const sod = checkLifecycleActor({
    request,
    actor: approverName,
    as: 'approver',
    policy: ctx.policy,
    duties: ctx.duties,
    exceptions: ctx.exceptions,
    now: ctx.now,
  });
  const eligibility = checkApproverForStep(ctx, request, approverName, stepIndex);
  const problems: Reason[] = [...(sod.allowed ? [] : sod.reasons), ...eligibility.problems];
  const digest = requestDigest(request);
  if (digest !== request.digest) {
    problems.push(
      reason('digest.content_changed', `request '${request.id}' no longer matches the digest it was created with`),
    );
  } else if (seenDigest !== undefined && seenDigest !== digest) {
    problems.push(reason('digest.mismatch', `the approval is for different content than request '${request.id}'`));
  }
  if (problems.length > 0) return { outcome: 'refused', reasons: problems };

  const stepState = progress.steps[stepIndex];
  const required = stepState?.required ?? 0;
  const counted = (stepState?.approvers.length ?? 0) + 1;
  const stepSatisfied = counted >= required;
  const nextState = stepSatisfied && stepIndex === request.steps.length - 1 ? 'approved' : 'pending';
  const reasons = [...eligibility.reasons, ...sod.reasons];
  const total = request.steps.length;
  reasons.push(
    reason(
      stepSatisfied ? 'step.satisfied' : 'step.counted',
      `approval by '${approverName}' counts toward step ${stepIndex + 1} of ${total}: ${counted} of ${required}`,
    ),
  );
  if (nextState === 'approved') reasons.push(reason('request.approved', `request '${request.id}' is fully approved`));
  return {
    outcome: 'counted',
    step: stepIndex,
    stepSatisfied,
    nextState,
    approval: { approver: approverName, step: stepIndex, at: ctx.now, digest },
    reasons,
  };
}

/**
 * Decides whether `denierName` may deny `request`. The same people who could approve some step of it (in the
 * step's `from`, independent when the step says so, holding `approve`, human, enabled) may deny it, whichever
 * step is current; the requester may not (they cancel instead). A denial can only take access away, so the
 * configured SoD rules, which guard against concentrated privilege, do not apply to it.
 */
export function decideDenial(
  ctx: Pick<ApprovalContext, 'policy' | 'duties'>,
  request: RequestRecord,
  denierName: string,
): DenialDecision {
  if (request.status !== 'pending') {
    return refused('request.not_pending', `request '${request.id}' is ${request.status}, not pending`);
  }
  if (denierName === request.requester) {
    return refused('denier.is_requester', `'${denierName}' requested '${request.id}'; cancel it instead of denying it`);
  }
  let firstProblems: readonly Reason[] = [];
  for (let index = 0; index < request.steps.length; index++) {
    const eligibility = checkApproverForStep(ctx, request, denierName, index);
    if (eligibility.problems.length === 0) {
      const message = `'${denierName}' may deny request '${request.id}' as an approver of step ${index + 1}`;
      return { outcome: 'accepted', reasons: [...eligibility.reasons, reason('denial.accepted', message)] };
    }
    if (index === 0) firstProblems = eligibility.problems;
  }
  const message = `'${denierName}' is not an approver of any step of request '${request.id}'`;
  return { outcome: 'refused', reasons: [reason('denier.not_an_approver', message), ...firstProblems] };
}

function refused(
  code: ReasonCode,
  message: string,
): { readonly outcome: 'refused'; readonly reasons: readonly Reason[] } {
  return { outcome: 'refused', reasons: [reason(code, message)] };
}
