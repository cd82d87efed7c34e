/**
 * The audit log in the database (SPEC §7: ≥ 10,000 events/s appended), on a SQLite file in WAL mode: append
 * rate through `AuditLog.append` in real transactions, with 1–3 events per transaction as a verb writes them,
 * and with large batches (1,000 per transaction) for reference. Verifying a million events read back from a
 * SQLite file is measured by audit-verify.bench.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../src/audit/store/audit-log.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { formatCount, type BenchResult } from './harness.js';

const T0 = 1_767_225_600_000;
const APPEND_TARGET = 10_000;

async function openMigrated(path: string): Promise<Database> {
  const database = await openDatabase(path);
  const outcome = await migrateToLatest(database);
  if (outcome.error) throw outcome.error;
  return database;
}

/** Appends `total` events, `perTransaction(i)` of them in transaction i; returns events per second. */
async function appendRate(database: Database, total: number, perTransaction: (i: number) => number): Promise<number> {
  const auditLog = new AuditLog('sqlite', randomBytes(32));
  let written = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; written < total; i += 1) {
    const size = Math.min(perTransaction(i), total - written);
    const base = written;
    await database.db.transaction().execute((trx) =>
      auditLog.append(
        trx,
        Array.from({ length: size }, (_, index) => ({
          time: T0 + base + index,
          actor: 'alice',
          action: 'request.approve',
          subject: `request:req_${i}`,
          details: { step: index, justification: `rotate credentials for OPS-${base + index}`, reasons: ['counted'] },
        })),
      ),
    );
    written += size;
  }
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-bench-audit-'));
  try {
    const appendDb = await openMigrated(join(dir, 'append.db'));
    let verbRate: number;
    let bulkRate: number;
    try {
      await appendRate(appendDb, 2_000, (i) => 1 + (i % 3)); // warm-up
      verbRate = await appendRate(appendDb, 30_000, (i) => 1 + (i % 3));
      bulkRate = await appendRate(appendDb, 200_000, () => 1000);
    } finally {
      await appendDb.close();
    }

    return [
      {
        name: 'audit append, SQLite file (WAL), 1–3 events per transaction',
        result: `${formatCount(verbRate)} events/s`,
        reference: `1,000 events per transaction: ${formatCount(bulkRate)} events/s`,
        target: `≥ ${formatCount(APPEND_TARGET)} events/s`,
        met: verbRate >= APPEND_TARGET,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
