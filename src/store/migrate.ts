/**
 * Bringing a database's schema up to date (`countersign db migrate`, and `serve` at start). Uses Kysely's
 * `Migrator` with the in-code list of `migrations/index.ts`; on PostgreSQL an advisory lock makes replicas
 * that start together migrate one at a time.
 */
import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { AppError } from '../core/errors.js';
import type { Database } from './database.js';
import type { DialectName } from './database-url.js';
import { toStoreError } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';
import type { StoreMigration } from './migrations/migration.js';

export interface MigrationOutcome {
  /** One entry per migration that was attempted: `Success`, `Error`, or `NotExecuted` after a failure. */
  readonly results: readonly MigrationResult[];
  /** Set when a migration failed; the migrations before it stay applied. Never contains driver text. */
  readonly error?: AppError;
}

function providerFor(dialect: DialectName, migrations: readonly StoreMigration[]): MigrationProvider {
  return {
    async getMigrations() {
      const byName: Record<string, Migration> = {};
      for (const migration of migrations) byName[migration.name] = { up: (db) => migration.up(db, dialect) };
      return byName;
    },
  };
}

/**
 * Applies every migration not yet applied, in order. Running it again is a no-op. Returns what happened
 * instead of throwing halfway, so the caller can report which migration failed.
 */
export async function migrateToLatest(
  database: Database,
  migrations: readonly StoreMigration[] = MIGRATIONS,
): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db: database.db, provider: providerFor(database.dialect, migrations) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) return { results };
  const failed = results.find((result) => result.status === 'Error')?.migrationName;
  return { results, error: toStoreError(error, failed ? `applying migration '${failed}'` : 'migrating') };
}

/** Names of migrations that exist in code but are not applied yet (for `/readyz` and `db migrate --check`). */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: providerFor(database.dialect, MIGRATIONS) });
  const all = await migrator.getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
