/**
 * The only writer of `audit_stream_cursors` (migration 0020): one row per sink, whose `delivered_seq` only moves
 * forward, and only while the mover holds the sink's delivery lease, so a replica whose lease lapsed mid-batch
 * can never move the cursor behind or past the replica that took over.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../../store/schema.js';

export interface CursorIdentity {
  readonly sink: string;
  readonly kind: string;
  readonly target: string;
}

export interface CursorRow {
  readonly sink: string;
  readonly kind: string;
  readonly target: string;
  readonly deliveredSeq: number;
  readonly deliveredAt: number | null;
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly updatedAt: number;
}

/** Creates the sink's cursor at seq 0 (the whole log is streamed) or refreshes its description; returns it. */
export async function ensureCursor(db: Kysely<Schema>, sink: CursorIdentity, now: number): Promise<CursorRow> {
  await db
    .insertInto('audit_stream_cursors')
    .values({
      sink: sink.sink,
      kind: sink.kind,
      target: sink.target,
      delivered_seq: 0,
      delivered_at: null,
      consecutive_failures: 0,
      last_error: null,
      last_error_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) =>
      conflict.column('sink').doUpdateSet({ kind: sink.kind, target: sink.target, updated_at: now }),
    )
    .execute();
  const row = await readCursor(db, sink.sink);
  if (row === undefined) throw new Error(`the cursor of audit stream '${sink.sink}' vanished`);
  return row;
}

export async function readCursor(db: Kysely<Schema>, sink: string): Promise<CursorRow | undefined> {
  const row = await db.selectFrom('audit_stream_cursors').selectAll().where('sink', '=', sink).executeTakeFirst();
  return row === undefined ? undefined : toCursor(row);
}

/** Every cursor, by sink name. */
export async function readCursors(db: Kysely<Schema>): Promise<CursorRow[]> {
  const rows = await db.selectFrom('audit_stream_cursors').selectAll().orderBy('sink').execute();
  return rows.map(toCursor);
}

export interface Advance {
  readonly sink: string;
  readonly toSeq: number;
  readonly now: number;
  /** The named lease the mover must still hold (`scheduler_leases`). */
  readonly lease: { readonly name: string; readonly owner: string };
}

/**
 * Moves the cursor forward to `toSeq` if the mover still holds the lease; true when it moved. In one statement,
 * so the lease check and the move are one atomic step on both dialects.
 */
export async function advanceCursor(db: Kysely<Schema>, advance: Advance): Promise<boolean> {
  const result = await db
    .updateTable('audit_stream_cursors')
    .set({ delivered_seq: advance.toSeq, delivered_at: advance.now, consecutive_failures: 0, updated_at: advance.now })
    .where('sink', '=', advance.sink)
    .where('delivered_seq', '<', advance.toSeq)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('scheduler_leases')
          .select('name')
          .where('name', '=', advance.lease.name)
          .where('owner', '=', advance.lease.owner)
          .where('lease_until', '>', advance.now),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts a failed delivery and keeps its (credential-free) reason. */
export async function recordFailure(db: Kysely<Schema>, sink: string, error: string, now: number): Promise<void> {
  await db
    .updateTable('audit_stream_cursors')
    .set((eb) => ({
      consecutive_failures: eb('consecutive_failures', '+', 1),
      last_error: error.slice(0, 500),
      last_error_at: now,
      updated_at: now,
    }))
    .where('sink', '=', sink)
    .execute();
}

function toCursor(row: Schema['audit_stream_cursors']): CursorRow {
  return {
    sink: row.sink,
    kind: row.kind,
    target: row.target,
    deliveredSeq: Number(row.delivered_seq),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    consecutiveFailures: Number(row.consecutive_failures),
    lastError: row.last_error,
    lastErrorAt: row.last_error_at === null ? null : Number(row.last_error_at),
    updatedAt: Number(row.updated_at),
  };
}
