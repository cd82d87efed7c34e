/**
 * Extending an active grant (SPEC §2.8 "Extension"): only through a new approval under the same policy, and never
 * past the action's `maxDuration` counted from the first activation.
 *
 * `extendRequest` stores an extension request — same requester, resource, action and parameters, the new
 * duration counted from now — evaluated by the action's approval rules like any request (same steps, same
 * separation of duties), naming the request it extends. An extension the policy approves at once is applied at
 * once; otherwise the requester applies it after approval by activating it (`POST /v1/requests/{id}/activate`).
 *
 * `applyExtension` re-decides under the policy in force (`decideExtension`), lengthens the grant on the provider
 * (outside any transaction), then records the new expiry on the grant and the request, and the extension request
 * `completed`. Should that record fail, the provider's expiry is later than the recorded one; the scheduler still
 * ends the grant at the recorded expiry, so the failure shortens access and never lengthens it unseen.
 */
import { contextRecord } from '../../decide/context.decide.js';
import { gatherStoredRequestContext } from './request-context.js';
import { z } from 'zod';
import type { JsonObject } from '../../audit/audit-event.js';
import { refusalAs, refusalOf, type Reason, type Refusal } from '../../core/decision.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { checkExtensionRequest } from '../../decide/extension.decide.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { MAX_JUSTIFICATION_LENGTH, MAX_TICKET_LENGTH } from '../../decide/request.decide.js';
import { decideExtension } from '../../decide/revalidate.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import type { RequestInput, RequestStatus } from '../../decide/types.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import { durationSchema } from '../../policy/schema-primitives.js';
import { fromJsonText } from '../../store/columns.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { evaluateInTransaction, isRefusal, newRecord, recordCreation } from './request-create.verb.js';
import { loadRequestView, resolveTarget, type RequestTarget } from './request-verb-support.js';
import { describeFailure, parseInput, providerFailed, providerFor } from '../../app/verb-support.js';
import type { ExtensionView } from './request.view.js';
import { recordFailure, refuse } from '../../app/refuse.js';
import { getRequest, insertRequest, moveRequest, versionConflict } from './requests.repo.js';
import { extendGrant } from '../grants/index.js';
import { getResourceState } from '../resources/index.js';
import { inTransaction } from '../../app/transaction.js';

export const extendRequestSchema = z.strictObject({
  /** The active request whose grant is to be extended. */
  id: z.string().min(1).max(100),
  /** How long the grant should last from now, e.g. `30m`. */
  duration: durationSchema,
  justification: z.string().max(MAX_JUSTIFICATION_LENGTH).optional(),
  ticket: z.string().max(MAX_TICKET_LENGTH).optional(),
});
export type ExtendRequestInput = z.input<typeof extendRequestSchema>;

/** The extension request (approved and `completed` once applied), and the request whose grant it extends. */
export type ExtensionResult = ExtensionView;

/**
 * Asks to extend the grant of request `id`. Invariants: only its requester asks; the extension is a request of its
 * own under the same action's approval rules and the same separation of duties; it is refused before any approval
 * when it could never apply (no active grant, an `execute` action, a provider that cannot extend, past
 * `maxDuration` from the first activation); it is applied at once only when the policy itself approves it.
 */
