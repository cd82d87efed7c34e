/**
 * A refusal in the middle of an extended-protocol batch behaves like a failed statement in PostgreSQL: the batch
 * (one implicit transaction up to its Sync) is rolled back as a whole, the statements before the refused one
 * included, and the client sees their answers, then the refusal, then ReadyForQuery — as a pipelining client
 * (pgx's SendBatch, JDBC's batches) expects. The raw client sends the batch as drivers do, with no Sync between
 * the statements, to the real PostgreSQL through the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { REFUSAL_PORTAL, SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { testDbSql } from './admin-sql.js';
import { useNoDeletesGateway } from './no-deletes-gateway.js';
import { bind, execute, parse, type RawClient } from './raw-client.js';

const TABLE = `batch_refusal_${process.pid}_${Date.now()}`;

async function rows(): Promise<number[]> {
  return (await testDbSql<{ id: number }>(`select id from ${TABLE} order by id`)).map((row) => row.id);
}

const kinds = (messages: readonly { type: number }[]): string[] =>
  messages.map((message) => String.fromCharCode(message.type));

describe('a refusal inside an extended-protocol batch', () => {
  const { backend, connect } = useNoDeletesGateway({ table: TABLE, columns: 'id int primary key' });
  let raw: RawClient;

  // One client for the whole block: after-hooks run in reverse, so it is closed before the gateway is.
  beforeAll(async () => {
    raw = await connect();
  });
  afterAll(() => {
    raw?.close();
  });

  it('rolls back the statements before it in the same batch, as a failed statement would', async () => {
    raw.send(parse('', `insert into ${TABLE} values (1)`));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(parse('', `delete from ${TABLE}`));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(SYNC);
    const answers = await raw.untilReady();
    // The insert's answers, the refusal in the place of the delete's Parse, and the batch's ReadyForQuery.
    expect(kinds(answers)).toEqual(['1', '2', 'C', 'E', 'Z']);
    const error = readErrorFields(answers[3]!.body);
    expect(error.get('C')).toBe('42501');
    expect(error.get('M')).toContain("rule 'no-deletes'");
    expect(answers[4]!.body.toString()).toBe('I');
    expect(await rows()).toEqual([]);
  });

  it('aborts an explicit transaction, which then refuses everything until ROLLBACK', async () => {
    raw.send(parse('', 'begin'));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(parse('', `insert into ${TABLE} values (2)`));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(parse('', `delete from ${TABLE}`));
    raw.send(SYNC);
    const answers = await raw.untilReady();
    expect(kinds(answers)).toEqual(['1', '2', 'C', '1', '2', 'C', 'E', 'Z']);
    expect(answers.at(-1)!.body.toString()).toBe('E');
    raw.send(parse('', 'commit'));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(SYNC);
    const committed = await raw.untilReady();
    // COMMIT of an aborted transaction is a rollback.
    expect(kinds(committed)).toEqual(['1', '2', 'C', 'Z']);
    expect(committed[2]!.body.toString()).toContain('ROLLBACK');
    expect(await rows()).toEqual([]);
  });

  it('after an earlier error in the batch the client sees that error alone, and the next batch works', async () => {
    raw.send(parse('', 'select 1/0'));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(parse('', `delete from ${TABLE}`));
    raw.send(SYNC);
    const failed = await raw.untilReady();
    expect(kinds(failed)).toEqual(['1', 'E', 'Z']);
    expect(readErrorFields(failed[1]!.body).get('C')).toBe('22012');
    raw.send(parse('', `insert into ${TABLE} values (3)`));
    raw.send(bind('', '', 0));
    raw.send(execute(''));
    raw.send(SYNC);
    expect(kinds(await raw.untilReady())).toEqual(['1', '2', 'C', 'Z']);
    expect(await rows()).toEqual([3]);
  });

  it("an error that quotes the gateway's portal is the client's own, answered and recorded as such", async () => {
    // One write, as a pipelining driver sends a batch: the gate has queued its stand-in before the error comes back.
    raw.send(
      Buffer.concat([
        parse('', `select '"${REFUSAL_PORTAL}"'::int`),
        bind('', '', 0),
        execute(''),
        parse('', `delete from ${TABLE}`),
        SYNC,
      ]),
    );
    const answers = await raw.untilReady();
    // The constant is cast when the statement is parsed: its Parse fails, and the server skips the rest.
    expect(kinds(answers)).toEqual(['E', 'Z']);
    expect(readErrorFields(answers[0]!.body).get('C')).toBe('22P02');
    const [forged] = backend.statements.filter((statement) => statement.sql.includes('::int'));
    await expect
      .poll(() => backend.outcomes.find((outcome) => outcome.seq === forged!.seq)?.outcome.error?.code)
      .toBe('22P02');
  });

  it('a client cannot bind the portal the gateway fails in, so it cannot turn a refusal into a commit', async () => {
    raw.send(parse('', `insert into ${TABLE} values (4)`));
    raw.send(bind(REFUSAL_PORTAL, '', 0));
    raw.send(execute(REFUSAL_PORTAL));
    raw.send(SYNC);
    const answers = await raw.untilReady();
    expect(kinds(answers)).toEqual(['1', 'E', 'Z']);
    expect(readErrorFields(answers[1]!.body).get('M')).toContain('reserved by the Countersign gateway');
    expect(await rows()).toEqual([3]);
  });
});
