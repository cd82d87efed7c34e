/**
 * `POST /v1/resources/{id}/observe` over HTTP on both dialects: the route asks the resource's provider for its
 * configuration and records it. The provider here answers a fixed configuration (the real PostgreSQL provider's
 * `observe` is exercised against a real server in test/walkthrough/postgres-jit.test.ts).
 */
import { beforeAll, expect, it } from 'vitest';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { noopProviders } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

/** A postgres-typed provider that reports TLS off and everything else as the baseline wants it. */
class FixedObservation extends NoopProvider {
  override async observe(): Promise<Record<string, unknown>> {
    return {
      ssl: 'off',
      password_encryption: 'scram-sha-256',
      log_connections: 'on',
      log_statement: 'ddl',
      superusers: ['postgres'],
    };
  }
}

describeEachDialect('observing a resource through its provider over HTTP', (ctx) => {
  let t: HttpTestApp;
  const postgres = new FaultyProvider(new FixedObservation('postgres'));
  beforeAll(async () => {
    const providers = noopProviders();
    providers.set('postgres', postgres);
    t = await createHttpTestApp(ctx, { providers });
  });

  it('an administrator observes a resource and a failing baseline check opens a drift finding', async () => {
    const response = await t.call('POST', '/v1/resources/payments-db/observe', await t.tokenFor('peggy'));
    expect(response.statusCode).toBe(201);
    const body = response.json<{ results: { check: string; status: string }[] }>();
    expect(body.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'tls-on', status: 'non_compliant' })]),
    );
    const drift = await t.call('GET', '/v1/drift?resource=payments-db&status=open', await t.tokenFor('peggy'));
    expect(drift.json<{ findings: { check: string }[] }>().findings.map((f) => f.check)).toContain('tls-on');
    const events = await t.auditEvents();
    expect(events.some((event) => event.action === 'resource.observe' && event.actor === 'peggy')).toBe(true);
  });

  it('an identity without administer or provision is refused before the provider is asked', async () => {
    const before = postgres.calls.observe;
    const response = await t.call('POST', '/v1/resources/payments-db/observe', await t.tokenFor('alice'));
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(postgres.calls.observe).toBe(before);
  });
});
