/** The console's Audit page over HTTP: the verification status, and events about one resource, request or identity. */
import { beforeAll, expect, it } from 'vitest';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { auditStatusViewSchema } from '../../src/features/evidence/audit-status.view.js';
import { as, SHORT_READ } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

interface Page {
  events: { seq: number; actor: string; subject: string; action: string }[];
}

describeEachDialect('the audit page over HTTP', (ctx) => {
  let t: HttpTestApp;
  let auditor: string;
  let bobRead: string;
  let aliceRead: string;
  let grantOfBob: string;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    auditor = await t.tokenFor('olivia');
    const bob = await createRequest(as(t.app, 'bob')(SHORT_READ));
    await activateRequest(as(t.app, 'bob')({ id: bob.id }));
    const grant = await t.app.database.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', bob.id)
      .executeTakeFirstOrThrow();
    grantOfBob = grant.id;
    const alice = await createRequest(as(t.app, 'alice')({ ...SHORT_READ, resource: 'analytics-db' }));
    bobRead = bob.id;
    aliceRead = alice.id;
  });

  async function events(query: string): Promise<Page['events']> {
    const response = await t.call('GET', `/v1/audit/events?limit=1000&${query}`, auditor);
    expect(response.statusCode, query).toBe(200);
    return response.json<Page>().events;
  }

  it('answers the verification status computed by the server, for auditors only', async () => {
    const response = await t.call('GET', '/v1/audit/status', auditor);
    expect(response.statusCode).toBe(200);
    const status = auditStatusViewSchema.parse(response.json());
    expect(status).toMatchObject({ ok: true, witness: { configured: false } });
    expect(status.verifiedThroughSeq).toBe(status.headSeq);
    expect(status.headSeq).toBeGreaterThan(0);
    const bob = await t.call('GET', '/v1/audit/status', await t.tokenFor('bob'));
    expect(bob.statusCode).toBe(403);
    expect(bob.json()).toMatchObject({ code: 'forbidden' });
  });

  it('filters events by request: the request and its grant', async () => {
    const found = await events(`request=${bobRead}`);
    const subjects = new Set(found.map((e) => e.subject));
    expect(subjects).toContain(`request:${bobRead}`);
    expect(subjects).toContain(`grant:${grantOfBob}`);
    expect([...subjects].every((s) => s === `request:${bobRead}` || s === `grant:${grantOfBob}`)).toBe(true);
  });

  it('filters events by resource: on it, and on the requests and grants for it', async () => {
    const found = await events('resource=payments-db');
    const subjects = new Set(found.map((e) => e.subject));
    expect(subjects).toContain(`request:${bobRead}`);
    expect(subjects).toContain(`grant:${grantOfBob}`);
    expect(subjects).not.toContain(`request:${aliceRead}`);
    expect(
      [...subjects].every((s) => [`request:${bobRead}`, `grant:${grantOfBob}`, 'resource:payments-db'].includes(s)),
    ).toBe(true);
  });

  it('filters events by identity: what it did and what happened to its requests and grants', async () => {
    const found = await events('identity=alice');
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.every((e) => e.actor === 'alice' || e.subject === `request:${aliceRead}` || e.subject === 'identity:alice'),
    ).toBe(true);
    expect(found.some((e) => e.subject === `request:${aliceRead}`)).toBe(true);
    expect(found.some((e) => e.subject === `request:${bobRead}`)).toBe(false);
  });

  it('refuses an unknown filter as an invalid problem', async () => {
    const response = await t.call('GET', '/v1/audit/events?requester=bob', auditor);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid' });
  });
});
