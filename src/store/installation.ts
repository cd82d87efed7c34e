/**
 * The id of this installation (migration 0010): made once, when the database is first migrated, and shared by
 * every replica. Providers carry it in what they create on a target, so that one installation never lists,
 * reconciles or drops what another created.
 */
import { AppError } from '../core/errors.js';
import type { Database } from './database.js';

/** Reads the installation id; fails with `invalid` when the database has not been migrated. */
export async function readInstallationId(database: Database): Promise<string> {
  const row = await database.db
    .selectFrom('installation')
    .select('installation_id')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('invalid', 'the database has no installation id; migrate it first');
  return row.installation_id;
}
