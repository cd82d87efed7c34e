/**
 * One row naming this installation: a random id made when the database is first migrated. Every replica of
 * one installation shares it (they share the database); two installations never do. Providers mark what they
 * create on a target with it, so that an installation only ever lists, reconciles or drops its own (e.g. the
 * PostgreSQL provider's temporary roles when two installations manage one cluster).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('installation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  const installationId = randomBytes(8).toString('hex');
  await sql`insert into installation (id, installation_id, created_at) values (1, ${installationId}, ${Date.now()})`.execute(
    db,
  );
}

export const installation: StoreMigration = { name: '0010-installation', up };
