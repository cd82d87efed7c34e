import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventBody, GENESIS_HASH, hashEvent, type StoredAuditEvent } from '../../src/audit/audit-event.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditEvents, readEventsToVerify, verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { HASH_LENGTH, type VerifierEvent } from '../../src/audit/verify.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Schema } from '../../src/store/schema.js';
import { describeEachDialect } from '../store/dialects.js';
import { T0, underAttack } from './audit-attacks.js';

/** A column value as an attacker may store it: any JavaScript value the driver binds, or an SQL expression. */
type Stored = string | number | bigint | Buffer | RawBuilder<unknown>;

interface HostileRow {
  readonly time?: Stored;
  readonly actor?: Stored;
  readonly action?: Stored;
  readonly subject?: Stored;
  readonly details?: Stored;
  readonly prevHash?: Stored;
  readonly hash?: Stored;
}

/** Text made of exactly these bytes, valid UTF-8 or not. */
const bytes = (hex: string): RawBuilder<unknown> => sql`cast(${Buffer.from(hex, 'hex')} as text)`;

async function insertRow(db: Kysely<Schema>, seq: number, row: HostileRow): Promise<void> {
  await sql`insert into audit_events (seq, time, actor, action, subject, details, prev_hash, hash)
    values (${seq}, ${row.time ?? T0}, ${row.actor ?? 'alice'}, ${row.action ?? 'request.approve'},
      ${row.subject ?? 'request:req_1'}, ${row.details ?? '{}'}, ${row.prevHash ?? GENESIS_HASH}, ${row.hash ?? '0'.repeat(64)})`.execute(
    db,
  );
}

async function pagesOf(db: Kysely<Schema>, afterSeq: number): Promise<VerifierEvent[]> {
  const events: VerifierEvent[] = [];
  for await (const page of readEventsToVerify(db, { afterSeq, batchSize: 7 })) events.push(...page);
  return events;
}

/**
 * Reads the rows after `afterSeq` both ways and holds them equal: a row SQLite rendered is exactly the stored
 * hash and prevHash of the same row read column by column, 64 characters each, followed by the body
 * `hashEvent` hashes; any other row is that column-by-column row itself. Returns how many rows were rendered.
 */
async function expectSameHashedText(db: Kysely<Schema>, afterSeq: number): Promise<number> {
  const columns: StoredAuditEvent[] = [];
  for await (const event of readAuditEvents(db, { afterSeq })) columns.push(event);
  const read = await pagesOf(db, afterSeq);
  expect(read.map((event) => event.seq)).toEqual(columns.map((event) => event.seq));
  let rendered = 0;
  read.forEach((event, index) => {
    const stored = columns[index];
    if (stored === undefined) throw new Error('fewer rows read column by column');
    if (!('text' in event)) {
      expect(event).toEqual(stored);
      return;
    }
    rendered += 1;
    expect([stored.hash.length, stored.prevHash.length]).toEqual([HASH_LENGTH, HASH_LENGTH]);
    expect(event.text).toBe(stored.hash + stored.prevHash + canonicalEventBody(stored));
  });
  return rendered;
}

