/**
 * Context sources in request decisions (issue 13 part 3, docs/integrations.md). PagerDuty, Opsgenie and Jira are
 * SIMULATED by local HTTP servers that implement their documented endpoints (`context-fakes.ts`); the generic
 * `http` source talks to a local JSON service. Requests are decided with what the sources said, fetched before the
 * transaction; an unreachable or slow source is unknown, and rules that read it fail closed.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  activateRequest,
  approveRequest,
  breakGlass,
  createRequest,
  type CreateRequestInput,
} from '../../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, eventsOf, refusal } from '../../app/requests-fixtures.js';
import { ALICE_EMAIL, DAN_EMAIL, contextPolicy } from './context-policy.js';
import { FakeServices, setSourceCredentials } from './context-fakes.js';

const READ: CreateRequestInput = { resource: 'pager-db', action: 'read', duration: '30m' };
const FIX: CreateRequestInput = { resource: 'pager-db', action: 'fix', duration: '30m' };
const WRITE = (ticket?: string): CreateRequestInput => ({
  resource: 'ticket-db',
  action: 'write',
  duration: '30m',
  ...(ticket !== undefined ? { ticket } : {}),
});

const services = new FakeServices();
beforeAll(async () => {
  setSourceCredentials();
  await services.start();
});
afterAll(() => services.stop());

type Reasons = { code: string; message: string }[];

describeEachDialect('context sources in request decisions', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    services.reset();
    t = await createTestApp(ctx, { policy: contextPolicy(services.url, { pagerDutyTimeout: '1s' }) });
  });

  async function createdEvent(id: string) {
    const [created] = eventsOf(await t.auditEvents(), 'request.create', `request:${id}`);
    return created?.details ?? {};
  }

  it('whoever PagerDuty has on call is approved by policy, and the decision records who was on call', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    const request = await createRequest(as(t.app, 'alice')(READ));
    expect(request).toMatchObject({ status: 'approved', matchedRule: 'on-call' });
    const details = await createdEvent(request.id);
    expect(details['context']).toMatchObject({ pd: { status: 'known', onCall: ['alice'], cached: false } });
    const reasons = details['reasons'] as Reasons;
    expect(reasons).toContainEqual({ code: 'context.value', message: "context source 'pd': on call: alice" });
    expect(services.calls('/oncalls')[0]?.url).toContain('schedule_ids%5B%5D=PSCHED1');
  });

  it('someone not on call goes to the human approvers', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    const request = await createRequest(as(t.app, 'dan')(READ));
    expect(request).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
  });

  it('whoever Opsgenie has on call is approved by policy', async () => {
    services.opsgenie.set('ops-primary', [DAN_EMAIL]);
    expect(await createRequest(as(t.app, 'dan')(FIX))).toMatchObject({ status: 'approved', matchedRule: 'on-call' });
    expect(await createRequest(as(t.app, 'alice')(FIX))).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
  });

  it('a source slower than its timeout is unknown: the on-call rule does not match and humans decide', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    services.delayMs = 1500;
    const started = Date.now();
    const request = await createRequest(as(t.app, 'alice')(READ));
    expect(Date.now() - started).toBeLessThan(1400);
    expect(request).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
    const details = await createdEvent(request.id);
    const reasons = details['reasons'] as Reasons;
    const unknown = reasons.find((r) => r.code === 'rule.context_unknown');
    expect(unknown?.message).toContain("approval rule 'on-call' does not apply: context source 'pd' is unknown");
    // The wait is the source's 1 s timeout or what is left of the total budget, whichever is shorter: a loaded
    // machine can spend a millisecond between the two readings of the clock ('no answer within 999 ms').
    expect(unknown?.message).toMatch(/no answer within (1000|99\d) ms/);
    expect(details['context']).toMatchObject({ pd: { status: 'unknown' } });
  });

  it('an unreachable source is unknown: humans decide, and the log says the connection was refused', async () => {
    const closed = new FakeServices();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const app = await createTestApp(ctx, { policy: contextPolicy(url) });
    const request = await createRequest(as(app.app, 'alice')(READ));
    expect(request).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
    const [created] = eventsOf(await app.auditEvents(), 'request.create', `request:${request.id}`);
    expect(created?.details['context']).toEqual({
      pd: { status: 'unknown', reason: 'unreachable: connection refused' },
    });
  });

  it('a source answering an error is unknown, never an empty on-call list', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    services.failWith = 503;
    const request = await createRequest(as(t.app, 'alice')(READ));
    expect(request.status).toBe('pending');
    expect((await createdEvent(request.id))['context']).toEqual({
      pd: { status: 'unknown', reason: 'answered HTTP 503' },
    });
  });

  it('answers are cached for the source’s cacheTtl and asked again once it has passed', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    await createRequest(as(t.app, 'alice')(READ));
    const second = await createRequest(as(t.app, 'alice')(READ));
    expect(services.calls('/oncalls')).toHaveLength(1);
    expect((await createdEvent(second.id))['context']).toMatchObject({ pd: { status: 'known', cached: true } });
    // Alice hands over; the cache still says she is on call until the TTL passes.
    services.pagerDuty.set('PSCHED1', [DAN_EMAIL]);
    t.clock.advance(61_000);
    const third = await createRequest(as(t.app, 'alice')(READ));
    expect(services.calls('/oncalls')).toHaveLength(2);
    expect(third).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
  });

  it('a Jira ticket in progress assigned to the requester is approved by policy; others go to humans', async () => {
    services.jira.set('OPS-1', { status: 'In Progress', assigneeEmail: ALICE_EMAIL });
    const mine = await createRequest(as(t.app, 'alice')(WRITE('OPS-1')));
    expect(mine).toMatchObject({ status: 'approved', matchedRule: 'assignee' });
    expect((await createdEvent(mine.id))['context']).toMatchObject({
      jira: { status: 'known', ticket: 'OPS-1', exists: true, issueStatus: 'In Progress', assignee: 'alice' },
    });
    const theirs = await createRequest(as(t.app, 'dan')(WRITE('OPS-1')));
    expect(theirs).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
    const call = services.calls('/rest/api/2/issue/')[0];
    expect(call?.url).toBe('/rest/api/2/issue/OPS-1?fields=status%2Cassignee');
  });

  it('a closed, missing or absent ticket is denied with the rule’s message', async () => {
    services.jira.set('OPS-2', { status: 'Done', assigneeEmail: ALICE_EMAIL });
    for (const ticket of ['OPS-2', 'OPS-404', undefined]) {
      const request = await createRequest(as(t.app, 'alice')(WRITE(ticket)));
      expect(request).toMatchObject({
        status: 'denied',
        matchedRule: 'ticket-in-progress',
        statusReason: 'the ticket must exist and be In Progress',
      });
    }
  });

  it('when Jira cannot be reached, the deny rule that reads the ticket applies (fail closed) and says why', async () => {
    services.jira.set('OPS-1', { status: 'In Progress', assigneeEmail: ALICE_EMAIL });
    services.failWith = 500;
    const request = await createRequest(as(t.app, 'alice')(WRITE('OPS-1')));
    expect(request.status).toBe('denied');
    expect(request.statusReason).toContain("context source 'jira' is unknown (answered HTTP 500); fail closed");
  });

  it('a ticket closed after approval refuses activation, with the ticket’s status as the reason', async () => {
    services.jira.set('OPS-1', { status: 'In Progress', assigneeEmail: ALICE_EMAIL });
    const request = await createRequest(as(t.app, 'alice')(WRITE('OPS-1')));
    expect(request.status).toBe('approved');
    services.jira.set('OPS-1', { status: 'Done', assigneeEmail: ALICE_EMAIL });
    const error = await refusal(activateRequest(as(t.app, 'alice')({ id: request.id })));
    expect(error.code).toBe('policy_denied');
    const [refused] = eventsOf(await t.auditEvents(), 'request.activate_refused', `request:${request.id}`);
    const reasons = refused?.details['reasons'] as Reasons;
    expect(reasons.map((r) => r.message)).toContain(
      "approval rule 'ticket-in-progress' now denies the request: the ticket must exist and be In Progress",
    );
    expect(reasons).toContainEqual({
      code: 'context.value',
      message: "context source 'jira': ticket 'OPS-1' is 'Done', assigned to 'alice'",
    });
    expect(refused?.details['context']).toMatchObject({ jira: { issueStatus: 'Done' } });
  });

  it('a human-approved request whose ticket is still in progress activates, and the activation records it', async () => {
    services.jira.set('OPS-3', { status: 'In Progress' });
    const request = await createRequest(as(t.app, 'dan')(WRITE('OPS-3')));
    expect(request.status).toBe('pending');
    await approveRequest(as(t.app, 'bob')({ id: request.id, digest: request.digest }));
    const { request: active } = await activateRequest(as(t.app, 'dan')({ id: request.id }));
    expect(active.status).toBe('active');
    const [activated] = eventsOf(await t.auditEvents(), 'request.activate', `request:${request.id}`);
    expect(activated?.details['context']).toMatchObject({ jira: { ticket: 'OPS-3', issueStatus: 'In Progress' } });
  });

  it('a generic http source exposes its declared fields: the service owner is approved while not frozen', async () => {
    services.json.set('/cmdb/services/cmdb-db', { service: { owner: 'alice', changeFreeze: false } });
    const read: CreateRequestInput = { resource: 'cmdb-db', action: 'read', duration: '30m' };
    expect(await createRequest(as(t.app, 'alice')(read))).toMatchObject({ status: 'approved', matchedRule: 'owner' });
    expect(services.calls('/cmdb/')[0]?.authorization).toBe('Bearer cmdb-test-token');
    services.json.set('/cmdb/services/cmdb-db', { service: { owner: 'alice', changeFreeze: true } });
    t.clock.advance(31_000); // past the default 30s cache
    expect(await createRequest(as(t.app, 'alice')(read))).toMatchObject({ status: 'pending', matchedRule: 'a-dba' });
  });

  it('break-glass needs its condition: on call gets access, not on call or PagerDuty down is refused', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    const body = { ...READ, justification: 'INC-9 database down' };
    const { request } = await breakGlass(as(t.app, 'alice')(body));
    expect(request.status).toBe('active');
    const [used] = eventsOf(await t.auditEvents(), 'request.break_glass', `request:${request.id}`);
    expect(used?.details['context']).toMatchObject({ pd: { onCall: ['alice'] } });

    const notOnCall = await refusal(breakGlass(as(t.app, 'dan')(body)));
    expect(notOnCall.code).toBe('forbidden');
    expect(notOnCall.message).toContain('needs context.pd.contains(requester.id)');

    t.clock.advance(61_000);
    services.failWith = 502;
    const down = await refusal(breakGlass(as(t.app, 'alice')(body)));
    expect(down.code).toBe('forbidden');
    expect(down.message).toContain("context source 'pd' is unknown (answered HTTP 502)");
  });
});
