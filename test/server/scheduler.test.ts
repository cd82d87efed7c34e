/**
 * The scheduler and the exactly-once teardown on both dialects: expiry, failed revokes retried with backoff,
 * pending and activation timeouts, catch-up after downtime, and revoke racing expiry.
 */
import { randomBytes } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import type { AppContext } from '../../src/app/context.js';
import { teardownGrant } from '../../src/features/grants/grant-teardown.js';
import { Scheduler, type SchedulerLogger } from '../../src/server/scheduler.js';
import type { RequestStatus } from '../../src/decide/types.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { GrantStatus } from '../../src/store/schema.js';
import { describeEachDialect } from '../store/dialects.js';
import { grantRow, newId, requestRow } from '../store/factories.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { createTestApp, noopProviders, type TestApp } from '../app/harness.js';
import { ManualTimers } from './manual-timers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function recordingLogger(): SchedulerLogger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, error: (fields, message) => errors.push(`${message}: ${JSON.stringify(fields)}`) };
}

async function setup(ctx: Parameters<typeof createTestApp>[0]): Promise<TestApp & { faulty: FaultyProvider }> {
  const faulty = new FaultyProvider(new NoopProvider('postgres'));
  const providers = noopProviders();
  providers.set('postgres', faulty);
  const testApp = await createTestApp(ctx, { providers });
  return { ...testApp, faulty };
}

/** An active request of alice on payments-db (a `postgres` profile) with its grant, expiring at `expiresAt`. */
async function activeGrant(app: AppContext, expiresAt: number): Promise<{ grantId: string; requestId: string }> {
  const now = app.clock.now();
  const requestId = newId('req');
  const grantId = newId('grt');
  await app.database.db
    .insertInto('requests')
    .values(requestRow({ id: requestId, status: 'active', created_at: now, updated_at: now, expires_at: expiresAt }))
    .execute();
  await app.database.db
    .insertInto('grants')
    .values(
      grantRow(requestId, {
        id: grantId,
        provider: 'postgres',
        handle: JSON.stringify({ grant: grantId }),
        created_at: now,
        updated_at: now,
        expires_at: expiresAt,
      }),
    )
    .execute();
  return { grantId, requestId };
}

async function statusOf(app: AppContext, ids: { grantId: string; requestId: string }) {
  const grant = await app.database.db
    .selectFrom('grants')
    .selectAll()
    .where('id', '=', ids.grantId)
    .executeTakeFirstOrThrow();
  const request = await app.database.db
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', ids.requestId)
    .executeTakeFirstOrThrow();
  return { grant: grant.status as GrantStatus, request: request.status as RequestStatus, grantRow: grant };
}

function revokesOf(faulty: FaultyProvider, grantId: string): number {
  return faulty.revokedHandles.filter((handle) => handle.grant === grantId).length;
}