export async function extendRequest(call: VerbCall<ExtendRequestInput>): Promise<ExtensionResult> {
  const { app, actor } = call;
  const input = parseInput(extendRequestSchema, call.input);
  const durationSeconds = parseDurationSeconds(input.duration);
  if (durationSeconds === undefined) {
    throw new AppError('invalid', `'${input.duration}' is not a duration such as '30m' or '8h'`, {
      duration: input.duration,
    });
  }
  const extensionId = newId('req');
  type Stored = { readonly refused: Refusal } | { readonly status: RequestStatus };
  const context = await gatherStoredRequestContext(app, input.id, { requester: actor, ticket: input.ticket });
  const { value } = await inTransaction(app, async (scope): Promise<Stored> => {
    const { trx, now } = scope;
    const active = (await getRequest(trx, input.id)).record;
    const request: RequestInput = {
      requester: actor,
      resource: active.resource,
      action: active.action,
      durationSeconds,
      breakGlass: false,
      ...(active.params !== undefined ? { params: active.params } : {}),
      ...(input.justification !== undefined ? { justification: input.justification } : {}),
      ...(input.ticket !== undefined ? { ticket: input.ticket } : {}),
    };
    const { evaluation, snapshot } = await evaluateInTransaction(scope, app, request, context);
    const sod = checkLifecycleActor({ ...snapshot, request: active, actor, as: 'requester', now });
    if (!sod.allowed) return { refused: refusalOf(sod.reasons) };
    const target = resolveTarget(snapshot.policy, active);
    const provider = target === undefined ? undefined : app.providers.get(target.profile.provider.type);
    const check = checkExtensionRequest({
      active,
      action: target?.action,
      providerType: target?.profile.provider.type ?? 'unknown',
      providerExtends: provider?.extend !== undefined,
      durationSeconds,
      now,
    });
    if (!check.allowed) return { refused: refusalOf(check.reasons) };
    // The extension's own evaluation refuses it as something the policy does not allow now.
    if (isRefusal(evaluation) || evaluation.outcome === 'break_glass') {
      return { refused: refusalAs('policy', evaluation.reasons) };
    }

    const record = newRecord(extensionId, request, evaluation, now);
    const statusReason = evaluation.outcome === 'denied' ? evaluation.message : undefined;
    await insertRequest(trx, record, {
      extendsRequest: active.id,
      ...(statusReason !== undefined ? { statusReason } : {}),
    });
    recordCreation(scope, {
      actor,
      record,
      evaluation,
      statusReason,
      reasons: [...check.reasons, ...evaluation.reasons],
      extra: { extends: active.id },
      context: contextRecord(snapshot.policy, context),
    });
    return { status: record.status };
  });
  if ('refused' in value) {
    throw await refuse(app, {
      actor,
      action: 'request.extend_refused',
      subject: `request:${input.id}`,
      refusal: value.refused,
      otherwise: `request '${input.id}' cannot be extended`,
    });
  }
  if (value.status === 'approved') return applyExtension(app, actor, extensionId);
  const { value: views } = await inTransaction(app, async ({ trx }) => ({
    extension: await loadRequestView(trx, extensionId),
    request: await loadRequestView(trx, input.id),
  }));
  return views;
}

interface ExtensionPlan {
  readonly activeId: string;
  readonly activeVersion: number;
  readonly extensionVersion: number;
  readonly grantId: string;
  readonly handle: JsonObject;
  readonly target: RequestTarget;
  readonly previousExpiresAt: number;
  readonly expiresAt: number;
  readonly firstActivatedAt: number;
  readonly reasons: readonly Reason[];
}

/**
 * Applies the approved extension request `extensionId` (called by `extendRequest`, and by activation when the
 * request activated is an extension). Invariants: only its requester applies it; `decideExtension` holds under the
 * policy in force (same profile version as the grant, approvals that still count, within `maxDuration` from the
 * first activation); the provider is called outside any transaction; the new expiry is recorded only if neither
 * request nor grant changed meanwhile.
 */
