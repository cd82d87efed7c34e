/**
 * Removing privilege never waits for the store (SPEC §2.8). When the store refuses writes (`database_unavailable`
 * or `audit_unavailable`: a full disk, audit inserts refused), a teardown cannot claim or record, yet the
 * privilege must go: the grant is read (reads usually still work), revoked on its provider, and the outcome is
 * appended to the revocation journal (`revocation-journal.ts`) before anyone is answered. Callers are answered
 * 503 saying the privilege was removed and the record will follow. `replayRevocations` records the journal in
 * the store once it accepts writes again, in the normal record transaction, exactly once.
 */
import { AppError, isAppError } from '../../core/errors.js';
import { FINAL_GRANT_STATUSES, grantTransition } from '../../decide/grant-lifecycle.decide.js';
import { decideRevoke } from '../../decide/request-revoke.decide.js';
import { DATABASE_RETRY_AFTER_SECONDS, toStoreError } from '../../store/errors.js';
import type { Row } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import { revokeOnProvider } from './grant-provider-revoke.js';
import { recordTeardowns, type Revoked } from './grant-teardown-record.js';
import type { TeardownInput, TeardownKind, TeardownOutcome } from './grant-teardown.js';
import { claimGrantsForTeardown, findGrantByRequest } from './grants.repo.js';
import { getRequest } from '../requests/index.js';
import { inTransaction } from '../../app/transaction.js';

/** True for a failure of the store to take a write: the database is unavailable, or the audit log refused. */
export function isWriteRefused(error: unknown): boolean {
  const mapped = isAppError(error) ? error : toStoreError(error);
  return mapped.code === 'database_unavailable' || mapped.code === 'audit_unavailable';
}

/** The answer once the privilege is gone from the provider and its outcome waits in the journal. */
export function recordFollows(grantId: string): AppError {
  return new AppError(
    'database_unavailable',
    `grant '${grantId}' was revoked on its provider; the store cannot be written now, so its record follows from the revocation journal as soon as it can`,
    { reason: 'revoke_record_pending', grantId, retryable: true, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
}

/**
 * Journals a grant whose provider revoke succeeded but could not be recorded; returns the error to answer with
 * (`cause` when there is no journal: the lease then lapses and the scheduler revokes and records it again).
 */
export async function journalRevoked(
  app: AppContext,
  grant: Row<'grants'>,
  input: Pick<TeardownInput, 'kind' | 'actor' | 'reason'>,
  cause: unknown,
): Promise<unknown> {
  const journal = app.revocations;
  if (journal === undefined) return cause;
  const { kind, actor, reason } = input;
  const entry = { grantId: grant.id, requestId: grant.request_id, kind, actor, reason, at: app.clock.now() };
  await journal.append({ ...entry, outcome: 'revoked' });
  return recordFollows(grant.id);
}

/**
 * The teardown of one grant when its claim could not be written: reads the grant, revokes it on its provider
 * and journals the outcome, then throws `recordFollows`. `already_done` for a grant the store shows ended;
 * `cause` is thrown when nothing could be removed (no journal, the grant unreadable, the provider failing).
 */
export async function revokeGrantWithoutStore(
  app: AppContext,
  input: TeardownInput,
  cause: unknown,
): Promise<TeardownOutcome> {
  const journal = app.revocations;
  if (journal === undefined) throw cause;
  if (journal.isRevoked(input.grantId, app.clock.now())) throw recordFollows(input.grantId);
  let grant: Row<'grants'> | undefined;
  try {
    grant = await app.database.db.selectFrom('grants').selectAll().where('id', '=', input.grantId).executeTakeFirst();
  } catch {
    throw cause;
  }
  if (grant === undefined) throw cause;
  if (FINAL_GRANT_STATUSES.has(grant.status)) {
    return { outcome: 'already_done', grantId: grant.id, status: grant.status };
  }
  if (!grantTransition(grant.status, 'claim_teardown').ok) throw cause;
  const failure = await revokeOnProvider(app, grant);
  if (failure !== undefined) throw cause;
  throw await journalRevoked(app, grant, input, cause);
}

/**
 * `POST /v1/requests/{id}/revoke` when the store refused the deciding transaction: the same decision
 * (`decideRevoke`) on a read of the request, then the provider's revoke and the journal. Always throws: the
 * `recordFollows` answer once the privilege is gone, else `cause` (nothing was changed).
 */
export async function revokeRequestWithoutStore(
  app: AppContext,
  actor: string,
  id: string,
  reason: string | undefined,
  cause: unknown,
): Promise<never> {
  if (app.revocations === undefined) throw cause;
  let decided;
  try {
    decided = await app.database.db.transaction().execute(async (trx) => {
      const now = app.clock.now();
      const stored = await getRequest(trx, id);
      const decision = decideRevoke(await app.policy.snapshot(trx, now), stored.record, actor);
      return { decision, grant: await findGrantByRequest(trx, id) };
    });
  } catch {
    throw cause;
  }
  if (decided.decision.outcome === 'refused' || decided.grant === undefined) throw cause;
  const input = {
    grantId: decided.grant.id,
    actor,
    reason: reason ?? `revoked by '${actor}'`,
    kind: 'revoke' as const,
  };
  await revokeGrantWithoutStore(app, input, cause);
  throw cause;
}

export interface WithoutStoreOptions {
  readonly actor: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly onError: (grantId: string, error: unknown) => void;
}

/**
 * The scheduler's expiry when it cannot claim: grants due at `now` (past their expiry, failed revokes due for a
 * retry, revokes left by a dead worker) read without a write, revoked on their providers and journalled.
 * Returns how many were revoked and how many failed on their provider (tried again on the next tick).
 */
export async function expireDueWithoutStore(
  app: AppContext,
  now: number,
  options: WithoutStoreOptions,
): Promise<{ readonly done: number; readonly failed: number }> {
  const journal = app.revocations;
  if (journal === undefined) return { done: 0, failed: 0 };
  const due = await app.database.db
    .selectFrom('grants')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'active'), eb('expires_at', '<=', now)]),
        eb.and([eb('status', '=', 'revoke_failed'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'revoking'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)])]),
      ]),
    )
    .orderBy('expires_at')
    .limit(options.batchSize * 16 + journal.pending().length)
    .execute();
  const todo = due.filter((grant) => !journal.isRevoked(grant.id, now));
  let done = 0;
  let failed = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < todo.length) {
      const grant = todo[next++];
      if (grant === undefined) return;
      const kind: TeardownKind = grant.revoked_by === null && grant.expires_at <= now ? 'expire' : 'revoke';
      const reason = kind === 'expire' ? 'the grant reached its expiry' : 'finishing a failed or interrupted revoke';
      const failure = await revokeOnProvider(app, grant);
      if (failure !== undefined) {
        failed += 1;
        options.onError(grant.id, new AppError('provider_failed', failure.message));
        continue;
      }
      await journalRevoked(app, grant, { kind, actor: options.actor, reason }, undefined);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, todo.length)) }, lane));
  return { done, failed };
}