describeEachDialect('the scheduler', (ctx) => {
  it('expires a grant whose time is up once, audits it, and leaves later grants alone', async () => {
    const { app, clock, faulty, auditEvents } = await setup(ctx);
    const due = await activeGrant(app, clock.now() + MINUTE);
    const later = await activeGrant(app, clock.now() + HOUR);
    clock.advance(MINUTE);
    const scheduler = new Scheduler(app, { logger: recordingLogger() });
    await scheduler.runOnce();
    await scheduler.runOnce();

    expect(await statusOf(app, due)).toMatchObject({ grant: 'expired', request: 'expired' });
    expect(await statusOf(app, later)).toMatchObject({ grant: 'active', request: 'active' });
    expect(revokesOf(faulty, due.grantId)).toBe(1);
    expect(revokesOf(faulty, later.grantId)).toBe(0);
    const events = (await auditEvents()).filter((event) => event.subject === `grant:${due.grantId}`);
    expect(events.map((event) => [event.action, event.actor])).toEqual([['grant.expire', 'system:scheduler']]);
    expect(events[0]?.details).toMatchObject({ requestId: due.requestId, requestStatus: 'expired' });
  });

  it('retries a failing revoke with backoff until it succeeds, alerting on each failure', async () => {
    const { app, clock, faulty, auditEvents } = await setup(ctx);
    const ids = await activeGrant(app, clock.now());
    faulty.failNext('revoke', 2);
    const scheduler = new Scheduler(app, { logger: recordingLogger() });

    const first = await scheduler.runOnce();
    expect(first.revokeFailed).toBeGreaterThanOrEqual(1);
    const failed = await statusOf(app, ids);
    expect(failed).toMatchObject({ grant: 'revoke_failed', request: 'revoke_failed' });
    expect(failed.grantRow.revoke_attempts).toBe(1);
    expect(failed.grantRow.next_attempt_at).toBeGreaterThanOrEqual(clock.now() + 4_000);
    expect(failed.grantRow.next_attempt_at).toBeLessThanOrEqual(clock.now() + 5_000);
    expect(failed.grantRow.last_error).toContain(`grant '${ids.grantId}'`);
    expect(failed.grantRow.last_error).not.toContain('simulated');

    await scheduler.runOnce(); // before the backoff: no new attempt
    expect(revokesOf(faulty, ids.grantId)).toBe(1);

    clock.advance(5_000);
    await scheduler.runOnce();
    const second = await statusOf(app, ids);
    expect(second).toMatchObject({ grant: 'revoke_failed', request: 'revoke_failed' });
    expect(second.grantRow.revoke_attempts).toBe(2);
    expect(second.grantRow.next_attempt_at).toBeGreaterThan(clock.now() + 5_000);

    clock.advance(10_000);
    await scheduler.runOnce();
    expect(await statusOf(app, ids)).toMatchObject({ grant: 'expired', request: 'revoked' });
    expect(revokesOf(faulty, ids.grantId)).toBe(3);

    const events = (await auditEvents()).filter((event) => event.subject === `grant:${ids.grantId}`);
    expect(events.map((event) => event.action)).toEqual(['grant.revoke_failed', 'grant.revoke_failed', 'grant.expire']);
    const alerts = await app.database.db
      .selectFrom('outbox')
      .select(['event', 'priority'])
      .where('event', '=', 'grant.revoke_failed')
      .where('payload', 'like', `%${ids.grantId}%`)
      .execute();
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.every((alert) => alert.priority > 0)).toBe(true);
  });

  it('times out a pending request and an approved one that was never activated', async () => {
    const { app, clock, auditEvents } = await setup(ctx);
    const now = clock.now();
    const pending = requestRow({
      id: newId('req'),
      status: 'pending',
      created_at: now,
      updated_at: now,
      expires_at: now + HOUR,
    });
    const approved = requestRow({
      id: newId('req'),
      status: 'approved',
      created_at: now,
      updated_at: now,
      expires_at: now + 2 * HOUR,
    });
    await app.database.db.insertInto('requests').values([pending, approved]).execute();
    const scheduler = new Scheduler(app, { logger: recordingLogger() });

    clock.advance(HOUR);
    await scheduler.runOnce();
    const statuses = async () =>
      Object.fromEntries(
        (
          await app.database.db
            .selectFrom('requests')
            .select(['id', 'status'])
            .where('id', 'in', [pending.id, approved.id])
            .execute()
        ).map((row) => [row.id, row.status]),
      );
    expect(await statuses()).toEqual({ [pending.id]: 'timed_out', [approved.id]: 'approved' });

    clock.advance(HOUR);
    await scheduler.runOnce();
    expect(await statuses()).toEqual({ [pending.id]: 'timed_out', [approved.id]: 'timed_out' });
    const events = (await auditEvents()).filter((event) => event.action === 'request.timeout');
    expect(events.map((event) => [event.subject, event.details.event])).toEqual([
      [`request:${pending.id}`, 'pending_timeout'],
      [`request:${approved.id}`, 'activation_timeout'],
    ]);
  });

  it('catches up on everything that came due while it was down in one run', async () => {
    const { app, clock, faulty, auditEvents } = await setup(ctx);
    const start = clock.now();
    const grants = await Promise.all([1, 2, 3, 4, 5].map((hours) => activeGrant(app, start + hours * HOUR)));
    const pending = requestRow({
      id: newId('req'),
      status: 'pending',
      created_at: start,
      updated_at: start,
      expires_at: start + 2 * HOUR,
    });
    await app.database.db.insertInto('requests').values(pending).execute();
    const exceptionId = newId('exc');
    await app.database.db
      .insertInto('sod_exceptions')
      .values({
        id: exceptionId,
        rule: 'approvers-do-not-provision',
        identity: 'alice',
        justification: 'migration week',
        compensating_control: 'daily review',
        expires_at: start + 3 * HOUR,
        created_by: 'bob',
        created_at: start,
        approved_by: 'carol',
        approved_at: start,
      })
      .execute();

    clock.advance(6 * HOUR);
    const run = await new Scheduler(app, { logger: recordingLogger() }).runOnce();
    expect(run.expired).toBeGreaterThanOrEqual(5);
    expect(run.errors).toBe(0);
    for (const ids of grants) {
      expect(await statusOf(app, ids)).toMatchObject({ grant: 'expired', request: 'expired' });
      expect(revokesOf(faulty, ids.grantId)).toBe(1);
    }
    const request = await app.database.db
      .selectFrom('requests')
      .select('status')
      .where('id', '=', pending.id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('timed_out');
    const exception = await app.database.db
      .selectFrom('sod_exceptions')
      .selectAll()
      .where('id', '=', exceptionId)
      .executeTakeFirstOrThrow();
    expect(exception.revoked_by).toBe('system:scheduler');
    const actions = (await auditEvents()).map((event) => `${event.action} ${event.subject}`);
    for (const ids of grants) expect(actions).toContain(`grant.expire grant:${ids.grantId}`);
    expect(actions).toContain(`request.timeout request:${pending.id}`);
    expect(actions).toContain(`exception.expire exception:${exceptionId}`);
  });

  it('calls the provider once when a person revokes a grant that is already gone or being revoked', async () => {
    const { app, clock, faulty } = await setup(ctx);
    const ids = await activeGrant(app, clock.now() + HOUR);
    await app.database.db
      .updateTable('grants')
      .set({ lease_owner: 'another-worker', lease_until: clock.now() + MINUTE })
      .where('id', '=', ids.grantId)
      .execute();
    const busy = await teardownGrant(app, { grantId: ids.grantId, actor: 'bob', reason: 'done', kind: 'revoke' });
    expect(busy).toEqual({ outcome: 'in_progress', grantId: ids.grantId });
    expect(revokesOf(faulty, ids.grantId)).toBe(0);

    clock.advance(MINUTE); // the other worker's lease lapsed: it died, so the revoke is taken over
    const first = await teardownGrant(app, { grantId: ids.grantId, actor: 'bob', reason: 'done', kind: 'revoke' });
    const again = await teardownGrant(app, { grantId: ids.grantId, actor: 'bob', reason: 'done', kind: 'revoke' });
    expect(first).toEqual({ outcome: 'revoked', grantId: ids.grantId, requestId: ids.requestId });
    expect(again).toEqual({ outcome: 'already_done', grantId: ids.grantId, status: 'revoked' });
    expect(revokesOf(faulty, ids.grantId)).toBe(1);
    expect(await statusOf(app, ids)).toMatchObject({ grant: 'revoked', request: 'revoked' });
  });

  it('revokes a grant exactly once when two schedulers and a person race for it', async () => {
    const { app, clock, faulty } = await setup(ctx);
    // On PostgreSQL each contender has a pool of its own, like separate replicas; SQLite has one writer anyway.
    const contenders: AppContext[] = [app];
    for (let i = 0; i < 2; i += 1) {
      contenders.push(
        ctx.dialect === 'postgres'
          ? { ...app, database: await ctx.open(), auditLog: new AuditLog('postgres', randomBytes(32)) }
          : app,
      );
    }
    const [, first, second] = contenders as [AppContext, AppContext, AppContext];
    const logger = recordingLogger();
    const schedulers = [new Scheduler(first, { logger }), new Scheduler(second, { logger })];
    for (let round = 0; round < 20; round += 1) {
      const ids = await activeGrant(app, clock.now());
      const outcomes = await Promise.all([
        schedulers[0]!.runOnce(),
        schedulers[1]!.runOnce(),
        teardownGrant(app, { grantId: ids.grantId, actor: 'bob', reason: 'no longer needed', kind: 'revoke' }),
      ]);
      expect(revokesOf(faulty, ids.grantId), `round ${round}: ${JSON.stringify(outcomes[2])}`).toBe(1);
      const final = await statusOf(app, ids);
      expect(['revoked', 'expired']).toContain(final.grant);
      expect(final.request).toBe(final.grant);
      const events = await app.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('subject', '=', `grant:${ids.grantId}`)
        .execute();
      expect(events).toHaveLength(1);
      clock.advance(1_000);
    }
    expect(logger.errors).toEqual([]);
  });

  it('takes over a grant left mid-revoke by a worker that died, once its lease lapsed', async () => {
    const { app, clock, faulty, auditEvents } = await setup(ctx);
    const ids = await activeGrant(app, clock.now() + HOUR);
    await app.database.db
      .updateTable('grants')
      .set({ status: 'revoking', lease_owner: 'dead-worker', lease_until: clock.now() + MINUTE })
      .where('id', '=', ids.grantId)
      .execute();
    const scheduler = new Scheduler(app, { logger: recordingLogger() });
    await scheduler.runOnce();
    expect((await statusOf(app, ids)).grant).toBe('revoking');
    expect(revokesOf(faulty, ids.grantId)).toBe(0);

    clock.advance(MINUTE);
    await scheduler.runOnce();
    expect(await statusOf(app, ids)).toMatchObject({ grant: 'revoked', request: 'revoked' });
    expect(revokesOf(faulty, ids.grantId)).toBe(1);
    const actions = (await auditEvents()).filter((event) => event.subject === `grant:${ids.grantId}`);
    expect(actions.map((event) => event.action)).toEqual(['grant.revoke']);
  });

  it('catches up when started and keeps ticking until stopped', async () => {
    const { app, clock } = await setup(ctx);
    const overdue = await activeGrant(app, clock.now() - HOUR);
    const upcoming = await activeGrant(app, clock.now() + MINUTE);
    const timers = new ManualTimers();
    const scheduler = new Scheduler(app, { intervalMs: 1000, timers, logger: recordingLogger() });
    /** Resolves once the worker waits for its next tick, i.e. the tick before it has finished. */
    const waitingForNextTick = () => vi.waitFor(() => expect(timers.pending()).toHaveLength(1), { timeout: 10_000 });
    const first = await scheduler.start();
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await statusOf(app, overdue)).grant).toBe('expired');

    await waitingForNextTick();
    clock.advance(MINUTE);
    timers.fire();
    await waitingForNextTick();
    await scheduler.stop();
    expect((await statusOf(app, upcoming)).grant).toBe('expired');
    expect(timers.pending()).toEqual([]);
  });
});

