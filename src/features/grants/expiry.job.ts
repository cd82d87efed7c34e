/**
 * The scheduler's jobs, one function each, every one safe to run on several replicas at once:
 * - grants past `expires_at` and failed revokes due for a retry are claimed in batches with row leases
 *   (`claimDue`: `FOR UPDATE SKIP LOCKED` on PostgreSQL) and torn down by `teardownGrant`, which calls the
 *   provider outside any transaction; when the store refuses the claim, due grants are read, revoked and
 *   journalled instead (`expireDueWithoutStore`);
 * - pending and approved-but-unused requests past `expires_at` time out, expired eligible-role activations end
 *   (`access/role-activation.job.ts`), SoD exceptions past their expiry end (`governance/exceptions.job.ts`): no provider is involved, so each batch is one transaction with one
 *   audit event per row, and every update names the version (or state) it read, so two replicas never both
 *   record the same change.
 */
import type { LifecycleEvent } from '../../decide/lifecycle.decide.js';
import { claimDue } from '../../store/lease.js';
import type { AppContext } from '../../app/context.js';
import type { JobOptions } from '../../app/job-options.js';
import { teardownGrants, type TeardownKind } from './grant-teardown.js';
import { expireDueWithoutStore, isWriteRefused } from './revoke-without-store.js';
import { inTransaction } from '../../app/transaction.js';
import { isVersionConflict, moveRequest } from '../requests/index.js';

export type { JobOptions };

export interface GrantJobCounts {
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  /** Items that threw (reported through `onError`). */
  readonly errors: number;
}

/**
 * Expires every active grant whose `expires_at` has passed, batch after batch, until none is left, and takes
 * over grants left `revoking` by a worker whose lease lapsed (it died mid-revoke).
 */
export function expireDueGrants(app: AppContext, now: number, options: JobOptions): Promise<GrantJobCounts> {
  return drainGrants(app, now, options, 'expire', 'active');
}

/** Retries every `revoke_failed` grant whose `next_attempt_at` has come. */
export function retryFailedRevokes(app: AppContext, now: number, options: JobOptions): Promise<GrantJobCounts> {
  return drainGrants(app, now, options, 'retry', 'revoke_failed');
}

async function drainGrants(
  app: AppContext,
  now: number,
  options: JobOptions,
  job: 'expire' | 'retry',
  status: 'active' | 'revoke_failed',
): Promise<GrantJobCounts> {
  const counts = { done: 0, failed: 0, skipped: 0, errors: 0 };
  for (;;) {
    let claimed;
    try {
      claimed = await claimDueGrants(app, now, options, status);
    } catch (error) {
      // The store refuses the claim: expiry still reaches the providers, through the revocation journal.
      if (!isWriteRefused(error) || app.revocations === undefined) throw error;
      if (job === 'retry') return counts; // the expiry job's fallback covers failed revokes too
      const fallback = await expireDueWithoutStore(app, now, {
        ...options,
        onError: (grantId, failure) => {
          counts.errors += 1;
          options.onError('grant.expire', `grant:${grantId}`, failure);
        },
      });
      return { ...counts, done: counts.done + fallback.done, failed: counts.failed + fallback.failed };
    }
    if (claimed.length === 0) return counts;
    // Revoked on the provider already, waiting in the journal: `replayRevocations` records them, nobody revokes twice.
    const journalled = claimed.filter((grant) => app.revocations?.isRevoked(grant.id, now) === true);
    counts.skipped += journalled.length;
    const inputs = claimed
      .filter((grant) => !journalled.includes(grant))
      .map((grant) => {
        // A grant past its expiry ends as expired; one revoked early by a person (then failed or interrupted, even
        // if its expiry passed meanwhile) stays revoked.
        const kind: TeardownKind = grant.revoked_by === null && grant.expires_at <= now ? 'expire' : 'revoke';
        return {
          grantId: grant.id,
          actor: options.actor,
          reason: kind === 'expire' ? 'the grant reached its expiry' : 'finishing a failed or interrupted revoke',
          kind,
          leaseMs: options.leaseMs,
        };
      });
    const outcomes = await teardownGrants(app, inputs, {
      owner: options.owner,
      concurrency: options.concurrency,
      onError: (grantId, error) => {
        counts.errors += 1;
        options.onError(job === 'expire' ? 'grant.expire' : 'grant.revoke_retry', `grant:${grantId}`, error);
      },
    });
    for (const outcome of outcomes) {
      if (outcome.outcome === 'revoked' || outcome.outcome === 'expired') counts.done += 1;
      else if (outcome.outcome === 'revoke_failed') counts.failed += 1;
      else counts.skipped += 1;
    }
    if (claimed.length < options.batchSize) return counts;
  }
}

