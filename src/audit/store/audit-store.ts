/**
 * Reading the audit log back out of the database: events in `seq` order as an async iterator that fetches one
 * page at a time (keyset pagination on the primary key, so memory stays constant however long the log is),
 * and the signed checkpoints. `audit verify`, the checkpointer and `GET /v1/audit/events` read through here.
 *
 * Rows are returned as the store keeps them (`details` as its canonical JSON text), never re-serialised, so a
 * verifier hashes exactly the bytes in the database. Nothing here judges the data: a tampered row is returned
 * as it is, for `verifyAuditLog` to name.
 *
 * Verification on SQLite ({@link readEventsToVerify}) goes one step further: the database renders each event as
 * one text, its stored hash and `prev_hash` followed by its canonical body, so a row reaches JavaScript as one
 * string instead of eight values to reassemble (reading and reassembling was most of the cost of `audit verify`).
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Schema } from '../../store/schema.js';
import { EMPTY_HEAD, type AuditHead, type StoredAuditEvent } from '../audit-event.js';
import type { SignedCheckpoint } from '../checkpoint.js';
import {
  HASH_LENGTH,
  verifyAuditLog,
  type AuditVerification,
  type RenderedAuditEvent,
  type VerifierEvent,
} from '../verify.js';
import { MerkleThread } from '../verify-merkle-thread.js';

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
 * Streams events in ascending `seq` order, a page (one query `seq > last … limit n`) at a time, so a row
 * inserted or deleted by someone else while reading never makes the stream skip or repeat a position.
 */
export async function* readAuditEventPages(
  db: Kysely<Schema>,
  range: AuditRange = {},
): AsyncGenerator<readonly StoredAuditEvent[]> {
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
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < limit) return;
    after = last.seq;
  }
}

/** Streams events one by one in ascending `seq` order (see {@link readAuditEventPages}). */
export async function* readAuditEvents(db: Kysely<Schema>, range: AuditRange = {}): AsyncGenerator<StoredAuditEvent> {
  for await (const page of readAuditEventPages(db, range)) yield* page;
}

/** Rows per page when verifying: pages stay small enough that their rows die young (cheap to collect). */
const VERIFY_PAGE = 2000;

/**
 * When SQLite can render a row for verification exactly as the row read column by column would be hashed and
 * compared: every field of the type a genuine event has, `time` in the range where SQLite and JavaScript print
 * an integer alike, and both hashes exactly 64 characters once decoded (one byte each, none a continuation
 * byte, so the verifier can cut them off the front of the text). Other rows are read column by column.
 */
const RENDERABLE = sql.raw(
  `typeof(seq) = 'integer' and typeof(time) = 'integer' and time between -9007199254740991 and 9007199254740991 ` +
    `and typeof(action) = 'text' and typeof(actor) = 'text' and typeof(subject) = 'text' ` +
    `and typeof(details) = 'text' and typeof(prev_hash) = 'text' and typeof(hash) = 'text' ` +
    `and length(hash) = ${HASH_LENGTH} and octet_length(hash) = ${HASH_LENGTH} ` +
    `and length(prev_hash) = ${HASH_LENGTH} and octet_length(prev_hash) = ${HASH_LENGTH}`,
);

/**
 * `hash`, `prev_hash`, then `{"action":…,"actor":…,"details":…,"seq":…,"subject":…,"time":…}`: after the stored
 * hash, byte for byte the text `hashEvent` hashes for a renderable row. `json_quote` escapes a text exactly as
 * `JSON.stringify` does (`"`, `\`, and control characters as `\b \f \n \r \t` or `\u00xx`; lone
 * surrogates, the one other case, never come out of stored UTF-8); `details` and `prev_hash` are copied as
 * stored, as `hashEvent` copies them; and since every field sits between ASCII punctuation, decoding the whole
 * text gives what decoding each field apart gives, even for bytes that are not valid UTF-8. Every field stays
 * inside the hashed bytes, so a change to any of them still shows as a hash that does not match.
 */
const RENDERED_TEXT = sql.raw(
  `hash || prev_hash || '{"action":' || json_quote(action) || ',"actor":' || json_quote(actor) || ` +
    `',"details":' || details || ',"seq":' || seq || ',"subject":' || json_quote(subject) || ` +
    `',"time":' || time || '}'`,
);

