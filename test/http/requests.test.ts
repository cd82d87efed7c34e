import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const HOUR_MS = 3_600_000;

interface RequestBody {
  id: string;
  status: string;
  requester: string;
  resource: string;
  action: string;
  approvals: { approver: string }[];
  expiresAt?: string;
  digest: string;
  reviewBy?: string;
  breakGlass: boolean;
  grant?: { id: string; status: string; expiresAt: string };
}

/** A 2h read of the payments database: longer than the auto-approved hour, so data platform must approve. */
const LONG_READ = { resource: 'payments-db', action: 'read', duration: '2h', justification: 'nightly reconciliation' };

describeEachDialect('requests over HTTP', (ctx) => {
  let t: HttpTestApp;
  const tokens = new Map<string, string>();
  const token = async (identity: string): Promise<string> => {
    let found = tokens.get(identity);
    if (found === undefined) {
      found = await t.tokenFor(identity);
      tokens.set(identity, found);
    }
    return found;
  };
  const call = async (identity: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.call(method, url, await token(identity), payload);
  const check = async (caller: string, identity: string, resource: string, action: string) =>
    call(caller, 'POST', '/v1/check', { identity, resource, action });

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('carries a request from creation through a refused self-approval, approval, activation and completion', async () => {
    // erin (a DBA) holds production `request` only through the eligible dba-admin role: she asks for the role
    // itself first and another DBA approves it; then a grant is what lets her in.
    const role = await call('erin', 'POST', '/v1/role-activations', {
      role: 'dba-admin',
      duration: '8h',
      justification: 'on call',
    });
    expect(role.statusCode).toBe(201);
    const roleId = role.json<{ id: string }>().id;
    const selfRole = await call('erin', 'POST', `/v1/role-activations/${roleId}/approve`);
    expect(selfRole.statusCode, selfRole.body).toBe(403);
    const roleActive = await call('frank', 'POST', `/v1/role-activations/${roleId}/approve`);
    expect(roleActive.json()).toMatchObject({ status: 'active', approvals: [{ approver: 'frank' }] });
    const created = await call('erin', 'POST', '/v1/requests', LONG_READ);
    expect(created.statusCode).toBe(201);
    const request = created.json<RequestBody>();
    expect(request).toMatchObject({
      status: 'pending',
      requester: 'erin',
      resource: 'payments-db',
      action: 'read',
      approvals: [],
    });
    expect(request.expiresAt).toBeDefined();

    const self = await call('erin', 'POST', `/v1/requests/${request.id}/approve`, { digest: request.digest });
    expect(self.statusCode).toBe(403);
    expect(['sod_violation', 'forbidden']).toContain(self.json<{ code: string }>().code);
    expect(self.json<{ reasons: unknown[] }>().reasons.length).toBeGreaterThan(0);

    const approved = await call('carol', 'POST', `/v1/requests/${request.id}/approve`, { digest: request.digest });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvals: [{ approver: 'carol' }] });

    const activated = await call('erin', 'POST', `/v1/requests/${request.id}/activate`);
    expect(activated.statusCode).toBe(200);
    expect(activated.headers['cache-control']).toBe('no-store');
    const grant = activated.json<{ request: RequestBody }>().request.grant;
    expect(activated.json()).toMatchObject({ request: { status: 'active', grant: { status: 'active' } } });
    expect(activated.json<{ request: RequestBody }>().request.expiresAt).toBe(
      new Date(t.clock.now() + 2 * HOUR_MS).toISOString(),
    );

    const grants = await call('erin', 'GET', '/v1/grants');
    expect(grants.json<{ grants: { id: string }[] }>().grants.map((g) => g.id)).toEqual([grant?.id]);

    const allowed = await check('erin', 'erin', 'payments-db', 'read');
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toMatchObject({ allowed: true, reason: { code: 'check.grant' }, grantId: grant?.id });

    const completed = await call('erin', 'POST', `/v1/requests/${request.id}/complete`, { reason: 'done' });
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toMatchObject({ status: 'completed', grant: { status: 'revoked' } });

    const denied = await check('erin', 'erin', 'payments-db', 'read');
    expect(denied.json()).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    expect(denied.json()).not.toHaveProperty('grantId');

    const actions = (await t.auditEvents()).filter((e) => e.subject === `request:${request.id}`).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'request.create',
        'request.approve_refused',
        'request.approve',
        'request.activate',
        'request.complete',
      ]),
    );
  });

  it('answers a request the policy denies with 403 policy_denied, the stored request id and the rule message', async () => {
    const response = await call('backup-service', 'POST', '/v1/requests', {
      resource: 'payments-db',
      action: 'admin',
      duration: '30m',
      justification: 'schema change',
      ticket: 'CHG-9',
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ code: string; detail: string; details: { request: string; rule: string } }>();
    expect(problem).toMatchObject({
      code: 'policy_denied',
      detail: 'admin access to production databases is for people, never for pipelines or services',
      details: { rule: 'people-only' },
    });
    const stored = await call('backup-service', 'GET', `/v1/requests/${problem.details.request}`);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ status: 'denied', requester: 'backup-service', action: 'admin' });
  });

  it('breaks glass at once: an active request with its review deadline, and a grant that check sees immediately', async () => {
    const response = await call('judy', 'POST', '/v1/break-glass', {
      resource: 'payments-db',
      action: 'write',
      duration: '30m',
      justification: 'INC-1: payments stuck',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { request } = response.json<{ request: RequestBody }>();
    expect(request).toMatchObject({ status: 'active', breakGlass: true, requester: 'judy' });
    expect(request.reviewBy).toBe(new Date(t.clock.now() + 24 * HOUR_MS).toISOString());
    const answer = await check('judy', 'judy', 'payments-db', 'write');
    expect(answer.json()).toMatchObject({ allowed: true, reason: { code: 'check.grant' }, grantId: request.grant?.id });
    const events = (await t.auditEvents()).filter((e) => e.subject === `request:${request.id}`);
    expect(events.map((e) => e.action)).toContain('request.break_glass');
  });

  it('refuses break-glass to someone the profile does not list', async () => {
    const response = await call('alice', 'POST', '/v1/break-glass', {
      resource: 'payments-db',
      action: 'write',
      duration: '30m',
      justification: 'in a hurry',
    });
    expect(response.statusCode).toBe(403);
  });

  it('shows each identity its own requests; approvers and auditors see everyone’s', async () => {
    const own = await call('alice', 'POST', '/v1/requests', {
      resource: 'payments-db',
      action: 'read',
      duration: '30m',
      justification: 'look at INC-3',
    });
    expect(own.statusCode).toBe(201);
    const aliceId = own.json<RequestBody>().id;
    const quinnRequest = await call('quinn', 'POST', '/v1/requests', {
      resource: 'analytics-db',
      action: 'read',
      duration: '1h',
    });
    expect(quinnRequest.statusCode).toBe(201);
    const quinnId = quinnRequest.json<RequestBody>().id;
    expect(quinnRequest.json()).toMatchObject({ status: 'approved', approvals: [{ approver: 'system:policy' }] });
    expect((await call('quinn', 'POST', `/v1/requests/${quinnId}/activate`)).statusCode).toBe(200);

    // quinn holds neither approve nor audit: only her own requests; carol approves on both database profiles.
    const quinnList = await call('quinn', 'GET', '/v1/requests');
    expect(quinnList.statusCode).toBe(200);
    const quinnSees = quinnList.json<{ requests: RequestBody[] }>().requests;
    expect(quinnSees.map((r) => r.id)).toContain(quinnId);
    expect(new Set(quinnSees.map((r) => r.requester))).toEqual(new Set(['quinn']));

    for (const viewer of ['olivia', 'carol']) {
      const all = await call(viewer, 'GET', '/v1/requests?limit=200');
      const ids = all.json<{ requests: RequestBody[] }>().requests.map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([aliceId, quinnId]));
    }
    // alice approves only on the bucket and the console: her own request, not quinn's staging one.
    const aliceSees = (await call('alice', 'GET', '/v1/requests?limit=200')).json<{ requests: RequestBody[] }>();
    expect(aliceSees.requests.map((r) => r.id)).toContain(aliceId);
    expect(aliceSees.requests.map((r) => r.id)).not.toContain(quinnId);

    expect((await call('quinn', 'GET', `/v1/requests/${aliceId}`)).statusCode).toBe(404);
    expect((await call('olivia', 'GET', `/v1/requests/${aliceId}`)).statusCode).toBe(200);
    const others = await call('quinn', 'GET', '/v1/requests?requester=alice');
    expect(others.statusCode).toBe(403);
    expect(others.json()).toMatchObject({ code: 'forbidden', reasons: [{ code: 'visibility.own' }] });

    const filtered = await call('olivia', 'GET', '/v1/requests?status=approved,active&requester=quinn');
    expect(filtered.json<{ requests: RequestBody[] }>().requests.map((r) => r.requester)).not.toContain('alice');
    expect((await call('olivia', 'GET', '/v1/requests?status=bogus')).statusCode).toBe(400);
  });

  it('lists grants: your own, or those on the profiles of audit and provision holders', async () => {
    const mine = await call('quinn', 'GET', '/v1/grants');
    const quinnGrants = mine.json<{ grants: { identity: string }[] }>().grants;
    expect(quinnGrants.length).toBeGreaterThan(0);
    expect(new Set(quinnGrants.map((g) => g.identity))).toEqual(new Set(['quinn']));
    const all = await call('olivia', 'GET', '/v1/grants?limit=200');
    const holders = new Set(all.json<{ grants: { identity: string }[] }>().grants.map((g) => g.identity));
    expect([...holders]).toEqual(expect.arrayContaining(['quinn', 'judy']));
    // peggy provisions only the console: the database grants are not hers to see.
    const console = await call('peggy', 'GET', '/v1/grants?limit=200');
    const onConsole = console.json<{ grants: { resource: string }[] }>().grants;
    expect(onConsole.every((g) => g.resource === 'merchant-console')).toBe(true);
    expect((await call('quinn', 'GET', '/v1/grants?identity=judy')).statusCode).toBe(403);
    const ended = await call('erin', 'GET', '/v1/grants?status=revoked,expired');
    expect(ended.json<{ grants: { status: string }[] }>().grants.map((g) => g.status)).toContain('revoked');
  });
});
