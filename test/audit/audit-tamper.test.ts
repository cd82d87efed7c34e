import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ensureAuditKeys, type AuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditCheckpoints, readAuditEvents, verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { signCheckpoint, type SignedCheckpoint } from '../../src/audit/checkpoint.js';
import { Checkpointer } from '../../src/audit/store/checkpointer.js';
import type { AuditProblemKind } from '../../src/audit/verify.js';
import { JsonlFileWitness, readWitnessFile } from '../../src/audit/witness.js';
import { describeEachDialect } from '../store/dialects.js';
import { appendEvents, attacks, insertCheckpoint, T0, underAttack } from './audit-attacks.js';

/** The log under attack: 50 events, 1–3 per transaction, checkpoints signed at sizes 20 and 40. */
const SIZE = 50;

describeEachDialect('audit verify over the database', (ctx) => {
  let dir: string;
  let keys: AuditKeys;
  let witness: SignedCheckpoint[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-'));
    keys = (await ensureAuditKeys(join(dir, 'keys'))).keys;
    const auditLog = new AuditLog(ctx.dialect, keys.hmacKey);
    const clock = new ManualClock(T0);
    const witnessPath = join(dir, 'witness.jsonl');
    const checkpointer = new Checkpointer({
      database: ctx.database,
      keys,
      clock,
      witnesses: [new JsonlFileWitness(witnessPath)],
    });
    for (const count of [20, 20, 10]) {
      await appendEvents(ctx.database, auditLog, count, clock.now());
      clock.advance(60_000);
      if (count === 20) await checkpointer.checkpointNow();
    }
    witness = await readWitnessFile(witnessPath);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an untouched log, with its checkpoints, signatures and witness', async () => {
    const result = await verifyStoredAuditLog(ctx.database.db, { publicKey: keys.publicKey, witness });
    expect(result).toMatchObject({
      ok: true,
      eventsVerified: SIZE,
      checkpointsVerified: 2,
      witnessCheckpointsVerified: 2,
      signaturesChecked: true,
      head: { seq: SIZE },
    });
    expect((await readAuditCheckpoints(ctx.database.db)).map((c) => c.size)).toEqual([20, 40]);
    // With the Merkle tree built on a worker thread, as for large logs, the verdict is the same.
    const threaded = await verifyStoredAuditLog(ctx.database.db, {
      publicKey: keys.publicKey,
      witness,
      merkleThread: true,
      batchSize: 7,
    });
    expect(threaded).toEqual(result);
  });

  it('streams events in seq order in batches of any size', async () => {
    const seqs: number[] = [];
    for await (const event of readAuditEvents(ctx.database.db, { batchSize: 7, afterSeq: 3, toSeq: 45 })) {
      seqs.push(event.seq);
    }
    expect(seqs).toEqual(Array.from({ length: 42 }, (_, index) => index + 4));
  });

  it('keeps secrets out of the stored details', async () => {
    for await (const event of readAuditEvents(ctx.database.db, { toSeq: 1 })) {
      expect(event.detailsJson).not.toContain('hunter2');
      expect(event.detailsJson).toContain('hmac-sha256:');
    }
  });

  const cases: readonly {
    readonly name: string;
    readonly attack: Parameters<typeof underAttack>[1];
    readonly kind: AuditProblemKind;
    readonly seq: number;
  }[] = [
    {
      name: 'an UPDATE of one event’s details',
      attack: (db) => attacks.updateDetails(db, 7),
      kind: 'modified',
      seq: 7,
    },
    { name: 'a DELETE of one event', attack: (db) => attacks.deleteEvent(db, 7), kind: 'deleted', seq: 7 },
    {
      name: 'an INSERT of a forged event, later events moved up',
      attack: (db) => attacks.insertForged(db, 7),
      kind: 'inserted',
      seq: 7,
    },
    // The hash commits to seq, so two events that trade places read as the first of them rewritten.
    { name: 'two events swapping seq', attack: (db) => attacks.swapSeq(db, 7), kind: 'modified', seq: 7 },
    {
      name: 'a DELETE of the tail behind the checkpoint at 40',
      attack: (db) => attacks.deleteTail(db, 35),
      kind: 'truncated',
      seq: 36,
    },
    {
      name: 'an edit with the whole chain after it recomputed',
      attack: (db) => attacks.rewriteAndRechain(db, 25),
      kind: 'checkpoint_mismatch',
      seq: 21,
    },
  ];

  for (const { name, attack, kind, seq } of cases) {
    it(`names seq ${seq} and '${kind}' after ${name}`, async () => {
      const [result, threaded] = await underAttack(ctx.database, attack, async (db) => [
        await verifyStoredAuditLog(db, { publicKey: keys.publicKey }),
        await verifyStoredAuditLog(db, { publicKey: keys.publicKey, merkleThread: true, batchSize: 7 }),
      ]);
      expect(result?.ok).toBe(false);
      expect(result?.problem?.kind).toBe(kind);
      expect(result?.firstBadSeq).toBe(seq);
      expect(result?.eventsVerified).toBe(seq - 1);
      // With the Merkle tree built on a worker thread, as for large logs, the verdict is the same.
      expect(threaded).toEqual(result);
    });
  }

  it('names a checkpoint signed by another key as a bad signature', async () => {
    const rogue = generateKeyPairSync('ed25519').privateKey;
    const result = await underAttack(
      ctx.database,
      async (db) => {
        const head = await db
          .selectFrom('audit_events')
          .select('hash')
          .where('seq', '=', SIZE)
          .executeTakeFirstOrThrow();
        await insertCheckpoint(
          db,
          signCheckpoint({ size: SIZE, head: head.hash, root: 'f'.repeat(64), time: T0 }, rogue),
        );
      },
      (db) => verifyStoredAuditLog(db, { publicKey: keys.publicKey }),
    );
    expect(result).toMatchObject({ ok: false, firstBadSeq: SIZE, problem: { kind: 'bad_signature' } });
  });

  it('passes a cut log whose checkpoint was deleted too, until the witness shows the cut', async () => {
    const attack = async (db: Parameters<Parameters<typeof underAttack>[1]>[0]): Promise<void> => {
      await attacks.deleteTail(db, 35);
      await attacks.deleteCheckpointsAbove(db, 20);
    };
    const [alone, witnessed] = await underAttack(ctx.database, attack, async (db) => [
      await verifyStoredAuditLog(db, { publicKey: keys.publicKey }),
      await verifyStoredAuditLog(db, { publicKey: keys.publicKey, witness }),
    ]);
    expect(alone).toMatchObject({ ok: true, eventsVerified: 35 });
    expect(witnessed).toMatchObject({ ok: false, firstBadSeq: 36, problem: { kind: 'truncated' } });
  });

  it('catches, through the witness, history rewritten and re-signed by someone holding the signing key', async () => {
    const rewritten = await underAttack(
      ctx.database,
      async (db) => {
        await attacks.rewriteAndRechain(db, 25);
        await attacks.deleteCheckpointsAbove(db, 20);
        // The attacker re-signs a checkpoint over the rewritten log with the stolen key.
        await attacks.signCurrentLog(db, keys.privateKey, T0 + 10 * 60_000);
      },
      async (db) => [
        await verifyStoredAuditLog(db, { publicKey: keys.publicKey }),
        await verifyStoredAuditLog(db, { publicKey: keys.publicKey, witness }),
      ],
    );
    const [alone, witnessed] = rewritten;
    expect(alone?.ok).toBe(true);
    expect(witnessed).toMatchObject({ ok: false, problem: { kind: 'checkpoint_mismatch' } });
    expect(witnessed?.firstBadSeq).toBeLessThanOrEqual(25);
  });
});
