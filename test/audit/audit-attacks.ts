/**
 * Test support for the audit log in the database: appending real events through `AuditLog` in real
 * transactions, and the edits an attacker with direct database access would make — drop the append-only
 * triggers, then update, delete, insert, reorder or cut events, or forge checkpoints.
 */
import { sql, type Kysely } from 'kysely';
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from '../../src/audit/audit-event.js';
import type { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditEvents, readAuditLinks } from '../../src/audit/store/audit-store.js';
import { signCheckpoint, type SignedCheckpoint } from '../../src/audit/checkpoint.js';
import { MerkleBuilder } from '../../src/audit/merkle.js';
import type { Database, DialectName } from '../../src/store/database.js';
import type { Schema } from '../../src/store/schema.js';

export const T0 = 1_767_225_600_000;

/** Appends `count` events through `AuditLog.append`, 1 to 3 per transaction as verbs do. */
export async function appendEvents(database: Database, auditLog: AuditLog, count: number, time = T0): Promise<void> {
  let written = 0;
  for (let batch = 0; written < count; batch += 1) {
    const size = Math.min(1 + (batch % 3), count - written);
    await database.db.transaction().execute(async (trx) => {
      await auditLog.append(
        trx,
        Array.from({ length: size }, (_, index) => ({
          time: time + written + index,
          actor: index % 2 === 0 ? 'alice' : 'bob',
          action: 'request.approve',
          subject: `request:req_${batch}`,
          details: { step: index, justification: `change ${written + index}`, password: 'hunter2' },
        })),
      );
    });
    written += size;
  }
}

/** Drops the triggers that refuse UPDATE and DELETE on the audit tables, as a database administrator can. */
export async function dropAppendOnlyTriggers(db: Kysely<Schema>, dialect: DialectName): Promise<void> {
  for (const table of ['audit_events', 'audit_checkpoints']) {
    if (dialect === 'sqlite') {
      await sql`drop trigger ${sql.id(`${table}_no_update`)}`.execute(db);
      await sql`drop trigger ${sql.id(`${table}_no_delete`)}`.execute(db);
    } else {
      await sql`drop trigger ${sql.id(`${table}_append_only`)} on ${sql.id(table)}`.execute(db);
    }
  }
}

async function eventAt(db: Kysely<Schema>, seq: number): Promise<StoredAuditEvent> {
  for await (const event of readAuditEvents(db, { afterSeq: seq - 1, toSeq: seq })) return event;
  throw new Error(`no event ${seq}`);
}

/** Moves the events with seq ≥ `from` by `by` (two steps, so the primary key never collides midway). */
async function shiftSeq(db: Kysely<Schema>, from: number, by: number): Promise<void> {
  await sql`update audit_events set seq = seq + 1000000 where seq >= ${from}`.execute(db);
  await sql`update audit_events set seq = seq - 1000000 + ${by} where seq >= ${from + 1000000}`.execute(db);
}

async function rehash(db: Kysely<Schema>, seq: number, prevHash: string): Promise<string> {
  const event = await eventAt(db, seq);
  const hash = hashEvent(prevHash, { ...event, seq });
  await sql`update audit_events set prev_hash = ${prevHash}, hash = ${hash} where seq = ${seq}`.execute(db);
  return hash;
}

