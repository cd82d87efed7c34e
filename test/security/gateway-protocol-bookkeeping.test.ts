/**
 * A grant holder confuses the gate's bookkeeping of the extended protocol, through the real PostgreSQL: the
 * portal the gate fails a refused batch in, the names of prepared statements (the server keeps a statement the
 * gate thought replaced or closed), and the cost of recording one Bind's parameters on each Execute. Each test
 * failed before its fix.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query, SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { ADMIN_URL } from '../store/dialects.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';
import { bind, execute, parse, RawClient } from '../gateway/raw-client.js';

const TABLE = `bookkeeping_${process.pid}_${Date.now()}`;
const TEST_DB = ADMIN_URL.replace(/\/[^/]*$/, '/test');

async function admin<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DB });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const errors = (messages: readonly { type: number; body: Buffer }[]) =>
  messages.filter((m) => m.type === Backend.errorResponse).map((m) => readErrorFields(m.body));
const codes = (messages: readonly { type: number; body: Buffer }[]) => errors(messages).map((e) => e.get('C'));

function target(type: number, kind: 'S' | 'P', name: string): Buffer {
  return frame(type, Buffer.concat([Buffer.from(kind), Buffer.from(`${name}\0`)]));
}

describe('the gate’s bookkeeping of the extended protocol', () => {
  const backend = new ProtocolBackend({
    refuse: (sql) => (/^\s*delete/i.test(sql) ? "rule 'no-deletes': deletes need approval" : undefined),
  });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let raw: RawClient;

  beforeAll(async () => {
    await admin(`create table ${TABLE} (id int)`);
    backend.addLogin('alice', 'payments-db', 'gw-secret-1');
    gateway = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gateway.close();
    await admin(`drop table if exists ${TABLE}`);
  });

  const connect = async () => (raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'gw-secret-1'));
  const cycle = async (...messages: Buffer[]) => {
    for (const message of messages) raw.send(message);
    raw.send(SYNC);
    return raw.untilReady();
  };
  const lastRecorded = () => backend.statements.at(-1)?.sql;

  it('a cursor DECLAREd with the name of the portal the gate fails in does not turn a refusal into a commit', async () => {
    await connect();
    try {
      // SQL may name a portal anything: a holdable cursor lives on, under the name the gate's stand-in had.
      await raw.send(query(`declare "countersign.refused-statement" cursor with hold for select 1`));
      await raw.untilReady();
      const answers = await cycle(
        parse('', `insert into ${TABLE} values (1)`),
        bind('', '', 0),
        execute(''),
        parse('', `delete from ${TABLE}`),
        bind('', '', 0),
        execute(''),
      );
      expect(codes(answers)).toEqual(['42501']);
      expect(await admin(`select * from ${TABLE}`)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('a portal named with the gate’s reserved prefix cannot be bound, described, executed or closed', async () => {
    await connect();
    try {
      for (const message of [
        bind('countersign.x', '', 0),
        target(Frontend.describe, 'P', 'countersign.refused-statement'),
        target(Frontend.close, 'P', 'Countersign.x'),
        execute('countersign.refused-statement'),
      ]) {
        const answers = await cycle(parse('', 'select 1'), message);
        expect(codes(answers)).toEqual([expect.stringMatching(/^(42P03|34000)$/)]);
      }
    } finally {
      raw.close();
    }
  });

  it('statement names the server cuts to 63 bytes cannot stand for one another', async () => {
    await connect();
    const long = 'a'.repeat(63);
    try {
      // The server knows all three names as the same one (NAMEDATALEN), the gate would have known three.
      await cycle(parse(`${long}x`, 'select 5'));
      await cycle(target(Frontend.close, 'S', `${long}y`));
      await cycle(parse(`${long}z`, `insert into ${TABLE} values (5)`));
      await cycle(bind('', `${long}x`, 0), execute(''));
      const rows = await admin(`select * from ${TABLE}`);
      if (rows.length > 0) expect(lastRecorded()).toBe(`insert into ${TABLE} values (5)`);
    } finally {
      raw.close();
      await admin(`delete from ${TABLE}`);
    }
  });
});
