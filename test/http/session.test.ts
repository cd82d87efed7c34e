/**
 * Web-console sessions over HTTP (issue 12): the cookie's flags, CSRF refusals, a bearer winning over a cookie,
 * sign-out ending the session on the server, idle and absolute expiry on the app's clock, and a session dying
 * with its token or its identity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/canonical-json.js';
import { issueLoginLink } from '../../src/features/access/index.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { browser, HOST, OWN_ORIGIN, setCookieOf, signIn } from './session-fixtures.js';

const MINUTE = 60_000;

describeEachDialect('web-console sessions', (ctx) => {
  let t: HttpTestApp;

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  describe('signing in', () => {
    it('an API token starts a session in an HttpOnly, SameSite=Strict cookie holding a fresh secret, not the token', async () => {
      const token = await t.tokenFor('alice');
      const response = await t.http.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { host: HOST },
        payload: { token },
      });
      expect(response.statusCode).toBe(201);
      const cookie = setCookieOf(response, 'cs_session') ?? '';
      expect(cookie).toMatch(/^cs_session=[A-Za-z0-9_-]{43}; /);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/');
      expect(cookie).not.toContain('Secure');
      expect(cookie).not.toContain(token);
      const body = response.json<Record<string, string>>();
      expect(body).toMatchObject({ identity: 'alice', method: 'api_token' });
      expect(new Date(body.expiresAt ?? '').toISOString()).toBe(body.expiresAt);
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // The server keeps only the secret's SHA-256.
      const secret = cookie.slice('cs_session='.length, cookie.indexOf(';'));
      const rows = await ctx.database.db.selectFrom('console_sessions').selectAll().execute();
      expect(rows.some((row) => row.secret_hash === sha256Hex(secret))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(secret);
    });

    it('the cookie is Secure when the request came over https through a trusted proxy', async () => {
      const behindProxy = await createHttpTestApp(ctx, { build: { trustProxy: true } });
      const response = await behindProxy.http.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { host: HOST, 'x-forwarded-proto': 'https' },
        payload: { token: await behindProxy.tokenFor('alice') },
      });
      expect(response.statusCode).toBe(201);
      expect(setCookieOf(response, 'cs_session')).toContain('Secure');
    });

    it('a wrong token is refused as unauthenticated and sets no cookie', async () => {
      const response = await t.http.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { token: `cs_${'A'.repeat(43)}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'unauthenticated' });
      expect(setCookieOf(response, 'cs_session')).toBeUndefined();
    });

    it('without an OIDC issuer, the options offer token sign-in', async () => {
      const response = await t.http.inject({ method: 'GET', url: '/v1/session/options' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ oidc: false, tokenSignIn: true });
    });

    it('the session answers who I am, how I signed in and its CSRF token; /v1/me says it is a session', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('bob') });
      const who = await browser(t.http, session, 'GET', '/v1/session');
      expect(who.statusCode).toBe(200);
      expect(who.json()).toMatchObject({
        identity: 'bob',
        method: 'api_token',
        sessionId: session.sessionId,
        csrfToken: session.csrfToken,
      });
      const me = await browser(t.http, session, 'GET', '/v1/me');
      expect(me.json()).toMatchObject({ identity: 'bob', authenticatedWith: 'session' });
    });

    it('a bearer caller gets its identity and method from GET /v1/session, and no CSRF token', async () => {
      const response = await t.call('GET', '/v1/session', await t.tokenFor('bob'));
      expect(response.statusCode).toBe(200);
      const body = response.json<Record<string, unknown>>();
      expect(body).toMatchObject({ identity: 'bob', method: 'api_token' });
      expect(body.csrfToken).toBeUndefined();
    });

    it('a login link signs in once, and its start is audited without any secret', async () => {
      const link = await issueLoginLink({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'carol' } });
      const session = await signIn(t.http, '/v1/session/link', { link: link.link });
      const who = await browser(t.http, session, 'GET', '/v1/session');
      expect(who.json()).toMatchObject({ identity: 'carol', method: 'login_link' });
      const again = await t.http.inject({ method: 'POST', url: '/v1/session/link', payload: { link: link.link } });
      expect(again.statusCode).toBe(401);

      const events = await t.auditEvents();
      const started = events.find((e) => e.action === 'session.started' && e.details.sessionId === session.sessionId);
      expect(started).toMatchObject({ actor: 'carol', details: { method: 'login_link', linkId: link.id } });
      const text = JSON.stringify(events);
      expect(text).not.toContain(link.link);
      expect(text).not.toContain(session.secret);
      expect(text).not.toContain(session.csrfToken);
    });
  });

  describe('CSRF', () => {
    it('a state-changing cookie request without X-CSRF-Token is refused', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const response = await browser(t.http, session, 'POST', '/v1/tokens', { payload: {} });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden' });
      expect(response.json<{ detail: string }>().detail).toContain('CSRF token is missing');
    });

    it('a wrong X-CSRF-Token is refused, even the token of another session', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const other = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const response = await browser(t.http, session, 'POST', '/v1/tokens', { csrf: other.csrfToken, payload: {} });
      expect(response.statusCode).toBe(403);
      expect(response.json<{ detail: string }>().detail).toContain('CSRF token is wrong');
    });

    it('the right token from a foreign Origin is refused; from our own origin it passes', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const foreign = await browser(t.http, session, 'POST', '/v1/tokens', {
        csrf: session.csrfToken,
        origin: 'https://evil.example',
        payload: {},
      });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json<{ detail: string }>().detail).toContain('CSRF');
      const own = await browser(t.http, session, 'POST', '/v1/tokens', {
        csrf: session.csrfToken,
        origin: OWN_ORIGIN,
        payload: {},
      });
      expect(own.statusCode).toBe(201);
    });

    it('reads need no CSRF token', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      expect((await browser(t.http, session, 'GET', '/v1/tokens')).statusCode).toBe(200);
    });

    it('signing in from a foreign Origin is refused (no signing a victim in as someone else)', async () => {
      const response = await t.http.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { host: HOST, origin: 'https://evil.example' },
        payload: { token: await t.tokenFor('alice') },
      });
      expect(response.statusCode).toBe(403);
      expect(setCookieOf(response, 'cs_session')).toBeUndefined();
    });
  });

  describe('bearer and cookie together', () => {
    it('the bearer wins: the cookie is ignored, and no CSRF token is needed', async () => {
      const aliceSession = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const bob = await t.tokenFor('bob');
      const me = await browser(t.http, aliceSession, 'GET', '/v1/me', { bearer: bob });
      expect(me.json()).toMatchObject({ identity: 'bob', authenticatedWith: 'api_token' });
      const minted = await browser(t.http, aliceSession, 'POST', '/v1/tokens', { bearer: bob, payload: {} });
      expect(minted.statusCode).toBe(201);
      expect(minted.json()).toMatchObject({ identity: 'bob' });
    });

    it('a bad bearer beside a good cookie is refused, never rescued by the cookie', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const response = await browser(t.http, session, 'GET', '/v1/me', { bearer: `cs_${'B'.repeat(43)}` });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('ending sessions', () => {
    it('signing out ends the session on the server and clears the cookie; the old cookie then gets 401', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const out = await browser(t.http, session, 'DELETE', '/v1/session', { csrf: session.csrfToken });
      expect(out.statusCode).toBe(204);
      expect(setCookieOf(out, 'cs_session')).toMatch(/^cs_session=;.*Expires=Thu, 01 Jan 1970/);
      const row = await ctx.database.db
        .selectFrom('console_sessions')
        .select(['ended_at', 'ended_reason'])
        .where('id', '=', session.sessionId)
        .executeTakeFirstOrThrow();
      expect(row.ended_reason).toBe('signed_out');
      expect(row.ended_at).not.toBeNull();
      const replay = await browser(t.http, session, 'GET', '/v1/me');
      expect(replay.statusCode).toBe(401);
      const events = await t.auditEvents();
      expect(
        events.find((e) => e.action === 'session.ended' && e.details.sessionId === session.sessionId),
      ).toMatchObject({ actor: 'alice', details: { reason: 'signed_out' } });
    });

    it('signing out needs the CSRF token too', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('alice') });
      const out = await browser(t.http, session, 'DELETE', '/v1/session');
      expect(out.statusCode).toBe(403);
      expect((await browser(t.http, session, 'GET', '/v1/me')).statusCode).toBe(200);
    });

    it('I see my open sessions by public id and end another one; others cannot end mine', async () => {
      const first = await signIn(t.http, '/v1/session', { token: await t.tokenFor('dan') });
      const second = await signIn(t.http, '/v1/session', { token: await t.tokenFor('dan') });
      const list = await browser(t.http, first, 'GET', '/v1/me/sessions');
      expect(list.statusCode).toBe(200);
      const sessions = list.json<{ sessions: { id: string; current: boolean; method: string }[] }>().sessions;
      expect(sessions.map((s) => s.id)).toEqual(expect.arrayContaining([first.sessionId, second.sessionId]));
      expect(sessions.find((s) => s.id === first.sessionId)?.current).toBe(true);
      expect(JSON.stringify(sessions)).not.toContain(second.secret);

      const byOther = await t.call('DELETE', `/v1/me/sessions/${second.sessionId}`, await t.tokenFor('carol'));
      expect(byOther.statusCode).toBe(404);
      const ended = await browser(t.http, first, 'DELETE', `/v1/me/sessions/${second.sessionId}`, {
        csrf: first.csrfToken,
      });
      expect(ended.statusCode).toBe(204);
      expect((await browser(t.http, second, 'GET', '/v1/me')).statusCode).toBe(401);
      expect((await browser(t.http, first, 'GET', '/v1/me')).statusCode).toBe(200);
    });

    it('revoking the token a session signed in with kills the session', async () => {
      const bearer = await t.tokenFor('alice');
      const token = await t.tokenFor('alice');
      const session = await signIn(t.http, '/v1/session', { token });
      expect((await browser(t.http, session, 'GET', '/v1/me')).statusCode).toBe(200);
      const tokens = (await t.call('GET', '/v1/tokens', bearer)).json<{ tokens: { id: string; prefix: string }[] }>();
      const id = tokens.tokens.find((entry) => token.startsWith(entry.prefix))?.id ?? '';
      expect((await t.call('DELETE', `/v1/tokens/${id}`, bearer)).statusCode).toBe(200);
      const after = await browser(t.http, session, 'GET', '/v1/me');
      expect(after.statusCode).toBe(401);
      expect(after.json<{ detail: string }>().detail).toContain('revoked');
      expect(setCookieOf(after, 'cs_session')).toMatch(/^cs_session=;/);
    });

    it("a disabled identity's sessions die and are ended", async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('quinn') });
      expect((await browser(t.http, session, 'GET', '/v1/me')).statusCode).toBe(200);
      const disabled = await t.call('POST', '/v1/identities/quinn/disable', await t.tokenFor('peggy'), {
        reason: 'left the company',
      });
      expect(disabled.statusCode).toBe(200);
      expect((await browser(t.http, session, 'GET', '/v1/me')).statusCode).toBe(401);
      const row = await ctx.database.db
        .selectFrom('console_sessions')
        .select(['ended_reason'])
        .where('id', '=', session.sessionId)
        .executeTakeFirstOrThrow();
      expect(row.ended_reason).toBe('offboarded');
    });
  });

  describe('expiry on the app clock', () => {
    it('a session idle for 30 minutes expires; one used every 20 minutes stays', async () => {
      const idle = await signIn(t.http, '/v1/session', { token: await t.tokenFor('erin', '12h') });
      const busy = await signIn(t.http, '/v1/session', { token: await t.tokenFor('erin', '12h') });
      t.clock.advance(20 * MINUTE);
      expect((await browser(t.http, busy, 'GET', '/v1/me', { active: true })).statusCode).toBe(200);
      t.clock.advance(11 * MINUTE);
      const expired = await browser(t.http, idle, 'GET', '/v1/me');
      expect(expired.statusCode).toBe(401);
      expect(expired.json<{ detail: string }>().detail).toContain('inactivity');
      expect((await browser(t.http, busy, 'GET', '/v1/me')).statusCode).toBe(200);
    });

    it('a page polling in a tab nobody uses does not keep its session alive; a change by the person does', async () => {
      const polled = await signIn(t.http, '/v1/session', { token: await t.tokenFor('erin', '12h') });
      for (let minute = 2; minute < 30; minute += 2) {
        t.clock.advance(2 * MINUTE);
        expect((await browser(t.http, polled, 'GET', '/v1/inbox')).statusCode).toBe(200);
      }
      t.clock.advance(2 * MINUTE);
      const ended = await browser(t.http, polled, 'GET', '/v1/inbox');
      expect(ended.statusCode).toBe(401);
      expect(ended.json<{ detail: string }>().detail).toContain('inactivity');

      const used = await signIn(t.http, '/v1/session', { token: await t.tokenFor('erin', '12h') });
      t.clock.advance(25 * MINUTE);
      const signOutOthers = await browser(t.http, used, 'DELETE', '/v1/me/sessions/unknown', {
        csrf: used.csrfToken,
        origin: OWN_ORIGIN,
      });
      expect(signOutOthers.statusCode).toBe(404);
      t.clock.advance(25 * MINUTE);
      expect((await browser(t.http, used, 'GET', '/v1/inbox')).statusCode).toBe(200);
    });

    it('an active session ends at its absolute limit (--session-max)', async () => {
      const short = await createHttpTestApp(ctx, {
        build: { signIn: { lifetime: { idleMs: 30 * MINUTE, maxMs: 60 * MINUTE } } },
      });
      const session = await signIn(short.http, '/v1/session', { token: await short.tokenFor('frank', '12h') });
      for (let step = 0; step < 2; step++) {
        short.clock.advance(25 * MINUTE);
        expect((await browser(short.http, session, 'GET', '/v1/me', { active: true })).statusCode).toBe(200);
      }
      short.clock.advance(10 * MINUTE);
      const over = await browser(short.http, session, 'GET', '/v1/me');
      expect(over.statusCode).toBe(401);
      expect(over.json<{ detail: string }>().detail).toContain('time limit');
    });

    it('a session ends when the token it signed in with expires', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('grace', '10m') });
      t.clock.advance(10 * MINUTE);
      const over = await browser(t.http, session, 'GET', '/v1/me');
      expect(over.statusCode).toBe(401);
      expect(over.json<{ detail: string }>().detail).toContain('expired');
    });
  });
});
