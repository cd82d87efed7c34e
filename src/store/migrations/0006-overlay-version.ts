/**
 * One counter, `overlay_version`, that triggers bump whenever a table overlaid on the YAML policy changes
 * (identities, role assignments, role activations, SoD exceptions). Verbs read it first in their transaction
 * and reuse the previous policy snapshot while it is unchanged, instead of re-reading four tables per verb.
 * Triggers rather than application code, so that no write path (a future verb, an operator's SQL) can forget it.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';
import type { StoreMigration } from './migration.js';

export const OVERLAY_TABLES = ['identities', 'role_assignments', 'role_activations', 'sod_exceptions'] as const;

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('overlay_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into overlay_version (id, version) values (1, 0)`.execute(db);

  if (dialect === 'sqlite') {
    // SQLite has only row-level triggers: one per table and operation.
    for (const table of OVERLAY_TABLES) {
      for (const operation of ['insert', 'update', 'delete'] as const) {
        await sql`create trigger ${sql.id(`${table}_bump_overlay_on_${operation}`)} after ${sql.raw(operation)}
          on ${sql.id(table)} begin update overlay_version set version = version + 1 where id = 1; end`.execute(db);
      }
    }
    return;
  }
  await sql`create function countersign_bump_overlay_version() returns trigger language plpgsql as $$
    begin
      update overlay_version set version = version + 1 where id = 1;
      return null;
    end $$`.execute(db);
  // Row-level, as on SQLite: an UPDATE that matches no row (ending activations a request never had) changes
  // nothing and must not invalidate every replica's snapshot, or write the counter's row, on each revoke.
  for (const table of OVERLAY_TABLES) {
    await sql`create trigger ${sql.id(`${table}_bump_overlay`)} after insert or update or delete
      on ${sql.id(table)} for each row execute function countersign_bump_overlay_version()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_bump_overlay_on_truncate`)} after truncate
      on ${sql.id(table)} for each statement execute function countersign_bump_overlay_version()`.execute(db);
  }
}

export const overlayVersion: StoreMigration = { name: '0006-overlay-version', up };
