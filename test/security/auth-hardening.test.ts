/**
 * Issue #9 item 14 and two low items: a human's API token cannot mint longer-lived successors of itself forever
 * (the chain ends a fixed time after the sign-in that began it); the authentication cache never accepts a token
 * past its expiry; and a flood of bad credentials from one address (a NAT shared with the victim) never locks a
 * valid token out, while the bad credential itself is refused.
 */
import { expect, it } from 'vitest';
import { issueToken } from '../../src/features/access/tokens.verbs.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { CachedAuthenticator } from '../../src/http/auth/cached-authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { createTestApp } from '../app/harness.js';
import { createHttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const HOUR_MS = 3_600_000;

describeEachDialect('API tokens and the authentication guard resist abuse', (ctx) => {
  it('a token cannot mint a successor that outlives the sign-in its chain began with', async () => {
    const t = await createHttpTestApp(ctx);
    const first = await t.tokenFor('alice', '12h');
    t.clock.advance(11 * HOUR_MS);
    // One hour of the chain is left: a 2h successor is refused, a 1h one is fine.
    const tooLong = await t.call('POST', '/v1/tokens', first, { ttl: '2h' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ detail: string }>().detail).toContain('sign in again');
    const second = await t.call('POST', '/v1/tokens', first, { ttl: '1h' });
    expect(second.statusCode).toBe(201);
    const successor = second.json<{ token: string }>().token;
    t.clock.advance(HOUR_MS / 2);
    // The successor inherits the chain's end: it cannot mint another hour past it.
    const third = await t.call('POST', '/v1/tokens', successor, { ttl: '1h' });
    expect(third.statusCode).toBe(400);
    expect((await t.call('POST', '/v1/tokens', successor, { ttl: '20m' })).statusCode).toBe(201);
  });

  it('the authentication cache refuses a token the moment it expires', async () => {
    const t = await createTestApp(ctx);
    const http = buildApp({
      app: t.app,
      auth: new CachedAuthenticator(new BearerAuthenticator(t.app), { now: () => t.clock.now() }),
      ready: () => true,
    });
    await http.ready();
    const issued = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'alice', ttl: '1h' } });
    const me = () =>
      http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${issued.token}` } });
    expect((await me()).statusCode).toBe(200);
    t.clock.advance(HOUR_MS);
    // Less than the cache's 5 s have passed on the monotonic clock, but the token's hour is over.
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    await http.close();
  });

  it('bad tokens flooded from the address of a valid user do not lock the valid token out', async () => {
    const t = await createHttpTestApp(ctx, { build: { authFailureLimit: 3 } });
    const good = await t.tokenFor('alice');
    for (let i = 0; i < 20; i += 1) {
      const bad = `cs_${String(i).padStart(43, 'A')}`;
      expect([401, 429]).toContain((await t.call('GET', '/v1/me', bad)).statusCode);
    }
    expect((await t.call('GET', '/v1/me', good)).statusCode).toBe(200);
    // The same bad credential tried again and again is refused without being checked again.
    const repeated = `cs_${'B'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1) await t.call('GET', '/v1/me', repeated);
    const limited = await t.call('GET', '/v1/me', repeated);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.call('GET', '/v1/me', good)).statusCode).toBe(200);
  });
});
