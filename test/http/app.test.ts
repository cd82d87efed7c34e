import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createTestApp } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('the HTTP framework', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx, { build: { metricsToken: 'scrape-secret-123' } });
  });

  it('answers /healthz without credentials', async () => {
    const response = await t.call('GET', '/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 until ready, then 200', async () => {
    let ready = false;
    const test = await createTestApp(ctx);
    const http = buildApp({ app: test.app, auth: new BearerAuthenticator(test.app), ready: () => ready });
    expect((await http.inject({ url: '/readyz' })).statusCode).toBe(503);
    ready = true;
    const response = await http.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('publishes an OpenAPI 3.1 document with the bearer and session-cookie schemes on protected routes, and none on public ones', async () => {
    const response = await t.call('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.paths['/v1/me']?.get?.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/tokens', '/v1/tokens/{id}']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Me', 'Token', 'IssuedToken']));
  });

  it('serves the docs page without credentials', async () => {
    const response = await t.call('GET', '/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown route with a not_found problem', async () => {
    const response = await t.call('GET', '/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'not_found', status: 404, instance: '/v1/nothing-here' });
  });

  it('refuses a body larger than 64 KiB before reading it as JSON', async () => {
    const token = await t.tokenFor('alice');
    const response = await t.call('POST', '/v1/tokens', token, { description: 'x'.repeat(70_000) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'invalid', status: 413 });
  });

  it('lists every invalid field of a body by its path', async () => {
    const token = await t.tokenFor('alice');
    const response = await t.call('POST', '/v1/tokens', token, { ttl: 5, description: 'y'.repeat(201), extra: 1 });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ code: string; problems: string[] }>();
    expect(problem.code).toBe('invalid');
    expect(problem.problems.join('\n')).toMatch(/body\.ttl/);
    expect(problem.problems.join('\n')).toMatch(/body\.description/);
  });

  it('never shows a client the text of a raw error, such as SQL', async () => {
    const test = await createTestApp(ctx);
    const http = buildApp({ app: test.app, auth: new BearerAuthenticator(test.app), ready: () => true });
    http.get('/boom', { config: { access: 'public' } }, async () => {
      throw new Error('SELECT hash FROM api_tokens WHERE identity = $1 -- syntax error at or near "FROM"');
    });
    const response = await http.inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toMatch(/SELECT|api_tokens|syntax|at .*\.ts/);
    expect(response.json()).toMatchObject({ code: 'internal', status: 500, detail: 'internal error' });
  });

  it('refuses to register a route that declares no access', async () => {
    const test = await createTestApp(ctx);
    const http = buildApp({ app: test.app, auth: new BearerAuthenticator(test.app), ready: () => true });
    expect(() => http.get('/v1/open', async () => ({}))).toThrow(/declares no access/);
  });

  it('serves /metrics to an audit holder and to the scrape secret, counting requests by route template', async () => {
    await t.call('GET', '/healthz');
    const olivia = await t.tokenFor('olivia');
    const asAuditor = await t.call('GET', '/metrics', olivia);
    expect(asAuditor.statusCode).toBe(200);
    expect(asAuditor.body).toMatch(
      /countersign_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(asAuditor.body).toMatch(/countersign_pending_requests/);
    const scraped = await t.http.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret-123' } });
    expect(scraped.statusCode).toBe(200);
    const alice = await t.tokenFor('alice');
    expect((await t.call('GET', '/metrics', alice)).statusCode).toBe(403);
    expect((await t.call('GET', '/metrics')).statusCode).toBe(401);
  });

  it('feeds instruments handed in by the wiring', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.activeGrants.set(3);
    metrics.revokeFailures.inc({ provider: 'postgres' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/countersign_active_grants 3/);
    expect(text).toMatch(/countersign_revoke_failures_total\{provider="postgres"\} 1/);
  });
});

describeEachDialect('authentication failures', (ctx) => {
  it('refuses a credential after 3 failures in a minute, then checks it again; a good token always gets in', async () => {
    const t = await createHttpTestApp(ctx, { build: { authFailureLimit: 3 } });
    const good = await t.tokenFor('alice');
    const bad = `cs_${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1) expect((await t.call('GET', '/v1/me', bad)).statusCode).toBe(401);
    const limited = await t.call('GET', '/v1/me', bad);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.call('GET', '/v1/me', good)).statusCode).toBe(200);
    t.clock.advance(61_000);
    expect((await t.call('GET', '/v1/me', bad)).statusCode).toBe(401);
    // the good token was minted 1h before the new "now"; still valid.
    expect((await t.call('GET', '/v1/me', good)).statusCode).toBe(200);
  });

  it('does not count requests that send no credentials', async () => {
    const t = await createHttpTestApp(ctx, { build: { authFailureLimit: 2 } });
    for (let i = 0; i < 5; i += 1) expect((await t.call('GET', '/v1/me')).statusCode).toBe(401);
    expect((await t.call('GET', '/v1/me', await t.tokenFor('alice'))).statusCode).toBe(200);
  });
});
