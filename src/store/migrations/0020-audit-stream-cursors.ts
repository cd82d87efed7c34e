/**
 * Audit streaming (issue 13, part 4): `audit_stream_cursors` holds one row per configured sink, the durable cursor
 * of its delivery. `delivered_seq` is the last audit event the sink acknowledged; delivery resumes after it after a
 * restart or an outage of the sink, so nothing is skipped (a batch the sink took but whose acknowledgement was lost
 * is sent again: consumers deduplicate by `seq`). Only the streamer moves a cursor, and only forward. `kind` and
 * `target` (the sink's URL without credentials) describe the sink for `GET /v1/audit/streams`; the configuration
 * itself stays with the operator (`serve --audit-stream`), never in the database.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_stream_cursors')
    .addColumn('sink', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('delivered_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_at', EPOCH_MS)
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', EPOCH_MS)
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();
}

export const auditStreamCursors: StoreMigration = { name: '0020-audit-stream-cursors', up };
