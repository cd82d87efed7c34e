/**
 * Long statements are parsed on a worker thread, off the event loop every session shares: while one session's
 * bulk inserts are checked, another session's statements go on being answered. The session whose long statement
 * is being parsed reads nothing more from its client meanwhile, and handles what it already read strictly in
 * order afterwards. Real gateway (the in-test backend), real PostgreSQL, raw protocol clients.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Backend, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query, SYNC, TERMINATE } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { frame } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { LONG_SQL_CHARS, sqlParsePool } from '../../src/gateway/postgres/sql-parse-pool.js';
import { testDbSql } from './admin-sql.js';
import { bulkInsert, longestRoundTrip, longInList } from './long-statements.js';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';
import { bind, execute, parse, RawClient } from './raw-client.js';

const TABLE = `long_statements_${process.pid}_${Date.now()}`;
const SECRET = 'gw-secret-long';
const FLUSH = frame(Frontend.flush, Buffer.alloc(0));
const backend = new ProtocolBackend({
  refuse: (sql) => (/^\s*delete/i.test(sql) ? "rule 'no-deletes': deletes need approval" : undefined),
});
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

const connect = (): Promise<RawClient> => RawClient.connect(gateway.port, 'alice', 'payments-db', SECRET);
const kinds = (messages: readonly { type: number }[]): string =>
  messages.map((message) => String.fromCharCode(message.type)).join('');
const rowCount = async (): Promise<number> =>
  Number((await testDbSql<{ n: string }>(`select count(*) as n from ${TABLE}`))[0]!.n);
const closed = (client: RawClient): Promise<void> =>
  new Promise((resolve) => (client.socket.destroyed ? resolve() : client.socket.once('close', () => resolve())));
/** Resolves once the pool's worker is parsing (the session's long text is pending). */
async function parsing(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (sqlParsePool().parsing === 0) {
    if (Date.now() > deadline) throw new Error('no parse started');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
/** A long DELETE, which the test backend refuses. */
const longDelete = (): string => longInList(`delete from ${TABLE} where a in (`, 20_000);
/** The rows of `bulkInsert(TABLE, bytes)`. */
const rowsOf = (sql: string): number => sql.split('),(').length;

beforeAll(async () => {
  await testDbSql(`create table ${TABLE} (a int, b int, c int, d int, e int, f int, g int, h int)`);
  backend.addLogin('alice', 'payments-db', SECRET);
  gateway = await startTestGateway(backend);
  // The worker starts on the first long text; under vitest it loads the TypeScript sources through tsx, which
  // takes a second and is not what these tests measure (the compiled worker starts in ~0.1 s).
  await sqlParsePool().analyse(`select 1 -- ${'x'.repeat(LONG_SQL_CHARS)}`);
});
afterAll(async () => {
  await gateway.close();
  await testDbSql(`drop table if exists ${TABLE}`);
});
beforeEach(async () => {
  await testDbSql(`truncate ${TABLE}`);
});

describe('a session sending long statements', () => {
  it("does not hold up another session's round trips while its bulk inserts are checked", async () => {
    const bulk = await connect();
    const other = await connect();
    const inserts = Array.from({ length: 5 }, (_, i) => bulkInsert(TABLE, 140_000, i * 10_000));
    const done = (async () => {
      bulk.send(Buffer.concat(inserts.map((insert) => query(insert))));
      for (const _ of inserts) expect(kinds(await bulk.untilReady())).toBe('CZ');
    })();
    const { longestMs, count } = await longestRoundTrip(other, done);
    await done;
    // Checked on the event loop, these inserts held every session up for 1.3–2.5 s here (the reads of one client
    // come in a burst); off it, the longest round trip measured 28–118 ms on a 2-core machine under a load of 7.
    expect(longestMs, `longest select 1 round trip of ${count}: ${longestMs.toFixed(1)} ms`).toBeLessThan(300);
    expect(await rowCount()).toBe(inserts.reduce((sum, insert) => sum + rowsOf(insert), 0));
    bulk.close();
    other.close();
  });

  it('runs simple queries pipelined behind a long one after it, in order', async () => {
    const client = await connect();
    const insert = bulkInsert(TABLE, 40_000);
    client.send(Buffer.concat([query(insert), query(`select count(*) from ${TABLE}`), query('select 2')]));
    expect(kinds(await client.untilReady())).toBe('CZ');
    const counted = await client.untilReady();
    expect(kinds(counted)).toBe('TDCZ');
    expect(counted[1]!.body.subarray(6).toString()).toBe(String(rowsOf(insert)));
    expect(kinds(await client.untilReady())).toBe('TDCZ');
    client.close();
  });

  it('keeps an extended-protocol batch behind a long Parse in order, its Flush and Sync included', async () => {
    const client = await connect();
    const insert = bulkInsert(TABLE, 40_000);
    client.send(Buffer.concat([parse('', insert), bind('', '', 0), execute(''), FLUSH]));
    // The Flush waited for the Parse: the answers up to the Execute's come without a Sync.
    const flushed = [await client.next(), await client.next(), await client.next()];
    expect(kinds(flushed)).toBe('12C');
    client.send(Buffer.concat([parse('', `select count(*) from ${TABLE}`), bind('', '', 0), execute(''), SYNC]));
    const answers = await client.untilReady();
    expect(kinds(answers)).toBe('12DCZ');
    expect(answers[2]!.body.subarray(6).toString()).toBe(String(rowsOf(insert)));
    client.close();
  });

  it('takes a Terminate sent behind a long statement only after the statement', async () => {
    const client = await connect();
    const insert = bulkInsert(TABLE, 40_000);
    client.send(Buffer.concat([query(insert), TERMINATE]));
    await closed(client);
    // The insert was checked, recorded and forwarded before the Terminate ended the session (which then cancels
    // what still runs upstream, as for any statement running when a session ends).
    const record = backend.statements.find((statement) => statement.sql === insert);
    expect(record?.allowed).toBe(true);
    await expect.poll(() => backend.closed.find((end) => end.sessionId === record?.sessionId)?.reason).toBe('client');
  });

  it('refuses a long statement in its place among pipelined ones, in both protocols', async () => {
    const client = await connect();
    client.send(
      Buffer.concat([query(bulkInsert(TABLE, 200)), query(longDelete()), query(`select count(*) from ${TABLE}`)]),
    );
    expect(kinds(await client.untilReady())).toBe('CZ');
    const refused = await client.untilReady();
    expect(kinds(refused)).toBe('EZ');
    expect(readErrorFields(refused[0]!.body).get('M')).toContain("rule 'no-deletes'");
    expect(kinds(await client.untilReady())).toBe('TDCZ');
    const before = await rowCount();
    client.send(Buffer.concat([parse('', bulkInsert(TABLE, 200)), bind('', '', 0), execute('')]));
    client.send(Buffer.concat([parse('', longDelete()), bind('', '', 0), execute(''), SYNC]));
    const batch = await client.untilReady();
    // The insert's answers, the refusal in the place of the delete's Parse, and the batch rolled back.
    expect(kinds(batch)).toBe('12CEZ');
    expect(await rowCount()).toBe(before);
    client.close();
  });
});

describe('when the parse of a long statement fails or the session ends during it', () => {
  it('refuses the statement when the worker dies mid-parse, and the session stays usable', async () => {
    const client = await connect();
    client.send(query(longInList()));
    await parsing();
    await sqlParsePool().stopWorkers();
    const refused = await client.untilReady();
    expect(kinds(refused)).toBe('EZ');
    const error = readErrorFields(refused[0]!.body);
    expect(error.get('C')).toBe('42501');
    expect(error.get('M')).toContain('could not be checked: the parse worker was stopped');
    client.send(query('select 1'));
    expect(kinds(await client.untilReady())).toBe('TDCZ');
    // A new worker takes the next long text.
    client.send(query(bulkInsert(TABLE, 20_000)));
    expect(kinds(await client.untilReady())).toBe('CZ');
    client.close();
  });

  it('forwards nothing when the grant is revoked while a long statement is parsed', async () => {
    const bob = backend.addLogin('bob', 'payments-db', SECRET);
    const client = await RawClient.connect(gateway.port, 'bob', 'payments-db', SECRET);
    const recorded = backend.statements.length;
    client.send(query(longInList(`insert into ${TABLE} (a) select 1 where 1 in (`)));
    client.send(query(`insert into ${TABLE} (a) values (1)`));
    await parsing();
    backend.revoke(bob.grantId);
    const fatal = await client.next();
    expect(fatal.type).toBe(Backend.errorResponse);
    expect(readErrorFields(fatal.body).get('M')).toContain('revoked');
    await closed(client);
    await expect.poll(() => sqlParsePool().parsing, { timeout: 10_000 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rowCount()).toBe(0);
    expect(backend.statements.length).toBe(recorded);
    expect(backend.closed.at(-1)?.reason).toBe('revoked');
  });

  it('reads nothing more from a client while its long statement is parsed (TCP backpressure bounds memory)', async () => {
    const client = await connect();
    client.socket.on('error', () => undefined);
    // About a second of parsing ahead, then 24 MB of small queries the gateway must not read meanwhile.
    client.send(Buffer.concat(Array.from({ length: 4 }, () => query(longInList()))));
    const filler = query(`select 1 -- ${'x'.repeat(7000)}`);
    const buffers = (): number => process.memoryUsage().arrayBuffers;
    const before = buffers();
    // One buffer written again and again: the client side holds 7 KB, whatever is queued.
    for (let sent = 0; sent < 24 * 1024 * 1024; sent += filler.length) client.send(filler);
    await parsing();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sqlParsePool().parsing).toBe(1);
    // Read on and held while the parse is pending, the queries took 21–30 MB here; not read, 0.5 MB.
    expect(buffers() - before).toBeLessThan(8 * 1024 * 1024);
    client.socket.destroy();
  });
});
