/**
 * What an approver sees before acting (SPEC §2.4, §2.6; the console's inbox and new-request pages): whether a
 * pending request belongs in an approver's inbox, whether their approval would count right now and why, and who
 * could approve each step of a request that is about to be made. Nothing here decides anew: each answer is
 * `checkApproverForStep`, `decideApproval` or `checkLifecycleActor`, the very decisions the approve verb makes,
 * so what the inbox promises is what approving does.
 */
import { kindOf, refusalOf, type Reason, type ReasonCode } from '../core/decision.js';
import { approvalProgress, checkApproverForStep, decideApproval, type ApprovalContext } from './approval.decide.js';
import { checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { RequestRecord } from './types.js';

/**
 * Problems that mean the approver is not one of the approvers of the step at all: not named in its `from`, not
 * holding `approve` on the profile in force, not a human who may act. Anything else (separation of duties,
 * independence from the requester, a changed digest) leaves the approver named, with an approval that would not
 * count, which the inbox shows with its reason.
 */
const NOT_AN_APPROVER: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'approver.unknown',
  'approver.disabled',
  'approver.not_human',
  'approver.no_approve_duty',
  'approver.not_in_step',
  'profile.unknown',
  'step.unknown',
]);

/**
 * Does `request` belong in `approver`'s inbox? Invariant: only a pending request whose current step names the
 * approver (in the step's `from`, holding `approve` on the profile in force, human and enabled): a request the
 * approver can never act on is left out, whatever else holds; one they are named on is in, even when their
 * approval would not count (`decideMyApproval` says why).
 */
export function isInInbox(
  ctx: Pick<ApprovalContext, 'policy' | 'duties'>,
  request: RequestRecord,
  approver: string,
): boolean {
  if (request.status !== 'pending') return false;
  const step = approvalProgress(request).currentStep;
  if (step === undefined) return false;
  const { problems } = checkApproverForStep(ctx, request, approver, step);
  return !problems.some((problem) => NOT_AN_APPROVER.has(problem.code));
}

export interface MyApproval {
  /** True exactly when `decideApproval` would count the approval now (so the approve verb would accept it). */
  readonly counts: boolean;
  /** The reason that decides: the step it counts toward, or the refusal the approve verb would answer with. */
  readonly reason: Reason;
}

/**
 * Would `approver`'s approval of `request` count now, and why? Invariant: `counts` is `decideApproval`'s outcome
 * for the same request, approver, policy and time (no digest sent); a refusal's deciding reason is the first of
 * the kind that picks the error the approve verb answers (`refusalOf`), so the inbox says what approving would.
 */
export function decideMyApproval(ctx: ApprovalContext, request: RequestRecord, approver: string): MyApproval {
  const decision = decideApproval(ctx, request, approver);
  if (decision.outcome === 'counted') {
    const step = decision.reasons.find((r) => r.code === 'step.counted' || r.code === 'step.satisfied');
    return { counts: true, reason: step ?? decision.reasons.at(-1) ?? fallback(request, approver) };
  }
  const { kind, reasons } = refusalOf(decision.reasons);
  return {
    counts: false,
    reason: reasons.find((r) => kindOf(r) === kind) ?? reasons[0] ?? fallback(request, approver),
  };
}

function fallback(request: RequestRecord, approver: string): Reason {
  return { code: 'approver.not_in_step', message: `'${approver}' cannot approve request '${request.id}'` };
}

/**
 * Who could approve step `stepIndex` of `request` (a request about to be made, with no approvals yet), among
 * `candidates`: those `checkApproverForStep` finds eligible and whom `checkLifecycleActor` lets act as approver
 * of it (never the requester or anyone one principal with them), in the order given. A person who approves an
 * earlier step still counts only once; this list is per step.
 */
export function eligibleApprovers(
  ctx: ApprovalContext,
  request: RequestRecord,
  stepIndex: number,
  candidates: Iterable<string>,
): string[] {
  const eligible: string[] = [];
  for (const name of candidates) {
    if (checkApproverForStep(ctx, request, name, stepIndex).problems.length > 0) continue;
    const sod = checkLifecycleActor({ ...ctx, request, actor: name, as: 'approver' });
    if (sod.allowed) eligible.push(name);
  }
  return eligible;
}
