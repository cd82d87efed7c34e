/**
 * The million-event audit log of audit-verify.bench.ts: built in memory (typical lifecycle details, as canonical
 * JSON text, a signed checkpoint every 10,000 events) and written to a SQLite file (WAL) with plain prepared
 * inserts. Nothing here is timed.
 */
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from '../src/audit/audit-event.js';
import { signCheckpoint, type SignedCheckpoint } from '../src/audit/checkpoint.js';
import { MerkleBuilder } from '../src/audit/merkle.js';
import type { AuditVerification } from '../src/audit/verify.js';
import { openDatabase } from '../src/store/database.js';
import { openSqliteConnection } from '../src/store/dialects/sqlite.js';
import { migrateToLatest } from '../src/store/migrate.js';

export const EVENTS = 1_000_000;
export const CHECKPOINT_EVERY = 10_000;
const ROWS_PER_TRANSACTION = 50_000;

const ACTIONS = ['request.create', 'request.approve', 'request.activate', 'grant.revoke'] as const;
const ACTORS = ['alice', 'bob', 'carol', 'system:executor', 'system:policy'] as const;

export interface Log {
  readonly events: StoredAuditEvent[];
  readonly checkpoints: SignedCheckpoint[];
}

/** The log, chained from the genesis hash, with its checkpoints signed by `privateKey`. */
export function buildLog(privateKey: KeyObject): Log {
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
export async function writeSqliteFile(file: string, log: Log): Promise<void> {
  const database = await openDatabase(file);
  try {
    const outcome = await migrateToLatest(database);
    if (outcome.error) throw outcome.error;
  } finally {
    await database.close();
  }
  const connection = openSqliteConnection(file);
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

/** Throws unless `result` verified the whole log with every checkpoint. */
export function checkVerified(result: AuditVerification, where: string): void {
  if (!result.ok || result.eventsVerified !== EVENTS || result.checkpointsVerified !== EVENTS / CHECKPOINT_EVERY) {
    throw new Error(`audit verify bench: the log ${where} did not verify (${result.problem?.message ?? 'counts'})`);
  }
}
