/**
 * The audit log in the database (SPEC §7: ≥ 10,000 events/s appended; 1,000,000 events verified in ≤ 5 s), on
 * a SQLite file in WAL mode:
 * - append rate through `AuditLog.append` in real transactions, with 1–3 events per transaction as a verb
 *   writes them, and with large batches (1,000 per transaction) for reference;
 * - verification of 1,000,000 events read back from the database through `audit-store.ts` (batched keyset
 *   reads) and `verifyAuditLog`, with a signed checkpoint every 10,000 events and every signature checked.
 *   The million-event database is built untimed with big batched inserts.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent } from '../src/audit/audit-event.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { verifyStoredAuditLog } from '../src/audit/audit-store.js';
import { signCheckpoint } from '../src/audit/checkpoint.js';
import { MerkleBuilder } from '../src/audit/merkle.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { NewRow } from '../src/store/schema.js';
import { formatCount, type BenchResult } from './harness.js';

const T0 = 1_767_225_600_000;
const APPEND_TARGET = 10_000;
const VERIFY_EVENTS = 1_000_000;
const VERIFY_TARGET_SECONDS = 5;
const CHECKPOINT_EVERY = 10_000;

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

/** Fills a fresh log with `count` chained events and a signed checkpoint every 10,000, with big inserts. */
async function buildLog(database: Database, count: number, privateKey: Parameters<typeof signCheckpoint>[1]) {
  const merkle = new MerkleBuilder();
  let prevHash = GENESIS_HASH;
  const ROWS_PER_INSERT = 2000;
  const PER_TRANSACTION = 50_000;
  for (let start = 1; start <= count; start += PER_TRANSACTION) {
    await database.db.transaction().execute(async (trx) => {
      const end = Math.min(count, start + PER_TRANSACTION - 1);
      let rows: NewRow<'audit_events'>[] = [];
      for (let seq = start; seq <= end; seq += 1) {
        const detailsJson =
          `{"digest":"${prevHash.slice(0, 32)}","justification":"rotate credentials for ticket OPS-${seq % 9973}",` +
          `"reasons":[{"code":"step_satisfied","message":"approval ${seq % 3} of 2 counted"}],"step":${seq % 3}}`;
        const event = {
          seq,
          time: T0 + seq,
          actor: seq % 2 === 0 ? 'alice' : 'system:executor',
          action: seq % 2 === 0 ? 'request.approve' : 'grant.revoke',
          subject: `request:req_${Math.floor(seq / 4)}`,
          detailsJson,
        };
        const hash = hashEvent(prevHash, event);
        const { detailsJson: details, ...columns } = event;
        rows.push({ ...columns, details, prev_hash: prevHash, hash });
        prevHash = hash;
        merkle.appendTrusted(hash);
        if (seq % CHECKPOINT_EVERY === 0) {
          const { keyId, ...signed } = signCheckpoint(
            { size: seq, head: hash, root: merkle.root(), time: T0 + seq },
            privateKey,
          );
          await trx
            .insertInto('audit_checkpoints')
            .values({ ...signed, key_id: keyId })
            .execute();
        }
        if (rows.length === ROWS_PER_INSERT || seq === end) {
          await trx.insertInto('audit_events').values(rows).execute();
          rows = [];
        }
      }
    });
  }
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

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const verifyDb = await openMigrated(join(dir, 'verify.db'));
    let seconds: number;
    try {
      await buildLog(verifyDb, VERIFY_EVENTS, privateKey);
      const started = process.hrtime.bigint();
      const result = await verifyStoredAuditLog(verifyDb.db, { publicKey });
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!result.ok || result.eventsVerified !== VERIFY_EVENTS) {
        throw new Error(`audit append bench: the built log did not verify (${result.problem?.message ?? 'counts'})`);
      }
    } finally {
      await verifyDb.close();
    }

    return [
      {
        name: 'audit append, SQLite file (WAL), 1–3 events per transaction',
        result: `${formatCount(verbRate)} events/s`,
        reference: `1,000 events per transaction: ${formatCount(bulkRate)} events/s`,
        target: `≥ ${formatCount(APPEND_TARGET)} events/s`,
        met: verbRate >= APPEND_TARGET,
      },
      {
        name: `audit verify, ${formatCount(VERIFY_EVENTS)} events read from SQLite, checkpoint every ${formatCount(CHECKPOINT_EVERY)}`,
        result: `${seconds.toFixed(2)} s (${formatCount(VERIFY_EVENTS / seconds)} events/s)`,
        target: `≤ ${VERIFY_TARGET_SECONDS} s`,
        met: seconds <= VERIFY_TARGET_SECONDS,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
