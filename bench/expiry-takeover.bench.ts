/**
 * Expiry with a replica SIGKILLed mid-wave (SPEC §7): three scheduler replicas (child processes with the
 * production defaults, as `serve` runs them) share a scratch PostgreSQL database; 10,000 grants expire in the
 * same second; the replica that has revoked the most is killed once a tenth of the wave is done. Reported: when
 * the last grant was revoked *on the provider* (the replicas' provider logs every revoke, with its time), and
 * the p50/p99 lag between a grant's expiry and its first provider revoke. Set-up (inserting the grants, starting
 * the replicas) is not timed.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insertExpiringGrants } from '../test/app/fixtures/expiring-grants.js';
import { openLifecycleApp } from '../test/app/fixtures/lifecycle-app.js';
import {
  busiestReplicaAfter,
  firstRevokeLags,
  providerRevokes,
  startSchedulerReplica,
  untilAllExpired,
} from '../test/faults/fixtures/expiry-wave.js';
import { formatCount, percentiles, type BenchResult } from './harness.js';
import { postgresScratch } from './scratch-database.js';

const GRANTS = 10_000;
const NAME = 'expiry of 10,000 grants, PostgreSQL, 3 replicas, one SIGKILLed mid-wave';
const TARGET = 'every grant revoked on the provider within 10 s of expiry';

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
    for (let i = 0; i < 3; i++) replicas.push(await startSchedulerReplica(scratch.url, revokeFile, 0));
    const expiresAt = Math.ceil((Date.now() + 8_000) / 1000) * 1000;
    await insertExpiringGrants(app, GRANTS, expiresAt);
    const victim = await busiestReplicaAfter(revokeFile, GRANTS / 10, expiresAt + 60_000);
    if (victim === undefined) throw new Error('the expiry wave did not get under way within a minute');
    replicas.find((replica) => replica.pid === victim)?.kill('SIGKILL');
    const revokedAtKill = providerRevokes(revokeFile).length;
    await untilAllExpired(app, expiresAt + 120_000);
    const { granted, lags } = firstRevokeLags(revokeFile, expiresAt);
    if (granted !== GRANTS) throw new Error(`${GRANTS - granted} grants never reached the provider`);
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
