/**
 * Fault: the disk under the gateway's journal fills up (issue 14). Recording fails closed: `statement` throws, so
 * the gateway refuses the statement instead of forwarding it unrecorded; once space is freed, statements are
 * recorded again, and what was journaled before reaches the database. A small tmpfs holds the journal; needs
 * `mount -t tmpfs` (root) and is skipped with a message where that is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import {
  findGatewayLogin,
  openGatewaySession,
  startSessionRecorder,
  type GatewayLogin,
  type StatementRecord,
} from '../../src/features/sessions/index.js';
import { activeGatewayGrant, createGatewayApp } from '../features/sessions/gateway-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'countersign-journal-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  rmSync(mountPoint, { recursive: true, force: true });
  const why = 'this machine refuses to mount a tmpfs (not root, or no mount permission in this sandbox)';
  if (process.env.CI === 'true' && process.getuid?.() === 0) throw new Error(`the journal fault test must run: ${why}`);
  console.warn(`skipping the gateway journal disk-full fault test: ${why}`);
}

afterAll(() => {
  if (!mounted) return;
  spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

function fill(path: string): void {
  const chunk = Buffer.alloc(16 * 1024, 1);
  for (;;) {
    try {
      writeFileSync(path, chunk, { flag: 'a' });
    } catch {
      return;
    }
  }
}

function statement(seq: number): StatementRecord {
  return {
    seq,
    sql: `select '${'x'.repeat(8 * 1024)}' as padding_${seq}`,
    facts: [{ kind: 'select', command: 'SELECT', tables: [], fingerprint: 'p' }],
    decision: { allowed: true, builtIn: false, message: 'allowed' },
    at: Date.now(),
  };
}

describeEachDialect('recording when the journal disk is full', (ctx) => {
  it.skipIf(!mounted)(
    'refuses to record (so the statement is not forwarded), and records again once there is space',
    async () => {
      const { app } = await createGatewayApp(ctx);
      await activeGatewayGrant(app, 'pia');
      const login = (await findGatewayLogin(app, { user: 'pia', database: 'payments-db' })) as GatewayLogin;
      const { sessionId } = await openGatewaySession(app, login, {
        gatewayId: 'gw-full',
        clientAddress: '127.0.0.1:5',
        tls: true,
        method: 'scram',
      });
      const journalDir = join(mountPoint, ctx.dialect);
      const recorder = await startSessionRecorder(app, { gatewayId: 'gw-full', journalDir, shipIntervalMs: 20 });
      recorder.statement(sessionId, statement(1));
      const filler = join(mountPoint, `filler-${ctx.dialect}`);
      fill(filler);
      let thrown: unknown;
      try {
        for (let seq = 2; seq < 200; seq += 1) recorder.statement(sessionId, statement(seq));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('internal');
      expect((thrown as AppError).message).toContain('not forwarded');
      unlinkSync(filler);
      const seq = 1000;
      expect(() => recorder.statement(sessionId, statement(seq))).not.toThrow();
      await recorder.stop();
      const rows = await ctx.database.db
        .selectFrom('gateway_statements')
        .select('seq')
        .where('session_id', '=', sessionId)
        .orderBy('seq')
        .execute();
      expect(rows.map((row) => row.seq)).toContain(1);
      expect(rows.map((row) => row.seq)).toContain(seq);
    },
  );
});
