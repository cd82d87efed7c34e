/**
 * `breakGlass` (SPEC §2.8, §2.9): an on-call engineer gets access at once, within the profile's break-glass
 * limits, with no approvals. It is loud: the request is stored `active` and flagged for review by a deadline
 * (`review_by`), and an urgent `break_glass.used` notification goes into the outbox in the same transaction.
 * Provisioning works as in activation: evaluate in one transaction, grant on the provider outside it, record the
 * request and its grant in a second one, and revoke again if that fails.
 */
import type { Reason } from '../core/decision.js';
import { initialStatus } from '../decide/lifecycle.decide.js';
import { checkLifecycleActor } from '../decide/sod-lifecycle.decide.js';
import type { RequestRecord } from '../decide/types.js';
import { SYSTEM_EXECUTOR } from '../policy/model.js';
import { newId } from './clock.js';
import type { VerbCall } from './context.js';
import {
  breakGlassSchema,
  evaluateInTransaction,
  isRefusal,
  toRequestInput,
  type BreakGlassInput,
} from './request-create.verb.js';
import { grantOnProvider, recordOrCompensate, writeGrant, type ProvisionPlan } from './request-provision.js';
import {
  firstMessage,
  loadRequestView,
  parseInput,
  recordRefusal,
  refusalCode,
  resolveTarget,
  wrongActionKind,
} from './request-verb-support.js';
import type { ActivationResult } from './request-activate.verb.js';
import { insertRequest } from './requests.repo.js';
import { inTransaction } from './transaction.js';

export const BREAK_GLASS_RULE = 'break-glass';

type Evaluated =
  | { readonly refused: readonly Reason[]; readonly code: 'invalid' | 'forbidden' }
  | { readonly plan: ProvisionPlan; readonly reviewBy: number; readonly reasons: readonly Reason[] };

/**
 * Break-glass access for `actor`. Invariants: only a human the profile's `breakGlass` lists, for an action it
 * covers, within its maximum duration, with a justification; the request goes straight to `active` with
 * `system:executor` as provisioner, a review deadline and an urgent notification; the credential is returned once.
 */
export async function breakGlass(call: VerbCall<BreakGlassInput>): Promise<ActivationResult> {
  const { app, actor } = call;
  const request = toRequestInput(actor, parseInput(breakGlassSchema, call.input), true);
  const id = newId('req');
  const { value: evaluated } = await inTransaction(app, async (scope): Promise<Evaluated> => {
    const { evaluation, snapshot } = await evaluateInTransaction(scope, app, request);
    if (isRefusal(evaluation)) return { refused: evaluation.reasons, code: evaluation.outcome };
    if (evaluation.outcome !== 'break_glass') {
      return {
        refused: [{ code: 'break_glass.not_applied', message: 'the request was not evaluated as break-glass' }],
        code: 'invalid',
      };
    }
    const record: RequestRecord = {
      ...request,
      id,
      profile: evaluation.profile,
      profileVersion: evaluation.profileVersion,
      digest: evaluation.digest,
      status: initialStatus('break_glass'),
      createdAt: scope.now,
      matchedRule: BREAK_GLASS_RULE,
      steps: [],
      approvals: [],
      provisioner: SYSTEM_EXECUTOR,
    };
    const target = resolveTarget(snapshot.policy, record);
    if (target === undefined)
      return {
        refused: [{ code: 'request.unresolvable', message: 'the request no longer resolves' }],
        code: 'invalid',
      };
    const wrongKind = wrongActionKind(target, id, 'activate');
    if (wrongKind !== undefined) return { refused: [wrongKind], code: 'invalid' };
    const executor = checkLifecycleActor({
      ...snapshot,
      request: record,
      actor: SYSTEM_EXECUTOR,
      as: 'provisioner',
      now: scope.now,
    });
    if (!executor.allowed) return { refused: executor.reasons, code: 'forbidden' };
    return {
      plan: { record, target, expiresAt: evaluation.expiresAt },
      reviewBy: evaluation.reviewBy,
      reasons: evaluation.reasons,
    };
  });
  if ('refused' in evaluated) {
    throw await recordRefusal(app, {
      actor,
      action: 'request.break_glass_refused',
      subject: `resource:${request.resource}`,
      code: refusalCode(evaluated.refused, evaluated.code),
      message: firstMessage(evaluated.refused, 'break-glass was refused'),
      reasons: evaluated.refused,
      details: { resource: request.resource, action: request.action },
    });
  }

  const { plan, reviewBy } = evaluated;
  const granted = await grantOnProvider(app, actor, plan);
  const view = await recordOrCompensate(app, plan, granted, async () => {
    const { value } = await inTransaction(app, async (scope) => {
      const { trx, now, audit, notify } = scope;
      const expiresAt = Math.min(plan.expiresAt, granted.expiresAt);
      await insertRequest(trx, { ...plan.record, activatedAt: now, firstActivatedAt: now, expiresAt }, { reviewBy });
      const grantId = await writeGrant(scope, plan, granted);
      const summary = {
        request: id,
        grantId,
        requester: actor,
        resource: plan.record.resource,
        action: plan.record.action,
        justification: plan.record.justification ?? '',
        expiresAt,
        reviewBy,
      };
      audit({
        actor,
        action: 'request.break_glass',
        subject: `request:${id}`,
        details: {
          ...summary,
          durationSeconds: plan.record.durationSeconds,
          profile: plan.record.profile,
          profileVersion: plan.record.profileVersion,
          digest: plan.record.digest,
          reasons: evaluated.reasons.map((r) => ({ ...r })),
        },
      });
      notify('break_glass.used', summary, { urgent: true });
      return loadRequestView(trx, id);
    });
    return value;
  });
  return { request: view, ...(granted.credential !== undefined ? { credential: granted.credential } : {}) };
}
