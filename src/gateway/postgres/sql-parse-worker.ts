/**
 * The program of a parse worker thread (sql-parse-pool.ts): it loads the SQL parser's WebAssembly module once,
 * then answers each `{ id, sql, masks }` with `{ id, parsed }` (`analyseSqlText`) or `{ id, failed }`, one at a
 * time. Never imported by the gateway itself: the pool starts it.
 */
import { parentPort } from 'node:worker_threads';
import { loadSqlParser } from './sql-classify.js';
import { analyseSqlText, type MaskRules } from './sql-text-analysis.js';

interface ParseRequest {
  readonly id: number;
  readonly sql: string;
  readonly masks?: MaskRules;
}

const port = parentPort;
if (port === null) throw new Error('sql-parse-worker.ts runs as a worker thread (sql-parse-pool.ts starts it)');
await loadSqlParser();
port.on('message', ({ id, sql, masks }: ParseRequest) => {
  try {
    port.postMessage({ id, parsed: analyseSqlText(sql, masks) });
  } catch (error) {
    port.postMessage({ id, failed: error instanceof Error ? error.message : 'the parser failed' });
  }
});