export async function applyExtension(app: AppContext, actor: string, extensionId: string): Promise<ExtensionResult> {
  const context = await gatherStoredRequestContext(app, extensionId);
  const { value: decided } = await inTransaction(
    app,
    async ({ trx, now }): Promise<{ refused: readonly Reason[] } | { plan: ExtensionPlan }> => {
      const extension = await getRequest(trx, extensionId);
      if (extension.extendsRequest === undefined) {
        return { refused: [{ code: 'extension.none', message: `request '${extensionId}' extends no grant` }] };
      }
      const active = await getRequest(trx, extension.extendsRequest);
      const snapshot = await app.policy.snapshot(trx, now);
      const sod = checkLifecycleActor({ ...snapshot, request: extension.record, actor, as: 'requester', now });
      if (!sod.allowed) return { refused: sod.reasons };
      const executor = checkLifecycleActor({
        ...snapshot,
        request: extension.record,
        actor: SYSTEM_EXECUTOR,
        as: 'provisioner',
        now,
      });
      if (!executor.allowed) return { refused: executor.reasons };
      const moved = transition(extension.record.status, 'extension_applied');
      if (!moved.ok) return { refused: [moved.reason] };
      const state = await getResourceState(trx, active.record.resource);
      const decision = decideExtension({ ...snapshot, state, now, context }, active.record, extension.record);
      if (decision.outcome === 'refused') return { refused: decision.reasons };
      const target = resolveTarget(snapshot.policy, active.record);
      const grant = await trx
        .selectFrom('grants')
        .select(['id', 'handle', 'status', 'expires_at'])
        .where('request_id', '=', active.record.id)
        .executeTakeFirst();
      if (target === undefined || grant === undefined || grant.status !== 'active') {
        const message = `request '${active.record.id}' has no active grant to extend`;
        return { refused: [{ code: 'grant.not_active', message }] };
      }
      return {
        plan: {
          activeId: active.record.id,
          activeVersion: active.version,
          extensionVersion: extension.version,
          grantId: grant.id,
          handle: grant.handle === null ? {} : fromJsonText<JsonObject>(grant.handle),
          target,
          previousExpiresAt: Number(grant.expires_at),
          expiresAt: decision.expiresAt,
          firstActivatedAt: decision.firstActivatedAt,
          reasons: decision.reasons,
        },
      };
    },
  );
  if ('refused' in decided) {
    throw await refuse(app, {
      actor,
      action: 'request.extend_refused',
      subject: `request:${extensionId}`,
      refusal: refusalOf(decided.refused),
      otherwise: `request '${extensionId}' cannot extend its grant`,
    });
  }
  const { plan } = decided;
  await extendOnProvider(app, actor, extensionId, plan);
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify, announce }) => {
    const active = await getRequest(trx, plan.activeId);
    const extension = await getRequest(trx, extensionId);
    const extended = transition(active.record.status, 'extend');
    const applied = transition(extension.record.status, 'extension_applied');
    if (active.version !== plan.activeVersion || extension.version !== plan.extensionVersion) {
      throw versionConflict(extensionId);
    }
    if (!extended.ok || !applied.ok) throw versionConflict(extensionId);
    if (!(await extendGrant(trx, plan.grantId, plan.expiresAt, now))) throw versionConflict(plan.activeId);
    announce({ kind: 'grant', requestId: plan.activeId });
    await moveRequest(trx, active, 'extend', { expiresAt: plan.expiresAt }, now);
    await moveRequest(
      trx,
      extension,
      'extension_applied',
      {
        statusReason: `extended the grant of request '${plan.activeId}' until ${new Date(plan.expiresAt).toISOString()}`,
        activatedAt: now,
        firstActivatedAt: plan.firstActivatedAt,
        expiresAt: plan.expiresAt,
        provisioner: SYSTEM_EXECUTOR,
      },
      now,
    );
    audit({
      actor,
      action: 'request.extend',
      subject: `request:${plan.activeId}`,
      details: {
        extension: extensionId,
        grantId: plan.grantId,
        previousExpiresAt: plan.previousExpiresAt,
        expiresAt: plan.expiresAt,
        firstActivatedAt: plan.firstActivatedAt,
        provisioner: SYSTEM_EXECUTOR,
        reasons: plan.reasons.map((r) => ({ ...r })),
      },
    });
    notify('request.extended', {
      request: plan.activeId,
      extension: extensionId,
      requester: active.record.requester,
      resource: active.record.resource,
      action: active.record.action,
      expiresAt: plan.expiresAt,
    });
    return { extension: await loadRequestView(trx, extensionId), request: await loadRequestView(trx, plan.activeId) };
  });
  return value;
}

/** Lengthens the grant on its provider; a failure is recorded (the provider's text sealed) and thrown. */
async function extendOnProvider(
  app: AppContext,
  actor: string,
  extensionId: string,
  plan: ExtensionPlan,
): Promise<void> {
  const provider = providerFor(app, plan.target.profile);
  try {
    if (provider.extend === undefined)
      throw new AppError('invalid', `the '${provider.type}' provider cannot extend a grant`);
    await provider.extend(plan.handle, plan.expiresAt, plan.target.resource, plan.target.profile);
  } catch (error) {
    await recordFailure(app, {
      actor,
      action: 'request.extend_failed',
      subject: `request:${extensionId}`,
      message: `the ${provider.type} provider could not extend the grant`,
      reasons: [
        {
          code: 'provider.extend_failed',
          message: "the provider reported an error; its text is sealed in this event's 'providerError'",
        },
      ],
      details: { provider: provider.type, grantId: plan.grantId, providerError: describeFailure(error) },
    });
    throw providerFailed('extend the grant', extensionId);
  }
}
