/**
 * Fault: the disk under SQLite fills up while grants expire and a person revokes one (issue 10, finding 5;
 * SPEC §2.8 "removing privilege never waits"). A small tmpfs holds the database and, beside it as by default,
 * the revocation journal. While the disk is full, expiry and the revoke must still reach the provider within
 * the usual lag and `check` must deny; once space is freed, every grant ends exactly once in the chain (with the
 * time its revoke happened), the provider saw each revoke once, and the audit log verifies. Needs
 * `mount -t tmpfs` (root); skipped with a message where that is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckService } from '../../src/app/check-service.js';
import type { AppContext } from '../../src/app/context.js';
import { revokeRequest } from '../../src/app/request-end.verb.js';
import { RevocationJournal } from '../../src/app/revocation-journal.js';
import { Scheduler } from '../../src/app/scheduler.js';
import { inTransaction } from '../../src/app/transaction.js';
import { isAppError } from '../../src/core/errors.js';
import { insertExpiringGrants } from '../app/fixtures/expiring-grants.js';
import { openLifecycleApp } from '../app/fixtures/lifecycle-app.js';
import { auditChainVerifies, grantEndings, loggingProvider, waitFor } from './fixtures/revoke-fixtures.js';

const GRANTS = 40;
/** SPEC §7: every grant revoked on the provider within 10 s of expiry. */
const BOUND_MS = 10_000;

