import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySql, loadSqlParser } from './sql-classify.js';
import { LONG_SQL_CHARS, parsedTextOf, SqlParsePool } from './sql-parse-pool.js';
import { analyseSqlText, type MaskRules } from './sql-text-analysis.js';

const pool = new SqlParsePool();

beforeAll(async () => {
  await loadSqlParser();
});
afterAll(async () => {
  await pool.stopWorkers();
});

const SQL_START =
  /^\s*(?:select|insert|update|delete|with|copy|create|alter|drop|set|reset|explain|prepare|execute|do|call|grant|revoke|begin|start|commit|rollback|table|values|show|lock|merge|truncate|comment|listen|notify|vacuum|analyze|refresh|discard|deallocate|declare|fetch|load|reindex|cluster|checkpoint|import|security)\b/i;

/** The SQL texts of the classifier's and the mask check's own tests (string literals that start like SQL). */
function corpus(): string[] {
  const texts = new Set<string>();
  for (const file of ['sql-classify.test.ts', 'sql-mask-check.test.ts']) {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    for (const [, , body] of source.matchAll(/(['"])((?:(?!\1)[^\\\n]|\\.)*)\1/g)) {
      const text = body!.replace(/\\(.)/g, '$1');
      if (SQL_START.test(text)) texts.add(text);
    }
  }
  return [...texts];
}

/** Longer than `LONG_SQL_CHARS` by a comment after the statements, so that the gateway would send it to a worker. */
const padded = (sql: string): string => `${sql}\n-- ${'x'.repeat(LONG_SQL_CHARS)}`;

const sum = (terms: number): string =>
  `select ${Array.from({ length: terms }, (_, i) => `a${i % 10}`).join('+')} from t`;
const GENERATED = [
  `insert into t (a, b) values ${Array.from({ length: 5000 }, (_, i) => `(${i}, 'row ${i}')`).join(', ')}`,
  `select * from t where id in (${Array.from({ length: 20_000 }, (_, i) => i).join(',')})`,
  `with d as (delete from t where id in (${Array.from({ length: 3000 }, (_, i) => i).join(',')}) returning *) select * from d`,
  `prepare p as insert into t select * from s; ${'select 1; '.repeat(1500)}`,
  // Deeper than any thread's stack takes: the same error on both. (Nearer the depth where a stack runs out, from
  // some 2,000 terms, the outcome depends on the thread's stack, 4 MiB for this test's, and on how far V8 has
  // optimised the code: there a fingerprint falls back to a digest, or the text is refused, on either thread.)
  sum(40_000),
  `select '${'unterminated'.repeat(1000)}`,
];

describe('a parse worker', () => {
  it("classifies as the event loop does, over the classifier's test corpus made long and long generated texts", async () => {
    const texts = [...corpus().map(padded), ...GENERATED];
    expect(texts.length).toBeGreaterThan(150);
    for (const sql of texts) {
      expect(sql.length).toBeGreaterThan(LONG_SQL_CHARS);
      expect((await pool.analyse(sql)).classification, sql.slice(0, 120)).toEqual(classifySql(sql));
    }
  });

  it('checks masks as the event loop does', async () => {
    const masks: MaskRules = {
      columns: [{ column: 'email', table: 'users' }, { column: 'contact' }],
      refused: new Map([['users_summary', 'the view users_summary computes from a masked column']]),
    };
    const texts = [
      ...corpus()
        .filter((sql) => /users|email|contact/i.test(sql))
        .map(padded),
      ...GENERATED,
    ];
    expect(texts.length).toBeGreaterThan(40);
    for (const sql of texts)
      expect(await pool.analyse(sql, masks), sql.slice(0, 120)).toEqual(analyseSqlText(sql, masks));
    expect((await pool.analyse(padded('select lower(email) from users'), masks)).masks?.violation).toContain('masked');
  });

  it('fails a parse that takes longer than the timeout, and the worker with it', async () => {
    const slow = new SqlParsePool({ timeoutMs: 50 });
    const list = `select 1 where 1 in (${Array.from({ length: 70_000 }, (_, i) => i % 10).join(',')})`;
    await expect(slow.analyse(list)).rejects.toThrow('the parser took longer than 50 ms');
    expect(slow.parsing).toBe(0);
    await slow.stopWorkers();
  });

  it('fails the parse of a worker stopped mid-parse, and a new worker takes the next text', async () => {
    const list = `select 1 where 1 in (${Array.from({ length: 70_000 }, (_, i) => i % 10).join(',')})`;
    const failed = expect(pool.analyse(list)).rejects.toThrow('the parse worker was stopped');
    expect(pool.parsing).toBe(1);
    await pool.stopWorkers();
    await failed;
    expect(await pool.analyse(padded('select 1'))).toEqual({ classification: classifySql(padded('select 1')) });
  });
});

describe('an answer from a parse worker', () => {
  const good = analyseSqlText('select a from t');
  it('is taken when it is a parse result of the request', () => {
    expect(parsedTextOf({ id: 7, parsed: good }, 7)).toEqual(good);
    expect(parsedTextOf({ id: 7, parsed: { classification: { error: 'syntax error' } } }, 7)).toBeDefined();
    expect(parsedTextOf({ id: 7, parsed: { ...good, masks: { violation: undefined } } }, 7)).toBeDefined();
    const routine = analyseSqlText('create function f() returns void language sql as $$ delete from t $$');
    expect(parsedTextOf({ id: 7, parsed: routine }, 7)).toEqual(routine);
  });

  it('is refused when it is anything else', () => {
    const facts = 'statements' in good.classification ? good.classification.statements[0]! : undefined;
    for (const answer of [
      undefined,
      'select',
      { id: 8, parsed: good },
      { id: 7 },
      { id: 7, failed: 'out of memory' },
      { id: 7, parsed: {} },
      { id: 7, parsed: { classification: { error: 42 } } },
      { id: 7, parsed: { classification: { statements: 'all' } } },
      { id: 7, parsed: { classification: { statements: [{ ...facts, readOnly: 'yes' }] } } },
      { id: 7, parsed: { classification: { statements: [{ ...facts, tables: [1] }] } } },
      { id: 7, parsed: { classification: { statements: [{ ...facts, kind: undefined }] } } },
      { id: 7, parsed: { classification: { statements: [{ ...facts, body: [{ ...facts, functions: 'f' }] }] } } },
      { id: 7, parsed: { ...good, masks: { violation: 3 } } },
      { id: 7, parsed: { ...good, masks: 'none' } },
    ]) {
      expect(parsedTextOf(answer, 7), JSON.stringify(answer)).toBeUndefined();
    }
  });
});
