/**
 * Issue 11: an urgent notification (here a break-glass use) is delivered as soon as the verb that queued it
 * commits — the commit's change event wakes the outbox delivery, as the server wires it — not on the next poll.
 * The poll here is an hour away, so only the wake-up can deliver within the test's time.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { wakeOnUrgentNotifications } from '../../../src/app/change-events.js';
import { OutboxDelivery, type DeliveryRun } from '../../../src/features/notifications/outbox-delivery.job.js';
import { breakGlass, createRequest } from '../../../src/features/requests/requests.verbs.js';
import { PeriodicWorker } from '../../../src/server/periodic-worker.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { activateRole } from '../access/role-activation-fixtures.js';
import { describeEachDialect } from '../../store/dialects.js';
import { startReceiver, type SignedReceiver } from './signed-receiver.js';

const SECRET = 'urgent-secret-41f0';
const HOUR_MS = 3_600_000;
const OUTAGE = { resource: 'payments-db', action: 'write', duration: '30m', justification: 'INC-99 outage' };

describeEachDialect('urgent notifications are delivered at once', (ctx) => {
  let t: TestApp;
  let receiver: SignedReceiver;
  let worker: PeriodicWorker<DeliveryRun>;
  /** Resolves with the first pass that delivered something. */
  let delivered: Promise<DeliveryRun>;

  beforeEach(async () => {
    t = await createTestApp(ctx);
    await t.app.database.db.deleteFrom('outbox').execute();
    receiver = await startReceiver({ secret: SECRET, now: () => t.clock.now() });
    const env = {
      SEC_WEBHOOK_URL: `${receiver.url}/security`,
      SEC_WEBHOOK_SECRET: SECRET,
      ONCALL_SLACK_WEBHOOK_URL: `${receiver.url}/oncall`,
      ONCALL_SLACK_SIGNING_SECRET: SECRET,
    };
    const delivery = new OutboxDelivery({
      database: t.app.database,
      notifiers: () => t.runtime.notifiers(),
      clock: t.clock,
      env,
    });
    let onDelivered: (run: DeliveryRun) => void = () => undefined;
    delivered = new Promise((resolve) => (onDelivered = resolve));
    worker = new PeriodicWorker({
      name: 'the outbox delivery',
      run: async () => {
        const run = await delivery.deliverDue();
        if (run.delivered > 0) onDelivered(run);
        return run;
      },
      intervalMs: HOUR_MS,
    });
    // The first pass finds nothing; the next poll is an hour away.
    expect(await worker.start()).toMatchObject({ claimed: 0 });
    const unfollow = wakeOnUrgentNotifications(t.app.changes, worker);
    return () => unfollow();
  });

  afterEach(async () => {
    await worker.stop();
    await receiver.close();
  });

  it('a break-glass use reaches security at once, not on the next poll', async () => {
    const used = await breakGlass({ app: t.app, actor: 'judy', input: OUTAGE });
    const run = await delivered;
    expect(run.delivered).toBeGreaterThan(0);
    const security = receiver.received.filter((r) => r.path === '/security');
    expect(security).toHaveLength(1);
    expect(security[0]?.refused).toBeUndefined();
    expect(security[0]?.headers['countersign-event']).toBe('break_glass.used');
    expect(security[0]?.headers['countersign-priority']).toBe('urgent');
    expect(JSON.parse(security[0]?.body ?? '{}')).toMatchObject({ data: { request: used.request.id } });
  });

  it('a notification that is not urgent waits for the poll', async () => {
    // Asking for access notifies the approvers (request.approval_needed), which is not urgent.
    await activateRole(t.app, 'frank', 'dba-admin', 'heidi');
    await createRequest({
      app: t.app,
      actor: 'frank',
      input: { resource: 'payments-db', action: 'read', duration: '2h', justification: 'reconciliation' },
    });
    const queued = await t.app.database.db.selectFrom('outbox').select(['event', 'priority', 'status']).execute();
    expect(queued).toContainEqual({ event: 'request.approval_needed', priority: 0, status: 'pending' });
    // Nothing woke the worker: once whatever pass might be running is over, the row is still pending.
    await worker.stop();
    expect(await t.app.database.db.selectFrom('outbox').select('status').execute()).toEqual(
      queued.map(() => ({ status: 'pending' })),
    );
    expect(receiver.received).toEqual([]);
  });
});
