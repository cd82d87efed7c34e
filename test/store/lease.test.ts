import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { acquireNamedLease, claimDue, releaseNamedLease } from '../../src/store/lease.js';
import { describeEachDialect } from './dialects.js';
import { grantRow, newId, requestRow, T0 } from './factories.js';

const NOW = T0 + 10_000_000;
const LEASE_MS = 60_000;

/** Inserts `count` grants that expired before NOW and `count` that have not, in one resource of their own. */
async function seedGrants(database: Database, count: number): Promise<{ resource: string; due: string[] }> {
  const resource = newId('res');
  const requests = Array.from({ length: count * 2 }, () => requestRow({ resource, status: 'active' }));
  await database.db.insertInto('requests').values(requests).execute();
  const grants = requests.map((request, index) =>
    grantRow(request.id, { resource, expires_at: index < count ? NOW - 1000 * (index + 1) : NOW + 86_400_000 + index }),
  );
  await database.db.insertInto('grants').values(grants).execute();
  return { resource, due: grants.slice(0, count).map((grant) => grant.id) };
}

function expiredGrantsOf(database: Database, resource: string, owner: string, limit: number, now = NOW) {
  return claimDue(database, {
    table: 'grants',
    owner,
    now,
    leaseMs: LEASE_MS,
    limit,
    due: (eb) => eb.and([eb('resource', '=', resource), eb('status', '=', 'active'), eb('expires_at', '<=', now)]),
    orderBy: [['expires_at', 'asc']],
  });
}

/** Claims in a loop until nothing is left, returning every id this claimer got. */
async function drain(database: Database, resource: string, owner: string): Promise<string[]> {
  const got: string[] = [];
  for (;;) {
    const rows = await expiredGrantsOf(database, resource, owner, 3);
    if (rows.length === 0) return got;
    for (const row of rows) {
      expect(row).toMatchObject({ lease_owner: owner, lease_until: NOW + LEASE_MS });
      got.push(row.id);
    }
  }
}

function expectDisjointCover(claims: readonly string[][], due: readonly string[]): void {
  const all = claims.flat();
  expect(new Set(all).size).toBe(all.length);
  expect([...all].sort()).toEqual([...due].sort());
}

describeEachDialect('row leases', (context) => {
  it('claims only due rows, most urgent first, and sets the lease', async () => {
    const { resource, due } = await seedGrants(context.database, 5);
    const rows = await expiredGrantsOf(context.database, resource, 'worker-a', 3);
    // The fifth grant expired longest ago.
    expect(rows.map((row) => row.id)).toEqual([due[4], due[3], due[2]]);
    expect(rows.every((row) => row.lease_owner === 'worker-a' && row.lease_until === NOW + LEASE_MS)).toBe(true);
  });

  it('never hands the same row to concurrent claimers, and together they claim every due row', async () => {
    const { resource, due } = await seedGrants(context.database, 60);
    const claims = await Promise.all(
      ['worker-a', 'worker-b', 'worker-c', 'worker-d'].map((owner) => drain(context.database, resource, owner)),
    );
    expectDisjointCover(claims, due);
  });

  it.runIf(context.dialect === 'postgres')(
    'never hands the same row to two replicas with pools of their own claiming at once',
    async () => {
      const { resource, due } = await seedGrants(context.database, 90);
      const replicas = [context.database, await context.open(), await context.open()];
      const claims = await Promise.all(replicas.map((replica, index) => drain(replica, resource, `replica-${index}`)));
      expectDisjointCover(claims, due);
    },
  );

  it('does not claim a leased row again until its lease lapses', async () => {
    const { resource, due } = await seedGrants(context.database, 2);
    expect(await expiredGrantsOf(context.database, resource, 'worker-a', 10)).toHaveLength(2);
    expect(await expiredGrantsOf(context.database, resource, 'worker-b', 10)).toEqual([]);
    const later = await expiredGrantsOf(context.database, resource, 'worker-b', 10, NOW + LEASE_MS);
    expect(later.map((row) => row.id).sort()).toEqual([...due].sort());
  });

  it('claims outbox rows with the same helper', async () => {
    const rows = ['a', 'b', 'c'].map((name, index) => ({
      id: newId('out'),
      event: 'request.created',
      payload: '{}',
      notifier: `notifier-${name}`,
      priority: index === 2 ? 10 : 0,
      status: 'pending' as const,
      next_attempt_at: NOW - 1000 + index,
      created_at: T0,
    }));
    await context.database.db.insertInto('outbox').values(rows).execute();
    const claimed = await claimDue(context.database, {
      table: 'outbox',
      owner: 'deliverer',
      now: NOW,
      leaseMs: LEASE_MS,
      limit: 10,
      due: (eb) => eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', NOW)]),
      orderBy: [
        ['priority', 'desc'],
        ['next_attempt_at', 'asc'],
      ],
    });
    expect(claimed.map((row) => row.notifier)).toEqual(['notifier-c', 'notifier-a', 'notifier-b']);
  });

  it.runIf(context.dialect === 'postgres')('skips rows another transaction has locked instead of waiting', async () => {
    const { resource, due } = await seedGrants(context.database, 4);
    const locked = due.slice(0, 2);
    const other = await context.open();
    await other.db.transaction().execute(async (trx) => {
      await sql`select id from grants where id in (${sql.join(locked)}) for update`.execute(trx);
      const rows = await expiredGrantsOf(context.database, resource, 'worker-a', 10);
      expect(rows.map((row) => row.id).sort()).toEqual(due.slice(2).sort());
    });
  });

  it('gives a named lease to one owner at a time until it lapses or is released', async () => {
    const { db } = context.database;
    const lease = (owner: string, now: number) =>
      acquireNamedLease(db, { name: 'checkpoint', owner, now, leaseMs: 1000 });
    expect(await lease('a', NOW)).toBe(true);
    expect(await lease('b', NOW + 10)).toBe(false);
    expect(await lease('a', NOW + 500)).toBe(true); // renewed until NOW + 1500
    expect(await lease('b', NOW + 1200)).toBe(false);
    expect(await lease('b', NOW + 1500)).toBe(true);
    await releaseNamedLease(db, 'checkpoint', 'a');
    expect(await lease('a', NOW + 1600)).toBe(false);
    await releaseNamedLease(db, 'checkpoint', 'b');
    expect(await lease('a', NOW + 1600)).toBe(true);
  });
});
