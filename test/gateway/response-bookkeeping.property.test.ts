/**
 * Property: whatever a client interleaves — simple queries, extended batches with or without Sync, statements
 * that fail, COPY in and out in both protocols — every statement the gateway records carries its own outcome.
 * Each statement's result is told apart by a number of its own (`SELECT n` of n rows, `COPY n`, a missing table
 * named with n), so the oracle is what the server answered the client: a statement is on record with its command
 * tag exactly when the client read that tag, and with an error only when the error names its own table. Random
 * sequences, sent in one write through the gateway to the real PostgreSQL.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query, SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { useNoDeletesGateway } from './no-deletes-gateway.js';
import { bind, execute, parse } from './raw-client.js';

const TABLE = `bookkeeping_prop_${process.pid}_${Date.now()}`;

type Unit = 'simple' | 'simpleError' | 'extended' | 'extendedError' | 'sync' | 'copyIn' | 'copyInExtended' | 'copyOut';
const UNITS: readonly Unit[] = [
  'simple',
  'simpleError',
  'extended',
  'extendedError',
  'sync',
  'copyIn',
  'copyInExtended',
  'copyOut',
];

const copyRows = (n: number) => frame(Frontend.copyData, Buffer.from('1\n'.repeat(n)));
const COPY_DONE = frame(Frontend.copyDone, Buffer.alloc(0));
const extended = (sql: string) => [parse('', sql), bind('', '', 0), execute('')];

/** The messages of one unit; its statement's text and the tag it completes with, unless it fails. */
function build(unit: Unit, n: number): { messages: Buffer[]; sql?: string; tag?: string } {
  const select = `select i from generate_series(1, ${n}) i`;
  const missing = `select * from missing_${n}`;
  const copyIn = `copy ${TABLE} from stdin /* ${n} */`;
  switch (unit) {
    case 'simple':
      return { messages: [query(select)], sql: select, tag: `SELECT ${n}` };
    case 'simpleError':
      return { messages: [query(missing)], sql: missing };
    case 'extended':
      return { messages: extended(select), sql: select, tag: `SELECT ${n}` };
    case 'extendedError':
      return { messages: extended(missing), sql: missing };
    case 'sync':
      return { messages: [SYNC] };
    case 'copyIn':
      return { messages: [query(copyIn), copyRows(n), COPY_DONE], sql: copyIn, tag: `COPY ${n}` };
    case 'copyInExtended':
      // As libpq sends it: a Sync behind the Execute (ignored during COPY), another after CopyDone.
      return {
        messages: [...extended(copyIn), SYNC, copyRows(n), COPY_DONE, SYNC],
        sql: copyIn,
        tag: `COPY ${n}`,
      };
    case 'copyOut': {
      const sql = `copy (select generate_series(1, ${n})) to stdout`;
      return { messages: [query(sql)], sql, tag: `COPY ${n}` };
    }
  }
}

describe('the gateway’s record of answers, for any interleaving of protocol messages', () => {
  // Its rule refuses deletes, which no unit sends: every statement here runs (or fails) upstream.
  const { backend, connect } = useNoDeletesGateway({ table: TABLE });
  /** From 2: the marker query's own tag is SELECT 1. */
  let next = 2;

  it('records every statement with the outcome the server gave it and no other', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 7 }), async (units) => {
        const raw = await connect();
        try {
          const sent = units.map((unit) => build(unit, next++));
          const marker = `marker ${next++}`;
          raw.send(Buffer.concat([...sent.flatMap((s) => s.messages), SYNC, query(`select '${marker}'`)]));
          const tags = new Set<string>();
          const errors: string[] = [];
          for (let seenMarker = false; ;) {
            const message = await raw.next();
            if (message.type === Backend.commandComplete)
              tags.add(message.body.toString('utf8', 0, message.body.length - 1));
            if (message.type === Backend.errorResponse) errors.push(readErrorFields(message.body).get('M') ?? '');
            if (message.type === Backend.dataRow && message.body.includes(marker)) seenMarker = true;
            if (seenMarker && message.type === Backend.readyForQuery) break;
          }
          const session = backend.statements.find((s) => s.sql === `select '${marker}'`)!.sessionId;
          const recorded = backend.statements.filter((s) => s.sessionId === session);
          const outcome = (seq: number) => backend.outcomes.find((o) => o.sessionId === session && o.seq === seq);
          await expect.poll(() => recorded.every((s) => outcome(s.seq) !== undefined)).toBe(true);
          for (const unit of sent.filter((s) => s.sql !== undefined)) {
            const statement = recorded.find((s) => s.sql === unit.sql)!;
            const { commandTag, error, rows } = outcome(statement.seq)!.outcome;
            const ran = unit.tag !== undefined && tags.has(unit.tag);
            expect(commandTag, unit.sql).toBe(ran ? unit.tag : undefined);
            if (ran) expect(rows, unit.sql).toBe(Number(unit.tag!.split(' ')[1]));
            const own = /missing_\d+/.exec(unit.sql!)?.[0];
            if (error !== undefined) expect(own !== undefined && error.message.includes(own), unit.sql).toBe(true);
            if (own !== undefined && errors.some((message) => message.includes(own))) {
              expect(error?.code, unit.sql).toBe('42P01');
            }
          }
        } finally {
          raw.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
