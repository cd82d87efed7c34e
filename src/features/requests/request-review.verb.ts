/**
 * Deciding on a pending request (SPEC §2.4, §2.6, §2.8): `approveRequest`, `denyRequest`, and the requester's
 * `cancelRequest`. Each reads the request, asks the pure decision, and writes the new state with its audit event
 * in one transaction, naming the version it read; a verb that loses a race with another one re-reads and decides
 * again, so the outcome is always the one the final state justifies. Refusals go to the decision log.
 */
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { decideApproval, decideDenial } from '../../decide/approval.decide.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { activationDeadline } from '../../decide/request-activation.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import type { VerbCall } from '../../app/context.js';
import { loadRequestView, resolveTarget, retryOnVersionConflict } from './request-verb-support.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import type { RequestView } from './request.view.js';
import { getRequest, insertApproval, moveRequest } from './requests.repo.js';
import { inTransaction } from '../../app/transaction.js';

const requestId = z.string().min(1).max(100);
const reasonText = z.string().max(2000).optional();

export const approveRequestSchema = z.strictObject({
  id: requestId,
  /** The digest the approver saw (`RequestView.digest`); when given, the approval binds to exactly it. */
  digest: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a request digest is 64 lowercase hex characters')
    .optional(),
  comment: reasonText,
});
export type ApproveRequestInput = z.input<typeof approveRequestSchema>;

export const denyRequestSchema = z.strictObject({ id: requestId, reason: reasonText });
export type DenyRequestInput = z.input<typeof denyRequestSchema>;

export const cancelRequestSchema = z.strictObject({ id: requestId, reason: reasonText });
export type CancelRequestInput = z.input<typeof cancelRequestSchema>;

type Outcome = { readonly view: RequestView } | { readonly refused: readonly Reason[] };

async function finish(
  call: VerbCall<unknown>,
  id: string,
  verb: 'approve' | 'deny' | 'cancel',
  outcome: Outcome,
): Promise<RequestView> {
  if ('view' in outcome) return outcome.view;
  throw await refuse(call.app, {
    actor: call.actor,
    action: `request.${verb}_refused`,
    subject: `request:${id}`,
    refusal: refusalOf(outcome.refused),
    otherwise: `request '${id}' could not be ${verb}d`,
  });
}

/**
 * Approves a pending request as `actor`. Invariants: the approval counts only if `decideApproval` says so (the
 * requester never approves their own request; an identity counts once however many approver groups it is in;
 * a stale digest is refused); the approval row's primary key refuses a second approval by the same identity
 * even past every check; of approvals racing for the last slot exactly one makes the `approved` transition.
 */
export async function approveRequest(call: VerbCall<ApproveRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(approveRequestSchema, call.input);
  const outcome = await retryOnVersionConflict(async () => {
    const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<Outcome> => {
      const stored = await getRequest(trx, input.id);
      const snapshot = await app.policy.snapshot(trx, now);
      const decision = decideApproval({ ...snapshot, now }, stored.record, actor, input.digest);
      if (decision.outcome === 'refused') return { refused: decision.reasons };
      const event = decision.nextState === 'approved' ? 'approve_final' : 'approve_step';
      const moved = transition(stored.record.status, event);
      if (!moved.ok) return { refused: [moved.reason] };

      await insertApproval(trx, input.id, decision.approval);
      const final = moved.to === 'approved';
      const action = resolveTarget(snapshot.policy, stored.record)?.action;
      await moveRequest(
        trx,
        stored,
        event,
        final ? { approvedAt: now, expiresAt: activationDeadline(now, action) } : {},
        now,
      );
      const subject = `request:${input.id}`;
      audit({
        actor,
        action: 'request.approve',
        subject,
        details: {
          step: decision.step + 1,
          stepSatisfied: decision.stepSatisfied,
          final,
          status: moved.to,
          digest: decision.approval.digest,
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
          reasons: decision.reasons.map((r) => ({ ...r })),
        },
      });
      if (final) {
        notify('request.approved', {
          request: input.id,
          requester: stored.record.requester,
          resource: stored.record.resource,
          action: stored.record.action,
        });
      } else if (decision.stepSatisfied) {
        // The next step's approvers are asked now (chat notifiers send it to them; issue 13).
        notify('request.approval_needed', {
          request: input.id,
          requester: stored.record.requester,
          resource: stored.record.resource,
          action: stored.record.action,
          step: decision.step + 2,
          steps: stored.record.steps.length,
        });
      }
      return { view: await loadRequestView(trx, input.id) };
    });
    return value;
  });
  return finish(call, input.id, 'approve', outcome);
}

/**
 * Denies a pending request. Invariant: only someone who could approve one of its steps may deny it, never its
 * requester; the request ends `denied` with the denier recorded among its lifecycle's actors.
 */
export async function denyRequest(call: VerbCall<DenyRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(denyRequestSchema, call.input);
  const outcome = await retryOnVersionConflict(async () => {
    const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<Outcome> => {
      const stored = await getRequest(trx, input.id);
      const snapshot = await app.policy.snapshot(trx, now);
      const decision = decideDenial(snapshot, stored.record, actor);
      if (decision.outcome === 'refused') return { refused: decision.reasons };
      const moved = transition(stored.record.status, 'deny');
      if (!moved.ok) return { refused: [moved.reason] };
      const statusReason = input.reason ?? `denied by '${actor}'`;
      await moveRequest(
        trx,
        stored,
        'deny',
        {
          statusReason,
          expiresAt: null,
          otherActors: [...(stored.record.otherActors ?? []), { identity: actor, duty: 'approve' }],
        },
        now,
      );
      audit({
        actor,
        action: 'request.deny',
        subject: `request:${input.id}`,
        details: { reason: statusReason, reasons: decision.reasons.map((r) => ({ ...r })) },
      });
      notify('request.denied', {
        request: input.id,
        requester: stored.record.requester,
        resource: stored.record.resource,
        action: stored.record.action,
        reason: statusReason,
      });
      return { view: await loadRequestView(trx, input.id) };
    });
    return value;
  });
  return finish(call, input.id, 'deny', outcome);
}

/**
 * Withdraws a pending or approved request. Invariant: only its requester cancels it (`checkLifecycleActor` as
 * requester), and only from a state the lifecycle table allows (never once it is active: complete it instead).
 */
export async function cancelRequest(call: VerbCall<CancelRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(cancelRequestSchema, call.input);
  const outcome = await retryOnVersionConflict(async () => {
    const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<Outcome> => {
      const stored = await getRequest(trx, input.id);
      const snapshot = await app.policy.snapshot(trx, now);
      const sod = checkLifecycleActor({
        ...snapshot,
        request: stored.record,
        actor,
        as: 'requester',
        narrowing: true,
        now,
      });
      if (!sod.allowed) return { refused: sod.reasons };
      const moved = transition(stored.record.status, 'cancel');
      if (!moved.ok) return { refused: [moved.reason] };
      const statusReason = input.reason ?? `cancelled by '${actor}'`;
      await moveRequest(trx, stored, 'cancel', { statusReason, expiresAt: null }, now);
      audit({
        actor,
        action: 'request.cancel',
        subject: `request:${input.id}`,
        details: { from: stored.record.status, reason: statusReason },
      });
      notify('request.cancelled', { request: input.id, requester: stored.record.requester, reason: statusReason });
      return { view: await loadRequestView(trx, input.id) };
    });
    return value;
  });
  return finish(call, input.id, 'cancel', outcome);
}
