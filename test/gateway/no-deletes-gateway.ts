/**
 * The fixture of the tests that check the gate's bookkeeping against the real PostgreSQL: a gateway over the
 * in-test backend (protocol-backend.ts) whose one rule refuses deletes, alice's login to it, and a scratch table
 * in the database `test` that statements sent through the gateway write to and the test reads back directly
 * (`testDbSql`). `useNoDeletesGateway` registers the hooks that make and remove them in the describe block that
 * calls it.
 */
import { afterAll, beforeAll } from 'vitest';
import { SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { testDbSql } from './admin-sql.js';
import { ProtocolBackend, startTestGateway, type ProtocolBackendOptions } from './protocol-backend.js';
import { RawClient } from './raw-client.js';

const SECRET = 'gw-secret-1';

export interface NoDeletesGatewayOptions {
  /** The scratch table's name; `bookkeeping_<pid>_<time>` when not given. */
  readonly table?: string;
  /** The scratch table's columns, as `create table` takes them; `id int` when not given. */
  readonly columns?: string;
  /** The limits of every session (none when not given). */
  readonly limits?: ProtocolBackendOptions['limits'];
}

export interface NoDeletesGateway {
  readonly backend: ProtocolBackend;
  /** The scratch table's name. */
  readonly table: string;
  /** Logs alice in with a new raw client, which `cycle` then talks through. */
  connect(): Promise<RawClient>;
  /** Sends `messages` and a Sync on the last client `connect` made; the answers up to its ReadyForQuery. */
  cycle(...messages: Buffer[]): Promise<{ type: number; body: Buffer }[]>;
}

export function useNoDeletesGateway(options: NoDeletesGatewayOptions = {}): NoDeletesGateway {
  const table = options.table ?? `bookkeeping_${process.pid}_${Date.now()}`;
  const backend = new ProtocolBackend({
    refuse: (sql) => (/^\s*delete/i.test(sql) ? "rule 'no-deletes': deletes need approval" : undefined),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let raw: RawClient | undefined;

  beforeAll(async () => {
    await testDbSql(`create table ${table} (${options.columns ?? 'id int'})`);
    backend.addLogin('alice', 'payments-db', SECRET);
    gateway = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gateway.close();
    await testDbSql(`drop table if exists ${table}`);
  });

  return {
    backend,
    table,
    connect: async () => (raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', SECRET)),
    cycle: async (...messages) => {
      if (raw === undefined) throw new Error('cycle() before connect()');
      for (const message of messages) raw.send(message);
      raw.send(SYNC);
      return raw.untilReady();
    },
  };
}
