/**
 * A grant holder confuses the gate's bookkeeping of the extended protocol, through the real PostgreSQL: the
 * portal the gate fails a refused batch in, the names of prepared statements (the server keeps a statement the
 * gate thought replaced or closed), and the cost of recording one Bind's parameters on each Execute. Each test
 * failed before its fix.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { useNoDeletesGateway } from '../gateway/no-deletes-gateway.js';
import { bind, execute, parse } from '../gateway/raw-client.js';

const errors = (messages: readonly { type: number; body: Buffer }[]) =>
  messages.filter((m) => m.type === Backend.errorResponse).map((m) => readErrorFields(m.body));
const codes = (messages: readonly { type: number; body: Buffer }[]) => errors(messages).map((e) => e.get('C'));

function target(type: number, kind: 'S' | 'P', name: string): Buffer {
  return frame(type, Buffer.concat([Buffer.from(kind), Buffer.from(`${name}\0`)]));
}

/** A Bind of `statement` to the unnamed portal with one text parameter. */
function bindText(statement: string, value: string): Buffer {
  const bytes = Buffer.from(value);
  const head = Buffer.alloc(4);
  head.writeInt16BE(0, 0); // parameter formats: all text
  head.writeInt16BE(1, 2); // one parameter
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes.length, 0);
  return frame(Frontend.bind, Buffer.concat([Buffer.from(`\0${statement}\0`), head, length, bytes, Buffer.alloc(2)]));
}

