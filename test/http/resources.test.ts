/** Resources, observations and drift over HTTP, on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const COMPLIANT = { ssl: 'on', password_encryption: 'scram-sha-256', log_connections: 'on', superusers: ['postgres'] };

describeEachDialect('resources and drift over HTTP', (ctx) => {
  let t: HttpTestApp;
  const tokens = new Map<string, string>();
  async function as(identity: string): Promise<string> {
    const token = tokens.get(identity) ?? (await t.tokenFor(identity));
    tokens.set(identity, token);
    return token;
  }
  beforeAll(async () => {
    t = await createHttpTestApp(ctx, { allowedConnections: new Map([['orders', { dsnEnv: 'ORDERS_DB_DSN' }]]) });
  });
  /** A PUT by peggy that a second administrator, victor, approves. */
  async function putApproved(name: string, body: Record<string, unknown>): Promise<void> {
    const proposed = await t.call('PUT', `/v1/resources/${name}`, await as('peggy'), body);
    expect(proposed.statusCode).toBe(202);
    const id = proposed.json<{ id: string }>().id;
    expect((await t.call('POST', `/v1/admin-changes/${id}/approve`, await as('victor'))).statusCode).toBe(200);
  }

  it('each identity sees the resources of the profiles it holds a duty on', async () => {
    const names = async (identity: string) =>
      (await t.call('GET', '/v1/resources', await as(identity)))
        .json<{ resources: { name: string }[] }>()
        .resources.map((r) => r.name);
    expect(await names('quinn')).toEqual(['analytics-db']);
    expect(await names('olivia')).toEqual(
      expect.arrayContaining(['analytics-db', 'kyc-documents', 'merchant-console', 'payments-db', 'prod-eu-cluster']),
    );
    const one = await t.call('GET', '/v1/resources?profile=postgres-prod', await as('alice'));
    expect(one.json()).toMatchObject({
      resources: [
        {
          name: 'payments-db',
          profile: 'postgres-prod',
          classification: 'restricted',
          owner: 'group:payments',
          source: 'policy',
          latestObservationAt: null,
          drift: { low: 0, medium: 0, high: 0, critical: 0 },
        },
      ],
    });
    // A resource one may not see is answered as if it did not exist.
    expect((await t.call('GET', '/v1/resources/payments-db', await as('quinn'))).statusCode).toBe(404);
  });

  it('an administrator registers an API resource with PUT and re-binds it with a second PUT, each applied by a second administrator, both audited', async () => {
    const peggy = await as('peggy');
    const proposed = await t.call('PUT', '/v1/resources/orders-db', peggy, {
      profile: 'postgres-staging',
      labels: { team: 'payments' },
      owner: 'group:payments',
      connection: { name: 'orders' },
    });
    expect(proposed.statusCode).toBe(202);
    expect(proposed.json()).toMatchObject({ kind: 'resource', target: 'resource:orders-db', status: 'pending' });
    expect((await t.call('GET', '/v1/resources/orders-db', peggy)).statusCode).toBe(404);
    const id = proposed.json<{ id: string }>().id;
    expect((await t.call('POST', `/v1/admin-changes/${id}/approve`, await as('victor'))).statusCode).toBe(200);
    const created = await t.call('GET', '/v1/resources/orders-db', peggy);
    expect(created.json()).toMatchObject({ name: 'orders-db', profile: 'postgres-staging', source: 'api' });
    expect(created.json()).not.toHaveProperty('connection');
    await putApproved('orders-db', {
      profile: 'postgres-staging',
      labels: { team: 'orders' },
      connection: { name: 'orders' },
    });
    // Attributes alone neither widen nor narrow access: applied at once.
    const updated = await t.call('PUT', '/v1/resources/orders-db', peggy, {
      profile: 'postgres-staging',
      labels: { team: 'orders' },
      connection: { name: 'orders' },
      attributes: { database: 'orders' },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      labels: { team: 'orders' },
      owner: null,
      attributes: { database: 'orders' },
    });
    const events = (await t.auditEvents()).filter((e) => e.subject === 'resource:orders-db');
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['resource.register', 'victor'],
      ['resource.update', 'victor'],
      ['resource.update', 'peggy'],
    ]);
    expect(events[0]?.details).toMatchObject({ connection: 'orders', proposedBy: 'peggy', approvedBy: 'victor' });
    expect(events[1]?.details).toMatchObject({ labels: { team: 'orders' }, previousProfile: 'postgres-staging' });
  });

  it('a resource from the policy files cannot be replaced through the API', async () => {
    const response = await t.call('PUT', '/v1/resources/payments-db', await as('peggy'), { profile: 'postgres-prod' });
    expect(response.statusCode).toBe(409);
    const unknown = await t.call('PUT', '/v1/resources/new-thing', await as('peggy'), { profile: 'no-such-profile' });
    expect(unknown.statusCode).toBe(404);
  });

  it('an observation that fails the baseline opens a finding; a compliant one resolves it', async () => {
    const peggy = await as('peggy');
    await putApproved('ledger-db', { profile: 'postgres-staging' });
    const failing = await t.call('POST', '/v1/resources/ledger-db/observations', peggy, {
      config: { ...COMPLIANT, ssl: 'off' },
    });
    expect(failing.statusCode).toBe(201);
    const first = failing.json<{ newFindings: string[]; drift: Record<string, number> }>();
    expect(first.newFindings).toHaveLength(1);
    expect(first.drift.high).toBe(1);
    const observedAt = new Date(t.clock.now()).toISOString();

    const resource = await t.call('GET', '/v1/resources/ledger-db', await as('quinn'));
    expect(resource.json()).toMatchObject({ latestObservationAt: observedAt, drift: { high: 1 } });
    const open = await t.call('GET', '/v1/drift?resource=ledger-db&status=open', await as('quinn'));
    expect(open.json()).toEqual({
      findings: [
        expect.objectContaining({
          id: first.newFindings[0],
          check: 'tls-on',
          severity: 'high',
          status: 'open',
          firstSeen: observedAt,
          lastSeen: observedAt,
          resolvedAt: null,
        }),
      ],
    });

    t.clock.advance(60_000);
    const fixed = await t.call('POST', '/v1/resources/ledger-db/observations', peggy, { config: COMPLIANT });
    expect(fixed.json()).toMatchObject({ resolvedFindings: first.newFindings, drift: { high: 0 } });
    const resolved = await t.call('GET', '/v1/drift?resource=ledger-db&status=resolved&severity=high', peggy);
    expect(resolved.json()).toMatchObject({
      findings: [{ id: first.newFindings[0], status: 'resolved', resolvedAt: new Date(t.clock.now()).toISOString() }],
    });
    expect(
      (await t.call('GET', '/v1/drift?resource=ledger-db', await as('alice'))).json<{ findings: unknown[] }>().findings,
    ).toHaveLength(1);
    expect((await t.call('GET', '/v1/drift?resource=ledger-db', await as('judy'))).json()).toEqual({ findings: [] });

    const events = (await t.auditEvents()).filter(
      (e) => e.subject === 'resource:ledger-db' && e.action === 'resource.observe',
    );
    expect(events).toHaveLength(2);
    expect(events[0]?.details).toMatchObject({ newFindings: first.newFindings, drift: { high: 1 } });
  });

  it('an identity without administer or provision on the profile may not push observations, and that is logged', async () => {
    const response = await t.call('POST', '/v1/resources/analytics-db/observations', await as('quinn'), {
      config: COMPLIANT,
    });
    expect(response.statusCode).toBe(403);
    const refused = (await t.auditEvents()).filter((e) => e.action === 'resource.observe_refused');
    expect(refused).toEqual([expect.objectContaining({ actor: 'quinn', subject: 'resource:analytics-db' })]);
  });

  it('rejects unbounded input', async () => {
    const peggy = await as('peggy');
    const long = await t.call('PUT', `/v1/resources/${'a'.repeat(64)}`, peggy, { profile: 'postgres-staging' });
    expect(long.statusCode).toBe(400);
    const label = await t.call('PUT', '/v1/resources/x-db', peggy, {
      profile: 'postgres-staging',
      labels: { team: 'y'.repeat(501) },
    });
    expect(label.statusCode).toBe(400);
    const when = await t.call('POST', '/v1/resources/ledger-db/observations', peggy, {
      config: COMPLIANT,
      observedAt: 'yesterday',
    });
    expect(when.statusCode).toBe(400);
    expect((await t.call('GET', '/v1/drift?severity=urgent', peggy)).statusCode).toBe(400);
  });
});
