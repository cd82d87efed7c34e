/**
 * The PostgreSQL dialect: a pg Pool shared by the whole process. Several Countersign replicas can run against
 * one database; each holds at most `poolSize` connections. Every statement has a timeout, and a session left
 * idle inside a transaction (a replica that died mid-way) is ended by the server so its row locks are freed.
 */
import pg from 'pg';
import { PostgresDialect } from 'kysely';

export interface PostgresOptions {
  readonly poolSize?: number;
  readonly statementTimeoutMs?: number;
  /** Called with pool-level errors of idle connections (the server restarted, the network dropped). */
  readonly onPoolError?: (error: Error) => void;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 5000;
const INT8_OID = 20;

/** int8 (bigint, and `count(*)`) arrives as text; times and counts fit in a JS number, anything else is an error. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError('a bigint column holds a value beyond 2^53');
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPostgresPool(connectionString: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: 'countersign',
    types,
  });
  // Without a listener, a connection's error would crash the process: the pool listens on idle clients
  // only, so every client also gets a listener of its own for the time it is checked out (a backend
  // terminated or a server stopped mid-query). The query in flight still fails and its verb reports it.
  pool.on('error', (error) => options.onPoolError?.(error));
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onPoolError?.(error));
  });
  return pool;
}

export function createPostgresDialect(pool: pg.Pool): PostgresDialect {
  return new PostgresDialect({ pool });
}