/** One attack on a log; each leaves the database as an attacker would (triggers already dropped). */
export const attacks = {
  /** Edits the details of one event in place. */
  async updateDetails(db: Kysely<Schema>, seq: number): Promise<void> {
    await sql`update audit_events set details = ${'{"approved":true}'} where seq = ${seq}`.execute(db);
  },
  async deleteEvent(db: Kysely<Schema>, seq: number): Promise<void> {
    await sql`delete from audit_events where seq = ${seq}`.execute(db);
  },
  /**
   * Slips a forged event in at `seq`, chained from its predecessor, moving the later events up by one and
   * recomputing each moved event's own hash for its new seq.
   */
  async insertForged(db: Kysely<Schema>, seq: number): Promise<void> {
    const before = await eventAt(db, seq - 1);
    const head = await db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirstOrThrow();
    const last = Number(head.max);
    await shiftSeq(db, seq, 1);
    for (let moved = seq + 1; moved <= last + 1; moved += 1) {
      const event = await eventAt(db, moved);
      await rehash(db, moved, event.prevHash);
    }
    const forged = {
      seq,
      time: before.time,
      actor: 'mallory',
      action: 'request.approve',
      subject: before.subject,
      detailsJson: '{"approved":true}',
    };
    await db
      .insertInto('audit_events')
      .values({
        seq,
        time: forged.time,
        actor: forged.actor,
        action: forged.action,
        subject: forged.subject,
        details: forged.detailsJson,
        prev_hash: before.hash,
        hash: hashEvent(before.hash, forged),
      })
      .execute();
  },
  /** Swaps the positions of events `seq` and `seq + 1`. */
  async swapSeq(db: Kysely<Schema>, seq: number): Promise<void> {
    await sql`update audit_events set seq = -1 where seq = ${seq}`.execute(db);
    await sql`update audit_events set seq = ${seq} where seq = ${seq + 1}`.execute(db);
    await sql`update audit_events set seq = ${seq + 1} where seq = -1`.execute(db);
  },
  /** Deletes every event after `keep`. */
  async deleteTail(db: Kysely<Schema>, keep: number): Promise<void> {
    await sql`delete from audit_events where seq > ${keep}`.execute(db);
  },
  /** Edits event `seq` and recomputes the whole chain after it, so every link holds again. */
  async rewriteAndRechain(db: Kysely<Schema>, seq: number): Promise<void> {
    await sql`update audit_events set actor = 'mallory' where seq = ${seq}`.execute(db);
    let prevHash = (await eventAt(db, seq - 1)).hash;
    for (let at = seq; ; at += 1) {
      const exists = await db.selectFrom('audit_events').select('seq').where('seq', '=', at).executeTakeFirst();
      if (exists === undefined) return;
      prevHash = await rehash(db, at, prevHash);
    }
  },
  async deleteCheckpointsAbove(db: Kysely<Schema>, size: number): Promise<void> {
    await sql`delete from audit_checkpoints where size > ${size}`.execute(db);
  },
  /** Signs a checkpoint over the log as it now stands (root and head recomputed) and inserts it. */
  async signCurrentLog(db: Kysely<Schema>, privateKey: KeyObject, time: number): Promise<SignedCheckpoint> {
    const merkle = new MerkleBuilder();
    let head = GENESIS_HASH;
    for await (const link of readAuditLinks(db)) {
      merkle.append(link.hash);
      head = link.hash;
    }
    const signed = signCheckpoint({ size: merkle.size, head, root: merkle.root(), time }, privateKey);
    await insertCheckpoint(db, signed);
    return signed;
  },
} as const;

export async function insertCheckpoint(db: Kysely<Schema>, checkpoint: SignedCheckpoint): Promise<void> {
  const { size, head, root, time, keyId, signature } = checkpoint;
  await db.insertInto('audit_checkpoints').values({ size, head, root, time, key_id: keyId, signature }).execute();
}

const ROLLBACK = new Error('rolled back on purpose');

/**
 * Runs `attack` and then `check` in one transaction that is rolled back afterwards, so the shared suite
 * database is untouched for the next test. `check` sees the attacked log.
 */
export async function underAttack<T>(
  database: Database,
  attack: (trx: Kysely<Schema>) => Promise<void>,
  check: (trx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await database.db.transaction().execute(async (trx) => {
      await dropAppendOnlyTriggers(trx, database.dialect);
      await attack(trx);
      result = { value: await check(trx) };
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  if (result === undefined) throw new Error('the check did not run');
  return result.value;
}
