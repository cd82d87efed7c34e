/**
 * Expiry with a replica SIGKILLed mid-wave (SPEC §7): three scheduler replicas (child processes with the
 * production defaults, as `serve` runs them) share a scratch PostgreSQL database; 10,000 grants expire in the
 * same second; the replica that has revoked the most is killed once a tenth of the wave is done. Reported: when
 * the last grant was revoked *on the provider* (the replicas' provider logs every revoke, with its time), and
 * the p50/p99 lag between a grant's expiry and its first provider revoke. Set-up (inserting the grants, starting
 * the replicas) is not timed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insertExpiringGrants } from '../test/app/fixtures/expiring-grants.js';
import { openLifecycleApp } from '../test/app/fixtures/lifecycle-app.js';
import { formatCount, percentiles, type BenchResult } from './harness.js';
import { postgresScratch } from './scratch-database.js';

const GRANTS = 10_000;
const REPLICA = path.resolve('test/faults/fixtures/scheduler-replica.ts');
const NAME = 'expiry of 10,000 grants, PostgreSQL, 3 replicas, one SIGKILLed mid-wave';
const TARGET = 'every grant revoked on the provider within 10 s of expiry';

function startReplica(url: string, revokeFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA, url, revokeFile, '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a replica exited (${code}) before it was ready: ${stderr}`)));
  });
}

function revokes(file: string): { request: string; pid: number; at: number }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [request = '', pid = '0', at = '0'] = line.split(' ');
      return { request, pid: Number(pid), at: Number(at) };
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<BenchResult[]> {
  const scratch = await postgresScratch();
  if ('unavailable' in scratch)
    return [{ name: NAME, result: `skipped: ${scratch.unavailable}`, target: TARGET, met: false }];
  // The provider log is fsync'd per revoke: on a memory file system that costs what a real target's call would not.
  const logDir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'countersign-bench-'));
  const revokeFile = path.join(logDir, 'revokes.txt');
  const app = await openLifecycleApp(scratch.url);
  const replicas: ChildProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) replicas.push(await startReplica(scratch.url, revokeFile));
    const expiresAt = Math.ceil((Date.now() + 8_000) / 1000) * 1000;
    await insertExpiringGrants(app, GRANTS, expiresAt);
    let victim: number | undefined;
    while (victim === undefined) {
      const lines = revokes(revokeFile);
      if (lines.length >= GRANTS / 10) {
        const counts = new Map<number, number>();
        for (const line of lines) counts.set(line.pid, (counts.get(line.pid) ?? 0) + 1);
        victim = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      } else {
        if (Date.now() > expiresAt + 60_000) throw new Error('the expiry wave did not start within a minute');
        await sleep(5);
      }
    }
    replicas.find((replica) => replica.pid === victim)?.kill('SIGKILL');
    const revokedAtKill = revokes(revokeFile).length;
    for (;;) {
      const left = await app.database.db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'expired')
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      if (Date.now() > expiresAt + 120_000) throw new Error(`${left.n} grants still not expired after 2 minutes`);
      await sleep(50);
    }
    const first = new Map<string, number>();
    for (const line of revokes(revokeFile)) if (!first.has(line.request)) first.set(line.request, line.at);
    if (first.size !== GRANTS) throw new Error(`${GRANTS - first.size} grants never reached the provider`);
    const lags = [...first.values()].map((at) => at - expiresAt);
    const { p50, p99, max } = percentiles(lags);
    return [
      {
        name: NAME,
        result:
          `all ${formatCount(GRANTS)} revoked on the provider ${(max / 1000).toFixed(2)} s after expiry; ` +
          `lag p50 ${(p50 / 1000).toFixed(2)} s, p99 ${(p99 / 1000).toFixed(2)} s ` +
          `(replica killed after ${formatCount(revokedAtKill)} provider revokes)`,
        target: TARGET,
        met: max <= 10_000,
      },
    ];
  } finally {
    for (const replica of replicas) replica.kill('SIGKILL');
    await app.database.close();
    await scratch.drop();
    rmSync(logDir, { recursive: true, force: true });
  }
}
