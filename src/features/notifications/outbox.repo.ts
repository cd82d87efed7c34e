/**
 * Reading and changing outbox rows outside delivery itself: what the API and CLI show of deliveries and the
 * operator's retry of a failed one. Failed deliveries are never deleted; they stay until retried.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { OutboxStatus, Row, Schema } from '../../store/schema.js';

/** A delivery as users see it (no payload: it may be large; fetch the event by id from the audit log). */
export interface OutboxDelivery {
  readonly id: string;
  readonly event: string;
  readonly notifier: string;
  readonly status: OutboxStatus;
  readonly urgent: boolean;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

export function toDelivery(row: Row<'outbox'>): OutboxDelivery {
  return {
    id: row.id,
    event: row.event,
    notifier: row.notifier,
    status: row.status,
    urgent: row.priority > 0,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

export interface ListDeliveriesOptions {
  readonly status?: OutboxStatus;
  /** At most this many, newest first (default 100, at most 1000). */
  readonly limit?: number;
}

export async function listDeliveries(
  db: Kysely<Schema>,
  options: ListDeliveriesOptions = {},
): Promise<OutboxDelivery[]> {
  let query = db.selectFrom('outbox').selectAll();
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(toDelivery);
}

/**
 * Puts a failed delivery back in the queue: `pending`, due at `now`, with a fresh attempt budget. Its
 * `last_error` stays until the next attempt replaces it. Pass a transaction to record an audit event with it.
 * Invariant: only a `failed` row changes; `not_found` for an unknown id, `conflict` for any other status.
 */
export async function retryFailedDelivery(db: Kysely<Schema>, id: string, now: number): Promise<OutboxDelivery> {
  const row = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) return toDelivery(row);
  const existing = await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst();
  if (existing === undefined) throw new AppError('not_found', `delivery '${id}' does not exist`, { id });
  throw new AppError('conflict', `delivery '${id}' is ${existing.status}, not failed`, { id, status: existing.status });
}
