/**
 * Resources registered through the API (or by discovery) are part of the policy snapshot too, so that they can
 * be requested, checked and torn down like those of the policy files: registering, moving or removing one bumps
 * `overlay_version` (migration 0006) like the other overlaid tables.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';
import type { StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    for (const operation of ['insert', 'update', 'delete'] as const) {
      await sql`create trigger ${sql.id(`resources_bump_overlay_on_${operation}`)} after ${sql.raw(operation)}
        on resources begin update overlay_version set version = version + 1 where id = 1; end`.execute(db);
    }
    return;
  }
  await sql`create trigger resources_bump_overlay after insert or update or delete on resources
    for each row execute function countersign_bump_overlay_version()`.execute(db);
  await sql`create trigger resources_bump_overlay_on_truncate after truncate on resources
    for each statement execute function countersign_bump_overlay_version()`.execute(db);
}

export const resourcesOverlay: StoreMigration = { name: '0009-resources-overlay', up };
