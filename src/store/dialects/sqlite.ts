/**
 * The SQLite dialect: one better-sqlite3 connection per process (Kysely serialises its use), in WAL mode so
 * readers in other processes (the CLI, `audit verify`) never block the writer.
 *
 * Every transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front, so two processes never
 * both read under a deferred transaction and then fail with SQLITE_BUSY when they try to write; the second
 * one waits up to `busy_timeout` instead. Within one process this costs nothing, as there is only one
 * connection anyway.
 */
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';

export interface SqliteOptions {
  /** How long a writer waits for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly raw: BetterSqlite3.Database,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite rolls a transaction back by itself on some errors (disk full, I/O error); a second rollback would
   * then fail with "no transaction is active" and hide the error that matters, so it is skipped.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.raw.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  readonly #raw: BetterSqlite3.Database;

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], raw: BetterSqlite3.Database) {
    super(config);
    this.#config = config;
    this.#raw = raw;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#raw);
  }
}

/** Opens (creating if needed) a SQLite file, or an in-memory database for `:memory:`. */
export function openSqliteConnection(filename: string, options: SqliteOptions = {}): BetterSqlite3.Database {
  const connection = new BetterSqlite3(filename);
  try {
    if (filename !== ':memory:') connection.pragma('journal_mode = WAL');
    connection.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
    connection.pragma('foreign_keys = ON');
    // With WAL, NORMAL is durable against application crashes; only an OS crash may lose the last commits.
    connection.pragma('synchronous = NORMAL');
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}

/** Distinct SQL texts whose prepared statements are kept (queries are parameterised, so this is the query shapes). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, with prepared statements reused: Kysely prepares every query it runs, and on
 * a busy verb that preparing cost as much as executing. A statement still being iterated (a streamed read) is
 * busy, and then a fresh one is prepared, so a cached statement is never used by two readers at once.
 */
function withStatementCache(
  connection: BetterSqlite3.Database,
): ConstructorParameters<typeof SqliteDialect>[0]['database'] {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => connection.close(),
    prepare: (sql: string) => {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) return cached;
      const statement = connection.prepare(sql);
      if (cached === undefined) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export function createSqliteDialect(connection: BetterSqlite3.Database): SqliteDialect {
  return new ImmediateSqliteDialect({ database: withStatementCache(connection) }, connection);
}
