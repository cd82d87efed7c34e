/**
 * Ending an active grant early (SPEC §2.8): `completeRequest` (the requester is done with it) and `revokeRequest`
 * (the requester or an `administer` holder takes it away). Each decides, records and claims the grant in one
 * transaction (`beginTeardownIn`), then `finishTeardown`, the one place besides the scheduler's batches that
 * calls the provider's revoke (exactly once per claim), records `revoked` or `revoke_failed` and reads the answer.
 *
 * Completion marks the request `completed` before the teardown; the teardown then leaves a completed request
 * as it is and only ends the grant (a failed revoke shows on the grant, retried by the scheduler). Revocation
 * leaves the request `active` for the teardown to move to `revoked` (or `revoke_failed`).
 */
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { transition } from '../../decide/lifecycle.decide.js';
import { decideRevoke } from '../../decide/request-revoke.decide.js';
import { checkLifecycleActor } from '../../decide/sod-lifecycle.decide.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { beginTeardownIn, finishTeardown, type BegunTeardown } from '../grants/index.js';
import { loadRequestView } from './request-verb-support.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import type { RequestView } from './request.view.js';
import { getRequest, moveRequest, updateRequest } from './requests.repo.js';
import { findGrantByRequest } from '../grants/index.js';
import { isWriteRefused, revokeRequestWithoutStore } from '../grants/index.js';
import { inTransaction } from '../../app/transaction.js';

const endSchema = z.strictObject({ id: z.string().min(1).max(100), reason: z.string().max(2000).optional() });
export const completeRequestSchema = endSchema;
export type CompleteRequestInput = z.input<typeof completeRequestSchema>;
export const revokeRequestSchema = endSchema;
export type RevokeRequestInput = z.input<typeof revokeRequestSchema>;

type Decided = { readonly refused: readonly Reason[] } | { readonly begun: BegunTeardown };

function refuseEnding(
  app: AppContext,
  actor: string,
  id: string,
  verb: 'complete' | 'revoke',
  reasons: readonly Reason[],
) {
  return refuse(app, {
    actor,
    action: `request.${verb}_refused`,
    subject: `request:${id}`,
    refusal: refusalOf(reasons),
    otherwise: `request '${id}' cannot be ${verb}d`,
  });
}

async function grantOf(trx: Parameters<typeof findGrantByRequest>[0], id: string): Promise<string> {
  const grant = await findGrantByRequest(trx, id);
  if (grant === undefined) throw new AppError('conflict', `request '${id}' has no grant to end`, { request: id });
  return grant.id;
}

/** Revokes the claimed grant and answers with the request as it ends, read where the outcome is recorded. */
async function endAndView(app: AppContext, begun: BegunTeardown, id: string): Promise<RequestView> {
  return (await finishTeardown(app, begun, ({ trx }) => loadRequestView(trx, id))).read;
}

/**
 * The requester ends their active grant early. Invariants: only the requester completes; only an `active` request
 * is completed; the grant is then revoked exactly once: claimed in the deciding transaction, then `finishTeardown`.
 */
export async function completeRequest(call: VerbCall<CompleteRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(completeRequestSchema, call.input);
  const decided = inTransaction(app, async (scope): Promise<Decided> => {
    const { trx, now, audit } = scope;
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
    const moved = transition(stored.record.status, 'complete');
    if (!moved.ok) return { refused: [moved.reason] };
    const grantId = await grantOf(trx, input.id);
    const reason = input.reason ?? `completed early by '${actor}'`;
    await moveRequest(trx, stored, 'complete', { statusReason: reason, expiresAt: now }, now);
    audit({ actor, action: 'request.complete', subject: `request:${input.id}`, details: { grantId, reason } });
    return { begun: await beginTeardownIn(scope, { grantId, actor, reason, kind: 'revoke' }) };
  });
  // Ending one's grant removes privilege: it does not wait for the store either, and is recorded as a revoke (§2.8).
  const { value } = await decided.catch((error: unknown) => {
    if (!isWriteRefused(error)) throw error;
    const reason = input.reason ?? `completed early by '${actor}'`;
    return revokeRequestWithoutStore(app, actor, input.id, reason, error);
  });
  if ('refused' in value) throw await refuseEnding(app, actor, input.id, 'complete', value.refused);
  return endAndView(app, value.begun, input.id);
}

/**
 * Revokes an active grant. Invariants: only the requester or an `administer` holder on the profile revokes
 * (`decideRevoke`); the decision is logged with its reasons before the provider is called; the provider's revoke
 * runs exactly once however many revokers and expiry workers race (`beginTeardownIn`, `finishTeardown`).
 */
export async function revokeRequest(call: VerbCall<RevokeRequestInput>): Promise<RequestView> {
  const { app, actor } = call;
  const input = parseInput(revokeRequestSchema, call.input);
  const decided = inTransaction(app, async (scope): Promise<Decided> => {
    const { trx, now, audit } = scope;
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
    return { begun: await beginTeardownIn(scope, { grantId, actor, reason, kind: 'revoke' }) };
  });
  // Removing privilege never waits for the store: decided on a read, revoked on the provider, journalled (§2.8).
  const { value } = await decided.catch((error: unknown) => {
    if (!isWriteRefused(error)) throw error;
    return revokeRequestWithoutStore(app, actor, input.id, input.reason, error);
  });
  if ('refused' in value) throw await refuseEnding(app, actor, input.id, 'revoke', value.refused);
  return endAndView(app, value.begun, input.id);
}
