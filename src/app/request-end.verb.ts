/**
 * Ending an active grant early (SPEC §2.8): `completeRequest` (the requester is done with it) and `revokeRequest`
 * (the requester or an `administer` holder takes it away). Each decides and records in one transaction, then
 * hands the grant to `teardownGrant`, the one place that calls the provider's revoke exactly once and records
 * `revoked` or `revoke_failed`.
 *
 * Completion marks the request `completed` before the teardown; the teardown then leaves a completed request
 * as it is and only ends the grant (a failed revoke shows on the grant, retried by the scheduler). Revocation
 * leaves the request `active` for the teardown to move to `revoked` (or `revoke_failed`).
 */
import { z } from 'zod';
import type { Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';
import { transition } from '../decide/lifecycle.decide.js';
import { decideRevoke } from '../decide/request-revoke.decide.js';
import { checkLifecycleActor } from '../decide/sod-lifecycle.decide.js';
import type { AppContext, VerbCall } from './context.js';
import { teardownGrant } from './grant-teardown.js';
import { firstMessage, loadRequestView, parseInput, recordRefusal, refusalCode } from './request-verb-support.js';
import type { RequestView } from './request-view.js';
import { findGrantByRequest, getRequest, updateRequest } from './requests.repo.js';
import { inTransaction } from './transaction.js';

const endSchema = z.strictObject({ id: z.string().min(1).max(100), reason: z.string().max(2000).optional() });
export const completeRequestSchema = endSchema;
export type CompleteRequestInput = z.input<typeof completeRequestSchema>;
export const revokeRequestSchema = endSchema;
export type RevokeRequestInput = z.input<typeof revokeRequestSchema>;

type Decided = { readonly refused: readonly Reason[] } | { readonly grantId: string; readonly reason: string };

async function refuse(
  app: AppContext,
  actor: string,
  id: string,
  verb: 'complete' | 'revoke',
  reasons: readonly Reason[],
) {
  return recordRefusal(app, {
    actor,
    action: `request.${verb}_refused`,
    subject: `request:${id}`,
    code: refusalCode(reasons, 'forbidden'),
    message: firstMessage(reasons, `request '${id}' cannot be ${verb}d`),
    reasons,
  });
}

async function grantOf(trx: Parameters<typeof findGrantByRequest>[0], id: string): Promise<string> {
  const grant = await findGrantByRequest(trx, id);
  if (grant === undefined) throw new AppError('conflict', `request '${id}' has no grant to end`, { request: id });
  return grant.id;
}

async function currentView(app: AppContext, id: string): Promise<RequestView> {
  const { value } = await inTransaction(app, ({ trx }) => loadRequestView(trx, id));
  return value;
}

/**
 * The requester ends their active grant early. Invariants: only the requester completes; only an `active` request
 * is completed; the grant is then revoked through `teardownGrant`, exactly once.
 */
export async function completeRequest(call: VerbCall<CompleteRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(completeRequestSchema, call.input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Decided> => {
    const stored = await getRequest(trx, input.id);
    const snapshot = await app.policy.snapshot(trx, now);
    const sod = checkLifecycleActor({ ...snapshot, request: stored.record, actor, as: 'requester', now });
    if (!sod.allowed) return { refused: sod.reasons };
    const moved = transition(stored.record.status, 'complete');
    if (!moved.ok) return { refused: [moved.reason] };
    const grantId = await grantOf(trx, input.id);
    const reason = input.reason ?? `completed early by '${actor}'`;
    await updateRequest(trx, input.id, stored.version, { status: moved.to, statusReason: reason, expiresAt: now }, now);
    audit({ actor, action: 'request.complete', subject: `request:${input.id}`, details: { grantId, reason } });
    return { grantId, reason };
  });
  if ('refused' in value) throw await refuse(app, actor, input.id, 'complete', value.refused);
  await teardownGrant(app, { grantId: value.grantId, actor, reason: value.reason, kind: 'revoke' });
  return currentView(app, input.id);
}

/**
 * Revokes an active grant. Invariants: only the requester or an `administer` holder on the profile revokes
 * (`decideRevoke`); the decision is logged with its reasons before the provider is called; the provider's revoke
 * runs exactly once however many revokers and expiry workers race (`teardownGrant`).
 */
export async function revokeRequest(call: VerbCall<RevokeRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(revokeRequestSchema, call.input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Decided> => {
    const stored = await getRequest(trx, input.id);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideRevoke(snapshot, stored.record, actor);
    if (decision.outcome === 'refused') return { refused: decision.reasons };
    const grantId = await grantOf(trx, input.id);
    const reason = input.reason ?? `revoked by '${actor}'`;
    if (decision.as === 'administrator') {
      const otherActors = [...(stored.record.otherActors ?? []), { identity: actor, duty: 'administer' }];
      await updateRequest(trx, input.id, stored.version, { otherActors }, now);
    }
    audit({
      actor,
      action: 'request.revoke',
      subject: `request:${input.id}`,
      details: { grantId, reason, as: decision.as, reasons: decision.reasons.map((r) => ({ ...r })) },
    });
    return { grantId, reason };
  });
  if ('refused' in value) throw await refuse(app, actor, input.id, 'revoke', value.refused);
  await teardownGrant(app, { grantId: value.grantId, actor, reason: value.reason, kind: 'revoke' });
  return currentView(app, input.id);
}
