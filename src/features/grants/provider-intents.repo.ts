/**
 * Provider intents in the database (SPEC §2.8, migration 0017): a provider operation recorded as `pending`
 * before the provider is called, in the transaction that claims the request, and marked with its outcome
 * afterwards. The id is the operation's idempotency key. The only code touching `provider_intents`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ProviderIntentStatus, ProviderIntentsTable, Schema } from '../../store/schema.js';

type Trx = Transaction<Schema>;

export interface NewProviderIntent {
  /** The idempotency key, e.g. `pin_…`. */
  readonly id: string;
  readonly requestId: string;
  readonly operation: ProviderIntentsTable['operation'];
  readonly provider: string;
  readonly createdAt: number;
  /** After this instant the operation is surely over (the request's expiry for an `execute`). */
  readonly deadlineAt: number;
}

export interface PendingIntent {
  readonly id: string;
  readonly requestId: string;
  readonly operation: ProviderIntentsTable['operation'];
  readonly deadlineAt: number;
}

/** Records the intent. One per request and operation: a second one is refused by the unique index. */
export async function insertIntent(trx: Trx, intent: NewProviderIntent): Promise<void> {
  await trx
    .insertInto('provider_intents')
    .values({
      id: intent.id,
      request_id: intent.requestId,
      operation: intent.operation,
      provider: intent.provider,
      status: 'pending',
      created_at: intent.createdAt,
      deadline_at: intent.deadlineAt,
      finished_at: null,
    })
    .execute();
}

/**
 * Records an intent's outcome. Returns whether the intent was still open (`pending`, or `unknown` when a
 * late outcome arrives after the intent was flagged): an outcome already recorded is never overwritten.
 */
export async function finishIntent(
  trx: Trx,
  id: string,
  status: Exclude<ProviderIntentStatus, 'pending'>,
  now: number,
): Promise<boolean> {
  const open: ProviderIntentStatus[] = status === 'unknown' ? ['pending'] : ['pending', 'unknown'];
  const result = await trx
    .updateTable('provider_intents')
    .set({ status, finished_at: now })
    .where('id', '=', id)
    .where('status', 'in', open)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** `pending` intents whose deadline passed by `now`, oldest deadline first. */
export async function overdueIntents(db: Kysely<Schema>, now: number, limit: number): Promise<PendingIntent[]> {
  const rows = await db
    .selectFrom('provider_intents')
    .select(['id', 'request_id', 'operation', 'deadline_at'])
    .where('status', '=', 'pending')
    .where('deadline_at', '<=', now)
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    requestId: row.request_id,
    operation: row.operation,
    deadlineAt: Number(row.deadline_at),
  }));
}
