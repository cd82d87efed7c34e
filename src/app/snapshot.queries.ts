/**
 * What every read of the API shares: one read transaction with the policy snapshot in force, and turning a
 * refused read decision into a `forbidden` error carrying its reasons. Reads change nothing and write no
 * audit event. A read fails the way a write does: a driver error leaves as an `AppError` in product words
 * (`database_unavailable` with `retryable`, `conflict`, …, through the same `toStoreError` as `inTransaction`),
 * never as driver text, whether an HTTP route, the CLI or a job called it.
 */
import type { Transaction } from 'kysely';
import { AppError } from '../core/errors.js';
import type { ReadDecision } from '../decide/visibility.decide.js';
import { toStoreError } from '../store/errors.js';
import type { Schema } from '../store/schema.js';
import type { AppContext, PolicySnapshot } from './context.js';

export interface ReadScope {
  readonly trx: Transaction<Schema>;
  readonly snapshot: PolicySnapshot;
  readonly now: number;
}

/**
 * Runs `work` in one read transaction. Invariant: whatever the driver throws reaches the caller mapped as
 * `inTransaction` maps it (an `AppError` `work` throws passes through unchanged).
 */
export async function inReadTransaction<T>(
  app: Pick<AppContext, 'database'>,
  work: (trx: Transaction<Schema>) => Promise<T>,
): Promise<T> {
  try {
    return await app.database.db.transaction().execute(work);
  } catch (error) {
    throw toStoreError(error);
  }
}

/** Runs `work` in one read transaction with the policy snapshot at the clock's now. */
export async function readWithSnapshot<T>(app: AppContext, work: (scope: ReadScope) => Promise<T>): Promise<T> {
  const now = app.clock.now();
  return inReadTransaction(app, async (trx) => work({ trx, snapshot: await app.policy.snapshot(trx, now), now }));
}

/** Throws `forbidden` with the decision's reasons unless it allows the read. */
export function requireRead(decision: ReadDecision): void {
  if (decision.allowed) return;
  throw new AppError('forbidden', decision.reasons[0]?.message ?? 'this read is not allowed', {
    reasons: decision.reasons.map((r) => ({ ...r })),
  });
}
