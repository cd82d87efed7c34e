/**
 * `activateRequest` (SPEC §2.8): the requester turns an approved request into access. Three steps, so that no
 * network I/O runs inside a transaction: (1) a transaction re-validates the request against the current policy,
 * duties and resource state and records the grant intent (`provisioning`, audited: grant-intents.ts), which only
 * one activation of a request can hold; (2) the provider grants, outside any transaction, with the intent's id as
 * idempotency key; (3) a second transaction checks the request is still the approved one that was validated (same
 * version), and records it `active` with its grant. If step 2 fails the intent is released; if step 3 fails, the
 * grant is revoked on the provider again; if the process dies in between, the scheduler compensates the intent.
 * The credential is in the result, once.
 * Step 1 also refuses when a profile change since approval altered what the action provisions (a new approval).
 */
import { gatherStoredRequestContext } from './request-context.js';
import { contextDetails } from './request-create.verb.js';
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { isAppError } from '../../core/errors.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { grantEnd } from '../../decide/request-activation.decide.js';
import { requestEntitlementEnd } from '../../decide/request.decide.js';
import { revalidateRequest } from '../../decide/revalidate.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import { isUniqueViolation } from '../../store/errors.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { requestManualProvisioning } from '../grants/index.js';
import { applyExtension } from './request-extend.verb.js';
import { completeGrantIntent, recordGrantIntent, releaseGrantIntent } from '../grants/index.js';
import { grantOnProvider, recordOrCompensate, type ProvisionPlan } from './request-provision.js';
import { loadRequestView, provisioningProblems, resolveTarget, wrongActionKind } from './request-verb-support.js';
import { parseInput } from '../../app/verb-support.js';
import type { ActivationView } from './request.view.js';
import { refuse } from '../../app/refuse.js';
import { getRequest, moveRequest, versionConflict } from './requests.repo.js';
import { findGrantByRequest, gatewayKeysFor, keepGatewayCredential } from '../grants/index.js';
import { activationAnswer } from './request-provision.js';
import { getResourceState } from '../resources/index.js';
import { inTransaction } from '../../app/transaction.js';

export const activateRequestSchema = z.strictObject({ id: z.string().min(1).max(100) });
export type ActivateRequestInput = z.input<typeof activateRequestSchema>;

/** What activation returns: the request, and the credential (if the provider issued one) exactly once. */
export type ActivationResult = ActivationView;

const alreadyActivating = (id: string): Reason => ({
  code: 'request.wrong_status',
  message: `request '${id}' is already being activated`,
});

/** Whether `error` is the unique grant per request refusing a second intent because a grant for `id` now exists. */
async function lostActivationRace(app: AppContext, id: string, error: unknown): Promise<boolean> {
  const unique = isUniqueViolation(error) || (isAppError(error) && error.details['reason'] === 'unique_violation');
  if (!unique) return false;
  const grant = await app.database.db.selectFrom('grants').select('id').where('request_id', '=', id).executeTakeFirst();
  return grant !== undefined;
}

type Validation =
  | { readonly refused: readonly Reason[] }
  | { readonly extension: true }
  | { readonly plan: ProvisionPlan; readonly version: number; readonly grantId?: string };

/**
 * Activates an approved request for its requester. Invariants: only the requester activates; the request must
 * still hold under the current policy (`revalidateRequest`, e.g. an approver who lost `approve` no longer
 * counts); `expiresAt` = activation + duration and never beyond the approval; the grant row keeps the provider's
 * handle and never the credential. Activating a request never turns an eligible role on (see role-activation.verbs.ts),
 * and a grant obtained with `request` from an activated role ends no later than that activation.
 */