describe('the gate’s bookkeeping of the extended protocol', () => {
  const { backend, table: TABLE, connect, cycle } = useNoDeletesGateway();
  const lastRecorded = () => backend.statements.at(-1)?.sql;

  it('a cursor DECLAREd with the name of the portal the gate fails in does not turn a refusal into a commit', async () => {
    const raw = await connect();
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
      expect(await testDbSql(`select * from ${TABLE}`)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('a portal named with the gate’s reserved prefix cannot be bound, described, executed or closed', async () => {
    const raw = await connect();
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

  it('a named statement Parsed again (the server refuses: it exists) is recorded as what the server executes', async () => {
    const raw = await connect();
    try {
      await cycle(parse('s1', `insert into ${TABLE} values (2)`));
      expect(codes(await cycle(parse('s1', `select 2`)))).toEqual(['42P05']);
      const answers = await cycle(bind('', 's1', 0), execute(''));
      expect(answers.find((m) => m.type === Backend.commandComplete)?.body.toString()).toContain('INSERT 0 1');
      expect(lastRecorded()).toBe(`insert into ${TABLE} values (2)`);
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a statement name redefined through SQL (DEALLOCATE, then PREPARE) is not bound as the text it had', async () => {
    const raw = await connect();
    try {
      await cycle(parse('s9', `select 9`));
      await raw.send(query(`deallocate s9; prepare s9 as insert into ${TABLE} values (9)`));
      await raw.untilReady();
      // The server now runs the INSERT under s9; the gate must not bind it as `select 9`.
      const answers = await cycle(bind('', 's9', 0), execute(''));
      expect(codes(answers)).toEqual(['26000']);
      expect(await testDbSql(`select * from ${TABLE}`)).toEqual([]);
      expect(lastRecorded()).not.toBe('select 9');
      // Closed and parsed again through the protocol, the name is known by what the server answers (SQL cannot
      // DEALLOCATE it: the gate keeps protocol statements under names of its own upstream).
      await raw.send(query('deallocate s9'));
      await raw.untilReady();
      await cycle(target(Frontend.close, 'S', 's9'));
      await cycle(parse('s9', 'select 10'));
      const again = await cycle(bind('', 's9', 0), execute(''));
      expect(codes(again)).toEqual([]);
      expect(lastRecorded()).toBe('select 10');
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a Close the server skipped after an error leaves the statement known by what the server still holds', async () => {
    const raw = await connect();
    try {
      await cycle(parse('s1', `insert into ${TABLE} values (3)`));
      // The division fails, so the server skips the Close: s1 is still the INSERT.
      const failed = await cycle(
        parse('', 'select 1/0'),
        bind('', '', 0),
        execute(''),
        target(Frontend.close, 'S', 's1'),
      );
      expect(codes(failed)).toEqual(['22012']);
      await cycle(parse('s1', 'select 3'));
      await cycle(bind('', 's1', 0), execute(''));
      if ((await testDbSql(`select * from ${TABLE}`)).length > 0) {
        expect(lastRecorded()).toBe(`insert into ${TABLE} values (3)`);
      }
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('a Parse of the unnamed statement the server skipped after an error does not rename what it holds', async () => {
    const raw = await connect();
    try {
      await cycle(parse('', `insert into ${TABLE} values (4)`));
      const failed = await cycle(parse('e', 'select 1/0'), bind('', 'e', 0), execute(''), parse('', 'select 4'));
      expect(codes(failed)).toEqual(['22012']);
      await cycle(bind('', '', 0), execute(''));
      if ((await testDbSql(`select * from ${TABLE}`)).length > 0) {
        expect(lastRecorded()).toBe(`insert into ${TABLE} values (4)`);
      }
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('statement names the server cuts to 63 bytes cannot stand for one another', async () => {
    const raw = await connect();
    const long = 'a'.repeat(63);
    try {
      // The server knows all three names as the same one (NAMEDATALEN), the gate would have known three.
      await cycle(parse(`${long}x`, 'select 5'));
      await cycle(target(Frontend.close, 'S', `${long}y`));
      await cycle(parse(`${long}z`, `insert into ${TABLE} values (5)`));
      await cycle(bind('', `${long}x`, 0), execute(''));
      const rows = await testDbSql(`select * from ${TABLE}`);
      if (rows.length > 0) expect(lastRecorded()).toBe(`insert into ${TABLE} values (5)`);
    } finally {
      raw.close();
      await testDbSql(`delete from ${TABLE}`);
    }
  });

  it('executing one portal many times does not record its parameters again each time', async () => {
    const raw = await connect();
    try {
      const big = 'x'.repeat(1024 * 1024);
      raw.send(parse('', 'select length($1::text)'));
      raw.send(bindText('', big));
      const before = backend.statements.length;
      for (let i = 0; i < 100; i++) raw.send(execute(''));
      await cycle();
      const recorded = backend.statements.slice(before);
      expect(recorded).toHaveLength(100);
      const bytes = recorded.reduce((sum, s) => sum + (s.params ?? []).reduce((n, p) => n + (p?.length ?? 0), 0), 0);
      // About 1 MiB was sent, plus 100 Executes of 10 bytes each.
      expect(bytes).toBeLessThan(2 * 1024 * 1024);
      // Each execution still tells which parameters it ran with: the first Execute's record holds them.
      expect(recorded[0]!.params).toEqual([big]);
      expect(recorded.slice(1).every((s) => s.paramsOf === recorded[0]!.seq)).toBe(true);
    } finally {
      raw.close();
    }
  });
  it('a query text past what the parser takes is recorded as a bounded prefix and the digest of the whole', async () => {
    const raw = await connect();
    try {
      const sql = `select '${'y'.repeat(4 * 1024 * 1024)}'`;
      // This test's backend lets it run (the real one refuses it unparsed); either way it is on record.
      raw.send(query(sql));
      await raw.untilReady();
      const recorded = lastRecorded()!;
      // Before: all 4 MiB of it (up to 16 MiB a message), journaled, sealed and audited.
      expect(recorded.length).toBeLessThan(64 * 1024);
      expect(recorded.startsWith("select 'yyy")).toBe(true);
      expect(recorded).toContain(createHash('sha256').update(sql).digest('hex'));
    } finally {
      raw.close();
    }
  });
});
