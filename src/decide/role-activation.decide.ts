/**
 * Role activation (SPEC §2.3, issue #9 item 3): an eligible role gives its duties only once a request for that
 * role, named explicitly, was approved under a policy that covers the role — the role's own `activation` block,
 * or by default one approval from an identity holding `approve` over everything the role covers. Never the auto
 * rule of an unrelated action: a request for a resource never switches a role on (see `checkRequestDuty`).
 *
 * Built in, never exempted: the requester (and, for a non-human requester, its owner) never approves or denies
 * its own activation; approvers are enabled humans who hold `approve` over the whole scope of the role; an
 * identity's approval counts once. Pure: the policy, duties and time come in as arguments.
 */
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import { buildRoleCelVariables } from '../policy/cel-variables.js';
import type { ApprovalStep, ApproverRef, Identity, PolicySet, Role, RoleActivationPolicy } from '../policy/model.js';
import { approvalProgress } from './approval.decide.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import {
  formatSubject,
  identityMatchesSubject,
  matchApprovalRule,
  MAX_JUSTIFICATION_LENGTH,
  MAX_TICKET_LENGTH,
} from './request.decide.js';

export type RoleActivationStatus = 'pending' | 'active' | 'expired' | 'revoked' | 'denied' | 'cancelled' | 'timed_out';

/** One counted approval of a role activation. */
export interface RoleActivationApproval {
  readonly approver: string;
  readonly step: number;
  readonly at: number;
}

/** What a requester asks for: one role, for a while. Durations are seconds. */
export interface RoleActivationInput {
  readonly requester: string;
  readonly role: string;
  readonly durationSeconds: number;
  readonly justification?: string;
  readonly ticket?: string;
}

/** A role activation as stored. */
export interface RoleActivationRecord extends RoleActivationInput {
  readonly id: string;
  readonly status: RoleActivationStatus;
  readonly matchedRule: string;
  readonly steps: readonly ApprovalStep[];
  readonly approvals: readonly RoleActivationApproval[];
  readonly createdAt: number;
  readonly pendingUntil?: number;
  readonly activatedAt?: number;
  readonly expiresAt?: number;
}

