/**
 * `countersign db …`: operator work on the database itself, with direct access as an operator on the host has
 * — `db migrate` brings the schema up to date. Also the one place the CLI resolves `--db` / `COUNTERSIGN_DB`.
 */
import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { EXIT_OK, EXIT_SERVER, type CommandResult, type RunCommand } from './exit-codes.js';
import { printError, printJson, printLines, type OutputOptions } from './output.js';

export const DB_URL_HELP =
  'database: a SQLite path, sqlite:PATH or postgres://USER:PASSWORD@HOST/DB (default: $COUNTERSIGN_DB)';

/** The database URL from `--db` or `COUNTERSIGN_DB`; a usage error (`invalid`) when neither is set. */
export function resolveDatabaseUrl(option: string | undefined): string {
  const url = option ?? process.env.COUNTERSIGN_DB;
  if (url === undefined || url.trim() === '') {
    throw new AppError('invalid', 'no database given: pass --db URL or set COUNTERSIGN_DB');
  }
  return url;
}

/** Runs `work` on an open database and closes it afterwards, whatever happens. */
export async function withDatabase<T>(url: string, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(url);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export interface DbMigrateOptions extends OutputOptions {
  readonly db?: string;
}

/** `db migrate`: applies every pending migration; 0 when the schema is up to date, 4 when one failed. */
export async function dbMigrateCommand(options: DbMigrateOptions): CommandResult {
  const url = resolveDatabaseUrl(options.db);
  return withDatabase(url, async (database) => {
    const outcome = await migrateToLatest(database);
    const applied = outcome.results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const failed = outcome.results.find((r) => r.status === 'Error')?.migrationName;
    if (options.json) {
      printJson({
        ok: outcome.error === undefined,
        database: database.displayUrl,
        applied,
        ...(failed === undefined ? {} : { failed }),
        ...(outcome.error === undefined ? {} : { error: outcome.error.message }),
      });
    } else {
      if (applied.length > 0) printLines(applied.map((name) => `applied ${name}`));
      if (outcome.error === undefined) {
        printLines([
          applied.length === 0
            ? `database '${database.displayUrl}' is already up to date`
            : `database '${database.displayUrl}' is up to date (${applied.length} applied)`,
        ]);
      }
    }
    if (outcome.error !== undefined) {
      if (!options.json) printError(`error: ${outcome.error.message}`);
      return EXIT_SERVER;
    }
    return EXIT_OK;
  });
}

/** Adds the `db` command group. */
export function registerDbCommands(program: Command, run: RunCommand): void {
  const db = program.command('db').description('operate on the database directly (needs database access)');
  db.command('migrate')
    .description('apply every pending schema migration and print which ones were applied')
    .option('--db <url>', DB_URL_HELP)
    .option('--json', 'print { ok, database, applied, failed?, error? } as JSON')
    .action((options: DbMigrateOptions) => run(() => dbMigrateCommand(options)));
}
