/**
 * Provisioning by hand, for profiles that use the `manual` provider (SPEC §2.2, §2.11). Two steps:
 *
 * 1. the requester activates their approved request (`activateRequest`, which calls `requestManualProvisioning`
 *    here instead of a provider): the request stays `approved`, is marked as awaiting provisioning, and the
 *    profile's provisioners are asked by a `provision.needed` notification; the activation window keeps running;
 * 2. a human holding `provision` on the profile creates the access on the target and confirms it
 *    (`confirmProvisioning`): the request becomes `active` with that person as its provisioner and a grant that
 *    the scheduler ends like any other (the teardown then asks for removal by hand, `deprovision.needed`).
 *
 * Neither step calls a provider, so each is one transaction.
 */
import { z } from 'zod';
import { reason, refusalOf, type Reason } from '../../core/decision.js';
import { decideManualProvisioner, manualProvisioners } from '../../decide/manual-provisioning.decide.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { grantEnd } from '../../decide/request-activation.decide.js';
import { requestEntitlementEnd } from '../../decide/request.decide.js';
import { revalidateRequest } from '../../decide/revalidate.decide.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import type { ProvisionPlan } from '../requests/index.js';
import { refuse } from '../../app/refuse.js';
import { loadRequestView, resolveTarget, retryOnVersionConflict, wrongActionKind } from '../requests/index.js';
import { parseInput } from '../../app/verb-support.js';
import type { RequestView } from '../requests/request.view.js';
import { getRequest, moveRequest, updateRequest, versionConflict } from '../requests/index.js';
import { gatherStoredRequestContext } from '../requests/index.js';
import { insertGrant } from './grants.repo.js';
import { getResourceState } from '../resources/index.js';
import { inTransaction } from '../../app/transaction.js';

/** The status reason an approved request carries while it waits for a provisioner. */
export const AWAITING_PROVISIONING = 'awaiting manual provisioning';

/**
 * Step 1, called by `activateRequest` once it has validated the activation (`plan`, at request `version`):
 * marks the request as awaiting provisioning and asks the provisioners. Invariant: no grant and no state change
 * beyond the mark; asking twice is a `conflict` (recorded as `request.activate_refused`).
 */
export async function requestManualProvisioning(
  app: AppContext,
  actor: string,
  plan: ProvisionPlan,
  version: number,
): Promise<RequestView> {
  const id = plan.record.id;
  const { value } = await inTransaction(
    app,
    async ({ trx, now, audit, notify }): Promise<{ readonly view: RequestView } | { readonly already: number }> => {
      const current = await getRequest(trx, id);
      if (current.version !== version || current.record.status !== 'approved') throw versionConflict(id);
      const asked = current.provisioningRequestedAt;
      if (asked !== undefined) return { already: asked };
      await updateRequest(trx, id, version, { statusReason: AWAITING_PROVISIONING, provisioningRequestedAt: now }, now);
      const snapshot = await app.policy.snapshot(trx, now);
      const provisioners = manualProvisioners({
        ...snapshot,
        request: current.record,
        profile: plan.target.profile,
        now,
      });
      const instructions = plan.target.action.grant?.['instructions'];
      audit({
        actor,
        action: 'request.provision_requested',
        subject: `request:${id}`,
        details: { profile: plan.target.profile.name, provisioners: [...provisioners] },
      });
      notify('provision.needed', {
        request: id,
        requester: current.record.requester,
        resource: current.record.resource,
        action: current.record.action,
        profile: plan.target.profile.name,
        provisioners: [...provisioners],
        ...(typeof instructions === 'string' ? { instructions } : {}),
        activationWindowEndsAt: current.record.expiresAt ?? null,
      });
      return { view: await loadRequestView(trx, id) };
    },
  );
  if ('view' in value) return value.view;
  const awaiting = `request '${id}' already awaits manual provisioning`;
  throw await refuse(app, {
    actor,
    action: 'request.activate_refused',
    subject: `request:${id}`,
    refusal: refusalOf([reason('provision.already_requested', awaiting)]),
    otherwise: awaiting,
  });
}

export const confirmProvisioningSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** What the provisioner did (e.g. the user name created on the target); kept in the audit log. */
  note: z.string().min(1).max(1000).optional(),
});
export type ConfirmProvisioningInput = z.input<typeof confirmProvisioningSchema>;