export interface RoleActivationContext {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** The rule name recorded when a role has no `approval` rules of its own. */
export const DEFAULT_ROLE_RULE = '(role default: one approver over the whole role)';

/** The built-in policy of a role without an `activation` block: fail closed, never `auto`. */
export const DEFAULT_ROLE_ACTIVATION: RoleActivationPolicy = {
  maxDurationSeconds: 3600,
  requireJustification: true,
  pendingTimeoutSeconds: 24 * 3600,
  approval: [],
};

/** The default step: one approval by anyone holding `approve` over the whole role (an empty `from`). */
const DEFAULT_STEPS: readonly ApprovalStep[] = [{ from: [], count: 1, independent: false }];

export type RoleActivationEvaluation =
  | { readonly outcome: 'invalid' | 'forbidden'; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'denied'; readonly rule: string; readonly message: string; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'auto_approved'; readonly rule: string; readonly reasons: readonly Reason[] }
  | {
      readonly outcome: 'pending';
      readonly rule: string;
      readonly steps: readonly ApprovalStep[];
      readonly pendingUntil: number;
      readonly reasons: readonly Reason[];
    };

export function roleActivationPolicy(role: Role): RoleActivationPolicy {
  return role.activation ?? DEFAULT_ROLE_ACTIVATION;
}

/**
 * Evaluates a request to activate `input.role`. Invariants: only an enabled identity with an eligible assignment
 * of the role that is not already active may ask; the content respects the role's activation policy; the role's
 * own rules decide (first match wins, no match or a condition that cannot be evaluated is a denial), and a role
 * without rules waits for one approval by an identity holding `approve` over everything it covers.
 */
export function evaluateRoleActivation(
  ctx: RoleActivationContext,
  input: RoleActivationInput,
): RoleActivationEvaluation {
  const requester = ctx.policy.identities.get(input.requester);
  if (requester === undefined)
    return refuse('forbidden', 'requester.unknown', `identity '${input.requester}' does not exist`);
  if (requester.disabled) return refuse('forbidden', 'requester.disabled', `identity '${requester.name}' is disabled`);
  const role = ctx.policy.roles.get(input.role);
  if (role === undefined) return refuse('invalid', 'role.unknown', `role '${input.role}' does not exist`);
  const eligibility = checkEligible(ctx.duties, requester.name, role);
  if (eligibility !== undefined) return eligibility;

  const policy = roleActivationPolicy(role);
  const problems = checkContent(role, policy, input);
  if (problems.length > 0) return { outcome: 'invalid', reasons: problems };

  const reasons: Reason[] = [reason('requester.eligible', `'${requester.name}' is eligible for role '${role.name}'`)];
  if (policy.approval.length === 0) {
    const message = `role '${role.name}' has no activation rules: one approval by an identity holding 'approve' over everything it covers`;
    reasons.push(reason('rule.role_default', message));
    return pending(DEFAULT_ROLE_RULE, DEFAULT_STEPS, ctx.now + policy.pendingTimeoutSeconds * 1000, reasons);
  }
  const match = matchApprovalRule(policy.approval, () =>
    buildRoleCelVariables({ ...input, requester, role, now: ctx.now }),
  );
  reasons.push(...match.reasons);
  if (match.kind === 'none') {
    return { outcome: 'denied', rule: '(none)', message: 'no activation rule matched', reasons };
  }
  if (match.kind === 'error') return { outcome: 'denied', rule: match.rule.name, message: match.message, reasons };
  const { rule } = match;
  switch (rule.outcome.type) {
    case 'deny':
      return { outcome: 'denied', rule: rule.name, message: rule.outcome.message, reasons };
    case 'auto':
      return { outcome: 'auto_approved', rule: rule.name, reasons };
    case 'steps':
      return pending(rule.name, rule.outcome.steps, ctx.now + policy.pendingTimeoutSeconds * 1000, reasons);
  }
}

function pending(
  rule: string,
  steps: readonly ApprovalStep[],
  pendingUntil: number,
  reasons: readonly Reason[],
): RoleActivationEvaluation {
  return { outcome: 'pending', rule, steps, pendingUntil, reasons };
}

function refuse(outcome: 'invalid' | 'forbidden', code: ReasonCode, message: string): RoleActivationEvaluation {
  return { outcome, reasons: [reason(code, message)] };
}

/** Undefined when `identity` holds an eligible, not yet active assignment of `role`; else the refusal. */
function checkEligible(duties: DutyIndex, identity: string, role: Role): RoleActivationEvaluation | undefined {
  const holdings = duties.holdingsOf(identity).filter((holding) => holding.role === role.name);
  const eligible = holdings.find((holding) => holding.assignment === 'eligible');
  if (eligible === undefined) {
    if (holdings.length > 0) {
      return refuse(
        'invalid',
        'role.standing',
        `'${identity}' holds role '${role.name}' standing; there is nothing to activate`,
      );
    }
    return refuse('forbidden', 'requester.not_eligible', `'${identity}' is not eligible for role '${role.name}'`);
  }
  if (duties.isActivated(eligible)) {
    return refuse('invalid', 'role.already_active', `role '${role.name}' is already active for '${identity}'`);
  }
  return undefined;
}

/** Duration, justification and ticket; every problem is reported. */
function checkContent(role: Role, policy: RoleActivationPolicy, input: RoleActivationInput): Reason[] {
  const problems: Reason[] = [];
  const duration = input.durationSeconds;
  if (!Number.isInteger(duration) || duration <= 0) {
    problems.push(reason('duration.invalid', 'duration must be a positive whole number of seconds'));
  } else if (duration > policy.maxDurationSeconds) {
    const max = formatDurationSeconds(policy.maxDurationSeconds);
    const message = `duration ${formatDurationSeconds(duration)} exceeds the ${max} maximum activation of role '${role.name}'`;
    problems.push(reason('duration.too_long', message));
  }
  const justification = input.justification ?? '';
  if (policy.requireJustification && justification.trim() === '') {
    problems.push(reason('justification.missing', `activating role '${role.name}' requires a justification`));
  } else if (justification.length > MAX_JUSTIFICATION_LENGTH) {
    problems.push(
      reason('justification.too_long', `justification is longer than ${MAX_JUSTIFICATION_LENGTH} characters`),
    );
  }
  const ticket = input.ticket ?? '';
  if (ticket.length > MAX_TICKET_LENGTH) {
    problems.push(reason('ticket.too_long', `ticket is longer than ${MAX_TICKET_LENGTH} characters`));
  } else if (policy.ticketPattern !== undefined && ticket.search(policy.ticketPattern) === -1) {
    const message =
      ticket.trim() === ''
        ? `activating role '${role.name}' requires a ticket matching ${policy.ticketPattern.source}`
        : `ticket '${ticket}' does not match ${policy.ticketPattern.source} required by role '${role.name}'`;
    problems.push(reason(ticket.trim() === '' ? 'ticket.missing' : 'ticket.mismatch', message));
  }
  return problems;
}

/**
 * Does `identity` hold `approve` over everything `role` covers, in force now? For a `*` role that takes an
 * `approve` holding scoped `*` (so that profiles added later are covered too); otherwise `approve` on every
 * profile of the policy the role's scope covers. A role that covers no profile has no approver.
 */
export function checkApprovesOverRole(
  ctx: Pick<RoleActivationContext, 'policy' | 'duties'>,
  identity: string,
  role: Role,
): { readonly covers: boolean; readonly reason: Reason } {
  const covers = (message: string) => ({ covers: true, reason: reason('approver.covers_role', message) });
  const not = (message: string) => ({ covers: false, reason: reason('approver.does_not_cover_role', message) });
  if (role.scope.kind === 'all') {
    const holding = ctx.duties.effectiveHoldings(identity).find((h) => h.duty === 'approve' && h.scope.kind === 'all');
    return holding !== undefined
      ? covers(`'${identity}' holds 'approve' on every profile through role '${holding.role}'`)
      : not(`'${identity}' does not hold 'approve' on every profile, which role '${role.name}' covers`);
  }
  const covered = [...ctx.policy.profiles.values()].filter((profile) => scopeCovers(role.scope, profile));
  if (covered.length === 0) return not(`role '${role.name}' covers no profile, so nobody approves its activation`);
  const missing = covered.filter((profile) => ctx.duties.holds(identity, 'approve', profile) === undefined);
  if (missing.length > 0) {
    const names = missing.map((profile) => `'${profile.name}'`).join(', ');
    return not(`'${identity}' does not hold 'approve' on profile ${names}, which role '${role.name}' covers`);
  }
  return covers(`'${identity}' holds 'approve' on every profile role '${role.name}' covers`);
}

/** Is `identity` the requester, or (for a non-human requester) its owner? They are one principal. */
function samePrincipal(policy: PolicySet, requesterName: string, identity: string): boolean {
  if (identity === requesterName) return true;
  return policy.identities.get(requesterName)?.owner === identity;
}

function matchesRef(ctx: Pick<RoleActivationContext, 'duties'>, identity: Identity, ref: ApproverRef): boolean {
  if (ref.type === 'role') return ctx.duties.holdsRole(identity.name, ref.name);
  if (ref.type === 'owners') return false;
  return identityMatchesSubject(identity, ref);
}

/**
 * May `approverName` decide (approve or deny) step `stepIndex` of `record`? Not the requester's principal; an
 * enabled human; holding `approve` over the whole role; among the step's `from` (any such approver when `from`
 * is empty); independent of the requester when the step says so. Returns the problems (empty when allowed).
 */
export function checkRoleApprover(
  ctx: Pick<RoleActivationContext, 'policy' | 'duties'>,
  record: RoleActivationRecord,
  approverName: string,
  stepIndex: number,
): { readonly problems: readonly Reason[]; readonly reasons: readonly Reason[] } {
  const problems: Reason[] = [];
  const reasons: Reason[] = [];
  const subject = `role activation '${record.id}'`;
  if (samePrincipal(ctx.policy, record.requester, approverName)) {
    const who = approverName === record.requester ? 'requested' : `owns '${record.requester}', which requested`;
    problems.push(reason('sod.own_request', `'${approverName}' ${who} ${subject} and may not decide it`));
  }
  const approver = ctx.policy.identities.get(approverName);
  const role = ctx.policy.roles.get(record.role);
  if (approver === undefined)
    return {
      problems: [...problems, reason('approver.unknown', `identity '${approverName}' does not exist`)],
      reasons,
    };
  if (role === undefined)
    return { problems: [...problems, reason('role.unknown', `role '${record.role}' does not exist`)], reasons };
  if (approver.disabled) problems.push(reason('approver.disabled', `identity '${approverName}' is disabled`));
  if (approver.kind !== 'human') {
    problems.push(reason('approver.not_human', `'${approverName}' is a ${approver.kind}; only humans approve`));
  }
  const covers = checkApprovesOverRole(ctx, approverName, role);
  (covers.covers ? reasons : problems).push(covers.reason);
  const step = record.steps[stepIndex];
  if (step === undefined) {
    problems.push(reason('step.unknown', `${subject} has no step ${stepIndex + 1}`));
    return { problems, reasons };
  }
  if (step.from.length > 0) {
    const via = step.from.find((ref) => matchesRef(ctx, approver, ref));
    if (via === undefined) {
      const from = step.from.map(formatSubject).join(', ');
      problems.push(
        reason(
          'approver.not_in_step',
          `'${approverName}' is not among the approvers of step ${stepIndex + 1} (${from})`,
        ),
      );
    } else {
      reasons.push(
        reason('approver.in_step', `'${approverName}' may approve step ${stepIndex + 1} as ${formatSubject(via)}`),
      );
    }
  }
  if (step.independent) {
    const requester = ctx.policy.identities.get(record.requester);
    const shared = approver.groups.filter((group) => requester?.groups.includes(group) ?? true);
    if (requester === undefined || shared.length > 0) {
      const message = `step ${stepIndex + 1} needs an approver independent of '${record.requester}', and '${approverName}' is not`;
      problems.push(reason('approver.not_independent', message));
    }
  }
  return { problems, reasons };
}

export type RoleApprovalDecision =
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] }
  | {
      readonly outcome: 'counted';
      readonly approval: RoleActivationApproval;
      /** `active` when this approval completes the last step. */
      readonly nextState: 'pending' | 'active';
      readonly reasons: readonly Reason[];
    };