/** Claims the next batch of due grants under this scheduler's lease (a write: it fails while the store refuses). */
function claimDueGrants(app: AppContext, now: number, options: JobOptions, status: 'active' | 'revoke_failed') {
  return claimDue(app.database, {
    table: 'grants',
    owner: options.owner,
    now,
    leaseMs: options.leaseMs,
    limit: options.batchSize,
    due: (eb) =>
      status === 'active'
        ? eb.or([
            eb.and([eb('status', '=', 'active'), eb('expires_at', '<=', now)]),
            // A worker died between claiming and recording: once its lease lapses the revoke is taken over.
            eb('status', '=', 'revoking'),
          ])
        : eb.and([eb('status', '=', 'revoke_failed'), eb('next_attempt_at', '<=', now)]),
    orderBy: status === 'active' ? [['expires_at', 'asc']] : [['next_attempt_at', 'asc']],
  });
}

export interface TimeoutCounts {
  readonly pending: number;
  readonly activation: number;
}

/**
 * Times out pending requests nobody answered and approved ones nobody activated, once `expires_at` passed.
 * Each timed-out request gets a `request.timeout` event naming which window it missed.
 */
export async function timeoutRequests(app: AppContext, now: number, options: JobOptions): Promise<TimeoutCounts> {
  const counts = { pending: 0, activation: 0 };
  for (const [status, event] of [
    ['pending', 'pending_timeout'],
    ['approved', 'activation_timeout'],
  ] as const) {
    for (;;) {
      const due = await app.database.db
        .selectFrom('requests')
        .select('id')
        .where('status', '=', status)
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(options.batchSize)
        .execute();
      if (due.length === 0) break;
      let moved = 0;
      try {
        moved = await timeoutBatch(
          app,
          due.map((row) => row.id),
          status,
          event,
          options.actor,
        );
      } catch (error) {
        options.onError('request.timeout', `requests:${status}`, error);
        break;
      }
      if (status === 'pending') counts.pending += moved;
      else counts.activation += moved;
      // Rows another replica moved first are gone from the next query; stop when nothing moved to avoid spinning.
      if (moved === 0 || due.length < options.batchSize) break;
    }
  }
  return counts;
}

async function timeoutBatch(
  app: AppContext,
  ids: readonly string[],
  status: 'pending' | 'approved',
  event: LifecycleEvent,
  actor: string,
): Promise<number> {
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify }) => {
    const rows = await trx
      .selectFrom('requests')
      .select(['id', 'status', 'version', 'expires_at', 'requester', 'resource', 'action'])
      .where('id', 'in', ids)
      .where('status', '=', status)
      .where('expires_at', '<=', now)
      .execute();
    let moved = 0;
    for (const row of rows) {
      const why = event === 'pending_timeout' ? 'nobody approved it in time' : 'it was not activated in time';
      let next;
      try {
        next = await moveRequest(trx, { record: row, version: row.version }, event, { statusReason: why }, now);
      } catch (error) {
        // Another replica moved it first: its change stands, this one is dropped.
        if (isVersionConflict(error)) continue;
        throw error;
      }
      moved += 1;
      const details = { event, from: row.status, to: next.to, expiresAt: row.expires_at, reason: why };
      audit({ actor, action: 'request.timeout', subject: `request:${row.id}`, details });
      notify('request.timeout', { requestId: row.id, requester: row.requester, resource: row.resource, ...details });
    }
    return moved;
  });
  return value;
}

/**
 * Ends eligible-role activations whose time is up, each with a `role.deactivate` event; when any ended, the lost
 * duties are announced (`duties`), so `check` stops counting them from the next call.
 */
export async function endExpiredActivations(app: AppContext, now: number, options: JobOptions): Promise<number> {
  const { value } = await inTransaction(app, async ({ trx, audit, announce }) => {
    const rows = await trx
      .selectFrom('role_activations')
      .select(['id', 'identity', 'role', 'request_id', 'expires_at'])
      .where('ended_at', 'is', null)
      .where('expires_at', '<=', now)
      .limit(options.batchSize)
      .execute();
    let ended = 0;
    for (const row of rows) {
      const updated = await trx
        .updateTable('role_activations')
        .set({ ended_at: row.expires_at })
        .where('id', '=', row.id)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      ended += 1;
      // A role activation request (issue #9 item 3) ends with the role it switched on.
      if (row.request_id !== null) {
        await trx
          .updateTable('role_activation_requests')
          .set({ status: 'expired', ended_at: row.expires_at, ended_by: options.actor, updated_at: now })
          .where('id', '=', row.request_id)
          .where('status', '=', 'active')
          .execute();
      }
      audit({
        actor: options.actor,
        action: 'role.deactivate',
        subject: `identity:${row.identity}`,
        details: { role: row.role, requestId: row.request_id, activationId: row.id, expiresAt: row.expires_at },
      });
    }
    if (ended > 0) announce({ kind: 'duties' });
    return ended;
  });
  return value;
}
