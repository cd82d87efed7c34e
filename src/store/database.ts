/**
 * Opening the database. Countersign keeps all its state in one SQL database, SQLite or PostgreSQL, with the
 * same schema and migration history on both.
 *
 * Choosing a database (`--db URL` or `COUNTERSIGN_DB`):
 * - **SQLite** (the embedded default): a file path, `sqlite:PATH` or `sqlite://PATH`. One file in WAL mode;
 *   `countersign serve` needs no other process. One server process writes; the CLI and `audit verify` may
 *   read (and briefly write) the same file from other processes. `:memory:` gives a throw-away database.
 * - **PostgreSQL** (production): `postgres://USER:PASSWORD@HOST:PORT/DB` or `postgresql://…` (pg's
 *   connection-string options such as `sslmode` apply). Run several stateless replicas against one database;
 *   background work is claimed with row leases (`lease.ts`), so each grant is revoked once.
 *
 * Passwords in URLs never appear in errors or logs: everything that shows a URL uses `redactUrl`.
 */
import { Kysely, sql } from 'kysely';
import { AppError } from '../core/errors.js';
import { parseDatabaseUrl, redactUrl, type DialectName } from './database-url.js';
import { createPostgresDialect, createPostgresPool, type PostgresOptions } from './dialects/postgres.js';
import { createSqliteDialect, openSqliteConnection, type SqliteOptions } from './dialects/sqlite.js';
import { classifyStoreError } from './errors.js';
import type { Schema } from './schema.js';

export type { DialectName } from './database-url.js';
export { parseDatabaseUrl, redactUrl } from './database-url.js';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  /** The URL it was opened with, password redacted: safe to log. */
  readonly displayUrl: string;
  /** Closes every connection. Idempotent. */
  close(): Promise<void>;
}

export type OpenDatabaseOptions = SqliteOptions & PostgresOptions;

/**
 * Opens a database and checks that it answers. Does not migrate: call `migrateToLatest` (`migrate.ts`).
 * Fails with `invalid` for a malformed URL and with a "database unavailable" `AppError` when the database
 * cannot be reached; neither message contains the password.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const displayUrl = redactUrl(url.trim());
  if (target.dialect === 'sqlite') {
    let connection;
    try {
      connection = openSqliteConnection(target.filename, options);
    } catch (error) {
      throw unavailable(displayUrl, error);
    }
    const db = new Kysely<Schema>({ dialect: createSqliteDialect(connection) });
    return { db, dialect: 'sqlite', displayUrl, close: once(() => db.destroy()) };
  }
  const pool = createPostgresPool(target.connectionString, options);
  const db = new Kysely<Schema>({ dialect: createPostgresDialect(pool) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw unavailable(displayUrl, error);
  }
  return { db, dialect: 'postgres', displayUrl, close: once(() => db.destroy()) };
}

function unavailable(displayUrl: string, error: unknown): AppError {
  const hint = openFailureHint(error);
  const opened = new AppError(
    'database_unavailable',
    `database '${displayUrl}' is unavailable${hint ? `: ${hint}` : ''}`,
    { reason: 'database_unavailable', retryable: true },
  );
  Object.defineProperty(opened, 'cause', { value: error, enumerable: false });
  return opened;
}

/** A hint in product words for the common reasons a database does not open; never the driver's text. */
function openFailureHint(error: unknown): string | undefined {
  // better-sqlite3 refuses a missing directory itself, with a TypeError and no code.
  if (error instanceof TypeError && error.message.includes('directory does not exist')) {
    return 'the directory of the file does not exist';
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case '28P01':
    case '28000':
      return 'the server refused the credentials';
    case '3D000':
      return 'the database does not exist';
    case 'ECONNREFUSED':
      return 'no server answers at that address';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'SQLITE_CANTOPEN':
      return 'the file cannot be opened';
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database';
    default:
      return classifyStoreError(error) === 'unavailable' ? undefined : 'the database could not be opened';
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= action());
}
