/**
 * Issue 11, "verbs announce what changed; nobody invalidates by hand": what a verb commits reaches the HTTP app's
 * in-memory `check` index and its token cache through the app's change feed, with no route (and here no HTTP
 * call at all) telling them. The monotonic clock of the check service stands still, so neither its poll nor its
 * staleness bound can be what refreshed it; the token cache's 5 s TTL cannot have passed either.
 */
import { expect, it } from 'vitest';
import { CheckService } from '../../src/features/access/check-service.js';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import { issueToken, revokeToken } from '../../src/features/access/tokens.verbs.js';
import {
  activateRequest,
  approveRequest,
  createRequest,
  revokeRequest,
} from '../../src/features/requests/requests.verbs.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { CachedAuthenticator } from '../../src/http/auth/cached-authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { createTestApp } from '../app/harness.js';
import { activateRole } from '../features/access/role-activation-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

/** A 2h read of the payments database: data platform (carol) approves it. */
const LONG_READ = { resource: 'payments-db', action: 'read', duration: '2h', justification: 'reconciliation' };

describeEachDialect('what verbs commit reaches the check index and the token cache', (ctx) => {
  /** The HTTP app as the server builds it: a cached authenticator and a check service, neither told by hand. */
  async function server() {
    const t = await createTestApp(ctx);
    const checks = new CheckService(t.app, { monotonicNow: () => 0, denialFlushMs: 3_600_000 });
    const http = buildApp({
      app: t.app,
      auth: new CachedAuthenticator(new BearerAuthenticator(t.app), { now: () => t.clock.now() }),
      ready: () => true,
      checks,
    });
    await http.ready();
    const me = (token: string) =>
      http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    const readPayments = (identity: string) =>
      checks.check(identity, { identity, resource: 'payments-db', action: 'read' });
    const close = async () => {
      await http.close();
      await checks.close();
    };
    return { t, checks, me, readPayments, close };
  }

  it('a grant activated and then revoked by the verbs alone is reflected by the very next check', async () => {
    const { t, readPayments, close } = await server();
    await activateRole(t.app, 'frank', 'dba-admin', 'heidi');
    expect(await readPayments('frank')).toMatchObject({ allowed: false });
    const created = await createRequest({ app: t.app, actor: 'frank', input: LONG_READ });
    await approveRequest({ app: t.app, actor: 'carol', input: { id: created.id } });
    const { request } = await activateRequest({ app: t.app, actor: 'frank', input: { id: created.id } });
    expect(await readPayments('frank')).toMatchObject({ allowed: true, grantId: request.grant?.id });
    await revokeRequest({ app: t.app, actor: 'frank', input: { id: created.id } });
    expect(await readPayments('frank')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    await close();
  });

  it('a role activated by the verbs alone rebuilds the check index before the next check', async () => {
    const { t, checks, readPayments, close } = await server();
    await readPayments('grace');
    const rebuilds = checks.rebuilds;
    await activateRole(t.app, 'grace', 'dba-admin', 'heidi');
    await readPayments('grace');
    expect(checks.rebuilds).toBe(rebuilds + 1);
    await close();
  });

  it('a token revoked through the verb is refused at its next call, though the cache verified it a moment ago', async () => {
    const { t, me, close } = await server();
    const issued = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'alice', ttl: '1h' } });
    expect((await me(issued.token)).statusCode).toBe(200);
    await revokeToken({ app: t.app, actor: 'alice', input: { id: issued.id } });
    expect((await me(issued.token)).statusCode).toBe(401);
    await close();
  });

  it('an identity disabled through the verb is refused at its next call with a token the cache holds', async () => {
    const { t, me, close } = await server();
    const issued = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'erin', ttl: '1h' } });
    expect((await me(issued.token)).statusCode).toBe(200);
    await disableIdentity({ app: t.app, actor: 'peggy', input: { identity: 'erin' } });
    expect((await me(issued.token)).statusCode).toBe(401);
    await close();
  });
});