type Confirmation = { readonly refused: readonly Reason[] } | { readonly view: RequestView };

/**
 * Step 2: a provisioner confirms they created the access. Invariants: only a human holding `provision` on the
 * profile who is neither the requester nor an approver (nor breaks a configured rule) confirms
 * (`decideManualProvisioner`); only a request whose requester activated it; the request must still hold under
 * the current policy (`revalidateRequest`); `expiresAt` = confirmation + the approved duration. The request
 * turns `active` with its grant, both audited, in one transaction; a refusal is recorded as
 * `request.provision_refused`.
 */
export async function confirmProvisioning(call: VerbCall<ConfirmProvisioningInput>): Promise<RequestView> {
  const { app, actor } = call;
  const { id, note } = parseInput(confirmProvisioningSchema, call.input);
  // Re-validation reads the context sources again; they are asked before any transaction.
  const context = await gatherStoredRequestContext(app, id);
  const outcome = await retryOnVersionConflict(async () => {
    const { value } = await inTransaction(app, async (scope): Promise<Confirmation> => {
      const { trx, now, audit, notify } = scope;
      const stored = await getRequest(trx, id);
      const snapshot = await app.policy.snapshot(trx, now);
      const target = resolveTarget(snapshot.policy, stored.record);
      if (target === undefined) {
        return { refused: [{ code: 'request.unresolvable', message: `request '${id}' no longer resolves` }] };
      }
      const who = decideManualProvisioner({ ...snapshot, request: stored.record, profile: target.profile, actor, now });
      if (!who.allowed) return { refused: who.reasons };
      const moved = transition(stored.record.status, 'activate');
      if (!moved.ok) return { refused: [moved.reason] };
      if (stored.provisioningRequestedAt === undefined) {
        const message = `request '${id}' has not been activated by its requester yet`;
        return { refused: [reason('provision.not_requested', message)] };
      }
      const wrongKind = wrongActionKind(target, id, 'activate');
      if (wrongKind !== undefined) return { refused: [wrongKind] };
      const state = await getResourceState(trx, stored.record.resource);
      const check = revalidateRequest({ ...snapshot, state, now, context }, stored.record, 'activate');
      if (check.outcome === 'refused') return { refused: check.reasons };

      // A grant obtained with `request` from an activated eligible role ends no later than that activation.
      const entitledUntil = requestEntitlementEnd(snapshot.duties, stored.record.requester, target.profile);
      const expiresAt = grantEnd({ now, durationSeconds: stored.record.durationSeconds, entitledUntil });
      const grantId = newId('grt');
      const handle = { manual: true, confirmedBy: actor };
      const { record } = stored;
      await insertGrant(
        trx,
        'record',
        {
          id: grantId,
          requestId: id,
          identity: record.requester,
          resource: record.resource,
          action: record.action,
          provider: 'manual',
          handle,
          expiresAt,
        },
        now,
      );
      scope.announce({ kind: 'grant', requestId: id });
      await moveRequest(
        trx,
        stored,
        'activate',
        {
          statusReason: null,
          activatedAt: now,
          firstActivatedAt: record.firstActivatedAt ?? now,
          expiresAt,
          provisioner: actor,
        },
        now,
      );
      audit({
        actor,
        action: 'grant.create',
        subject: `grant:${grantId}`,
        details: {
          requestId: id,
          identity: record.requester,
          resource: record.resource,
          action: record.action,
          provider: 'manual',
          handle,
          expiresAt,
        },
      });
      audit({
        actor,
        action: 'request.activate',
        subject: `request:${id}`,
        details: {
          grantId,
          expiresAt,
          provisioner: actor,
          manual: true,
          reasons: who.reasons.map((r) => ({ ...r })),
          ...(note !== undefined ? { note } : {}),
        },
      });
      notify('request.activated', {
        request: id,
        grantId,
        requester: record.requester,
        resource: record.resource,
        action: record.action,
        expiresAt,
        provisioner: actor,
      });
      return { view: await loadRequestView(trx, id) };
    });
    return value;
  });
  if ('view' in outcome) return outcome.view;
  throw await refuse(app, {
    actor,
    action: 'request.provision_refused',
    subject: `request:${id}`,
    refusal: refusalOf(outcome.refused),
    otherwise: `request '${id}' cannot be provisioned by '${actor}'`,
  });
}
