/**
 * Attacks on web-console sign-in (issue 12), each written as the attack:
 * - a session does not launder a token's minter: X minted the token Y signs in with, so X still cannot approve
 *   what Y asks for through the session, nor may Y use a grant with it when X approved (SPEC §2.4, mirroring
 *   `one-principal.test.ts` through a cookie);
 * - a login link replayed, even by two racing requests, signs in once;
 * - cross-site requests riding the cookie (no CSRF token, a guessed one, a stolen token without the cookie, a
 *   simple form post) are refused;
 * - an open redirect through the `return` path of the OIDC login sends nobody off-site.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/canonical-json.js';
import { systemClock } from '../../src/core/clock.js';
import { generateToken, hashToken } from '../../src/features/access/api-token.js';
import { issueLoginLink } from '../../src/features/access/index.js';
import { OidcLogin } from '../../src/http/auth/oidc-login.js';
import { OidcVerifier } from '../../src/http/auth/oidc-verifier.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { browser, cookieValue, HOST, OWN_ORIGIN, setCookieOf, signIn } from '../http/session-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const PROD_WRITE = { resource: 'payments-db', action: 'write', duration: '1h', justification: 'backfill CHG-12' };

interface Problem {
  readonly code: string;
  readonly detail?: string;
  readonly reasons?: readonly { code: string }[];
}

describeEachDialect('attacks on web-console sessions', (ctx) => {
  let t: HttpTestApp;

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  /** A token for `identity` recorded as minted by `minter` (as the administer rule of old allowed). */
  async function tokenMintedBy(identity: string, minter: string): Promise<{ token: string; id: string }> {
    const minted = generateToken();
    const id = `tok_session_${identity}_${minter}_${Math.random().toString(36).slice(2, 8)}`;
    const now = t.clock.now();
    await ctx.database.db
      .insertInto('api_tokens')
      .values({
        id,
        identity,
        hash: hashToken(minted.token),
        prefix: minted.prefix,
        description: 'minted by someone else',
        expires_at: now + 3_600_000,
        created_at: now,
        created_by: minter,
        revoked_at: null,
        last_used_at: null,
        origin_at: null,
      })
      .execute();
    return { token: minted.token, id };
  }

  describe('one principal through a session', () => {
    it('the human who minted the token an NHI signed in with still cannot approve what it asks for', async () => {
      const { token, id } = await tokenMintedBy('backup-service', 'grace');
      const session = await signIn(t.http, '/v1/session', { token });
      const created = await browser(t.http, session, 'POST', '/v1/requests', {
        csrf: session.csrfToken,
        payload: PROD_WRITE,
      });
      expect(created.statusCode).toBe(201);
      const request = created.json<{ id: string }>();

      const byMinter = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('grace'), {});
      expect(byMinter.statusCode).toBe(403);
      expect(byMinter.json<Problem>().detail).toContain("'grace' minted the token 'backup-service' acts with");

      const events = await t.auditEvents();
      const create = events.find((e) => e.action === 'request.create' && e.subject === `request:${request.id}`);
      expect(create?.details.via).toEqual({ tokenId: id, mintedBy: 'grace' });
    });

    it('an NHI cannot use a grant through a session signed in with a token one of its approvers minted', async () => {
      const created = await t.call('POST', '/v1/requests', await t.tokenFor('backup-service'), PROD_WRITE);
      const request = created.json<{ id: string }>();
      const approved = await t.call('POST', `/v1/requests/${request.id}/approve`, await t.tokenFor('frank'), {});
      expect(approved.json<{ status: string }>().status).toBe('approved');

      const { token } = await tokenMintedBy('backup-service', 'frank');
      const session = await signIn(t.http, '/v1/session', { token });
      const used = await browser(t.http, session, 'POST', `/v1/requests/${request.id}/activate`, {
        csrf: session.csrfToken,
        payload: {},
      });
      expect(used.statusCode).toBe(403);
      expect((used.json<Problem>().reasons ?? []).map((r) => r.code)).toContain('sod.same_principal');
    });
  });

  describe('login link replay', () => {
    it('a login link used twice signs in once', async () => {
      const { link } = await issueLoginLink({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'heidi' } });
      await signIn(t.http, '/v1/session/link', { link });
      const replay = await t.http.inject({ method: 'POST', url: '/v1/session/link', payload: { link } });
      expect(replay.statusCode).toBe(401);
      expect(replay.json<Problem>().code).toBe('unauthenticated');
      expect(setCookieOf(replay, 'cs_session')).toBeUndefined();
    });

    it('two requests racing with one link: exactly one wins', async () => {
      const { link } = await issueLoginLink({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'ivan' } });
      const attempts = await Promise.all(
        [1, 2, 3].map(() => t.http.inject({ method: 'POST', url: '/v1/session/link', payload: { link } })),
      );
      expect(attempts.map((a) => a.statusCode).sort()).toEqual([201, 401, 401]);
    });

    it('an expired login link signs nobody in', async () => {
      const { link } = await issueLoginLink({
        app: t.app,
        actor: SYSTEM_OPERATOR,
        input: { identity: 'judy', ttl: '5m' },
      });
      t.clock.advance(5 * 60_000);
      const late = await t.http.inject({ method: 'POST', url: '/v1/session/link', payload: { link } });
      expect(late.statusCode).toBe(401);
    });
  });

  describe('cross-site request forgery', () => {
    it("another site's page posting with the victim's cookie and no CSRF token changes nothing", async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('ken') });
      const before = await ctx.database.db
        .selectFrom('api_tokens')
        .select('id')
        .where('identity', '=', 'ken')
        .execute();
      const forged = await browser(t.http, session, 'POST', '/v1/tokens', {
        origin: 'https://evil.example',
        payload: { description: 'for the attacker' },
      });
      expect(forged.statusCode).toBe(403);
      const after = await ctx.database.db.selectFrom('api_tokens').select('id').where('identity', '=', 'ken').execute();
      expect(after).toHaveLength(before.length);
    });

    it('a guessed CSRF token is refused', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('ken') });
      const guessed = await browser(t.http, session, 'DELETE', '/v1/session', { csrf: 'A'.repeat(43) });
      expect(guessed.statusCode).toBe(403);
      expect((await browser(t.http, session, 'GET', '/v1/me')).statusCode).toBe(200);
    });

    it('a stolen CSRF token without the cookie authenticates nobody', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('ken') });
      const response = await t.http.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: { host: HOST, origin: OWN_ORIGIN, 'x-csrf-token': session.csrfToken },
        payload: {},
      });
      expect(response.statusCode).toBe(401);
    });

    it('a simple cross-site form post (no custom header possible) is refused', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('ken') });
      const response = await t.http.inject({
        method: 'POST',
        url: '/v1/session',
        headers: {
          host: HOST,
          origin: 'https://evil.example',
          cookie: `cs_session=${session.secret}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'token=cs_attacker',
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(setCookieOf(response, 'cs_session')).toBeUndefined();
    });

    it('the CSRF token of a signed-out session does not come back to life', async () => {
      const session = await signIn(t.http, '/v1/session', { token: await t.tokenFor('ken') });
      expect((await browser(t.http, session, 'DELETE', '/v1/session', { csrf: session.csrfToken })).statusCode).toBe(
        204,
      );
      const again = await browser(t.http, session, 'POST', '/v1/tokens', { csrf: session.csrfToken, payload: {} });
      expect(again.statusCode).toBe(401);
    });
  });
});

describeEachDialect('open redirect through the OIDC login', (ctx) => {
  let server: Server;
  let t: HttpTestApp;

  beforeAll(async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'k', alg: 'RS256', use: 'sig' };
    const redirectUri = `http://${HOST}/auth/oidc/callback`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'console', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri] }],
      jwks: { keys: [jwk] },
    });
    handler = provider.callback();
    const oidcLogin = new OidcLogin({
      issuer,
      clientId: 'console',
      redirectUri,
      verifier: new OidcVerifier({ issuer, audience: 'console' }, systemClock),
    });
    t = await createHttpTestApp(ctx, { build: { signIn: { oidcLogin } } });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['another host', 'https://evil.example/'],
    ['a scheme-relative URL', '//evil.example/inbox'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['a tab before the second slash', '/\t/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without a leading slash', 'evil.example'],
  ])('a return path to %s is replaced by /', async (_title, target) => {
    const login = await t.http.inject({
      method: 'GET',
      url: `/auth/oidc/login?return=${encodeURIComponent(target)}`,
      headers: { host: HOST },
    });
    expect(login.statusCode).toBe(302);
    const id = cookieValue(setCookieOf(login, 'cs_oidc') ?? '');
    const pending = await ctx.database.db
      .selectFrom('oidc_logins')
      .select('return_to')
      .where('id_hash', '=', sha256Hex(id))
      .executeTakeFirstOrThrow();
    expect(pending.return_to).toBe('/');
  });

  it('a same-origin path is kept', async () => {
    const login = await t.http.inject({
      method: 'GET',
      url: `/auth/oidc/login?return=${encodeURIComponent('/requests/req_1?tab=history')}`,
      headers: { host: HOST },
    });
    const id = cookieValue(setCookieOf(login, 'cs_oidc') ?? '');
    const pending = await ctx.database.db
      .selectFrom('oidc_logins')
      .select('return_to')
      .where('id_hash', '=', sha256Hex(id))
      .executeTakeFirstOrThrow();
    expect(pending.return_to).toBe('/requests/req_1?tab=history');
  });
});
