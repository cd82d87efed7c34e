/**
 * A grant holder runs a statement the gateway checked at Parse without the Execute that records it, or has the
 * record name another statement than the one that ran, through the names SQL and the protocol share on the
 * server: a portal bound through the protocol is a cursor to SQL (`FETCH ALL FROM p` runs it, shown on the real
 * PostgreSQL 15), and a cursor DECLAREd under a portal's name was executed as the statement the gate had bound
 * there. And the gate's own memory of portals the server had long dropped grew with every Bind. Through the
 * gateway to the real PostgreSQL, with a client that sends exactly the messages written here.
 */
import vm from 'node:vm';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query, SYNC } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { useNoDeletesGateway } from '../gateway/no-deletes-gateway.js';
import { bind, execute, parse, readRow, type RawClient } from '../gateway/raw-client.js';
import { decide, policy } from './statement-decisions.js';

type Message = { type: number; body: Buffer };
const codes = (messages: readonly Message[]) =>
  messages.filter((m) => m.type === Backend.errorResponse).map((m) => readErrorFields(m.body).get('C'));
const values = (messages: readonly Message[]) =>
  messages.filter((m) => m.type === Backend.dataRow).map((m) => readRow(m.body)[0]?.toString());

/** A Bind of `statement` to `portal` with one text parameter. */
function bindText(portal: string, statement: string, value: string): Buffer {
  const bytes = Buffer.from(value);
  const counts = Buffer.alloc(8);
  counts.writeInt16BE(0, 0); // parameter formats: all text
  counts.writeInt16BE(1, 2); // one parameter
  counts.writeInt32BE(bytes.length, 4);
  return frame(
    Frontend.bind,
    Buffer.concat([Buffer.from(`${portal}\0${statement}\0`), counts, bytes, Buffer.alloc(2)]),
  );
}

async function ask(raw: RawClient, sql: string): Promise<Message[]> {
  raw.send(query(sql));
  return raw.untilReady();
}

/** The heap in use after a full collection (the flag is set for this process only, at run time). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('the names SQL and the protocol share on the server', () => {
  const { backend, table: TABLE, connect, cycle } = useNoDeletesGateway();
  /** Every statement text the gate recorded for the session, in order. */
  const recorded = () => backend.statements.map((s) => s.sql);

  it('a statement bound through the protocol is not run by a SQL FETCH or MOVE, out of the record', async () => {
    const raw = await connect();
    const change = `insert into ${TABLE} values ($1::int) returning id`;
    try {
      await ask(raw, 'begin');
      await cycle(parse('s1', change), bindText('p', 's1', '1'), bindText('q', 's1', '2'));
      // On the server the portals p and q are cursors of this transaction: FETCH and MOVE would run the INSERT.
      // The names they have upstream are there to read (and refused in any cursor statement, below).
      const names = values(await ask(raw, `select name from pg_cursors where name <> ''`));
      const fetched = await ask(raw, 'fetch all from p');
      await ask(raw, 'rollback');
      await ask(raw, 'begin');
      await cycle(parse('s2', change), bindText('q', 's2', '2'));
      const moved = await ask(raw, 'move all in q');
      await ask(raw, 'commit');
      expect({ fetched: codes(fetched), moved: codes(moved) }).toEqual({ fetched: ['34000'], moved: ['34000'] });
      expect(await testDbSql(`select * from ${TABLE}`)).toEqual([]);
      expect(recorded()).not.toContain(change);
      expect(names).toHaveLength(2);
      for (const name of names) {
        expect(decide(policy([], 'allow'), `fetch all from "${name}"`).rule).toBe('gateway-names');
      }
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a statement prepared through the protocol is not run by a SQL EXECUTE, out of the record', async () => {
    const raw = await connect();
    const change = `insert into ${TABLE} values ($1::int)`;
    try {
      await cycle(parse('s5', change));
      // On the server s5 is a prepared statement of the session: EXECUTE would run the INSERT, recorded as itself.
      const executed = await ask(raw, `execute s5(5)`);
      const explained = await ask(raw, `explain analyze execute s5(6)`);
      expect({ executed: codes(executed), explained: codes(explained) }).toEqual({
        executed: ['26000'],
        explained: ['26000'],
      });
      expect(await testDbSql(`select * from ${TABLE}`)).toEqual([]);
      // Its name upstream is there to read, and refused in any statement naming a prepared statement.
      const names = values(await ask(raw, `select name from pg_prepared_statements`));
      expect(names).toHaveLength(1);
      for (const sql of ['execute "%"(7)', 'explain analyze execute "%"(7)', 'create table t7 as execute "%"(7)']) {
        expect(decide(policy([], 'allow'), sql.replace('%', names[0]!)).rule, sql).toBe('gateway-names');
      }
      for (const sql of ['deallocate "%"', 'prepare "%" as select 1']) {
        expect(decide(policy([], 'allow'), sql.replace('%', names[0]!)).rule, sql).toBe('gateway-names');
      }
      // Bound through the protocol it runs, as recorded.
      const bound = await cycle(bindText('', 's5', '8'), execute(''));
      expect(codes(bound)).toEqual([]);
      expect(await testDbSql(`select * from ${TABLE}`)).toEqual([{ id: 8 }]);
      expect(recorded().at(-1)).toBe(change);
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a cursor DECLAREd under the name of a portal the server dropped is not executed as that portal’s statement', async () => {
    const raw = await connect();
    try {
      const bound = await cycle(parse('s3', `select 1 as one`), bind('c', 's3', 0), execute('c'));
      expect(values(bound)).toEqual(['1']);
      // The Sync ended the transaction and the server dropped portal c; SQL now makes a cursor of that name.
      await ask(raw, `begin; declare c cursor for select 'not one' as other`);
      const answers = await cycle(execute('c'));
      await ask(raw, 'commit');
      expect(values(answers)).toEqual([]);
      expect(codes(answers)).toEqual(['34000']);
      expect(recorded().filter((sql) => sql === 'select 1 as one')).toHaveLength(1);
    } finally {
      raw.close();
    }
  });

  it('a cursor DECLAREd in the transaction of a bound portal of its name leaves the portal what the record says', async () => {
    const raw = await connect();
    try {
      await ask(raw, 'begin');
      await cycle(parse('s4', `select 4 as four`), bind('d', 's4', 0));
      const declared = await ask(raw, `declare d cursor for select 'not four' as other`);
      const answers = await cycle(execute('d'));
      await ask(raw, 'commit');
      // Either the server refuses the second cursor d (and the transaction with it), or the Execute runs what
      // the gate recorded: never the cursor's rows under the portal's record.
      expect(values(answers)).toEqual(codes(declared).length > 0 ? [] : ['4']);
      expect(recorded().at(-2)).toBe('select 4 as four');
    } finally {
      raw.close();
    }
  });

  it('portals the server dropped at the end of their transaction do not stay in the gateway’s memory', async () => {
    const raw = await connect();
    try {
      await cycle(parse('big', 'select length($1::text)'));
      const value = 'x'.repeat(1 << 20);
      const round = async (from: number, count: number) => {
        for (let i = from; i < from + count; i++) {
          raw.send(bindText(`portal_${i}`, 'big', value));
          raw.send(SYNC);
          await raw.untilReady();
        }
      };
      await round(0, 20);
      const before = heapAfterGc();
      await round(20, 150);
      const grown = (heapAfterGc() - before) / (1 << 20);
      // 150 Binds of 1 MiB each, every portal dropped by the server at its Sync: was 150 MiB more and counting.
      expect(grown).toBeLessThan(40);
    } finally {
      raw.close();
    }
  });
});
