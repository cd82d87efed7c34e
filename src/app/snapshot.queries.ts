/**
 * What every read of the API shares: one read transaction with the policy snapshot in force, and turning a
 * refused read decision into a `forbidden` error carrying its reasons. Reads change nothing and write no
 * audit event.
 */
import type { Transaction } from 'kysely';
import { AppError } from '../core/errors.js';
import type { ReadDecision } from '../decide/visibility.decide.js';
import type { Schema } from '../store/schema.js';
import type { AppContext, PolicySnapshot } from './context.js';

export interface ReadScope {
  readonly trx: Transaction<Schema>;
  readonly snapshot: PolicySnapshot;
  readonly now: number;
}

/** Runs `work` in one read transaction with the policy snapshot at the clock's now. */
export async function readWithSnapshot<T>(app: AppContext, work: (scope: ReadScope) => Promise<T>): Promise<T> {
  const now = app.clock.now();
  return app.database.db.transaction().execute(async (trx) => {
    const snapshot = await app.policy.snapshot(trx, now);
    return work({ trx, snapshot, now });
  });
}

/** Throws `forbidden` with the decision's reasons unless it allows the read. */
export function requireRead(decision: ReadDecision): void {
  if (decision.allowed) return;
  throw new AppError('forbidden', decision.reasons[0]?.message ?? 'this read is not allowed', {
    reasons: decision.reasons.map((r) => ({ ...r })),
  });
}
