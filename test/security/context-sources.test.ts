/**
 * Attacks on context sources (issue 13 part 3). PagerDuty and Jira are SIMULATED by a local HTTP server that
 * implements their documented endpoints (test/features/requests/context-fakes.ts). A requester controls the
 * ticket they name and may be able to disturb a service; neither may win them an automatic approval, and a
 * ticket never steers a credential-bearing request anywhere but the issue it names.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { as, refusal } from '../app/requests-fixtures.js';
import { ALICE_EMAIL, contextPolicy } from '../features/requests/context-policy.js';
import { FakeServices, setSourceCredentials } from '../features/requests/context-fakes.js';

const services = new FakeServices();
beforeAll(async () => {
  setSourceCredentials();
  await services.start();
});
afterAll(() => services.stop());

describeEachDialect('a requester cannot buy an approval with a context source', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    services.reset();
    t = await createTestApp(ctx, { policy: contextPolicy(services.url, { pagerDutyTimeout: '1s', cacheTtl: '0s' }) });
  });

  it('making PagerDuty slow, failing or garbled never turns the on-call rule into an approval', async () => {
    // dan is not on call. Whatever he does to the service, the worst he gets is a human decision.
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    const disturbances: (() => void)[] = [
      () => (services.delayMs = 1500),
      () => (services.failWith = 500),
      () => (services.failWith = 401),
      () => (services.garbled = true),
    ];
    for (const disturb of disturbances) {
      services.reset();
      disturb();
      const request = await createRequest(as(t.app, 'dan')({ resource: 'pager-db', action: 'read', duration: '30m' }));
      expect(request.status).toBe('pending');
    }
  });

  it('an on-call answer of another shape is unknown, never an on-call list that happens to approve', async () => {
    services.pagerDuty.set('PSCHED1', [ALICE_EMAIL]);
    services.garbled = true;
    const request = await createRequest(as(t.app, 'alice')({ resource: 'pager-db', action: 'read', duration: '5m' }));
    expect(request.status).toBe('pending');
  });

  it('a JSON service answering another shape gives null fields, which approve nothing', async () => {
    services.json.set('/cmdb/services/cmdb-db', { service: { owner: 'alice', changeFreeze: false } });
    const request = await createRequest(as(t.app, 'alice')({ resource: 'cmdb-db', action: 'read', duration: '5m' }));
    expect(request.status).toBe('approved'); // the honest answer approves…
    services.json.set('/cmdb/services/cmdb-db', ['not', 'an', 'object']);
    t.clock.advance(31_000); // past the source's 30s cache
    const garbled = await createRequest(as(t.app, 'alice')({ resource: 'cmdb-db', action: 'read', duration: '5m' }));
    expect(garbled.status).toBe('pending'); // …a garbled one reads as null fields, which match no auto rule
  });

  it('a ticket key that tries to walk the Jira URL is encoded as one path segment, or never sent', async () => {
    // OPS-1 is alice's and in progress; the attacker names other paths hoping one of them answers for OPS-1.
    services.jira.set('OPS-1', { status: 'In Progress', assigneeEmail: ALICE_EMAIL });
    const attacks = [
      'OPS-9/../OPS-1',
      '../issue/OPS-1',
      'OPS-1?fields=x#',
      'OPS-1%2F..%2F',
      '..',
      '%2e%2e',
      'OPS-1 ',
      'OPS-1\r\nX-Injected: 1',
      'OPS-1/',
      'http://evil.example/OPS-1',
    ];
    for (const ticket of attacks) {
      const request = await createRequest(
        as(t.app, 'alice')({ resource: 'ticket-db', action: 'write', duration: '30m', ticket }),
      );
      // Trimmed, 'OPS-1 ' is OPS-1 itself: the one ticket that really is alice's.
      if (ticket === 'OPS-1 ') continue;
      expect(request.status, ticket).toBe('denied');
    }
    const paths = services.calls('/').map((call) => call.url);
    for (const path of paths) {
      expect(path).toMatch(/^\/rest\/api\/2\/issue\/[A-Za-z0-9%_-]+\?fields=status%2Cassignee$/);
    }
    // Nothing but OPS-1 itself ever reached the issue endpoint: the malformed keys were never sent.
    expect(new Set(paths)).toEqual(new Set(['/rest/api/2/issue/OPS-1?fields=status%2Cassignee']));
  });

  it('a ticket closed between approval and activation cannot be activated, however quickly one asks', async () => {
    services.jira.set('OPS-1', { status: 'In Progress', assigneeEmail: ALICE_EMAIL });
    const request = await createRequest(
      as(t.app, 'alice')({ resource: 'ticket-db', action: 'write', duration: '30m', ticket: 'OPS-1' }),
    );
    expect(request.status).toBe('approved');
    services.failWith = 503; // and Jira being down at activation does not wave it through either
    const error = await refusal(activateRequest(as(t.app, 'alice')({ id: request.id })));
    expect(error.code).toBe('policy_denied');
  });
});
