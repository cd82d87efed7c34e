/**
 * node-postgres through the gateway to the real PostgreSQL: SCRAM login with the gateway secret, simple and
 * extended protocol, prepared statements, pipelining with several queries in flight, refusals in the middle of
 * all that, recording before forwarding and outcomes after. The backend is the in-test one (protocol-backend.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';

const refuse = (sql: string): string | undefined =>
  /^\s*(delete|reset\s+role|set\s+role)\b/i.test(sql) ? "rule 'no-writes': writes need the run-sql action" : undefined;

describe('node-postgres through the gateway', () => {
  const backend = new ProtocolBackend({ refuse });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    backend.addLogin('alice', 'payments-db', 'gw-secret-1');
    gateway = await startTestGateway(backend);
  });
  afterAll(async () => {
    await gateway.close();
  });

  const connect = async (password = 'gw-secret-1'): Promise<pg.Client> => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'alice',
      database: 'payments-db',
      password,
    });
    await client.connect();
    return client;
  };

  it('a client logs in with SCRAM and its simple and extended queries reach the real server', async () => {
    const client = await connect();
    try {
      const simple = await client.query('select 40 + 2 as answer');
      expect(simple.rows).toEqual([{ answer: 42 }]);
      const extended = await client.query('select $1::int * 2 as doubled, $2::text as label', [21, 'x']);
      expect(extended.rows).toEqual([{ doubled: 42, label: 'x' }]);
      const named = { name: 'by-id', text: 'select $1::int + 1 as next', values: [1] };
      expect((await client.query(named)).rows).toEqual([{ next: 2 }]);
      expect((await client.query({ ...named, values: [9] })).rows).toEqual([{ next: 10 }]);
    } finally {
      await client.end();
    }
    const recorded = backend.statements.filter((s) => s.sql.includes('$1::int * 2'));
    expect(recorded).toEqual([expect.objectContaining({ allowed: true, params: ['21', 'x'] })]);
  });

  it('a wrong password is refused with 28P01 and no session is opened', async () => {
    const before = backend.closed.length + backend.statements.length;
    await expect(connect('wrong')).rejects.toMatchObject({ code: '28P01' });
    expect(backend.closed.length + backend.statements.length).toBe(before);
  });

  it('an unknown user sees the same refusal as a wrong password', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'mallory',
      database: 'payments-db',
      password: 'x',
    });
    await expect(client.connect()).rejects.toMatchObject({
      code: '28P01',
      message: 'password authentication failed for user "mallory"',
    });
  });

  it('a refused statement answers 42501 naming the rule and the session goes on', async () => {
    const client = await connect();
    try {
      const refused = await client.query('delete from pg_class').catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: '42501' });
      expect((refused as Error).message).toContain("rule 'no-writes'");
      expect((refused as Error).message).toContain('countersign request create --from-refusal refusal-');
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      const extended = await client.query('delete from pg_class where oid = $1', [0]).catch((error: unknown) => error);
      expect(extended).toMatchObject({ code: '42501' });
      expect((await client.query('select $1::int as two', [2])).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.end();
    }
  });

  it('a refusal inside a transaction aborts it as PostgreSQL would, and nothing of it is committed', async () => {
    const client = await connect();
    try {
      await client.query('create temp table t (n int)');
      await client.query('begin');
      await client.query('insert into t values (1)');
      await expect(client.query('delete from t')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('select 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('commit');
      expect((await client.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });

  it('pipelined queries with a refusal among them each get their own answer, in order', async () => {
    const client = await connect();
    try {
      const results = await Promise.allSettled([
        client.query('select 1 as n'),
        client.query('select $1::int as n', [2]),
        client.query('delete from pg_class where false'),
        client.query('select $1::int as n', [4]),
        client.query('select pg_sleep(0.05), 5 as n'),
        client.query('reset role'),
        client.query('select 7 as n'),
      ]);
      const summary = results.map((result) =>
        result.status === 'fulfilled'
          ? (result.value.rows[0] as { n: number }).n
          : (result.reason as { code: string }).code,
      );
      expect(summary).toEqual([1, 2, '42501', 4, 5, '42501', 7]);
    } finally {
      await client.end();
    }
  });

  it('every statement is recorded before it runs and its outcome after, rows counted', async () => {
    const client = await connect();
    try {
      await client.query('select generate_series(1, 25) as n');
    } finally {
      await client.end();
    }
    const statement = backend.statements.find((s) => s.sql === 'select generate_series(1, 25) as n');
    expect(statement).toBeDefined();
    const outcome = backend.outcomes.find((o) => o.sessionId === statement!.sessionId && o.seq === statement!.seq);
    expect(outcome?.outcome).toMatchObject({ commandTag: 'SELECT 25', rows: 25 });
    expect(outcome!.outcome.bytes).toBeGreaterThan(0);
    await expect.poll(() => backend.closed.find((c) => c.sessionId === statement!.sessionId)?.reason).toBe('client');
  });

  it('when the statement cannot be recorded it is not sent, and the session stays usable', async () => {
    let failing = false;
    const strict = new ProtocolBackend({ failRecording: () => failing });
    strict.addLogin('alice', 'payments-db', 's3cret');
    const own = await startTestGateway(strict);
    const client = new pg.Client({
      host: '127.0.0.1',
      port: own.port,
      user: 'alice',
      database: 'payments-db',
      password: 's3cret',
    });
    await client.connect();
    try {
      await client.query('create temp table journal_down (n int)');
      failing = true;
      await expect(client.query('insert into journal_down values (1)')).rejects.toMatchObject({ code: '58000' });
      failing = false;
      expect((await client.query('select count(*)::int as n from journal_down')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
      await own.close();
    }
  });
});
