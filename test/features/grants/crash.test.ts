/**
 * Crash safety of the lifecycle: a real child process runs busy lifecycles and the scheduler, is killed with
 * SIGKILL mid-way, and a fresh process catches up. Every grant whose expiry passed must end revoked exactly
 * once (a second provider revoke is allowed only for a grant the killed process left mid-revoke, where the
 * provider's idempotent revoke runs again by design), and the audit log must verify.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { verifyStoredAuditLog } from '../../../src/audit/store/audit-store.js';
import { describeEachDialect } from '../../store/dialects.js';

const WORKER = path.resolve('test/app/fixtures/lifecycle-worker.ts');
const GRANTS_BEFORE_KILL = 25;
const REVOKES_BEFORE_KILL = 10;
const scratch = mkdtempSync(path.join(tmpdir(), 'countersign-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function startWorker(mode: 'busy' | 'catchup', url: string, revokeFile: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, mode, url, revokeFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once the child printed `grants N` with N ≥ `count`; rejects if it exits first. */
function untilGrants(child: ChildProcess, count: number): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const counts = [...chunk.toString().matchAll(/grants (\d+)/g)].map((match) => Number(match[1]));
      if (counts.some((n) => n >= count)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before ${count} grants: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function revokeLines(file: string): { request: string; pid: string }[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [request = '', pid = ''] = line.split(' ');
      return { request, pid };
    });
}

describeEachDialect('a lifecycle worker killed mid-way', (ctx) => {
  it(
    'leaves every expired grant revoked exactly once and the audit log intact after a restart',
    { timeout: 60_000 },
    async () => {
      const revokeFile = path.join(scratch, `revokes-${ctx.dialect}.txt`);
      const busy = startWorker('busy', ctx.url, revokeFile);
      try {
        await untilGrants(busy, GRANTS_BEFORE_KILL);
        // Kill while expiries are under way, not before the first one.
        const deadline = Date.now() + 15_000;
        while (revokeLines(revokeFile).length < REVOKES_BEFORE_KILL && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        busy.kill('SIGKILL');
        await exited(busy);
      }
      const db = ctx.database.db;
      // Grants the killed process held mid-revoke: their provider revoke may have run before the kill.
      const midRevoke = new Set(
        (await db.selectFrom('grants').select('request_id').where('status', '=', 'revoking').execute()).map(
          (row) => row.request_id,
        ),
      );
      const atKill = await db.selectFrom('grants').select('status').execute();
      expect(atKill.length).toBeGreaterThanOrEqual(GRANTS_BEFORE_KILL);
      expect(atKill.some((grant) => grant.status === 'expired')).toBe(true);
      expect(atKill.some((grant) => grant.status !== 'expired')).toBe(true);

      const catchup = startWorker('catchup', ctx.url, revokeFile);
      const limit = setTimeout(() => catchup.kill('SIGKILL'), 30_000);
      const code = await exited(catchup);
      clearTimeout(limit);
      expect(code, 'the catch-up worker finished within 30 s').toBe(0);

      const grants = await db.selectFrom('grants').select(['id', 'request_id', 'status', 'expires_at']).execute();
      expect(grants.filter((grant) => grant.status !== 'expired')).toEqual([]);
      const requests = await db
        .selectFrom('requests')
        .select(['id', 'status'])
        .where('status', '=', 'active')
        .execute();
      expect(requests).toEqual([]);

      const lines = revokeLines(revokeFile);
      const byRequest = new Map<string, string[]>();
      for (const line of lines) byRequest.set(line.request, [...(byRequest.get(line.request) ?? []), line.pid]);
      for (const grant of grants) {
        const pids = byRequest.get(grant.request_id) ?? [];
        expect(pids.length, `grant of ${grant.request_id}`).toBeGreaterThanOrEqual(1);
        // Never twice from one process; twice across processes only when the kill came mid-revoke.
        expect(new Set(pids).size, `grant of ${grant.request_id}`).toBe(pids.length);
        if (pids.length > 1) expect(midRevoke.has(grant.request_id), `grant of ${grant.request_id}`).toBe(true);
      }
      const audited = await db
        .selectFrom('audit_events')
        .select('subject')
        .where('action', '=', 'grant.expire')
        .execute();
      expect(audited).toHaveLength(grants.length);
      expect(new Set(audited.map((event) => event.subject)).size).toBe(grants.length);

      const verification = await verifyStoredAuditLog(db);
      expect(verification.problem).toBeUndefined();
      expect(verification.ok).toBe(true);
    },
  );
});
