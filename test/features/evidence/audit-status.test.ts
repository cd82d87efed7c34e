/**
 * The audit log's verification status, on both dialects: verified incrementally from the prefix this process
 * proved good, the last signed checkpoint, the witness's agreement, and what a restart or a rewrite changes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Checkpointer } from '../../../src/audit/store/checkpointer.js';
import { JsonlFileWitness } from '../../../src/audit/witness.js';
import type { AppContext } from '../../../src/app/context.js';
import { readAuditStatus } from '../../../src/features/evidence/index.js';
import { appendEvents, dropAppendOnlyTriggers } from '../../audit/audit-attacks.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { describeEachDialect } from '../../store/dialects.js';

const signer = generateKeyPairSync('ed25519');

describeEachDialect('the audit verification status', (ctx) => {
  let t: TestApp;
  let dir: string;
  let app: AppContext;
  let checkpointer: Checkpointer;
  beforeAll(async () => {
    t = await createTestApp(ctx);
    dir = mkdtempSync(join(tmpdir(), 'countersign-audit-status-'));
    const witnessPath = join(dir, 'witness.jsonl');
    app = { ...t.app, auditSigningKey: signer.privateKey, auditWitnessPath: witnessPath };
    checkpointer = new Checkpointer({
      database: ctx.database,
      keys: { privateKey: signer.privateKey },
      clock: t.clock,
      witnesses: [new JsonlFileWitness(witnessPath)],
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the log up to its head, and then what was appended since', async () => {
    await appendEvents(ctx.database, t.app.auditLog, 30);
    const first = await readAuditStatus(app);
    expect(first).toMatchObject({ ok: true, verifiedThroughSeq: first.headSeq });
    expect(first.headSeq).toBeGreaterThanOrEqual(30);
    expect(first.problem).toBeUndefined();
    expect(first.witness).toEqual({ configured: true, message: 'the witness holds no checkpoint yet' });

    await appendEvents(ctx.database, t.app.auditLog, 12);
    const second = await readAuditStatus(app);
    expect(second).toMatchObject({ ok: true, headSeq: first.headSeq + 12, verifiedThroughSeq: first.headSeq + 12 });
    expect(Date.parse(second.verifiedAt)).toBe(t.clock.now());
  });

  it('shows the last signed checkpoint and that the witness agrees, then that a forged witness line does not', async () => {
    const run = await checkpointer.checkpointNow();
    expect(run.checkpoint).toBeDefined();
    await appendEvents(ctx.database, t.app.auditLog, 3);
    const status = await readAuditStatus(app);
    expect(status).toMatchObject({
      ok: true,
      lastCheckpoint: { seq: run.checkpoint?.size, at: new Date(run.checkpoint?.time ?? 0).toISOString() },
      witness: { configured: true, agrees: true, lastWitnessedSeq: run.checkpoint?.size },
    });
    expect(status.verifiedThroughSeq).toBe(status.headSeq);

    const witnessPath = app.auditWitnessPath ?? '';
    const honest = readFileSync(witnessPath, 'utf8');
    const line = JSON.parse(honest.trim().split('\n').at(-1) ?? '{}') as { head: string };
    appendFileSync(witnessPath, `${JSON.stringify({ ...line, head: 'f'.repeat(64) })}\n`);
    const forged = await readAuditStatus(app);
    expect(forged.witness).toMatchObject({ configured: true, agrees: false });
    expect(forged.witness.message).toMatch(/differs from the database's/);
    writeFileSync(witnessPath, honest);
    expect((await readAuditStatus({ ...app, auditWitnessPath: undefined })).witness).toEqual({ configured: false });
  });

  it('a rewritten event is found by a restarted process, which verifies from the start, and at the anchor by this one', async () => {
    const before = await readAuditStatus(app);
    await dropAppendOnlyTriggers(ctx.database.db, ctx.database.dialect);
    await sql`update audit_events set details = ${'{"approved":true}'} where seq = ${5}`.execute(ctx.database.db);
    // This process proved seq 1..head good already and does not read that prefix again on each poll.
    expect(await readAuditStatus(app)).toMatchObject({ ok: true, verifiedThroughSeq: before.headSeq });

    const other = await ctx.open();
    try {
      const restarted = await readAuditStatus({ ...app, database: other });
      expect(restarted).toMatchObject({ ok: false, verifiedThroughSeq: 4, problem: { seq: 5, kind: 'modified' } });
    } finally {
      await other.close();
    }

    await sql`update audit_events set details = ${'{"approved":true}'} where seq = ${before.headSeq}`.execute(
      ctx.database.db,
    );
    const anchored = await readAuditStatus(app);
    expect(anchored).toMatchObject({ ok: false, problem: { seq: 5 } });
  });
});
