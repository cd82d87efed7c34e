/**
 * A grant holder tries to put the gateway's record of answers out of step with what the server ran, so that
 * statements are recorded with other statements' outcomes (and a refusal answered where the server skipped):
 * messages PostgreSQL reads without answering — a Sync during COPY FROM STDIN, a Query in an extended batch that
 * failed — and COPY TO STDOUT as a way around the row budget. Through the gateway to the real PostgreSQL, with a
 * client that sends exactly the messages written here.
 */
import { describe, expect, it } from 'vitest';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query, SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { useNoDeletesGateway } from '../gateway/no-deletes-gateway.js';
import { bind, execute, parse, type RawClient } from '../gateway/raw-client.js';

const MISSING = `no_such_table_${process.pid}`;

type Message = { type: number; body: Buffer };
const kinds = (messages: readonly Message[]): string => messages.map((m) => String.fromCharCode(m.type)).join('');
const codes = (messages: readonly Message[]) =>
  messages.filter((m) => m.type === Backend.errorResponse).map((m) => readErrorFields(m.body).get('C'));
const copyData = (text: string) => frame(Frontend.copyData, Buffer.from(text));
const COPY_DONE = frame(Frontend.copyDone, Buffer.alloc(0));

/** Every message until the gateway closes the connection. */
async function untilClosed(raw: RawClient): Promise<Message[]> {
  const closed = new Promise((resolve) => raw.socket.once('close', resolve));
  const messages: Message[] = [];
  const reading = (async () => {
    for (;;) messages.push(await raw.next());
  })().catch(() => undefined);
  await Promise.race([closed, reading]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return messages;
}

describe('red team: the gateway’s record of answers stays in step with the server', () => {
  const { backend, table: TABLE, connect } = useNoDeletesGateway({ limits: { maxRows: 5 } });

  /** The outcome recorded for the last statement whose text is `sql`, once there is one. */
  async function outcomeOf(sql: string) {
    const statement = backend.statements.findLast((recorded) => recorded.sql === sql);
    expect(statement, sql).toBeDefined();
    const find = () => backend.outcomes.find((o) => o.seq === statement!.seq && o.sessionId === statement!.sessionId);
    await expect.poll(() => find() !== undefined).toBe(true);
    return find()!.outcome;
  }

  it('a COPY sent in the extended protocol as libpq sends it leaves every later outcome on its own statement', async () => {
    const raw = await connect();
    try {
      raw.send(parse('', `copy ${TABLE} from stdin`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(SYNC); // the server ignores a Sync in COPY IN mode (libpq sends it, then another after CopyDone)
      expect(kinds([await raw.next(), await raw.next(), await raw.next()])).toBe('12G');
      raw.send(copyData('7\n'));
      raw.send(COPY_DONE);
      raw.send(SYNC);
      expect(kinds(await raw.untilReady())).toBe('CZ');
      raw.send(query(`insert into ${TABLE} select generate_series(1, 3)`));
      await raw.untilReady();
      raw.send(query(`select 42`));
      await raw.untilReady();
      expect((await outcomeOf(`copy ${TABLE} from stdin`)).commandTag).toBe('COPY 1');
      expect((await outcomeOf(`insert into ${TABLE} select generate_series(1, 3)`)).commandTag).toBe('INSERT 0 3');
      expect((await outcomeOf('select 42')).commandTag).toBe('SELECT 1');
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a Query sent after a failed Parse of the same batch is skipped by the server and recorded as not run', async () => {
    const raw = await connect();
    try {
      raw.send(parse('', `select * from ${MISSING}`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(query('select 1 as skipped_by_server'));
      raw.send(SYNC);
      // PostgreSQL skips everything up to Sync, the Query included: one error, one ReadyForQuery.
      const answers = await raw.untilReady();
      expect(kinds(answers)).toBe('EZ');
      raw.send(query('select 2 as next_one'));
      expect(kinds(await raw.untilReady())).toBe('TDCZ');
      const skipped = await outcomeOf('select 1 as skipped_by_server');
      expect(skipped.commandTag).toBeUndefined();
      expect(skipped.rows).toBe(0);
      expect((await outcomeOf('select 2 as next_one')).commandTag).toBe('SELECT 1');
      expect((await outcomeOf(`select * from ${MISSING}`)).error?.code).toBe('42P01');
    } finally {
      raw.close();
    }
  });

  it('a refused Query inside a batch the server already failed is not answered with the refusal', async () => {
    const raw = await connect();
    try {
      raw.send(parse('', `select * from ${MISSING}`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(query(`delete from ${TABLE}`));
      raw.send(SYNC);
      // The server would have skipped the DELETE: the client reads the batch's error and one ReadyForQuery.
      const answers = await raw.untilReady();
      expect(codes(answers)).toEqual(['42P01']);
      expect(kinds(answers)).toBe('EZ');
      raw.send(query('select 3 as after_refusal'));
      expect(kinds(await raw.untilReady())).toBe('TDCZ');
      expect((await outcomeOf('select 3 as after_refusal')).commandTag).toBe('SELECT 1');
    } finally {
      raw.close();
    }
  });

  it('a Query inside a batch that did not fail is answered and syncs it, each statement keeping its outcome', async () => {
    const raw = await connect();
    try {
      raw.send(parse('', `insert into ${TABLE} values (10), (11)`));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(query('select 4 as in_the_batch'));
      raw.send(parse('', 'select 5 as after_the_query'));
      raw.send(bind('', '', 0));
      raw.send(execute(''));
      raw.send(SYNC);
      expect(kinds(await raw.untilReady())).toBe('12CTDCZ');
      expect(kinds(await raw.untilReady())).toBe('12DCZ');
      expect((await outcomeOf(`insert into ${TABLE} values (10), (11)`)).commandTag).toBe('INSERT 0 2');
      expect((await outcomeOf('select 4 as in_the_batch')).commandTag).toBe('SELECT 1');
      expect((await outcomeOf('select 5 as after_the_query')).commandTag).toBe('SELECT 1');
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a Sync sent among COPY data ends the session rather than leave the record to guess', async () => {
    const raw = await connect();
    try {
      raw.send(query(`copy ${TABLE} from stdin`));
      expect(kinds([await raw.next()])).toBe('G');
      raw.send(copyData('8\n'));
      raw.send(SYNC);
      raw.send(copyData('not a number\n'));
      raw.send(COPY_DONE);
      const answers = await untilClosed(raw);
      expect(codes(answers)).toEqual(['08P01']);
      expect(readErrorFields(answers.at(-1)!.body).get('S')).toBe('FATAL');
    } finally {
      raw.close();
    }
  });

  it("COPY … TO STDOUT counts its rows against the profile's row budget", async () => {
    const raw = await connect();
    try {
      raw.send(query(`copy (select generate_series(1, 100)) to stdout`));
      const answers = await untilClosed(raw);
      // One CopyData per row: a session whose budget is 5 rows gets at most 5, then the budget's FATAL.
      expect(answers.filter((m) => m.type === Backend.copyData).length).toBeLessThanOrEqual(5);
      expect(codes(answers)).toEqual(['53400']);
    } finally {
      raw.close();
    }
  });
});
