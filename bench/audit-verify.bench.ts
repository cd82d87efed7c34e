/**
 * Audit verification speed (SPEC §7: 1,000,000 events verified in ≤ 5 s). Builds a chained log of one million
 * events (typical lifecycle details, as canonical JSON text) with a signed checkpoint every 10,000 events and
 * writes it to a SQLite file (WAL) — none of that is timed. The headline then times what
 * `countersign audit verify --db FILE` does once its key is loaded: open the file and run
 * `verifyStoredAuditLog` — every event read back through audit-store.ts and its hash recomputed, every link
 * followed, the RFC 6962 root rebuilt and compared at each checkpoint, every signature checked; for a log this
 * size the hashing runs on a worker thread beside the reading (verify-hashing-thread.ts). The file was just
 * written, so it is read from the OS page cache, as a log verified on its own host mostly would be. For
 * reference, `verifyAuditLog` on one thread over the same events already in memory (no database). Medians of 3.
 */
import { generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from '../src/audit/audit-event.js';
import { verifyStoredAuditLog } from '../src/audit/audit-store.js';
import { signCheckpoint, type SignedCheckpoint } from '../src/audit/checkpoint.js';
import { MerkleBuilder } from '../src/audit/merkle.js';
import { verifyAuditLog, type AuditVerification } from '../src/audit/verify.js';
import { openDatabase } from '../src/store/database.js';
import { openSqliteConnection } from '../src/store/dialects/sqlite.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { formatCount, median, type BenchResult } from './harness.js';
import { sqliteScratch } from './scratch-database.js';

const EVENTS = 1_000_000;
const CHECKPOINT_EVERY = 10_000;
const RUNS = 3;
const TARGET_SECONDS = 5;
const ROWS_PER_TRANSACTION = 50_000;

const ACTIONS = ['request.create', 'request.approve', 'request.activate', 'grant.revoke'] as const;
const ACTORS = ['alice', 'bob', 'carol', 'system:executor', 'system:policy'] as const;

interface Log {
  readonly events: StoredAuditEvent[];
  readonly checkpoints: SignedCheckpoint[];
}

function buildLog(privateKey: Parameters<typeof signCheckpoint>[1]): Log {
  const events: StoredAuditEvent[] = new Array<StoredAuditEvent>(EVENTS);
  const checkpoints: SignedCheckpoint[] = [];
  const merkle = new MerkleBuilder();
  let prevHash = GENESIS_HASH;
  const t0 = 1_700_000_000_000;
  for (let seq = 1; seq <= EVENTS; seq += 1) {
    const request = `req_${Math.floor(seq / 4)}`;
    // Typical details of a lifecycle step, already canonical (keys in code-point order).
    const detailsJson =
      `{"digest":"${prevHash.slice(0, 32)}","justification":"rotate credentials for ticket OPS-${seq % 9973}",` +
      `"profileVersion":"${prevHash.slice(32)}","reasons":[{"code":"step_satisfied","message":"approval ${seq % 3} of 2 counted"}],` +
      `"step":${seq % 3}}`;
    const unhashed = {
      seq,
      time: t0 + seq * 7,
      actor: ACTORS[seq % ACTORS.length] as string,
      action: ACTIONS[seq % ACTIONS.length] as string,
      subject: `request:${request}`,
      detailsJson,
    };
    const hash = hashEvent(prevHash, unhashed);
    events[seq - 1] = { ...unhashed, prevHash, hash };
    prevHash = hash;
    merkle.appendTrusted(hash);
    if (seq % CHECKPOINT_EVERY === 0) {
      checkpoints.push(signCheckpoint({ size: seq, head: hash, root: merkle.root(), time: t0 + seq * 7 }, privateKey));
    }
  }
  return { events, checkpoints };
}

/** Creates a migrated SQLite file holding the log, written with plain prepared inserts (untimed). */
async function writeSqliteFile(path: string, log: Log): Promise<void> {
  const database = await openDatabase(path);
  try {
    const outcome = await migrateToLatest(database);
    if (outcome.error) throw outcome.error;
  } finally {
    await database.close();
  }
  const connection = openSqliteConnection(path);
  try {
    const insertEvent = connection.prepare(
      'insert into audit_events (seq, time, actor, action, subject, details, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertCheckpoint = connection.prepare(
      'insert into audit_checkpoints (size, head, root, time, signature, key_id) values (?, ?, ?, ?, ?, ?)',
    );
    const writeEvents = connection.transaction((events: readonly StoredAuditEvent[]) => {
      for (const e of events) {
        insertEvent.run(e.seq, e.time, e.actor, e.action, e.subject, e.detailsJson, e.prevHash, e.hash);
      }
    });
    for (let start = 0; start < log.events.length; start += ROWS_PER_TRANSACTION) {
      writeEvents(log.events.slice(start, start + ROWS_PER_TRANSACTION));
    }
    for (const c of log.checkpoints) insertCheckpoint.run(c.size, c.head, c.root, c.time, c.signature, c.keyId);
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
}

function check(result: AuditVerification, where: string): void {
  if (!result.ok || result.eventsVerified !== EVENTS || result.checkpointsVerified !== EVENTS / CHECKPOINT_EVERY) {
    throw new Error(`audit verify bench: the log ${where} did not verify (${result.problem?.message ?? 'counts'})`);
  }
}

async function seconds(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function run(): Promise<BenchResult[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const log = buildLog(privateKey);

  const inMemory: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt += 1) {
    inMemory.push(await seconds(async () => check(await verifyAuditLog({ ...log, publicKey }), 'in memory')));
  }

  const scratch = sqliteScratch();
  const fromFile: number[] = [];
  try {
    await writeSqliteFile(scratch.url, log);
    log.events.length = 0; // only the file holds the events now
    for (let attempt = 0; attempt < RUNS; attempt += 1) {
      fromFile.push(
        await seconds(async () => {
          const database = await openDatabase(scratch.url);
          try {
            check(await verifyStoredAuditLog(database.db, { publicKey }), 'in the SQLite file');
          } finally {
            await database.close();
          }
        }),
      );
    }
  } finally {
    await scratch.drop();
  }

  const typical = median(fromFile);
  const reference = median(inMemory);
  const runs = (samples: readonly number[]) => samples.map((s) => s.toFixed(2)).join(', ');
  return [
    {
      name: `audit verify, ${formatCount(EVENTS)} events read from a SQLite file, checkpoint every ${formatCount(CHECKPOINT_EVERY)}`,
      result: `${typical.toFixed(2)} s (${formatCount(EVENTS / typical)} events/s; median of ${RUNS}: ${runs(fromFile)} s)`,
      reference: `the same events already in memory, no database: ${reference.toFixed(2)} s (median of ${RUNS}: ${runs(inMemory)} s)`,
      target: `≤ ${TARGET_SECONDS} s`,
      met: typical <= TARGET_SECONDS,
    },
  ];
}
