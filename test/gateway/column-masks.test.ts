/**
 * Column masks through the gateway to the real PostgreSQL: a profile's masks (`hash`, `last4`, `redact`, with or
 * without a table) rewrite the rows of psql (simple protocol), node-postgres (extended, describing each portal
 * itself) and a raw client that executes without any Describe, asking for binary results (as JDBC and pgx do
 * after their first execution): the gateway then asks for the description itself. Masked fields are announced as
 * `text`; aliases and `SELECT *` do not escape a mask; other tables' columns of the same name are left alone when
 * the mask names a table. The backend is the in-test one (protocol-backend.ts): the statement checks that refuse
 * computing from a masked column are Countersign's (sql-mask-check.ts, tested on its own).
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { testDbSql } from './admin-sql.js';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';
import { bind, execute, parse, RawClient, readRow } from './raw-client.js';

const suffix = `${process.pid}_${Date.now()}`;
const USERS = `mask_users_${suffix}`;
const ORDERS = `mask_orders_${suffix}`;
const PARTED = `mask_parted_${suffix}`;
const HASH_KEY = Buffer.alloc(32, 7);

const hashOf = (value: string): string => createHmac('sha256', HASH_KEY).update(value).digest('hex').slice(0, 16);

describe('column masks through the gateway', () => {
  const backend = new ProtocolBackend({
    masking: {
      masks: [
        { table: USERS, column: 'email', mask: 'hash' },
        { column: 'card', mask: 'last4' },
        { table: `public.${USERS}`, column: 'age', mask: 'redact' },
        { table: PARTED, column: 'secret', mask: 'redact' },
      ],
      hashKey: HASH_KEY,
    },
  });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    await testDbSql(`create table ${USERS} (id int primary key, email text, card varchar(19), age int, note text)`);
    await testDbSql(`create table ${ORDERS} (id int primary key, email text, card text)`);
    await testDbSql(
      `insert into ${USERS} values (1, 'ada@example.com', '4111111111111111', 36, 'first'), ` +
        `(2, 'bob@example.com', '12', 41, null), (3, 'ada@example.com', null, null, 'same e-mail')`,
    );
    await testDbSql(`insert into ${ORDERS} values (1, 'ada@example.com', '5500005555555559')`);
    await testDbSql(`create table ${PARTED} (id int, secret text) partition by range (id)`);
    await testDbSql(`create table ${PARTED}_low partition of ${PARTED} for values from (0) to (100)`);
    await testDbSql(`insert into ${PARTED} values (1, 'hunter2')`);
    backend.addLogin('alice', 'payments-db', 'gw-secret-1');
    gateway = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gateway.close();
    await testDbSql(`drop table if exists ${USERS}, ${ORDERS}, ${PARTED}`);
  });

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'alice',
      database: 'payments-db',
      password: 'gw-secret-1',
    });
    await client.connect();
    return client;
  };

  it('node-postgres sees hashed, last-four and redacted values, typed as text, whatever the alias', async () => {
    const client = await connect();
    try {
      const simple = await client.query(`select id, email, card, age, note from ${USERS} order by id`);
      expect(simple.rows).toEqual([
        { id: 1, email: hashOf('ada@example.com'), card: '****1111', age: '****', note: 'first' },
        { id: 2, email: hashOf('bob@example.com'), card: '****', age: '****', note: null },
        { id: 3, email: hashOf('ada@example.com'), card: null, age: null, note: 'same e-mail' },
      ]);
      expect(simple.fields.find((field) => field.name === 'age')?.dataTypeID).toBe(25);
      const extended = await client.query(`select email as e, age as years from ${USERS} where id = $1`, [1]);
      expect(extended.rows).toEqual([{ e: hashOf('ada@example.com'), years: '****' }]);
      const star = { name: 'star', text: `select * from ${USERS} where id = $1` };
      expect((await client.query({ ...star, values: [2] })).rows).toEqual([
        { id: 2, email: hashOf('bob@example.com'), card: '****', age: '****', note: null },
      ]);
      // The prepared statement again: node-postgres describes only the portal this time.
      expect((await client.query({ ...star, values: [1] })).rows[0]).toMatchObject({ card: '****1111' });
    } finally {
      await client.end();
    }
  });

  it("a mask with a table leaves another table's column of the same name alone; one without a table does not", async () => {
    const client = await connect();
    try {
      const orders = await client.query(`select email, card from ${ORDERS}`);
      expect(orders.rows).toEqual([{ email: 'ada@example.com', card: '****5559' }]);
    } finally {
      await client.end();
    }
  });

  it('a mask on a partitioned table covers its partitions, even queried by their own names', async () => {
    const client = await connect();
    try {
      expect((await client.query(`select secret from ${PARTED}`)).rows).toEqual([{ secret: '****' }]);
      expect((await client.query(`select id, secret from ${PARTED}_low`)).rows).toEqual([{ id: 1, secret: '****' }]);
    } finally {
      await client.end();
    }
  });

  it('psql (simple protocol, text results) sees the masked values', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        'psql',
        ['-X', '-A', '-t', '-F', '|', '-c', `select email, card, age from ${USERS} order by id`],
        {
          env: {
            ...process.env,
            PGHOST: '127.0.0.1',
            PGPORT: String(gateway.port),
            PGUSER: 'alice',
            PGDATABASE: 'payments-db',
            PGPASSWORD: 'gw-secret-1',
            PGSSLMODE: 'disable',
          },
          timeout: 20_000,
        },
        (error, out, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(out)),
      );
      child.stdin?.end();
    });
    expect(stdout).toBe(
      `${hashOf('ada@example.com')}|****1111|****\n${hashOf('bob@example.com')}|****|****\n${hashOf('ada@example.com')}||\n`,
    );
  });

  it('a client that executes without describing, in binary, still gets masked rows and never the plan', async () => {
    const raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'gw-secret-1');
    try {
      raw.send(parse('s1', `select id, email, age, card from ${USERS} where id = 1`));
      raw.send(bind('p1', 's1', 1));
      raw.send(execute('p1'));
      raw.send(SYNC);
      const answers = await raw.untilReady();
      // ParseComplete, BindComplete, one row, CommandComplete, ReadyForQuery: the gateway's Describe is not seen.
      expect(answers.map((message) => String.fromCharCode(message.type))).toEqual(['1', '2', 'D', 'C', 'Z']);
      const row = readRow(answers[2]!.body);
      expect(row[0]!.readInt32BE(0)).toBe(1);
      expect(row[1]!.toString('utf8')).toBe(hashOf('ada@example.com'));
      // An int in binary cannot keep four characters: it is redacted whole.
      expect(row[2]!.toString('utf8')).toBe('****');
      expect(row[3]!.toString('utf8')).toBe('****1111');
      // Executing the same portal's statement again without any Describe: still masked.
      raw.send(bind('p2', 's1', 0));
      raw.send(execute('p2'));
      raw.send(SYNC);
      const again = await raw.untilReady();
      expect(again.map((message) => String.fromCharCode(message.type))).toEqual(['2', 'D', 'C', 'Z']);
      expect(readRow(again[1]!.body)[1]!.toString('utf8')).toBe(hashOf('ada@example.com'));
    } finally {
      raw.close();
    }
  });

  it('a statement that fails mid-batch leaves no description behind for the next batch', async () => {
    const raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'gw-secret-1');
    try {
      raw.send(parse('', 'select 1/0'));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(parse('', `select email from ${USERS} where id = 2`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(SYNC);
      const failed = await raw.untilReady();
      // 1/0 is folded when Bind plans it: Bind fails, and the server skips the gateway's Describe and the rest.
      expect(failed.map((message) => String.fromCharCode(message.type))).toEqual(['1', 'E', 'Z']);
      raw.send(parse('', `select email from ${USERS} where id = 2`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(SYNC);
      const next = await raw.untilReady();
      expect(next.map((message) => String.fromCharCode(message.type))).toEqual(['1', '2', 'D', 'C', 'Z']);
      expect(readRow(next[2]!.body)[0]!.toString('utf8')).toBe(hashOf('bob@example.com'));
    } finally {
      raw.close();
    }
  });
});