export async function activateRequest(call: VerbCall<ActivateRequestInput>): Promise<ActivationResult> {
  const { app, actor } = call;
  const { id } = parseInput(activateRequestSchema, call.input);
  // Re-validation reads the context sources again (a ticket closed since approval refuses): asked before the
  // transaction, never inside it.
  const context = await gatherStoredRequestContext(app, id);
  const { value: validation } = await inTransaction(app, async (scope): Promise<Validation> => {
    const { trx, now } = scope;
    const stored = await getRequest(trx, id);
    // An approved extension request lengthens the grant it names rather than making one (request-extend.verb.ts).
    if (stored.extendsRequest !== undefined) return { extension: true };
    const snapshot = await app.policy.snapshot(trx, now);
    const sod = checkLifecycleActor({ ...snapshot, request: stored.record, actor, as: 'requester', now });
    if (!sod.allowed) return { refused: sod.reasons };
    // A `manual` profile is provisioned by a human, who is checked when confirming (manual-provisioning.verbs.ts).
    const byHand = snapshot.policy.profiles.get(stored.record.profile)?.provider.type === 'manual';
    const executor = byHand
      ? undefined
      : checkLifecycleActor({ ...snapshot, request: stored.record, actor: SYSTEM_EXECUTOR, as: 'provisioner', now });
    if (executor !== undefined && !executor.allowed) return { refused: executor.reasons };
    const moved = transition(stored.record.status, 'activate');
    if (!moved.ok) return { refused: [moved.reason] };
    const state = await getResourceState(trx, stored.record.resource);
    const check = revalidateRequest({ ...snapshot, state, now, context }, stored.record, 'activate');
    if (check.outcome === 'refused') return { refused: check.reasons };
    const target = resolveTarget(snapshot.policy, stored.record);
    if (target === undefined) {
      return { refused: [{ code: 'request.unresolvable', message: `request '${id}' no longer resolves` }] };
    }
    const wrongKind = wrongActionKind(target, id, 'activate');
    if (wrongKind !== undefined) return { refused: [wrongKind] };
    const changed = await provisioningProblems(trx, stored.record, target);
    if (changed.length > 0) return { refused: changed };
    // A gateway-only action needs the key its credential is sealed under, before any provider is called.
    gatewayKeysFor(app, target.action);
    // A grant obtained with `request` from an activated eligible role ends no later than that activation.
    const entitledUntil = requestEntitlementEnd(snapshot.duties, stored.record.requester, target.profile);
    const expiresAt = grantEnd({ now, durationSeconds: stored.record.durationSeconds, entitledUntil });
    const plan: ProvisionPlan = { record: stored.record, target, expiresAt };
    if (byHand) return { plan, version: stored.version };
    // Intent before the provider call: one per request (the loser of a race is refused here), audited.
    if ((await findGrantByRequest(trx, id)) !== undefined) {
      return { refused: [alreadyActivating(id)] };
    }
    return { plan, version: stored.version, grantId: await recordGrantIntent(app, scope, plan) };
  }).catch(async (error: unknown) => {
    // A replica racing this one can pass the check above before the other commits; the unique grant per request
    // then refuses the second intent, and the loser is refused in the same words.
    if (!(await lostActivationRace(app, id, error))) throw error;
    return { value: { refused: [alreadyActivating(id)] } satisfies Validation };
  });
  if ('extension' in validation) return { request: (await applyExtension(app, actor, id)).extension };
  if ('refused' in validation) {
    throw await refuse(app, {
      actor,
      action: 'request.activate_refused',
      subject: `request:${id}`,
      refusal: refusalOf(validation.refused),
      otherwise: `request '${id}' cannot be activated`,
      details: contextDetails(app, context),
    });
  }

  const { plan } = validation;
  // A `manual` profile calls no provider: the request waits for a human provisioner (manual-provisioning.verbs.ts).
  if (plan.target.profile.provider.type === 'manual') {
    return { request: await requestManualProvisioning(app, actor, plan, validation.version) };
  }
  const grantId = validation.grantId ?? '';
  const release = (why: 'provider_failed' | 'not_recorded') =>
    releaseGrantIntent(app, grantId, id, why).catch(() => undefined);
  const granted = await grantOnProvider(app, actor, plan, grantId).catch(async (error: unknown) => {
    await release('provider_failed');
    throw error;
  });
  const recorded = recordOrCompensate(
    app,
    plan,
    granted,
    async () => {
      const { value } = await inTransaction(app, async (scope) => {
        const { trx, now, audit, notify } = scope;
        const current = await getRequest(trx, id);
        if (current.version !== validation.version || current.record.status !== 'approved') throw versionConflict(id);
        const moved = transition(current.record.status, 'activate');
        if (!moved.ok) throw versionConflict(id);
        await completeGrantIntent(scope, grantId, plan, granted);
        const gateway = await keepGatewayCredential(app, scope, grantId, plan, granted);
        const expiresAt = Math.min(plan.expiresAt, granted.expiresAt);
        await moveRequest(
          trx,
          current,
          'activate',
          {
            activatedAt: now,
            firstActivatedAt: current.record.firstActivatedAt ?? now,
            expiresAt,
            provisioner: SYSTEM_EXECUTOR,
          },
          now,
        );
        audit({
          actor,
          action: 'request.activate',
          subject: `request:${id}`,
          details: { grantId, expiresAt, provisioner: SYSTEM_EXECUTOR, ...contextDetails(app, context) },
        });
        notify('request.activated', {
          request: id,
          grantId,
          requester: current.record.requester,
          resource: current.record.resource,
          action: current.record.action,
          expiresAt,
        });
        return { view: await loadRequestView(trx, id), gateway };
      });
      return value;
    },
    () => release('not_recorded'),
  );
  const { view, gateway } = await recorded;
  return activationAnswer(view, granted, gateway);
}
