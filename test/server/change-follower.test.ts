/**
 * Replicas following each other's changes (`server/change-follower.ts`): two applications over one database
 * play two replicas. On PostgreSQL the poll is set far beyond the test's patience, so only `NOTIFY` (or the
 * catch-up after a reconnect) can deliver; on SQLite the poll is the mechanism and is set short.
 */
import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CheckService } from '../../src/features/access/check-service.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { ChangeFollower } from '../../src/server/change-follower.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { grantRow, newId, requestRow } from '../store/factories.js';

const OTHER_POLICY_DIR = 'test/fixtures/valid-policy';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function eventually(condition: () => boolean | Promise<boolean>, withinMs = 8000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Replica B loads the other policy, a minute after replica A's clock, as `serve --policy` would. */
async function loadOtherPolicy(replica: TestApp): Promise<void> {
  const read = await readPolicyDirectory(OTHER_POLICY_DIR);
  const parsed = parsePolicySources(read.sources);
  if (!parsed.policy) throw new Error('the fixture policy does not load');
  replica.clock.advance(60_000);
  await loadPolicy({
    app: replica.app,
    actor: SYSTEM_POLICY,
    input: { policy: parsed.policy, documents: [...read.sources], location: OTHER_POLICY_DIR },
  });
}

describeEachDialect('following changes made by other replicas', (ctx) => {
  const followers: ChangeFollower[] = [];
  afterEach(async () => {
    await Promise.all(followers.splice(0).map((follower) => follower.stop()));
  });

  function follow(replica: TestApp, checks?: Pick<CheckService, 'refreshSoon'>): ChangeFollower {
    const follower = new ChangeFollower({
      database: replica.app.database,
      url: ctx.url,
      runtime: replica.runtime,
      ...(checks ? { checks: checks as CheckService } : {}),
      logger: silent,
      pollIntervalMs: ctx.dialect === 'postgres' ? 600_000 : 100,
    });
    followers.push(follower);
    return follower;
  }

  it('a policy loaded by another replica comes into force here without a restart', async () => {
    const replicaA = await createTestApp(ctx);
    const replicaB = await createTestApp(ctx);
    await follow(replicaA).start();
    expect(replicaA.runtime.loaded.identities.has('victor')).toBe(true);

    await loadOtherPolicy(replicaB);

    await eventually(() => !replicaA.runtime.loaded.identities.has('victor'));
    expect([...replicaA.runtime.loaded.identities.keys()]).toEqual([...replicaB.runtime.loaded.identities.keys()]);
  });

  it.runIf(ctx.dialect === 'postgres')(
    'a grant changed by another replica makes this replica’s check index refresh at once',
    async () => {
      const replicaA = await createTestApp(ctx);
      let refreshes = 0;
      await follow(replicaA, { refreshSoon: () => (refreshes += 1) }).start();
      const settled = refreshes;

      const requestId = newId('req');
      await replicaA.app.database.db
        .insertInto('requests')
        .values(requestRow({ id: requestId }))
        .execute();
      await replicaA.app.database.db.insertInto('grants').values(grantRow(requestId)).execute();

      await eventually(() => refreshes > settled);
    },
  );

  it.runIf(ctx.dialect === 'postgres')(
    'after its listening connection is killed it reconnects and catches up with what it missed',
    async () => {
      const replicaA = await createTestApp(ctx);
      const replicaB = await createTestApp(ctx);
      const follower = follow(replicaA);
      await follower.start();
      await eventually(async () => (await listeners(replicaA)) === 1);

      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'countersign-listen' and datname = current_database()`.execute(
        replicaA.app.database.db,
      );
      await loadOtherPolicy(replicaB);

      await eventually(() => !replicaA.runtime.loaded.identities.has('victor'), 15_000);
      await eventually(async () => (await listeners(replicaA)) === 1);
    },
    30_000,
  );
});

async function listeners(replica: TestApp): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from pg_stat_activity
    where application_name = 'countersign-listen' and datname = current_database()`.execute(replica.app.database.db);
  return rows[0]?.count ?? 0;
}