/**
 * Decides whether `approverName` approving `record` counts. Invariants: only a pending activation whose requester
 * is still eligible is approved; the approval counts toward the current step only, once per identity; earlier
 * approvals count only while their approvers still hold `approve` over the role (re-checked now).
 */
export function decideRoleApproval(
  ctx: RoleActivationContext,
  record: RoleActivationRecord,
  approverName: string,
): RoleApprovalDecision {
  if (record.status !== 'pending') {
    return {
      outcome: 'refused',
      reasons: [
        reason('role_activation.not_pending', `role activation '${record.id}' is ${record.status}, not pending`),
      ],
    };
  }
  const role = ctx.policy.roles.get(record.role);
  const stillCounts = (approver: string) => role !== undefined && checkApprovesOverRole(ctx, approver, role).covers;
  const progress = approvalProgress(
    { steps: record.steps, approvals: record.approvals.map((a) => ({ ...a, digest: '' })) },
    (approval) => stillCounts(approval.approver),
  );
  const stepIndex = progress.currentStep ?? 0;
  const { problems, reasons } = checkRoleApprover(ctx, record, approverName, stepIndex);
  const all = [...problems];
  if (record.approvals.some((approval) => approval.approver === approverName)) {
    all.push(
      reason(
        'sod.duplicate_approval',
        `'${approverName}' already approved role activation '${record.id}'; an identity's approval counts once`,
      ),
    );
  }
  const requester = ctx.policy.identities.get(record.requester);
  if (
    role !== undefined &&
    (requester === undefined || requester.disabled || checkEligible(ctx.duties, record.requester, role) !== undefined)
  ) {
    all.push(
      reason('requester.not_eligible', `'${record.requester}' is no longer eligible to activate role '${record.role}'`),
    );
  }
  if (all.length > 0) return { outcome: 'refused', reasons: all };
  const counted = (progress.steps[stepIndex]?.approvers.length ?? 0) + 1;
  const required = record.steps[stepIndex]?.count ?? 1;
  const last = stepIndex === record.steps.length - 1;
  const nextState = counted >= required && last ? 'active' : 'pending';
  const total = record.steps.length;
  const message = `approval by '${approverName}' counts toward step ${stepIndex + 1} of ${total} (${counted} of ${required})`;
  return {
    outcome: 'counted',
    approval: { approver: approverName, step: stepIndex, at: ctx.now },
    nextState,
    reasons: [...reasons, reason('approval.counted', message)],
  };
}
