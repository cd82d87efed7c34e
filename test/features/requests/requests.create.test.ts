import { beforeEach, expect, it } from 'vitest';
import { listVisibleRequests, showVisibleRequest } from '../../../src/features/requests/requests.queries.js';
import { breakGlass, createRequest } from '../../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, refusal, eventsOf, PROD_ADMIN, PROD_WRITE, SHORT_READ } from '../../app/requests-fixtures.js';

describeEachDialect('creating requests', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  async function countRequests(): Promise<number> {
    const row = await ctx.database.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('a short read by a human is approved by policy and recorded as approved by system:policy', async () => {
    const view = await createRequest(as(t.app, 'alice')(SHORT_READ));
    expect(view).toMatchObject({ status: 'approved', requester: 'alice', matchedRule: 'short-human-reads' });
    expect(view.approvals).toEqual([{ approver: 'system:policy', step: 0, at: expect.any(String) }]);
    // The activation window of postgres-prod is 30m.
    expect(Date.parse(view.expiresAt ?? '')).toBe(t.clock.now() + 30 * 60_000);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.create', `request:${view.id}`)[0]).toMatchObject({
      actor: 'alice',
      details: { outcome: 'auto_approved', rule: 'short-human-reads', digest: view.digest },
    });
    expect(eventsOf(events, 'request.approve', `request:${view.id}`)[0]).toMatchObject({
      actor: 'system:policy',
      details: { rule: 'short-human-reads' },
    });
  });

  it('a write waits for an independent DBA and times out after the pending timeout', async () => {
    const view = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    expect(view).toMatchObject({
      status: 'pending',
      matchedRule: 'independent-dba',
      currentStep: 1,
      remainingApprovals: 1,
    });
    expect(view.steps).toEqual([
      { step: 1, from: ['group:dba'], required: 1, independent: true, approvers: [], satisfied: false },
    ]);
    expect(Date.parse(view.expiresAt ?? '')).toBe(t.clock.now() + 8 * 3600_000);
    const [created] = eventsOf(await t.auditEvents(), 'request.create');
    expect(created?.details).toMatchObject({ outcome: 'pending', status: 'pending' });
    const outbox = await ctx.database.db.selectFrom('outbox').select(['event', 'payload']).execute();
    expect(outbox.some((row) => row.event === 'request.approval_needed' && row.payload.includes(view.id))).toBe(true);
  });

  it('a request the policy denies is stored as denied with the rule message and returned', async () => {
    const view = await createRequest(as(t.app, 'backup-service')(PROD_ADMIN));
    expect(view).toMatchObject({
      status: 'denied',
      matchedRule: 'people-only',
      statusReason: 'admin access to production databases is for people, never for pipelines or services',
    });
    const shown = await showVisibleRequest(as(t.app, 'olivia')({ id: view.id }));
    expect(shown.status).toBe('denied');
    const [created] = eventsOf(await t.auditEvents(), 'request.create');
    expect(created?.details).toMatchObject({ outcome: 'denied', rule: 'people-only' });
  });

  it.each([
    ['quinn', SHORT_READ, 'forbidden', 'requester.no_request_duty'],
    ['mallory', SHORT_READ, 'forbidden', 'requester.disabled'],
    ['alice', { ...SHORT_READ, duration: '9h' }, 'invalid', 'duration.too_long'],
    ['alice', { ...SHORT_READ, resource: 'nope-db' }, 'invalid', 'resource.unknown'],
    ['alice', { ...PROD_ADMIN, ticket: 'JIRA-1' }, 'invalid', 'ticket.mismatch'],
  ] as const)(
    '%s asking for %o is refused as %s (%s) and the refusal is logged',
    async (actor, body, code, reasonCode) => {
      const before = await countRequests();
      const error = await refusal(createRequest(as(t.app, actor)(body)));
      expect(error.code).toBe(code);
      expect(await countRequests()).toBe(before);
      const [logged] = eventsOf(await t.auditEvents(), 'request.create_refused');
      expect(logged).toMatchObject({ actor, details: { code } });
      expect(JSON.stringify(logged?.details.reasons)).toContain(reasonCode);
    },
  );

  it('malformed input is refused as invalid before anything is decided', async () => {
    const error = await refusal(createRequest(as(t.app, 'alice')({ ...SHORT_READ, duration: 'soon' })));
    expect(error.code).toBe('invalid');
    const tooLong = await refusal(
      createRequest(as(t.app, 'alice')({ ...SHORT_READ, justification: 'x'.repeat(5000) })),
    );
    expect(tooLong.code).toBe('invalid');
  });

  it('lists requests by requester and status, newest first, page by page', async () => {
    const first = await createRequest(as(t.app, 'bob')(PROD_WRITE));
    t.clock.advance(1000);
    const second = await createRequest(as(t.app, 'bob')(PROD_WRITE));
    t.clock.advance(1000);
    await createRequest(as(t.app, 'bob')(SHORT_READ));
    const page1 = await listVisibleRequests(as(t.app, 'bob')({ requester: 'bob', status: ['pending'], limit: 1 }));
    expect(page1.requests.map((r) => r.id)).toEqual([second.id]);
    expect(page1.nextCursor).toBeDefined();
    const page2 = await listVisibleRequests(
      as(t.app, 'bob')({ requester: 'bob', status: ['pending'], limit: 1, cursor: page1.nextCursor }),
    );
    expect(page2.requests.map((r) => r.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeUndefined();
  });
});

describeEachDialect('break-glass', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  it('an on-call engineer gets active access at once, flagged for review, with an urgent notification', async () => {
    const result = await breakGlass(
      as(t.app, 'judy')({ resource: 'payments-db', action: 'write', duration: '30m', justification: 'INC-99 outage' }),
    );
    const { request } = result;
    expect(request).toMatchObject({ status: 'active', breakGlass: true, matchedRule: 'break-glass' });
    expect(Date.parse(request.reviewBy ?? '')).toBe(t.clock.now() + 24 * 3600_000);
    expect(Date.parse(request.expiresAt ?? '')).toBe(t.clock.now() + 30 * 60_000);
    expect(request.grant?.status).toBe('active');
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.break_glass', `request:${request.id}`)[0]).toMatchObject({ actor: 'judy' });
    expect(eventsOf(events, 'grant.create')[0]).toMatchObject({
      actor: 'system:executor',
      details: { requestId: request.id },
    });
    const urgent = await ctx.database.db
      .selectFrom('outbox')
      .select(['notifier', 'priority', 'payload'])
      .where('event', '=', 'break_glass.used')
      .execute();
    const mine = urgent.filter((row) => row.payload.includes(request.id));
    expect(mine.map((row) => row.notifier).sort()).toEqual(['oncall-slack', 'security-webhook']);
    expect(mine.every((row) => row.priority > 0)).toBe(true);
  });

  it.each([
    ['alice', { resource: 'payments-db', action: 'write', duration: '30m', justification: 'x' }, 'forbidden'],
    ['judy', { resource: 'payments-db', action: 'admin', duration: '30m', justification: 'x' }, 'forbidden'],
    ['judy', { resource: 'payments-db', action: 'write', duration: '2h', justification: 'x' }, 'invalid'],
    ['judy', { resource: 'payments-db', action: 'write', duration: '30m' }, 'invalid'],
  ] as const)('%s breaking glass with %o is refused as %s and logged', async (actor, body, code) => {
    const error = await refusal(breakGlass(as(t.app, actor)(body)));
    expect(error.code).toBe(code);
    expect(eventsOf(await t.auditEvents(), 'request.break_glass_refused')[0]).toMatchObject({
      actor,
      details: { code },
    });
  });
});
