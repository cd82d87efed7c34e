/**
 * Reminders and escalation of pending requests (issue 13), on both dialects: the scheduler's job sends each once,
 * across runs and racing replicas, records it for the requester to see, and never changes what approval needs.
 */
import { beforeEach, expect, it } from 'vitest';
import { approveRequest, createRequest, showVisibleRequest } from '../../../src/features/requests/index.js';
import { sendDueReminders } from '../../../src/features/requests/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, eventsOf, PROD_WRITE, refusal } from '../../app/requests-fixtures.js';
import { withReminders } from './reminder-fixtures.js';

const HOUR = 3_600_000;
const JOB = {
  actor: 'system:scheduler',
  batchSize: 2,
  onError: (job: string, _s: string, error: unknown) => {
    throw new Error(`${job}: ${String(error)}`);
  },
};

describeEachDialect('reminders and escalation of pending requests', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
    t.runtime.replace(withReminders(t.runtime.loaded));
    await ctx.database.db.deleteFrom('outbox').execute();
  });

  async function outboxEvents(request: string): Promise<{ event: string; audience: unknown }[]> {
    const rows = await ctx.database.db
      .selectFrom('outbox')
      .select(['event', 'payload'])
      .where('notifier', '=', 'reminders-hook')
      .orderBy('created_at')
      .orderBy('event', 'desc')
      .execute();
    return rows
      .map((row) => ({ event: row.event, payload: JSON.parse(row.payload) as Record<string, unknown> }))
      .filter((row) => row.payload.request === request)
      .map((row) => ({ event: row.event, audience: row.payload.audience }));
  }

  it('the approvers are reminded once after the delay, and the requester sees when', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await sendDueReminders(t.app, t.clock.now() + HOUR - 1, JOB);
    expect(await outboxEvents(request.id)).toEqual([]);
    t.clock.advance(HOUR);
    await sendDueReminders(t.app, t.clock.now(), JOB);
    expect(await sendDueReminders(t.app, t.clock.now() + 60_000, JOB)).toBe(0);

    const view = await showVisibleRequest(as(t.app, 'alice')({ id: request.id }));
    expect(view.reminders).toEqual([
      { kind: 'reminder', at: new Date(t.clock.now()).toISOString(), audience: ['approvers of step 1'] },
    ]);
    expect(await outboxEvents(request.id)).toEqual([{ event: 'request.reminder', audience: ['approvers of step 1'] }]);
    const [audited] = eventsOf(await t.auditEvents(), 'request.remind', `request:${request.id}`);
    expect(audited).toMatchObject({
      actor: 'system:scheduler',
      details: { step: 1, audience: ['approvers of step 1'] },
    });
  });

  it('the escalation goes to its audience before the timeout, and approval still needs a DBA', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    t.clock.advance(4 * HOUR);
    await sendDueReminders(t.app, t.clock.now(), JOB);
    expect(await outboxEvents(request.id)).toEqual([
      { event: 'request.reminder', audience: ['approvers of step 1'] },
      { event: 'request.escalated', audience: ['group:security'] },
    ]);
    // heidi (security) heard of it; she still cannot approve a write, which needs an independent DBA.
    const error = await refusal(approveRequest(as(t.app, 'heidi')({ id: request.id })));
    expect(error.code).toBe('forbidden');
    const approved = await approveRequest(as(t.app, 'erin')({ id: request.id }));
    expect(approved).toMatchObject({ status: 'approved', remainingApprovals: 0 });
    expect(approved.reminders?.map((r) => r.kind)).toEqual(['reminder', 'escalation']);
  });

  it('a request decided before the delay is never reminded', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await approveRequest(as(t.app, 'erin')({ id: request.id }));
    t.clock.advance(5 * HOUR);
    await sendDueReminders(t.app, t.clock.now(), JOB);
    expect(await outboxEvents(request.id)).toEqual([]);
  });

  it('two schedulers racing send each reminder once', async () => {
    const requests = await Promise.all(
      ['t1', 't2', 't3'].map((n) => createRequest(as(t.app, 'alice')({ ...PROD_WRITE, justification: `race ${n}` }))),
    );
    t.clock.advance(HOUR);
    const [a, b] = await Promise.all([
      sendDueReminders(t.app, t.clock.now(), JOB),
      sendDueReminders(t.app, t.clock.now(), JOB),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(3);
    for (const request of requests) expect(await outboxEvents(request.id)).toHaveLength(1);
  });

  it('more requests due than one batch are all reminded in one run', async () => {
    const requests = [];
    for (let i = 0; i < 5; i++) {
      requests.push(await createRequest(as(t.app, 'alice')({ ...PROD_WRITE, justification: `batch ${i}` })));
    }
    t.clock.advance(HOUR);
    expect(await sendDueReminders(t.app, t.clock.now(), JOB)).toBeGreaterThanOrEqual(5);
    for (const request of requests) expect(await outboxEvents(request.id)).toHaveLength(1);
  });
});
