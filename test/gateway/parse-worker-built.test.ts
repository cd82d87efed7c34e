/**
 * The parse worker as `npm run build` ships it: the compiled pool starts the compiled worker file
 * (dist/gateway/postgres/sql-parse-worker.js) in a plain `node` process, with no TypeScript loader, and the worker
 * classifies as that process's event loop does. (Nearer the depth where a thread's stack runs out, the outcome
 * varies from one run to the next on either thread: on the event loop a sum of 1,500–2,000 columns sometimes gets a
 * digest for a fingerprint, libpg-query's fingerprint having run out of stack. The deep texts here are well short
 * of that, or well beyond.)
 * The gateway project builds `dist/` first when it is stale (test/cli/build-cli.setup.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/run-cli.js';

const BUILT = join(REPO_ROOT, 'dist', 'gateway', 'postgres');

const PROGRAM = `
const { SqlParsePool } = await import(${JSON.stringify(join(BUILT, 'sql-parse-pool.js'))});
const { classifySql, loadSqlParser } = await import(${JSON.stringify(join(BUILT, 'sql-classify.js'))});
const { analyseSqlText } = await import(${JSON.stringify(join(BUILT, 'sql-text-analysis.js'))});
await loadSqlParser();
const pool = new SqlParsePool();
const list = (n) => Array.from({ length: n }, (_, i) => i % 10).join(',');
const sum = (n) => 'select ' + Array.from({ length: n }, (_, i) => 'a' + (i % 10)).join('+') + ' from t';
const texts = [
  'insert into t (a, b) values ' + Array.from({ length: 5000 }, (_, i) => '(' + i + ", 'row')").join(', '),
  'select 1 where 1 in (' + list(40000) + ')',
  'with d as (delete from t where id in (' + list(5000) + ') returning *) select * from d',
  "copy (select * from users where id in (" + list(5000) + ")) to program 'cat'",
  sum(500),
  sum(40000),
];
const masks = { columns: [{ column: 'email', table: 'users' }], refused: new Map() };
const results = [];
for (const sql of texts) {
  results.push({
    sameClassification: JSON.stringify((await pool.analyse(sql)).classification) === JSON.stringify(classifySql(sql)),
    sameMasks: JSON.stringify(await pool.analyse(sql, masks)) === JSON.stringify(analyseSqlText(sql, masks)),
  });
}
console.log(JSON.stringify(results));
`;

it('runs from the compiled JavaScript and classifies as the event loop does', async () => {
  expect(existsSync(join(BUILT, 'sql-parse-worker.js'))).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'parse-worker-'));
  const program = join(dir, 'compare.mjs');
  writeFileSync(program, PROGRAM);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [program], { cwd: REPO_ROOT, timeout: 60_000 }, (error, out, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
  // The process ended by itself: the idle worker does not keep it alive.
  const results = JSON.parse(stdout) as { sameClassification: boolean; sameMasks: boolean }[];
  expect(results).toHaveLength(6);
  expect(
    results.every((result) => result.sameClassification && result.sameMasks),
    stdout,
  ).toBe(true);
});
