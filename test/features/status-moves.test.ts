/**
 * The two status writers (`requests.repo.ts`, `grants.repo.ts`) move a row only along its lifecycle table, on both
 * dialects: an event the table does not allow from the row's status writes nothing, and a racing writer's move
 * is never overwritten.
 */
import type { Transaction } from 'kysely';
import { expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import {
  claimGrantsForTeardown,
  discardGrantIntent,
  extendGrant,
  provisionGrant,
  recordGrantRevokeFailed,
  recordGrantsEnded,
} from '../../src/features/grants/grants.repo.js';
import { isVersionConflict, moveRequest, moveRequests } from '../../src/features/requests/requests.repo.js';
import type { Database } from '../../src/store/database.js';
import type { GrantStatus, Schema } from '../../src/store/schema.js';
import type { RequestStatus } from '../../src/decide/types.js';
import { describeEachDialect } from '../store/dialects.js';
import { grantRow, requestRow, T0 } from '../store/factories.js';

const NOW = T0 + 60_000;
const LEASE = { now: NOW, leaseMs: 60_000, takeOver: false };

async function seedRequest(database: Database, status: RequestStatus): Promise<string> {
  const row = requestRow({ status });
  await database.db.insertInto('requests').values(row).execute();
  return row.id;
}

async function seedGrant(database: Database, status: GrantStatus, lease: string | null = null): Promise<string> {
  const requestId = await seedRequest(database, 'active');
  const row = grantRow(requestId, { status, lease_owner: lease, lease_until: lease === null ? null : NOW + 60_000 });
  await database.db.insertInto('grants').values(row).execute();
  return row.id;
}

async function requestOf(database: Database, id: string) {
  return database.db
    .selectFrom('requests')
    .select(['status', 'status_reason', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function grantStatus(database: Database, id: string): Promise<GrantStatus> {
  const row = await database.db.selectFrom('grants').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  return row.status;
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describeEachDialect('status writers move rows only along their lifecycle table', (ctx) => {
  const inTrx = <T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> =>
    ctx.database.db.transaction().execute(work);

  it('cancelling a completed request is refused as an illegal transition and changes nothing', async () => {
    const id = await seedRequest(ctx.database, 'completed');
    const before = await requestOf(ctx.database, id);
    const error = await rejection(
      inTrx((trx) =>
        moveRequest(
          trx,
          { record: { id, status: 'completed' }, version: before.version },
          'cancel',
          { statusReason: 'late' },
          NOW,
        ),
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', details: { request: id, reason: 'lifecycle.illegal_transition' } });
    expect(await requestOf(ctx.database, id)).toEqual(before);
  });

  it('a move names the version it read, so a request moved meanwhile is a version conflict, not a second move', async () => {
    const id = await seedRequest(ctx.database, 'pending');
    const read = await requestOf(ctx.database, id);
    const at = { record: { id, status: 'pending' as const }, version: read.version };
    const first = await inTrx((trx) => moveRequest(trx, at, 'approve_final', { approvedAt: NOW }, NOW));
    expect(first).toEqual({ to: 'approved', version: read.version + 1 });
    const second = await rejection(inTrx((trx) => moveRequest(trx, at, 'deny', { statusReason: 'no' }, NOW)));
    expect(isVersionConflict(second)).toBe(true);
    expect(await requestOf(ctx.database, id)).toMatchObject({ status: 'approved', version: read.version + 1 });
  });

  it('a batch move takes each request by the event of its own status and leaves the others as they are', async () => {
    const pending = await seedRequest(ctx.database, 'pending');
    const approved = await seedRequest(ctx.database, 'approved');
    const completed = await seedRequest(ctx.database, 'completed');
    const after = await inTrx((trx) =>
      moveRequests(
        trx,
        [pending, approved, completed],
        { pending: 'cancel', approved: 'cancel', completed: 'cancel' },
        { statusReason: 'offboarded' },
        NOW,
      ),
    );
    expect(Object.fromEntries(after)).toEqual({
      [pending]: 'cancelled',
      [approved]: 'cancelled',
      [completed]: 'completed',
    });
    expect(await requestOf(ctx.database, pending)).toMatchObject({ status: 'cancelled', status_reason: 'offboarded' });
    expect(await requestOf(ctx.database, completed)).toMatchObject({ status: 'completed', status_reason: null });
  });

  it('a grant that is revoked or expired is neither provisioned, extended, claimed nor recorded again', async () => {
    for (const final of ['revoked', 'expired'] as const) {
      const id = await seedGrant(ctx.database, final, 'worker-a');
      await inTrx(async (trx) => {
        expect(await provisionGrant(trx, id, { handle: {}, expiresAt: NOW }, NOW)).toBe(false);
        expect(await extendGrant(trx, id, NOW + 1, NOW)).toBe(false);
        expect(await claimGrantsForTeardown(trx, [id], { owner: 'worker-a', ...LEASE })).toEqual([]);
        expect(
          await recordGrantsEnded(trx, [id], { event: 'revoke', actor: 'alice', revokedAt: NOW }, 'worker-a', NOW),
        ).toEqual([]);
        expect(
          await recordGrantRevokeFailed(trx, id, { attempts: 1, nextAttemptAt: NOW, error: 'x' }, 'worker-a', NOW),
        ).toBe(false);
        expect(await discardGrantIntent(trx, id)).toBe(false);
      });
      expect(await grantStatus(ctx.database, id)).toBe(final);
    }
  });

  it('an intent becomes active only by being provisioned, and is never claimed for a revoke before', async () => {
    const id = await seedGrant(ctx.database, 'provisioning');
    expect(await inTrx((trx) => claimGrantsForTeardown(trx, [id], { owner: 'worker-a', ...LEASE }))).toEqual([]);
    expect(await inTrx((trx) => extendGrant(trx, id, NOW + 1, NOW))).toBe(false);
    expect(await inTrx((trx) => provisionGrant(trx, id, { handle: { role: 'r' }, expiresAt: NOW + 1 }, NOW))).toBe(
      true,
    );
    expect(await grantStatus(ctx.database, id)).toBe('active');
    expect(await inTrx((trx) => discardGrantIntent(trx, id))).toBe(false);
  });

  it('only the worker holding the claim records a revoke, and the grant ends where the event leads', async () => {
    const id = await seedGrant(ctx.database, 'active');
    const claimed = await inTrx((trx) => claimGrantsForTeardown(trx, [id], { owner: 'worker-a', ...LEASE }));
    expect(claimed.map((row) => [row.id, row.status])).toEqual([[id, 'revoking']]);
    const ended = { event: 'expire' as const, actor: 'system:scheduler', revokedAt: NOW };
    expect(await inTrx((trx) => recordGrantsEnded(trx, [id], ended, 'worker-b', NOW))).toEqual([]);
    expect(await grantStatus(ctx.database, id)).toBe('revoking');
    expect(await inTrx((trx) => recordGrantsEnded(trx, [id], ended, 'worker-a', NOW))).toEqual([id]);
    expect(await grantStatus(ctx.database, id)).toBe('expired');
  });
});
