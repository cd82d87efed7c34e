/**
 * Reading the audit log back out of the database: events in `seq` order as an async iterator that fetches one
 * batch at a time (keyset pagination on the primary key, so memory stays constant however long the log is),
 * and the signed checkpoints. `audit verify`, the checkpointer and `GET /v1/audit/events` read through here.
 *
 * Rows are returned as the store keeps them (`details` as its canonical JSON text), never re-serialised, so a
 * verifier hashes exactly the bytes in the database. Nothing here judges the data: a tampered row is returned
 * as it is, for `verifyAuditLog` to name.
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { EMPTY_HEAD, type AuditHead, type StoredAuditEvent } from './audit-event.js';
import type { SignedCheckpoint } from './checkpoint.js';
import { verifyAuditLog, type AuditVerification } from './verify.js';

/** Rows fetched per query when streaming; large enough to amortise the round trip, small enough to stay flat. */
export const DEFAULT_AUDIT_BATCH = 10_000;
const MAX_AUDIT_BATCH = 50_000;

export interface AuditRange {
  /** Only events with `seq` greater than this (default 0: from the start). */
  readonly afterSeq?: number;
  /** Only events with `seq` up to and including this (default: to the end, as it grows while reading). */
  readonly toSeq?: number;
  /** Rows per query (1 … 50,000; default {@link DEFAULT_AUDIT_BATCH}). */
  readonly batchSize?: number;
}

/** An event's place in the chain, without its content: what the Merkle tree and the checkpointer need. */
export interface AuditLink {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

function batchSizeOf(range: AuditRange): number {
  return Math.min(Math.max(Math.trunc(range.batchSize ?? DEFAULT_AUDIT_BATCH), 1), MAX_AUDIT_BATCH);
}

/**
 * Streams events in ascending `seq` order. Each batch is one query `seq > last … limit n`, so a row inserted
 * or deleted by someone else while reading never makes the stream skip or repeat a position.
 */
export async function* readAuditEvents(db: Kysely<Schema>, range: AuditRange = {}): AsyncGenerator<StoredAuditEvent> {
  const limit = batchSizeOf(range);
  let after = range.afterSeq ?? 0;
  for (;;) {
    let query = db
      .selectFrom('audit_events')
      // Aliased to the event's own field names, so rows are yielded as they come, with no copy per event.
      .select(['seq', 'time', 'actor', 'action', 'subject', 'details as detailsJson', 'prev_hash as prevHash', 'hash'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit);
    if (range.toSeq !== undefined) query = query.where('seq', '<=', range.toSeq);
    const rows: StoredAuditEvent[] = await query.execute();
    yield* rows;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < limit) return;
    after = last.seq;
  }
}

/** Streams only `seq`, `prevHash` and `hash` in ascending order: the cheap read behind Merkle rebuilds. */
export async function* readAuditLinks(db: Kysely<Schema>, range: AuditRange = {}): AsyncGenerator<AuditLink> {
  const limit = batchSizeOf(range);
  let after = range.afterSeq ?? 0;
  for (;;) {
    let query = db
      .selectFrom('audit_events')
      .select(['seq', 'prev_hash', 'hash'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit);
    if (range.toSeq !== undefined) query = query.where('seq', '<=', range.toSeq);
    const rows = await query.execute();
    for (const row of rows) yield { seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash };
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < limit) return;
    after = Number(last.seq);
  }
}

/** The last event's `seq` and hash, or {@link EMPTY_HEAD} for an empty log. */
export async function readAuditHead(db: Kysely<Schema>): Promise<AuditHead> {
  const row = await db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : EMPTY_HEAD;
}

function toCheckpoint(row: {
  size: number;
  head: string;
  root: string;
  time: number;
  key_id: string;
  signature: string;
}): SignedCheckpoint {
  return {
    size: Number(row.size),
    head: row.head,
    root: row.root,
    time: Number(row.time),
    keyId: row.key_id,
    signature: row.signature,
  };
}

/**
 * Every checkpoint in the database, by ascending size. Rows are not validated: a forged or damaged checkpoint
 * is returned as it is, for verification to reject. (One row per checkpoint, a few a minute at most, so the
 * whole list fits in memory for any realistic log.)
 */
export async function readAuditCheckpoints(db: Kysely<Schema>, range: AuditRange = {}): Promise<SignedCheckpoint[]> {
  let query = db
    .selectFrom('audit_checkpoints')
    .select(['size', 'head', 'root', 'time', 'key_id', 'signature'])
    .where('size', '>', range.afterSeq ?? -1)
    .orderBy('size');
  if (range.toSeq !== undefined) query = query.where('size', '<=', range.toSeq);
  if (range.batchSize !== undefined) query = query.limit(batchSizeOf(range));
  return (await query.execute()).map(toCheckpoint);
}

/** The checkpoint with the largest size, or undefined when none was made yet. */
export async function readLastAuditCheckpoint(db: Kysely<Schema>): Promise<SignedCheckpoint | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select(['size', 'head', 'root', 'time', 'key_id', 'signature'])
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

export interface VerifyStoredLogOptions {
  /** The Ed25519 public key; without it signatures are not checked. */
  readonly publicKey?: KeyObject;
  /** Checkpoints read from a witness (`readWitnessFile`). */
  readonly witness?: readonly SignedCheckpoint[];
  /** Called with the number of events read so far, every `progressEvery` events. */
  readonly onProgress?: (eventsRead: number) => void;
  /** Default 100,000. */
  readonly progressEvery?: number;
  readonly batchSize?: number;
}

/**
 * Verifies the log held in `db` (see `verifyAuditLog`) in one streaming pass with constant memory. The
 * checkpoints are read first and the events up to the head read next, so a checkpoint committed while this
 * runs is never mistaken for a truncation, and events appended meanwhile are simply not part of the verdict.
 */
export async function verifyStoredAuditLog(
  db: Kysely<Schema>,
  options: VerifyStoredLogOptions = {},
): Promise<AuditVerification> {
  const checkpoints = await readAuditCheckpoints(db);
  const head = await readAuditHead(db);
  const events = readAuditEvents(db, { toSeq: head.seq, batchSize: options.batchSize });
  const { onProgress } = options;
  const every = Math.max(1, options.progressEvery ?? 100_000);
  return verifyAuditLog({
    events: onProgress === undefined ? events : counted(events, every, onProgress),
    checkpoints,
    publicKey: options.publicKey,
    witness: options.witness,
  });
}

async function* counted<T>(items: AsyncIterable<T>, every: number, report: (count: number) => void): AsyncGenerator<T> {
  let count = 0;
  for await (const item of items) {
    yield item;
    count += 1;
    if (count % every === 0) report(count);
  }
}
