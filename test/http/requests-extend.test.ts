/**
 * `POST /v1/requests/{id}/extend` (SPEC §2.8 "Extension") and `execute` answers whose outcome is unknown, over
 * HTTP: the extension answer carries the extension request and the extended request; `check` sees the new expiry
 * at once; a refusal is a problem document with the reasons.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { everyType } from '../app/requests-fixtures.js';
import { BreakableAuditLog, executePolicy } from '../security/execute-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp } from './http-fixtures.js';

const MINUTE = 60_000;

describeEachDialect('extending grants and unknown execute outcomes over HTTP', (ctx) => {
  it('extends the requester’s active grant, and check allows past the old expiry', async () => {
    const t = await createHttpTestApp(ctx, { policy: executePolicy() });
    const alice = await t.tokenFor('alice');
    const created = await t.call('POST', '/v1/requests', alice, { resource: 'db-1', action: 'read', duration: '10m' });
    const { id } = created.json<{ id: string }>();
    expect((await t.call('POST', `/v1/requests/${id}/activate`, alice)).statusCode).toBe(200);
    t.clock.advance(5 * MINUTE);

    const answer = await t.call('POST', `/v1/requests/${id}/extend`, alice, { duration: '30m' });
    expect(answer.statusCode).toBe(200);
    const until = new Date(t.clock.now() + 30 * MINUTE).toISOString();
    expect(answer.json()).toMatchObject({
      extension: { status: 'completed', extends: id, requester: 'alice', duration: '30m' },
      request: { id, status: 'active', expiresAt: until, grant: { status: 'active', expiresAt: until } },
    });
    t.clock.advance(10 * MINUTE);
    const check = await t.call('POST', '/v1/check', alice, { identity: 'alice', resource: 'db-1', action: 'read' });
    expect(check.json()).toMatchObject({ allowed: true });
  });

  it('refuses another identity, a bad duration and an extension past maxDuration with problem documents', async () => {
    const t = await createHttpTestApp(ctx, { policy: executePolicy() });
    const alice = await t.tokenFor('alice');
    const created = await t.call('POST', '/v1/requests', alice, { resource: 'db-1', action: 'read', duration: '1h' });
    const { id } = created.json<{ id: string }>();
    await t.call('POST', `/v1/requests/${id}/activate`, alice);

    const bob = await t.call('POST', `/v1/requests/${id}/extend`, await t.tokenFor('bob'), { duration: '30m' });
    expect(bob.statusCode).toBe(403);
    const bad = await t.call('POST', `/v1/requests/${id}/extend`, alice, { duration: 'forever' });
    expect(bad.statusCode).toBe(400);
    const long = await t.call('POST', `/v1/requests/${id}/extend`, alice, { duration: '3h' });
    expect(long.statusCode).toBe(403);
    expect(long.json()).toMatchObject({
      code: 'policy_denied',
      reasons: expect.arrayContaining([expect.objectContaining({ code: 'extension.past_max_duration' })]),
    });
  });

  it('an execution whose outcome could not be recorded answers 503 saying it may have run', async () => {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createHttpTestApp(ctx, { policy: executePolicy(), providers: everyType(provider) });
    const audit = new BreakableAuditLog(ctx.dialect, randomBytes(32));
    const app = { ...t.app, auditLog: audit };
    const http = buildApp({ app, auth: new BearerAuthenticator(app), ready: () => true });
    await http.ready();
    const alice = await t.tokenFor('alice');
    const headers = { authorization: `Bearer ${alice}` };
    const created = await http.inject({
      method: 'POST',
      url: '/v1/requests',
      headers,
      payload: { resource: 'db-1', action: 'run', duration: '10m' },
    });
    const { id } = created.json<{ id: string }>();
    provider.during('execute', async () => {
      audit.failures = 1;
    });
    const answer = await http.inject({ method: 'POST', url: `/v1/requests/${id}/execute`, headers, payload: {} });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({
      code: 'audit_unavailable',
      detail: expect.stringMatching(/may have run/),
      details: { request: id, mayHaveRun: true, flagged: true },
    });
    const shown = await http.inject({ method: 'GET', url: `/v1/requests/${id}`, headers });
    expect(shown.json()).toMatchObject({ status: 'needs_review', statusReason: expect.stringMatching(/may have run/) });
    await http.close();
  });
});
