/**
 * The audit log and its signed checkpoints, append-only in the database itself: triggers refuse UPDATE and
 * DELETE (and TRUNCATE on PostgreSQL) with "audit log is append-only", whoever connects. This is the one
 * migration whose SQL differs by dialect, because triggers do.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';
import { AUDIT_APPEND_ONLY_MESSAGE } from '../errors.js';
import { EPOCH_MS, type StoreMigration } from './migration.js';

const APPEND_ONLY_TABLES = ['audit_events', 'audit_checkpoints'] as const;

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const schema = db.schema;

  await schema
    .createTable('audit_events')
    // Assigned by the appender (previous seq + 1), not by the database: a gap is evidence of deletion. On
    // SQLite an `integer primary key` is the table's own row order (the rowid), so reading the head and
    // streaming the log in seq order cost one B-tree walk instead of an index look-up per row.
    .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('time', EPOCH_MS, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await schema.createIndex('audit_events_time_idx').on('audit_events').column('time').execute();
  await schema.createIndex('audit_events_subject_idx').on('audit_events').column('subject').execute();

  await schema
    .createTable('audit_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('head', 'text', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('time', EPOCH_MS, (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();

  const message = sql.lit(AUDIT_APPEND_ONLY_MESSAGE);
  if (dialect === 'sqlite') {
    for (const table of APPEND_ONLY_TABLES) {
      for (const operation of ['update', 'delete'] as const) {
        await sql`create trigger ${sql.id(`${table}_no_${operation}`)} before ${sql.raw(operation)} on ${sql.id(table)}
          begin select raise(abort, ${message}); end`.execute(db);
      }
    }
    return;
  }
  await sql`create function countersign_refuse_audit_change() returns trigger language plpgsql as $$
    begin
      raise exception using message = ${message}, errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of APPEND_ONLY_TABLES) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.id(table)}
      for each row execute function countersign_refuse_audit_change()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.id(table)}
      for each statement execute function countersign_refuse_audit_change()`.execute(db);
  }
}

export const auditLog: StoreMigration = { name: '0003-audit-log', up };