const mountPoint = mkdtempSync(join(tmpdir(), 'countersign-revoke-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  rmSync(mountPoint, { recursive: true, force: true });
  const why = 'this machine refuses to mount a tmpfs (not root, or no mount permission in this sandbox)';
  if (process.env.CI === 'true' && process.getuid?.() === 0) throw new Error(`the revoke fault test must run: ${why}`);
  console.warn(`skipping the SQLite disk-full revoke fault test: ${why}`);
}

function fill(path: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (;;) {
    try {
      writeFileSync(join(path, 'filler'), chunk, { flag: 'a' });
    } catch {
      return;
    }
  }
}

describe.skipIf(!mounted)('removing privilege while the disk under SQLite is full', () => {
  let app: AppContext;
  let checks: CheckService;
  let scheduler: Scheduler;
  const log = loggingProvider(20);
  const schedulerErrors: string[] = [];

  beforeAll(async () => {
    const opened = await openLifecycleApp(join(mountPoint, 'countersign.db'), { providers: [log.provider] });
    app = { ...opened, revocations: await RevocationJournal.open(join(mountPoint, '.countersign', 'revocations')) };
    checks = new CheckService(app);
  }, 60_000);

  afterAll(async () => {
    await scheduler?.stop();
    await checks?.close().catch(() => undefined);
    await app?.database.close();
    spawnSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('expires and revokes on the provider while the store refuses writes, check denies, and the chain records each once when space is back', async () => {
    const expiresAt = Math.ceil((Date.now() + 3_000) / 1000) * 1000;
    await insertExpiringGrants(app, GRANTS, expiresAt);
    // One grant lasts an hour: dora's access to bench-db-1 (she holds no standing `use`), which she revokes
    // herself while the disk is full.
    const far = Date.now() + 3_600_000;
    const grantRow = { expires_at: far, identity: 'dora' };
    await app.database.db.updateTable('grants').set(grantRow).where('id', '=', 'grt_bench_0').execute();
    const requestRow = { expires_at: far, requester: 'dora' };
    await app.database.db.updateTable('requests').set(requestRow).where('id', '=', 'req_bench_0').execute();
    const ask = { identity: 'dora', resource: 'bench-db-1', action: 'read' };
    expect(await checks.check('dora', ask)).toMatchObject({ allowed: true, grantId: 'grt_bench_0' });

    fill(mountPoint);
    // The WAL may still take a few commits: write until the store really refuses.
    let refused: unknown;
    for (let attempt = 0; attempt < 500 && refused === undefined; attempt++) {
      await inTransaction(app, async ({ audit }) => {
        audit({ actor: 'system:test', action: 'test.fill', subject: 'disk', details: { attempt } });
      }).catch((error: unknown) => (refused = error));
    }
    expect(isAppError(refused) && refused.code === 'database_unavailable').toBe(true);

    scheduler = new Scheduler(app, {
      intervalMs: 200,
      logger: { error: (fields) => schedulerErrors.push(String(fields.error)) },
    });
    await scheduler.start();

    // A person revokes the long grant: the privilege goes now, the answer says the record follows.
    const revoked = await revokeRequest({ app, actor: 'dora', input: { id: 'req_bench_0' } }).catch((e: unknown) => e);
    expect(isAppError(revoked) && revoked.code).toBe('database_unavailable');
    expect(isAppError(revoked) ? revoked.message : '').toContain("grant 'grt_bench_0' was revoked on its provider");
    expect(log.revokes.get('req_bench_0')).toHaveLength(1);
    const denied = await checks.check('dora', ask);
    expect(denied).toMatchObject({ allowed: false, reason: { code: 'check.grant_revoked' } });

    await waitFor('every expired grant revoked on the provider', () => log.revokes.size === GRANTS, 20_000);
    const lags = [...log.revokes.entries()]
      .filter(([request]) => request !== 'req_bench_0')
      .map(([, times]) => (times[0] ?? Number.POSITIVE_INFINITY) - expiresAt);
    const worst = Math.max(...lags);
    console.info(`disk full: ${GRANTS - 1} grants expired, worst expiry-to-provider-revoke lag ${worst} ms`);
    expect(worst).toBeLessThanOrEqual(BOUND_MS);
    // Nothing was recorded yet: the store still shows them active, the journal holds every outcome.
    const stillActive = await app.database.db
      .selectFrom('grants')
      .select('id')
      .where('status', 'in', ['active', 'revoking'])
      .execute();
    expect(stillActive).toHaveLength(GRANTS);
    expect(app.revocations?.pending()).toHaveLength(GRANTS);

    rmSync(join(mountPoint, 'filler'));
    await waitFor(
      'every journalled revoke recorded',
      async () => {
        const open = await app.database.db
          .selectFrom('grants')
          .select('id')
          .where('status', 'not in', ['expired', 'revoked'])
          .execute();
        return open.length === 0 && app.revocations?.pending().length === 0;
      },
      20_000,
    );
    await scheduler.stop();

    const endings = await grantEndings(app);
    expect(endings).toHaveLength(GRANTS);
    expect(new Set(endings.map((event) => event.subject)).size).toBe(GRANTS);
    // Recorded with the time the provider's revoke happened, not the time the store took the record.
    const revokedOnProvider = log.revokes.get('req_bench_0')?.[0] ?? 0;
    const revokeEvent = endings.find((event) => event.subject === 'grant:grt_bench_0');
    expect(revokeEvent?.action).toBe('grant.revoke');
    expect(Number(revokeEvent?.details.revokedAt) - revokedOnProvider).toBeGreaterThanOrEqual(0);
    expect(Number(revokeEvent?.details.revokedAt) - revokedOnProvider).toBeLessThan(1000);
    for (const event of endings.filter((e) => e.action === 'grant.expire')) {
      expect(Number(event.details.revokedAt)).toBeGreaterThanOrEqual(expiresAt);
    }
    const grant = await app.database.db
      .selectFrom('grants')
      .select(['status', 'revoked_by', 'revoked_at'])
      .where('id', '=', 'grt_bench_0')
      .executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ status: 'revoked', revoked_by: 'dora' });
    expect(Number(grant.revoked_at)).toBe(revokeEvent?.details.revokedAt);
    // Each grant was revoked on the provider exactly once: the replay never called it again.
    expect([...log.revokes.values()].every((times) => times.length === 1)).toBe(true);
    expect(await auditChainVerifies(app)).toBe(true);
    expect((await checks.check('dora', ask)).allowed).toBe(false);
  }, 90_000);
});
