/**
 * Fault: a replica dies mid-expiry-wave (issue 10, finding 4; SPEC §7 "every grant revoked on the provider
 * within 10 s of expiry" with a replica SIGKILLed mid-wave). Three scheduler replicas with production defaults
 * share a private PostgreSQL cluster; 1,200 grants expire in the same second; the provider takes 100 ms per
 * revoke; the replica that has revoked the most is SIGKILLed mid-wave. Its claims must be taken over within
 * seconds (short leases renewed by a heartbeat), every grant must end exactly once in the chain, and the audit
 * log must verify.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { verifyStoredAuditLog } from '../../src/audit/store/audit-store.js';
import { insertExpiringGrants } from '../app/fixtures/expiring-grants.js';
import { openLifecycleApp } from '../app/fixtures/lifecycle-app.js';
import {
  busiestReplicaAfter,
  firstRevokeLags,
  providerRevokes,
  startSchedulerReplica,
  untilAllExpired,
} from './fixtures/expiry-wave.js';
import { PrivateCluster, privateClusterUnavailable } from './private-cluster.js';

const GRANTS = 1200;
const REVOKE_DELAY_MS = 100;
/** SPEC §7. */
const BOUND_MS = 10_000;

const unavailable = privateClusterUnavailable();
if (unavailable !== undefined) console.warn(`skipping the expiry takeover fault test: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('a replica killed mid-expiry-wave', () => {
  let cluster: PrivateCluster;
  let app: AppContext;
  const scratch = mkdtempSync(path.join(tmpdir(), 'countersign-takeover-'));
  const replicas: ChildProcess[] = [];

  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    app = await openLifecycleApp(cluster.url);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) replica.kill('SIGKILL');
    await app?.database.close();
    cluster?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('has its claims taken over: every grant revoked on the provider within 10 s of expiry, once in the chain', async () => {
    const revokeFile = path.join(scratch, 'revokes.txt');
    // One at a time: each loads the policy at start, as `serve --policy` does.
    for (let i = 0; i < 3; i++) replicas.push(await startSchedulerReplica(cluster.url, revokeFile, REVOKE_DELAY_MS));
    const expiresAt = Math.ceil((Date.now() + 5_000) / 1000) * 1000;
    await insertExpiringGrants(app, GRANTS, expiresAt);
    expect(Date.now()).toBeLessThan(expiresAt);

    // Kill the busiest replica once the wave is well under way.
    const victim = await busiestReplicaAfter(revokeFile, GRANTS / 6, expiresAt + 10_000);
    const killed = replicas.find((replica) => replica.pid === victim);
    expect(killed, 'a replica to kill mid-wave').toBeDefined();
    killed?.kill('SIGKILL');
    const revokedAtKill = providerRevokes(revokeFile).length;
    expect(revokedAtKill).toBeLessThan(GRANTS);

    await untilAllExpired(app, expiresAt + 30_000);
    const { granted, lags } = firstRevokeLags(revokeFile, expiresAt);
    expect(granted).toBe(GRANTS);
    const worst = lags[lags.length - 1] ?? 0;
    console.info(
      `expiry takeover: ${GRANTS} grants, replica ${String(victim)} killed after ${revokedAtKill} revokes; ` +
        `worst expiry-to-provider-revoke lag ${worst} ms, p50 ${lags[Math.floor(lags.length / 2)]} ms`,
    );
    expect(worst).toBeLessThanOrEqual(BOUND_MS);

    const ended = await app.database.db
      .selectFrom('audit_events')
      .select('subject')
      .where('action', '=', 'grant.expire')
      .execute();
    expect(ended).toHaveLength(GRANTS);
    expect(new Set(ended.map((event) => event.subject)).size).toBe(GRANTS);
    const verification = await verifyStoredAuditLog(app.database.db);
    expect(verification.ok).toBe(true);
  }, 90_000);
});