interface RenderedRow {
  readonly seq: number;
  /** Null when the row is not {@link RENDERABLE}. */
  readonly text: string | null;
}

function isRendered(row: RenderedRow): row is RenderedAuditEvent {
  return row.text !== null;
}

/** SQLite: pages of rendered events (see {@link RENDERED_TEXT}), with any unrenderable row read whole. */
async function* readRenderedPages(db: Kysely<Schema>, range: AuditRange): AsyncGenerator<readonly VerifierEvent[]> {
  const limit = range.batchSize === undefined ? VERIFY_PAGE : batchSizeOf(range);
  const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
  let after = range.afterSeq ?? 0;
  for (;;) {
    const { rows } = await sql<RenderedRow>`select seq, case when ${RENDERABLE} then ${RENDERED_TEXT} end as text
      from audit_events where seq > ${after} and seq <= ${to} order by seq limit ${limit}`.execute(db);
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    yield rows.every(isRendered) ? rows : await withUnrenderedRead(db, rows);
    if (rows.length < limit) return;
    after = last.seq;
  }
}

/** Replaces the page's unrenderable rows by the same rows read column by column (one query per page). */
async function withUnrenderedRead(db: Kysely<Schema>, rows: readonly RenderedRow[]): Promise<VerifierEvent[]> {
  const unrendered = rows.filter((row) => !isRendered(row));
  const first = unrendered[0]?.seq ?? 0;
  const last = unrendered[unrendered.length - 1]?.seq ?? 0;
  const whole = await db
    .selectFrom('audit_events')
    .select(['seq', 'time', 'actor', 'action', 'subject', 'details as detailsJson', 'prev_hash as prevHash', 'hash'])
    .where('seq', '>=', first)
    .where('seq', '<=', last)
    .where(sql<boolean>`not (${RENDERABLE})`)
    .execute();
  const bySeq = new Map(whole.map((event) => [event.seq, event]));
  return rows.map((row) => {
    if (isRendered(row)) return row;
    const event = bySeq.get(row.seq);
    if (event === undefined) throw new Error(`audit event ${row.seq} changed while it was read`);
    return event;
  });
}

/**
 * Pages of events in ascending `seq` order for `verifyAuditLog`, in the form that is cheapest to check on each
 * dialect: rendered by the database on SQLite, as stored rows on PostgreSQL.
 */
export function readEventsToVerify(
  db: Kysely<Schema>,
  range: AuditRange = {},
): AsyncGenerator<readonly VerifierEvent[]> {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? readRenderedPages(db, range)
    : readAuditEventPages(db, range);
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
  /**
   * Build the Merkle tree on a worker thread, beside the reading and the chain checks (verify-merkle-thread.ts).
   * Default: for logs of {@link MERKLE_THREAD_FROM} events or more, where that repays starting the thread, when
   * the machine has a second core.
   */
  readonly merkleThread?: boolean;
}

/** Log size from which `verifyStoredAuditLog` builds the Merkle tree on a worker thread by default. */
export const MERKLE_THREAD_FROM = 50_000;

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
  const read = readEventsToVerify(db, { toSeq: head.seq, batchSize: options.batchSize });
  const { onProgress } = options;
  const every = Math.max(1, options.progressEvery ?? 100_000);
  const pages = onProgress === undefined ? read : counted(read, every, onProgress);
  const input = { checkpoints, publicKey: options.publicKey, witness: options.witness };
  const threaded = options.merkleThread ?? (head.seq >= MERKLE_THREAD_FROM && availableParallelism() > 1);
  if (!threaded) return verifyAuditLog({ ...input, events: pages });
  const thread = new MerkleThread([...checkpoints, ...(options.witness ?? [])].map((c) => c.size));
  try {
    return await verifyAuditLog({ ...input, events: thread.ahead(pages), merkle: thread });
  } finally {
    await thread.close();
  }
}

/** Passes pages through, reporting the count read so far each time it passes a multiple of `every`. */
async function* counted<T>(
  pages: AsyncIterable<readonly T[]>,
  every: number,
  report: (count: number) => void,
): AsyncGenerator<readonly T[]> {
  let count = 0;
  for await (const page of pages) {
    yield page;
    const before = count;
    count += page.length;
    if (Math.floor(count / every) > Math.floor(before / every)) report(count);
  }
}
