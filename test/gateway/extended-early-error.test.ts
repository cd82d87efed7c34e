/**
 * A client that sends Parse, Bind and Execute in separate writes, waiting between them, can get PostgreSQL's
 * error for its Parse or Bind before the gateway has seen its Execute: the server answers an error at once and
 * then skips every message up to Sync. The statement is recorded when its Execute reaches the gate, after the
 * error went by; its record must still carry the SQLSTATE the client was answered. The raw client sends each
 * message on its own, to the real PostgreSQL through the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { frame } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';
import { bind, execute, parse, RawClient } from './raw-client.js';

const MISSING = `no_such_table_${process.pid}`;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const kinds = (messages: readonly { type: number }[]): string[] =>
  messages.map((message) => String.fromCharCode(message.type));

/** A Bind of the unnamed statement with text parameters (raw-client's `bind` has none). */
function bindText(values: readonly string[]): Buffer {
  const head = Buffer.from('\0\0', 'utf8'); // unnamed portal, unnamed statement
  const counts = Buffer.alloc(4);
  counts.writeInt16BE(0, 0); // parameter formats: all text
  counts.writeInt16BE(values.length, 2);
  const params = values.map((value) => {
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes.length, 0);
    return Buffer.concat([length, bytes]);
  });
  const results = Buffer.alloc(2); // result formats: all text
  return frame(Frontend.bind, Buffer.concat([head, counts, ...params, results]));
}

describe('an upstream error that comes before the batch’s Execute reached the gateway', () => {
  const backend = new ProtocolBackend();
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let raw: RawClient;

  beforeAll(async () => {
    backend.addLogin('alice', 'payments-db', 'gw-secret-early');
    gateway = await startTestGateway(backend);
    raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'gw-secret-early');
  });
  afterAll(async () => {
    raw?.close();
    await gateway.close();
  });

  /** The outcome recorded for the statement whose text contains `text`, once there is one. */
  async function outcomeOf(text: string) {
    const statement = backend.statements.find((recorded) => recorded.sql.includes(text));
    expect(statement).toBeDefined();
    await expect.poll(() => backend.outcomes.some((outcome) => outcome.seq === statement!.seq)).toBe(true);
    return backend.outcomes.find((outcome) => outcome.seq === statement!.seq)!.outcome;
  }

  /** Sends `messages` one write each, `gapMs` apart, as a client that waits between them. */
  async function sendApart(messages: readonly Buffer[], gapMs = 50): Promise<void> {
    for (const message of messages) {
      raw.send(message);
      await pause(gapMs);
    }
  }

  it('a Parse that fails on a missing table is recorded with its SQLSTATE on the statement then executed', async () => {
    raw.send(parse('', `select * from ${MISSING}`));
    // The server answers the failed Parse at once: the client has its error before it sends Bind.
    const early = await raw.next();
    expect(String.fromCharCode(early.type)).toBe('E');
    expect(readErrorFields(early.body).get('C')).toBe('42P01');
    await sendApart([bind('', '', 0), execute(''), SYNC]);
    // The server skipped Bind and Execute: only the batch's ReadyForQuery follows.
    expect(kinds(await raw.untilReady())).toEqual(['Z']);
    const outcome = await outcomeOf(MISSING);
    expect(outcome.error?.code).toBe('42P01');
    expect(outcome.commandTag).toBeUndefined();
  });

  it('a Bind with too few parameters is recorded with its SQLSTATE on the statement then executed', async () => {
    await sendApart([parse('', 'select $1::int as too_few')]);
    raw.send(bind('', '', 0));
    const answers = [await raw.next(), await raw.next()];
    expect(kinds(answers)).toEqual(['1', 'E']);
    expect(readErrorFields(answers[1]!.body).get('C')).toBe('08P01');
    await sendApart([execute(''), SYNC]);
    expect(kinds(await raw.untilReady())).toEqual(['Z']);
    expect((await outcomeOf('too_few')).error?.code).toBe('08P01');
  });

  it('a Bind whose parameter is not of its type is recorded with its SQLSTATE on the statement then executed', async () => {
    await sendApart([parse('', 'select $1::int as wrong_type')]);
    raw.send(bindText(['not a number']));
    const answers = [await raw.next(), await raw.next()];
    expect(kinds(answers)).toEqual(['1', 'E']);
    expect(readErrorFields(answers[1]!.body).get('C')).toBe('22P02');
    await sendApart([execute(''), SYNC]);
    expect(kinds(await raw.untilReady())).toEqual(['Z']);
    expect((await outcomeOf('wrong_type')).error?.code).toBe('22P02');
  });

  it('an early error of a batch with no Execute is not carried to the next batch', async () => {
    raw.send(parse('', `select * from ${MISSING} as never_executed`));
    expect(String.fromCharCode((await raw.next()).type)).toBe('E');
    await sendApart([SYNC]);
    expect(kinds(await raw.untilReady())).toEqual(['Z']);
    await sendApart([parse('', 'select 1 as clean'), bind('', '', 0), execute(''), SYNC]);
    expect(kinds(await raw.untilReady())).toEqual(['1', '2', 'D', 'C', 'Z']);
    const outcome = await outcomeOf('clean');
    expect(outcome.error).toBeUndefined();
    expect(outcome.commandTag).toBe('SELECT 1');
    expect(backend.statements.some((recorded) => recorded.sql.includes('never_executed'))).toBe(false);
  });

  it('a statement executed after an earlier one of the same batch completed gets the error of its own Parse', async () => {
    await sendApart([parse('', 'select 2 as first_ok'), bind('', '', 0), execute('')]);
    raw.send(parse('', `select * from ${MISSING} as second_fails`));
    // The failed Parse flushes what the server held back: the first statement's answers, then the error.
    const answers = [await raw.next(), await raw.next(), await raw.next(), await raw.next(), await raw.next()];
    expect(kinds(answers)).toEqual(['1', '2', 'D', 'C', 'E']);
    await sendApart([bind('', '', 0), execute(''), SYNC]);
    expect(kinds(await raw.untilReady())).toEqual(['Z']);
    const first = await outcomeOf('first_ok');
    expect(first.error).toBeUndefined();
    expect(first.commandTag).toBe('SELECT 1');
    expect((await outcomeOf('second_fails')).error?.code).toBe('42P01');
  });
});
