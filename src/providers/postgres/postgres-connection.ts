/**
 * Where the PostgreSQL provider's admin connection comes from and how failures are worded. A resource's
 * `connection` names an environment variable (`dsnEnv`) or a file (`dsnFile`) holding the admin DSN; the DSN is
 * read when first needed, never echoed in a message, and never comes from policy YAML. One small pool per DSN.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Resource } from '../../policy/model.js';

export interface ConnectionSource {
  /** Where `dsnEnv` is looked up (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Host, port, database and TLS settings of a DSN, without its user and password. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly ssl: pg.ClientConfig['ssl'];
}

export const CONNECT_TIMEOUT_MS = 5000;
/** Bounds every statement of the provider's own (administrative) work. */
export const ADMIN_STATEMENT_TIMEOUT_MS = 15_000;

/** Problems with a resource's `connection` for this provider, without reading anything. */
export function connectionProblems(resource: Resource): string[] {
  const { dsnEnv, dsnFile } = resource.connection;
  if (dsnEnv === undefined && dsnFile === undefined) {
    return [`resource '${resource.name}' has no connection.dsnEnv or connection.dsnFile naming its admin DSN`];
  }
  if (dsnEnv !== undefined && dsnFile !== undefined) {
    return [`resource '${resource.name}' names both connection.dsnEnv and connection.dsnFile; keep one`];
  }
  return [];
}

/** The admin DSN of a resource. Throws `provider_failed` naming the variable or file, never the DSN. */
export function resolveDsn(resource: Resource, source: ConnectionSource): string {
  const problems = connectionProblems(resource);
  if (problems.length > 0) throw new AppError('provider_failed', problems.join('; '));
  const { dsnEnv, dsnFile } = resource.connection;
  if (dsnEnv !== undefined) {
    const value = (source.env ?? process.env)[dsnEnv]?.trim();
    if (!value) {
      throw new AppError('provider_failed', `resource '${resource.name}': environment variable ${dsnEnv} is not set`);
    }
    return value;
  }
  let content: string;
  try {
    content = readFileSync(dsnFile as string, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AppError('provider_failed', `resource '${resource.name}': cannot read DSN file ${dsnFile} (${code})`);
  }
  if (content === '')
    throw new AppError('provider_failed', `resource '${resource.name}': DSN file ${dsnFile} is empty`);
  return content;
}

/** The server a DSN points at, read by pg's own parser. Throws without quoting the DSN. */
export function serverAddress(resource: Resource, dsn: string): ServerAddress {
  try {
    const parsed = new pg.Client({ connectionString: dsn });
    return { host: parsed.host, port: parsed.port, database: parsed.database ?? '', ssl: parsed.ssl };
  } catch {
    throw new AppError(
      'provider_failed',
      `resource '${resource.name}': its DSN is not a valid PostgreSQL connection string`,
    );
  }
}

/**
 * Settings for one client of the DSN's server with some fields replaced (another database, another user).
 * pg lets a connection string win over explicit fields, so the DSN is parsed first and not passed on.
 */
export function clientConfig(
  dsn: string,
  replace: { readonly database?: string; readonly user?: string; readonly password?: string },
): pg.ClientConfig {
  const parsed = new pg.Client({ connectionString: dsn });
  return {
    host: parsed.host,
    port: parsed.port,
    database: replace.database ?? parsed.database,
    user: replace.user ?? parsed.user,
    password: replace.password ?? parsed.password ?? undefined,
    ssl: parsed.ssl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'countersign',
  };
}

/** One small pool per DSN, created on first use and ended by `closeAll`. */
export class PoolCache {
  readonly #pools = new Map<string, pg.Pool>();

  get(dsn: string): pg.Pool {
    let pool = this.#pools.get(dsn);
    if (pool === undefined) {
      pool = new pg.Pool({
        connectionString: dsn,
        max: 2,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        statement_timeout: ADMIN_STATEMENT_TIMEOUT_MS,
        application_name: 'countersign',
      });
      // An idle client whose connection dies (server restart, terminated backend) is discarded by the pool;
      // without a listener the error would end the process.
      pool.on('error', () => undefined);
      this.#pools.set(dsn, pool);
    }
    return pool;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

interface DatabaseErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly severity?: unknown;
}

/** The SQLSTATE of a PostgreSQL error, when the error came from the server. */
export function sqlState(error: unknown): string | undefined {
  const { code, severity } = (error ?? {}) as DatabaseErrorLike;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && severity !== undefined ? code : undefined;
}

/**
 * A failure in product words: what was being done, then the PostgreSQL message's first line and SQLSTATE for a
 * server error, or only the system error code (ECONNREFUSED, …) for a connection failure; never more driver text.
 */
export function providerError(resource: Resource, doing: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const state = sqlState(error);
  if (state !== undefined) {
    const firstLine =
      String((error as DatabaseErrorLike).message ?? '')
        .split('\n')[0]
        ?.slice(0, 500) ?? '';
    return new AppError(
      'provider_failed',
      `resource '${resource.name}': ${doing} failed: ${firstLine} (SQLSTATE ${state})`,
      {
        sqlstate: state,
      },
    );
  }
  const code = (error as DatabaseErrorLike | undefined)?.code;
  const cause = typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? ` (${code})` : '';
  return new AppError(
    'provider_failed',
    `resource '${resource.name}': ${doing} failed: cannot reach PostgreSQL${cause}`,
  );
}
