/**
 * Audit verification speed (SPEC §7: 1,000,000 events verified in ≤ 5 s). A chained log of one million events
 * with a signed checkpoint every 10,000 is written to a SQLite file (WAL), untimed (audit-log-fixture.ts). The
 * headline then times what `countersign audit verify --db FILE` does once its key is loaded: open the file and
 * run `verifyStoredAuditLog` — every event read back through audit-store.ts and its hash recomputed, every link
 * followed, the RFC 6962 root rebuilt and compared at each checkpoint, every signature checked; for a log this
 * size the Merkle tree is built on a worker thread beside the reading (verify-merkle-thread.ts). Writing and each
 * verification run in a process of their own (audit-verify-child.ts), as the CLI does. The file was just
 * written, so it is read from the OS page cache, as a log verified on its own host mostly would be. For
 * reference, `verifyAuditLog` on one thread over the same kind of log already in memory (no database), in this
 * process. Medians of 3.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAuditLog } from '../src/audit/verify.js';
import { buildLog, CHECKPOINT_EVERY, checkVerified, EVENTS } from './audit-log-fixture.js';
import { formatCount, median, type BenchResult } from './harness.js';
import { sqliteScratch } from './scratch-database.js';

const RUNS = 3;
const TARGET_SECONDS = 5;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'audit-verify-child.ts');

/** Runs audit-verify-child.ts under the loader this process runs under; returns what it printed. */
function child(...args: string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, CHILD, ...args], { encoding: 'utf8' });
}

async function seconds(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function run(): Promise<BenchResult[]> {
  const scratch = sqliteScratch();
  const fromFile: number[] = [];
  try {
    const keyFile = path.join(path.dirname(scratch.url), 'audit-signing.pub');
    child('write', scratch.url, keyFile);
    for (let attempt = 0; attempt < RUNS; attempt += 1) {
      fromFile.push((JSON.parse(child('verify', scratch.url, keyFile)) as { seconds: number }).seconds);
    }
  } finally {
    await scratch.drop();
  }

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const log = buildLog(privateKey);
  const inMemory: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt += 1) {
    inMemory.push(await seconds(async () => checkVerified(await verifyAuditLog({ ...log, publicKey }), 'in memory')));
  }

  const typical = median(fromFile);
  const reference = median(inMemory);
  const runs = (samples: readonly number[]) => samples.map((s) => s.toFixed(2)).join(', ');
  return [
    {
      name: `audit verify, ${formatCount(EVENTS)} events read from a SQLite file, checkpoint every ${formatCount(CHECKPOINT_EVERY)}`,
      result: `${typical.toFixed(2)} s (${formatCount(EVENTS / typical)} events/s; median of ${RUNS}: ${runs(fromFile)} s)`,
      reference: `the same kind of log already in memory, no database: ${reference.toFixed(2)} s (median of ${RUNS}: ${runs(inMemory)} s)`,
      target: `≤ ${TARGET_SECONDS} s`,
      met: typical <= TARGET_SECONDS,
    },
  ];
}
