/**
 * Red team: a statement running upstream outlived the gateway session that sent it. When the gateway ended a
 * session (the grant revoked or expired, the budget used up, the client gone) it closed the client and sent
 * Terminate upstream, which the server reads only once the running statement is over: an autocommit INSERT …
 * SELECT pg_sleep(…) committed seconds after the session was recorded as ended, and so did every statement the
 * client had pipelined behind it (the server reads them before the Terminate). Revocation was covered only when the
 * provider's revoke managed to terminate the backend; here the provider does not (as when its revoke fails and is
 * retried), so the gateway is the only line of defence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';
import { bind, execute, parse, RawClient } from '../gateway/raw-client.js';

const TABLE = `running_after_end_${process.pid}_${Date.now()}`;
const FLUSH = frame(Frontend.flush, Buffer.alloc(0));

async function written(): Promise<string[]> {
  const rows = await testDbSql<{ tag: string }>(`select tag from ${TABLE} order by tag`);
  return rows.map((row) => row.tag);
}

/** An autocommit statement that writes `tag` once it has slept `seconds`. */
const slowWrite = (tag: string, seconds = 2): string =>
  `insert into ${TABLE} select '${tag}' from pg_sleep(${seconds})`;

/** How many server sessions are running the statement that writes `tag`. */
async function runningNow(tag: string): Promise<number> {
  const [row] = await testDbSql<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity ` +
      `where state = 'active' and query like '%''${tag}''%' and pid <> pg_backend_pid()`,
  );
  return row!.n;
}

/** Waits until the statement has started upstream, so the test is not a race. */
async function running(tag: string): Promise<void> {
  await expect.poll(() => runningNow(tag), { timeout: 5000, interval: 50 }).toBe(1);
}

/** Longer than the slow statements take, so a write that was not stopped has happened by then. */
const pastTheSleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2500));

describe('a statement running upstream when the gateway ends its session', () => {
  beforeAll(async () => {
    await testDbSql(`create table ${TABLE} (tag text)`);
    // A write that comes after a sleep, from inside a statement whose rows stream first.
    await testDbSql(
      `create function ${TABLE}_later(tag text) returns int language sql ` +
        `as $$ select pg_sleep(2); insert into ${TABLE} values (tag); select 1 $$`,
    );
  });
  afterAll(async () => {
    await testDbSql(`drop function if exists ${TABLE}_later(text)`);
    await testDbSql(`drop table if exists ${TABLE}`);
  });

  it('does not write after the grant was revoked', async () => {
    const backend = new ProtocolBackend();
    const login = backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      raw.send(query(slowWrite('revoked')));
      await running('revoked');
      backend.revoke(login.grantId);
      await expect.poll(() => backend.closed.map((c) => c.reason), { timeout: 2000 }).toEqual(['revoked']);
      await pastTheSleep();
      expect(await written()).not.toContain('revoked');
    } finally {
      await gateway.close();
    }
  });

  it('nor do the statements the client pipelined behind it', async () => {
    const backend = new ProtocolBackend();
    const login = backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      raw.send(
        Buffer.concat([query(slowWrite('pipelined-1', 1)), query(`insert into ${TABLE} values ('pipelined-2')`)]),
      );
      await running('pipelined-1');
      backend.revoke(login.grantId);
      await expect.poll(() => backend.closed.length, { timeout: 2000 }).toBe(1);
      await pastTheSleep();
      expect(await written()).not.toContain('pipelined-1');
      expect(await written()).not.toContain('pipelined-2');
    } finally {
      await gateway.close();
    }
  });

  it('does not keep running after the grant was revoked when it runs as an Execute with no Sync yet', async () => {
    const backend = new ProtocolBackend();
    const login = backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      // Flush, not Sync: the statement runs with no ReadyForQuery owed (and in an implicit transaction).
      // Its implicit transaction cannot commit without a Sync; what is at stake is the statement holding its locks
      // and the server's time long after the session ended.
      raw.send(Buffer.concat([parse('', slowWrite('unsynced', 10)), bind('', '', 0), execute(''), FLUSH]));
      await running('unsynced');
      backend.revoke(login.grantId);
      await expect.poll(() => backend.closed.length, { timeout: 2000 }).toBe(1);
      await expect.poll(() => runningNow('unsynced'), { timeout: 2000, interval: 100 }).toBe(0);
      expect(await written()).not.toContain('unsynced');
    } finally {
      await gateway.close();
    }
  });

  it('does not write after the session used up its row budget', async () => {
    const backend = new ProtocolBackend({ limits: { maxRows: 2 } });
    backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      // Rows larger than the server's send buffer leave it as they come, and the third ends the session; the
      // statement goes on to sleep and write for its last row, a small one that stays in the server's buffer
      // until after the commit (so no failed write to the closed connection stops it).
      raw.send(
        query(
          `select repeat('x', case when g < 5 then 10000 else 1 end), ` +
            `case when g = 5 then ${TABLE}_later('budget') end from generate_series(1, 5) g`,
        ),
      );
      await expect.poll(() => backend.closed.map((c) => c.reason), { timeout: 3000 }).toEqual(['budget']);
      await pastTheSleep();
      expect(await written()).not.toContain('budget');
    } finally {
      await gateway.close();
    }
  });

  it('does not write after the client went away without a word', async () => {
    const backend = new ProtocolBackend();
    backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    const gateway = await startTestGateway(backend);
    try {
      const raw = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      raw.send(query(slowWrite('client-gone')));
      await running('client-gone');
      raw.socket.destroy();
      await expect.poll(() => backend.closed.map((c) => c.reason), { timeout: 2000 }).toEqual(['client']);
      await pastTheSleep();
      expect(await written()).not.toContain('client-gone');
    } finally {
      await gateway.close();
    }
  });

  it("cancels only its own session's statement, not one of another session running at the same time", async () => {
    const backend = new ProtocolBackend();
    const revoked = backend.addLogin('carl', 'payments-db', 'gw-secret-run');
    backend.addLogin('dana', 'payments-db', 'gw-secret-other');
    const gateway = await startTestGateway(backend);
    try {
      const carl = await RawClient.connect(gateway.port, 'carl', 'payments-db', 'gw-secret-run');
      const dana = await RawClient.connect(gateway.port, 'dana', 'payments-db', 'gw-secret-other');
      // Both sessions log in upstream as the same user: only the backend key tells them apart.
      dana.send(query(slowWrite('other-session')));
      carl.send(query(slowWrite('cancelled-session')));
      await running('other-session');
      await running('cancelled-session');
      backend.revoke(revoked.grantId);
      await expect.poll(() => backend.closed.length, { timeout: 2000 }).toBe(1);
      const answer = await dana.untilReady();
      expect(answer.map((m) => String.fromCharCode(m.type)).join('')).toBe('CZ');
      expect(await written()).toContain('other-session');
      expect(await written()).not.toContain('cancelled-session');
      dana.close();
    } finally {
      await gateway.close();
    }
  });
});
