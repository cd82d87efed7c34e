/**
 * Recording the outcome of grant teardowns (step 3 of `grant-teardown.ts`), inside the caller's transaction.
 * Successes are written set-wise (one statement per table for the whole batch, one audit event per grant), so
 * the scheduler can expire thousands of grants a second; failures, which are rare, one by one. Every write
 * names the claim it completes (`status = 'revoking'` and our lease), so a worker whose lease lapsed and was
 * taken over records nothing.
 */
import type { LifecycleEvent } from '../../decide/lifecycle.decide.js';
import { fromJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import { moveRequests } from '../requests/index.js';
import { recordGrantRevokeFailed, recordGrantsEnded } from './grants.repo.js';
import { deleteGatewayCredentials } from './gateway-credentials.repo.js';
import type { RevokeFailure } from './grant-provider-revoke.js';
import type { TeardownInput, TeardownOutcome } from './grant-teardown.js';
import type { TransactionScope } from '../../app/transaction.js';

/** A claimed grant after the provider call: `failure` says why the revoke failed, or is undefined. */
export interface Revoked {
  readonly input: TeardownInput;
  readonly grant: Row<'grants'>;
  readonly failure: RevokeFailure | undefined;
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 15 * 60_000;

/**
 * Delay before retry number `attempts` (1 after the first failure): 5 s · 2^(attempts−1), capped at 15 min,
 * less up to 20 % of jitter so that grants failing together do not retry in lockstep.
 */
export function revokeBackoffMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  const delay = Math.min(BACKOFF_BASE_MS * 2 ** exponent, BACKOFF_CAP_MS);
  return Math.round(delay * (1 - 0.2 * random()));
}

/** Records every outcome in the caller's transaction; returns one outcome per item, in no particular order. */
export async function recordTeardowns(
  scope: TransactionScope,
  items: readonly Revoked[],
  owner: string,
): Promise<TeardownOutcome[]> {
  const outcomes: TeardownOutcome[] = [];
  const groups = new Map<string, Revoked[]>();
  for (const item of items) {
    if (item.failure !== undefined) continue;
    const key = JSON.stringify([item.input.kind, item.input.actor, item.input.reason, item.input.revokedAt ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const group of groups.values()) outcomes.push(...(await recordRevoked(scope, group, owner)));
  for (const item of items) {
    if (item.failure !== undefined) outcomes.push(await recordFailure(scope, item, owner, item.failure));
  }
  return outcomes;
}

/**
 * Records grants of one kind, actor and reason as revoked or expired, with their requests moved on. An outcome
 * replayed from the revocation journal keeps the time the provider's revoke happened (`revoked_at`, and
 * `details.revokedAt` on its audit event).
 */
async function recordRevoked(
  { trx, now, audit, notify }: TransactionScope,
  group: readonly Revoked[],
  owner: string,
): Promise<TeardownOutcome[]> {
  const first = group[0];
  if (first === undefined) return [];
  const { kind, actor, reason, revokedAt } = first.input;
  const updated = await recordGrantsEnded(
    trx,
    group.map((item) => item.grant.id),
    { event: kind, actor, revokedAt: revokedAt ?? now },
    owner,
    now,
  );
  const recorded = new Set(updated);
  const outcomes: TeardownOutcome[] = [];
  // Grants missing here had our lease lapse and were taken over: their new owner records the outcome.
  for (const item of group) {
    if (!recorded.has(item.grant.id)) outcomes.push({ outcome: 'in_progress', grantId: item.grant.id });
  }
  const mine = group.filter((item) => recorded.has(item.grant.id));
  if (mine.length === 0) return outcomes;
  // A gateway grant's sealed credential and gateway secret end with it (issue 14).
  await deleteGatewayCredentials(
    trx,
    mine.map((item) => item.grant.id),
  );
  const requestIds = mine.map((item) => item.grant.request_id);
  const success: LifecycleEvent = kind === 'expire' ? 'expire' : 'revoke';
  const statuses = await moveRequests(
    trx,
    requestIds,
    { active: success, revoke_failed: 'revoke_retry_succeeded' },
    { statusReason: reason },
    now,
  );
  await trx
    .updateTable('role_activations')
    .set({ ended_at: now })
    .where('request_id', 'in', requestIds)
    .where('ended_at', 'is', null)
    .execute();
  for (const { grant } of mine) {
    audit({
      actor,
      action: kind === 'expire' ? 'grant.expire' : 'grant.revoke',
      subject: `grant:${grant.id}`,
      details: {
        requestId: grant.request_id,
        identity: grant.identity,
        resource: grant.resource,
        action: grant.action,
        reason,
        expiresAt: grant.expires_at,
        attempts: grant.revoke_attempts + 1,
        requestStatus: statuses.get(grant.request_id) ?? null,
        ...(revokedAt === undefined ? {} : { revokedAt, recordedFrom: 'revocation journal' }),
        ...(grant.provider === 'manual' ? { removeByHand: true } : {}),
      },
    });
    notify(kind === 'expire' ? 'grant.expired' : 'grant.revoked', {
      grantId: grant.id,
      requestId: grant.request_id,
      identity: grant.identity,
      resource: grant.resource,
    });
    // Access provisioned by hand must be removed by hand: ask a provisioner, urgently (SPEC §2.11 `manual`).
    if (grant.provider === 'manual') {
      const handle = grant.handle === null ? {} : fromJsonText<Record<string, unknown>>(grant.handle);
      notify(
        'deprovision.needed',
        {
          grantId: grant.id,
          requestId: grant.request_id,
          identity: grant.identity,
          resource: grant.resource,
          action: grant.action,
          provisionedBy: typeof handle['confirmedBy'] === 'string' ? handle['confirmedBy'] : null,
          reason,
        },
        { urgent: true },
      );
    }
    outcomes.push({
      outcome: kind === 'expire' ? 'expired' : 'revoked',
      grantId: grant.id,
      requestId: grant.request_id,
    });
  }
  return outcomes;
}

async function recordFailure(
  { trx, now, audit, notify }: TransactionScope,
  { input, grant }: Revoked,
  owner: string,
  failure: RevokeFailure,
): Promise<TeardownOutcome> {
  // Only the product words are stored and answered; the provider's text goes to the audit log, sealed.
  const error = failure.message;
  const attempts = grant.revoke_attempts + 1;
  const nextAttemptAt = now + revokeBackoffMs(attempts);
  const recorded = await recordGrantRevokeFailed(trx, grant.id, { attempts, nextAttemptAt, error }, owner, now);
  if (!recorded) return { outcome: 'in_progress', grantId: grant.id };
  // Access being taken away: the gateway secret stops working now, whatever the provider's retries take.
  await deleteGatewayCredentials(trx, [grant.id]);
  await moveRequests(
    trx,
    [grant.request_id],
    { active: 'revoke_failed', revoke_failed: 'revoke_retry_failed' },
    { statusReason: error },
    now,
  );
  const details = {
    requestId: grant.request_id,
    identity: grant.identity,
    resource: grant.resource,
    provider: grant.provider,
    kind: input.kind,
    attempts,
    nextAttemptAt,
    error,
  };
  // The notification leaves the process, so it never carries the provider's text, not even sealed.
  const sealed = failure.providerError === undefined ? {} : { providerError: failure.providerError };
  audit({
    actor: input.actor,
    action: 'grant.revoke_failed',
    subject: `grant:${grant.id}`,
    details: { ...details, ...sealed },
  });
  notify('grant.revoke_failed', { grantId: grant.id, ...details }, { urgent: true });
  return { outcome: 'revoke_failed', grantId: grant.id, requestId: grant.request_id, attempts, nextAttemptAt, error };
}