describe('the text SQLite renders for verification', () => {
  let dir: string;
  let database: Database;
  let nextSeq = 1;
  const insert = async (rows: readonly HostileRow[]): Promise<number> => {
    const after = nextSeq - 1;
    for (const row of rows) await insertRow(database.db, nextSeq++, row);
    return after;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-render-'));
    database = await openDatabase(join(dir, 'render.db'));
    const outcome = await migrateToLatest(database);
    if (outcome.error) throw outcome.error;
  });

  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what hashEvent hashes for rows with every character JSON escapes, and bytes that are not UTF-8', async () => {
    const controls = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const after = await insert([
      { actor: `quote " backslash \\ slash / ${controls} del \u007f`, subject: 'request:"x"\\y' },
      { actor: 'é ü 中文 😀 \u2028 \u2029 \ufeff \uffff', subject: 'a\u0000b', action: 'x\u0000' },
      { actor: 'lone \ud800 surrogates \udc00', subject: '\udbff' },
      { details: `{"raw":"${controls}","nested":{"a":[1,2.5,-3e-7,null,true]}}`, time: -5 },
      { details: 'not json at all \u0000 "', time: 9_007_199_254_740_991 },
      { actor: bytes('61ff62'), subject: bytes('e282'), details: bytes('7b2261223a22c3') },
      { actor: bytes('eda080'), subject: bytes('80bf'), action: bytes('f4908080'), details: bytes('22e2') },
      { actor: 42, subject: 1.5, action: 7n, details: 3 },
    ]);
    expect(await expectSameHashedText(database.db, after)).toBe(8);
  });

  it('holds hashes that decode to exactly 64 characters, whatever they are, and reads any other column by column', async () => {
    const a = (count: number) => '61'.repeat(count);
    const exact = [
      'Z'.repeat(64),
      bytes(`80${a(63)}`),
      bytes(`c3${a(63)}`),
      bytes('ff'.repeat(64)),
      bytes(`f0${a(63)}`),
    ];
    const inexact = [
      'short',
      'a'.repeat(65),
      `é${'a'.repeat(62)}`,
      `😀${'a'.repeat(63)}`,
      bytes(`c3a9${a(62)}`),
      bytes(`c080${a(62)}`),
      `${'a'.repeat(63)}\u0000`,
      bytes(`00${a(63)}`),
      Buffer.from('a'.repeat(64)),
    ];
    const after = await insert([
      ...exact.flatMap((value) => [{ prevHash: value }, { hash: value }]),
      ...inexact.flatMap((value) => [{ prevHash: value }, { hash: value }]),
    ]);
    expect(await expectSameHashedText(database.db, after)).toBe(2 * exact.length);
  });

  it('leaves rows with fields of another type to be hashed column by column, as before', async () => {
    const after = await insert([
      { time: 1.5 },
      { time: 1e21 },
      { time: 'yesterday' },
      { time: 2n ** 60n },
      { time: -(2n ** 53n) },
      { time: Buffer.from('1700000000000') },
      { actor: Buffer.from('alice') },
      { action: Buffer.from('request.approve') },
      { subject: Buffer.from('request:req_1') },
      { details: Buffer.from('{}') },
      { prevHash: Buffer.from(GENESIS_HASH) },
      { hash: Buffer.from(GENESIS_HASH) },
      {},
    ]);
    // Only the last, untouched row is rendered; pages of 7 mix rendered and unrendered rows.
    expect(await expectSameHashedText(database.db, after)).toBe(1);
  });

  it('is what hashEvent hashes for any strings and any bytes', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.uint8Array({ maxLength: 12 }).map((array) => bytes(Buffer.from(array).toString('hex'))),
    );
    const hash = fc.oneof(
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.string({ unit: 'binary', minLength: 64, maxLength: 64 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map((array) => bytes(Buffer.from(array).toString('hex'))),
      text,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ actor: text, subject: text, details: text, prevHash: hash, hash }), { maxLength: 5 }),
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        async (rows, time) => {
          const after = await insert(rows.map((row) => ({ ...row, time })));
          await expectSameHashedText(database.db, after);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describeEachDialect('verifying events whose text needs escaping', (ctx) => {
  const tricky = [
    { actor: 'o"brien\\', subject: 'request:"quoted"', details: { note: 'line\nbreak\ttab \u0001', emoji: '😀' } },
    { actor: 'zoë', subject: 'resource:ünïcödé/中文', details: { path: 'C:\\temp\\x', quote: '"' } },
    { actor: 'alice', subject: 'request:req_3', details: { empty: '', list: [1, 'two', null, { three: 3 }] } },
  ];

  beforeAll(async () => {
    const auditLog = new AuditLog(ctx.dialect, randomBytes(32));
    for (let round = 0; round < 5; round += 1) {
      await ctx.database.db.transaction().execute((trx) =>
        auditLog.append(
          trx,
          tricky.map((event, index) => ({ ...event, time: T0 + round * 10 + index, action: 'request.approve' })),
        ),
      );
    }
  });

  it('a log of them verifies', async () => {
    expect(await verifyStoredAuditLog(ctx.database.db)).toMatchObject({ ok: true, eventsVerified: 15 });
  });

  it('a change to any one field of any event is named at that event', async () => {
    const edits = [
      { seq: 4, edit: sql`actor = actor || '"'` },
      { seq: 5, edit: sql`action = 'request.deny'` },
      { seq: 7, edit: sql`subject = replace(subject, '"', '''')` },
      { seq: 8, edit: sql`details = replace(details, 'temp', 'tmp')` },
      { seq: 9, edit: sql`time = time + 1` },
      { seq: 10, edit: sql`prev_hash = ${'f'.repeat(64)}` },
    ];
    for (const { seq, edit } of edits) {
      const result = await underAttack(
        ctx.database,
        (db) => sql`update audit_events set ${edit} where seq = ${seq}`.execute(db).then(() => undefined),
        (db) => verifyStoredAuditLog(db),
      );
      expect(result, `edit at ${seq}`).toMatchObject({ ok: false, firstBadSeq: seq, problem: { kind: 'modified' } });
    }
  });

  it('a field stored as another type with an equal-looking value is named as modified', async () => {
    if (ctx.dialect !== 'sqlite') return; // PostgreSQL's columns hold one type each
    const result = await underAttack(
      ctx.database,
      (db) => sql`update audit_events set time = time + 0.25 where seq = 9`.execute(db).then(() => undefined),
      (db) => verifyStoredAuditLog(db),
    );
    expect(result).toMatchObject({ ok: false, firstBadSeq: 9, problem: { kind: 'modified' } });
  });

  it('each event read for verification hashes to its stored hash, rendered by SQLite or read column by column', async () => {
    const events = await pagesOf(ctx.database.db, 0);
    expect(events).toHaveLength(15);
    expect(events.filter((event) => 'text' in event)).toHaveLength(ctx.dialect === 'sqlite' ? 15 : 0);
    for (const event of events) {
      const [hash, recomputed] =
        'text' in event
          ? [event.text.slice(0, HASH_LENGTH), createHash('sha256').update(event.text.slice(HASH_LENGTH)).digest('hex')]
          : [event.hash, hashEvent(event.prevHash, event)];
      expect(recomputed).toBe(hash);
    }
  });
});
