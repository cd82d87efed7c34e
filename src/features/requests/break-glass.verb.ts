/**
 * `breakGlass` (SPEC §2.8, §2.9): an on-call engineer gets access at once, within the profile's break-glass
 * limits, with no approvals. It is loud: the request is stored `active` and flagged for review by a deadline
 * (`review_by`), and an urgent `break_glass.used` notification goes into the outbox in the same transaction.
 * Provisioning works as in activation (grant-intents.ts): the first transaction evaluates and, before any provider
 * call, stores the request `active`, its audit event, the notification and the grant intent (`provisioning`,
 * audited); the provider grants outside any transaction with the intent's id as idempotency key; a second
 * transaction completes the intent. If the provider fails, the intent is released and the request ends `revoked`;
 * if the second transaction fails, the grant is revoked again; if the process dies in between, the scheduler
 * compensates the intent and ends the request. The `provisioning` grant never allows access.
 */
import { reason, refusalAs, refusalOf, type Refusal } from '../../core/decision.js';
import { initialStatus } from '../../decide/lifecycle.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import { newId } from '../../core/clock.js';
import type { VerbCall } from '../../app/context.js';
import { gatherRequestContext } from './request-context.js';
import {
  breakGlassSchema,
  contextDetails,
  evaluateInTransaction,
  isRefusal,
  toRequestInput,
  type BreakGlassInput,
} from './request-create.verb.js';
import {
  completeGrantIntent,
  gatewayKeysFor,
  keepGatewayCredential,
  recordGrantIntent,
  releaseGrantIntent,
} from '../grants/index.js';
import { activationAnswer, grantOnProvider, recordOrCompensate, type ProvisionPlan } from './request-provision.js';
import { loadRequestView, resolveTarget, wrongActionKind } from './request-verb-support.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import type { ActivationResult } from './request-activate.verb.js';
import { getRequest, insertRequest, updateRequest, versionConflict } from './requests.repo.js';
import { inTransaction } from '../../app/transaction.js';

export const BREAK_GLASS_RULE = 'break-glass';

type Evaluated = { readonly refused: Refusal } | { readonly plan: ProvisionPlan; readonly grantId: string };

/**
 * Break-glass access for `actor`. Invariants: only a human the profile's `breakGlass` lists, for an action it
 * covers, within its maximum duration, with a justification; the request goes straight to `active` with
 * `system:executor` as provisioner, a review deadline and an urgent notification; the credential is returned once.
 */
export async function breakGlass(call: VerbCall<BreakGlassInput>): Promise<ActivationResult> {
  const { app, actor } = call;
  const request = toRequestInput(actor, parseInput(breakGlassSchema, call.input), true);
  const id = newId('req');
  // A `breakGlass.when` reading context sources is answered before the transaction (fail closed if unknown).
  const context = await gatherRequestContext(app, request);
  const { value: evaluated } = await inTransaction(app, async (scope): Promise<Evaluated> => {
    const { evaluation, snapshot } = await evaluateInTransaction(scope, app, request, context);
    if (isRefusal(evaluation)) return { refused: refusalAs(evaluation.outcome, evaluation.reasons) };
    if (evaluation.outcome !== 'break_glass') {
      return {
        refused: refusalOf([reason('break_glass.not_applied', 'the request was not evaluated as break-glass')]),
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
    if (target === undefined) {
      return { refused: refusalOf([reason('request.unresolvable', 'the request no longer resolves')]) };
    }
    const wrongKind = wrongActionKind(target, id, 'activate');
    if (wrongKind !== undefined) return { refused: refusalOf([wrongKind]) };
    const executor = checkLifecycleActor({
      ...snapshot,
      request: record,
      actor: SYSTEM_EXECUTOR,
      as: 'provisioner',
      now: scope.now,
    });
    if (!executor.allowed) return { refused: refusalOf(executor.reasons) };
    // Before any provider call: the request (`active`, flagged for review), its audit event and urgent
    // notification, and the grant intent — so a broken audit log stops here and a crash later is compensated.
    const { trx, now, audit, notify } = scope;
    const expiresAt = evaluation.expiresAt;
    const plan: ProvisionPlan = { record, target, expiresAt };
    gatewayKeysFor(app, target.action);
    const reviewBy = evaluation.reviewBy;
    await insertRequest(trx, { ...record, activatedAt: now, firstActivatedAt: now, expiresAt }, { reviewBy });
    const grantId = await recordGrantIntent(app, scope, plan);
    const summary = {
      request: id,
      grantId,
      requester: actor,
      resource: record.resource,
      action: record.action,
      justification: record.justification ?? '',
      expiresAt,
      reviewBy,
    };
    audit({
      actor,
      action: 'request.break_glass',
      subject: `request:${id}`,
      details: {
        ...summary,
        durationSeconds: record.durationSeconds,
        profile: record.profile,
        profileVersion: record.profileVersion,
        digest: record.digest,
        reasons: evaluation.reasons.map((r) => ({ ...r })),
        ...contextDetails(app, context),
      },
    });
    notify('break_glass.used', summary, { urgent: true });
    return { plan, grantId };
  });
  if ('refused' in evaluated) {
    throw await refuse(app, {
      actor,
      action: 'request.break_glass_refused',
      subject: `resource:${request.resource}`,
      refusal: evaluated.refused,
      otherwise: 'break-glass was refused',
      details: { resource: request.resource, action: request.action, ...contextDetails(app, context) },
    });
  }

  const { plan, grantId } = evaluated;
  const release = (why: 'provider_failed' | 'not_recorded') =>
    releaseGrantIntent(app, grantId, id, why).catch(() => undefined);
  const granted = await grantOnProvider(app, actor, plan, grantId).catch(async (error: unknown) => {
    await release('provider_failed');
    throw error;
  });
  const recorded = await recordOrCompensate(
    app,
    plan,
    granted,
    async () => {
      const { value } = await inTransaction(app, async (scope) => {
        const { trx, now } = scope;
        const current = await getRequest(trx, id);
        if (current.record.status !== 'active') throw versionConflict(id);
        await completeGrantIntent(scope, grantId, plan, granted);
        const gateway = await keepGatewayCredential(app, scope, grantId, plan, granted);
        const expiresAt = Math.min(plan.expiresAt, granted.expiresAt);
        if (expiresAt !== plan.expiresAt) await updateRequest(trx, id, current.version, { expiresAt }, now);
        return { view: await loadRequestView(trx, id), gateway };
      });
      return value;
    },
    () => release('not_recorded'),
  );
  return activationAnswer(recorded.view, granted, recorded.gateway);
}