const REPLAY_CHUNK = 500;

/**
 * Records every journalled outcome in the store, in the normal record transaction (`recordTeardowns`) with the
 * time the revoke happened, then compacts the journal. Exactly once: a grant the store already shows ended
 * is only dropped from the journal. Throws (keeping the journal) while the store still refuses writes.
 */
export async function replayRevocations(app: AppContext, owner: string, leaseMs: number): Promise<number> {
  const journal = app.revocations;
  if (journal === undefined) return 0;
  let recorded = 0;
  const pending = journal.pending();
  for (let start = 0; start < pending.length; start += REPLAY_CHUNK) {
    const entries = pending.slice(start, start + REPLAY_CHUNK);
    const ids = entries.map((entry) => entry.grantId);
    const { value } = await inTransaction(app, async (scope) => {
      const { trx, now } = scope;
      // The provider's revoke is done: the claim takes the grant from any worker, so that one record is written.
      const claimed = await claimGrantsForTeardown(trx, ids, { owner, now, leaseMs, takeOver: true });
      const byId = new Map(entries.map((entry) => [entry.grantId, entry]));
      const items: Revoked[] = claimed.flatMap((grant) => {
        const entry = byId.get(grant.id);
        if (entry === undefined) return [];
        const { kind, actor, reason, at } = entry;
        return [{ input: { grantId: grant.id, kind, actor, reason, revokedAt: at }, grant, failure: undefined }];
      });
      const outcomes = await recordTeardowns(scope, items, owner);
      return outcomes.filter((outcome) => outcome.outcome === 'revoked' || outcome.outcome === 'expired').length;
    });
    recorded += value;
    await journal.settle(ids, app.clock.now());
  }
  return recorded;
}