// A database of its own: when the next tick comes depends on every active grant in it.
describeEachDialect('when the scheduler ticks next', (ctx) => {
  it('sooner than the interval when a grant expires first, and shortly while an expired grant stays active', async () => {
    const { app, clock } = await setup(ctx);
    const timers = new ManualTimers();
    const logger = recordingLogger();
    const scheduler = new Scheduler(app, { intervalMs: 1000, timers, logger });
    const soon = await activeGrant(app, clock.now() + 300);
    const nextWait = async (): Promise<number | undefined> => {
      await vi.waitFor(() => expect(timers.pending()).toHaveLength(1));
      return timers.pending()[0]?.ms;
    };

    await scheduler.start();
    expect(await nextWait()).toBe(300);

    clock.advance(300);
    timers.fire();
    expect(await nextWait()).toBe(1000);
    expect((await statusOf(app, soon)).grant).toBe('expired');

    // Past its expiry but claimed by another worker: looked at again in 250 ms, not at the next interval.
    const held = await activeGrant(app, clock.now() - 1);
    await app.database.db
      .updateTable('grants')
      .set({ lease_owner: 'other-worker', lease_until: clock.now() + MINUTE })
      .where('id', '=', held.grantId)
      .execute();
    timers.fire();
    expect(await nextWait()).toBe(250);

    await scheduler.stop();
    expect(timers.pending()).toEqual([]);
    expect(logger.errors).toEqual([]);
  });
});
