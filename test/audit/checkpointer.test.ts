import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transaction } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ensureAuditKeys, type AuditKeys } from '../../src/audit/store/audit-keys.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { readAuditCheckpoints, readAuditLinks, verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { verifyCheckpointSignature } from '../../src/audit/checkpoint.js';
import { Checkpointer, type CheckpointerOptions } from '../../src/audit/store/checkpointer.js';
import { merkleRoot } from '../../src/audit/merkle.js';
import { JsonlFileWitness, readWitnessFile } from '../../src/audit/witness.js';
import type { Schema } from '../../src/store/schema.js';
import { describeEachDialect } from '../store/dialects.js';
import { appendEvents, attacks, T0, underAttack } from './audit-attacks.js';

describeEachDialect('the audit checkpointer', (ctx) => {
  let dir: string;
  let keys: AuditKeys;
  let auditLog: AuditLog;
  let clock: ManualClock;
  let witnessPath: string;
  let counter = 0;

  const created: Checkpointer[] = [];
  const checkpointer = (options: Partial<CheckpointerOptions> = {}): Checkpointer => {
    const worker = new Checkpointer({
      database: ctx.database,
      keys,
      clock,
      policy: { everyEvents: 10, everySeconds: 60 },
      witnesses: [new JsonlFileWitness(witnessPath)],
      ...options,
    });
    created.push(worker);
    return worker;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-ckp-'));
    keys = (await ensureAuditKeys(join(dir, 'keys'))).keys;
    auditLog = new AuditLog(ctx.dialect, keys.hmacKey);
    clock = new ManualClock(T0);
  });
  beforeEach(() => {
    // Each test gets its own witness file; the log and its checkpoints carry over from test to test.
    counter += 1;
    witnessPath = join(dir, `witness-${counter}.jsonl`);
  });
  // Each test's checkpointers give their lease back, as on shutdown, so the next test's can take it (a
  // checkpointer over a transaction the test rolled back has nothing to give back).
  afterEach(async () => {
    await Promise.all(created.splice(0).map((worker) => worker.lease.release().catch(() => undefined)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes no checkpoint for an idle log, the first once events exist, the next once N more are pending', async () => {
    const worker = checkpointer();
    expect(await worker.tick()).toMatchObject({ skipped: 'not_due' });
    await appendEvents(ctx.database, auditLog, 9, clock.now());
    expect((await worker.tick()).checkpoint?.size).toBe(9);
    await appendEvents(ctx.database, auditLog, 9, clock.now());
    expect(await worker.tick()).toMatchObject({ skipped: 'not_due' });
    await appendEvents(ctx.database, auditLog, 3, clock.now());
    const run = await worker.tick();
    expect(run.reason?.code).toBe('checkpoint.due_events');
    expect(run.checkpoint).toMatchObject({ size: 21, time: clock.now() });
    const hashes: string[] = [];
    for await (const link of readAuditLinks(ctx.database.db)) hashes.push(link.hash);
    expect(run.checkpoint?.root).toBe(merkleRoot(hashes));
    expect(run.checkpoint?.head).toBe(hashes.at(-1));
    expect(verifyCheckpointSignature(run.checkpoint!, keys.publicKey).valid).toBe(true);
    expect((await readWitnessFile(witnessPath)).map((c) => c.size)).toEqual([9, 21]);
    expect((await readWitnessFile(witnessPath))[1]).toEqual(run.checkpoint);
  });

  it('checkpoints a few pending events once T seconds have passed since the last checkpoint', async () => {
    const worker = checkpointer();
    await appendEvents(ctx.database, auditLog, 2, clock.now());
    expect(await worker.tick()).toMatchObject({ skipped: 'not_due' });
    clock.advance(60_000);
    const run = await worker.tick();
    expect(run.reason?.code).toBe('checkpoint.due_time');
    expect(run.checkpoint?.size).toBe(23);
  });

  it('resumes over an existing log and keeps extending it incrementally, every checkpoint verifying', async () => {
    const worker = checkpointer();
    for (let round = 0; round < 3; round += 1) {
      await appendEvents(ctx.database, auditLog, 7, clock.now());
      clock.advance(1000);
      await worker.checkpointNow();
    }
    expect((await readAuditCheckpoints(ctx.database.db)).map((c) => c.size)).toEqual([9, 21, 23, 30, 37, 44]);
    const result = await verifyStoredAuditLog(ctx.database.db, { publicKey: keys.publicKey });
    expect(result).toMatchObject({ ok: true, eventsVerified: 44, checkpointsVerified: 6 });
    expect(await worker.checkpointNow()).toMatchObject({ skipped: 'not_due' });
  });

  it('lets one checkpointer hold the lease at a time, and the other take over once it is released', async () => {
    const first = checkpointer({ owner: 'replica-a' });
    const second = checkpointer({ owner: 'replica-b', database: await ctx.open() });
    await appendEvents(ctx.database, auditLog, 1, clock.now());
    expect((await first.checkpointNow()).checkpoint?.size).toBe(45);
    await appendEvents(ctx.database, auditLog, 1, clock.now());
    expect(await second.checkpointNow()).toMatchObject({ skipped: 'lease_held_elsewhere' });
    await first.lease.release();
    expect((await second.checkpointNow()).checkpoint?.size).toBe(46);
    await second.lease.release();
  });

  it('counts a witness that cannot be written, keeps the checkpoint, and publishes it on a later run', async () => {
    const witness = { failing: true, published: [] as number[] };
    const worker = checkpointer({
      witnesses: [
        {
          publish: async (checkpoint) => {
            if (witness.failing) throw new Error('witness unreachable');
            witness.published.push(checkpoint.size);
          },
        },
      ],
      logger: { error: () => undefined },
    });
    await appendEvents(ctx.database, auditLog, 1, clock.now());
    const run = await worker.checkpointNow();
    expect(run).toMatchObject({ witnessFailures: 1, checkpoint: { size: 47 } });
    witness.failing = false;
    expect(await worker.tick()).toMatchObject({ skipped: 'not_due', witnessFailures: 0 });
    expect(witness.published).toEqual([47]);
  });

  it('refuses to sign over a log that no longer matches its last checkpoint', async () => {
    const refusal = await underAttack(
      ctx.database,
      async (db) => {
        await attacks.rewriteAndRechain(db, 30);
        // The next event appended through the application chains onto the rewritten head.
        await auditLog.append(db as Transaction<Schema>, [
          { time: clock.now(), actor: 'alice', action: 'request.create', subject: 'request:req_next' },
        ]);
      },
      async (db) => {
        const fresh = checkpointer({ database: { ...ctx.database, db }, owner: 'fresh' });
        return fresh.checkpointNow().then(
          () => undefined,
          (error: unknown) => error,
        );
      },
    );
    expect(String(refusal)).toMatch(
      /no longer matches the signed checkpoint at size 47; run 'countersign audit verify'/,
    );
  });
});
