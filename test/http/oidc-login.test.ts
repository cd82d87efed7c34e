/**
 * The console's OIDC sign-in against a real issuer on loopback (issue 12): `oidc-provider` runs in the test on
 * 127.0.0.1 with a confidential client registered for Countersign's callback, and the test plays the browser
 * with fetch and manual redirects: Countersign's `/auth/oidc/login`, the issuer's own login form, its redirect
 * back to `/auth/oidc/callback`. Tampering with `state` or with the nonce the server kept is refused, as is an
 * account whose e-mail address the issuer has not verified.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { OidcLogin } from '../../src/http/auth/oidc-login.js';
import { OidcVerifier } from '../../src/http/auth/oidc-verifier.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { cookieValue, HOST, setCookieOf } from './session-fixtures.js';

const CLIENT_ID = 'countersign-console';
const CLIENT_SECRET = 'a-console-client-secret-long-enough';
const PUBLIC_URL = `http://${HOST}`;
const REDIRECT_URI = `${PUBLIC_URL}/auth/oidc/callback`;

/** The issuer's accounts: by verified e-mail (alice), and one whose address is not verified. */
const ACCOUNTS: Readonly<Record<string, Record<string, unknown>>> = {
  alice: { sub: 'idp-alice', email: 'alice@acmepay.example', email_verified: true },
  'unverified-bob': { sub: 'idp-bob', email: 'bob@acmepay.example', email_verified: false },
};

let server: Server;
let issuer: string;

beforeAll(async () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The ID token itself carries the e-mail claims (Countersign verifies and maps the ID token, not userinfo).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const claims = ACCOUNTS[id];
      return claims === undefined
        ? undefined
        : { accountId: id, claims: () => ({ ...claims, sub: String(claims.sub) }) };
    },
    // No consent screen: the test issuer grants the console what it asks for.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId ?? '',
        accountId: ctx.oidc.session?.accountId ?? '',
      });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified']);
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The browser's cookies at the issuer. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      this.#cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

describeEachDialect('signing in to the console through a real OIDC issuer', (ctx) => {
  let t: HttpTestApp;

  beforeAll(async () => {
    const clock = new ManualClock(Date.now());
    const verifier = new OidcVerifier({ issuer, audience: CLIENT_ID }, clock);
    const oidcLogin = new OidcLogin({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      verifier,
    });
    t = await createHttpTestApp(ctx, { clock, build: { signIn: { oidcLogin, publicOrigin: PUBLIC_URL } } });
  });

  /** Countersign's login, then the issuer's login form as `account`: the callback URL and the cs_oidc cookie. */
  async function authorize(account: string, returnTo?: string): Promise<{ callback: URL; oidcCookie: string }> {
    const query = returnTo === undefined ? '' : `?return=${encodeURIComponent(returnTo)}`;
    const login = await t.http.inject({ method: 'GET', url: `/auth/oidc/login${query}`, headers: { host: HOST } });
    expect(login.statusCode).toBe(302);
    const oidcSetCookie = setCookieOf(login, 'cs_oidc') ?? '';
    expect(oidcSetCookie).toContain('HttpOnly');
    expect(oidcSetCookie).toContain('SameSite=Lax');
    expect(oidcSetCookie).toContain('Path=/auth/oidc');
    const authorizationUrl = new URL(String(login.headers.location));
    expect(authorizationUrl.origin).toBe(issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();

    const jar = new CookieJar();
    let location = authorizationUrl.href;
    let submitted = false;
    for (let hop = 0; hop < 10; hop++) {
      if (location.startsWith(REDIRECT_URI)) {
        return { callback: new URL(location), oidcCookie: cookieValue(oidcSetCookie) };
      }
      const response = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(response);
      if (response.status >= 300 && response.status < 400) {
        location = new URL(response.headers.get('location') ?? '', location).href;
        continue;
      }
      // The issuer's login page: submit its form once, as the person typing their login.
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (submitted || action === undefined) throw new Error(`unexpected issuer page: ${html.slice(0, 300)}`);
      submitted = true;
      const posted = await fetch(new URL(action, location), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login: account, password: 'any' }),
      });
      jar.take(posted);
      location = new URL(posted.headers.get('location') ?? '', location).href;
    }
    throw new Error('the issuer never redirected back');
  }

  function callback(url: URL, oidcCookie: string) {
    return t.http.inject({
      method: 'GET',
      url: `${url.pathname}${url.search}`,
      headers: { host: HOST, cookie: `cs_oidc=${oidcCookie}` },
    });
  }

  it('the options say sign-in is through the issuer and token sign-in is off', async () => {
    const options = await t.http.inject({ method: 'GET', url: '/v1/session/options' });
    expect(options.json()).toEqual({ oidc: true, tokenSignIn: false, oidcLoginUrl: '/auth/oidc/login' });
    const byToken = await t.http.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { token: await t.tokenFor('alice') },
    });
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json()).toMatchObject({ code: 'forbidden' });
  });

  it('a verified e-mail signs alice in: a session cookie, then back to the page she asked for', async () => {
    const { callback: url, oidcCookie } = await authorize('alice', '/inbox?tab=mine');
    const done = await callback(url, oidcCookie);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/inbox?tab=mine');
    const session = setCookieOf(done, 'cs_session') ?? '';
    expect(session).toContain('HttpOnly');
    expect(session).toContain('SameSite=Strict');
    expect(setCookieOf(done, 'cs_oidc')).toMatch(/^cs_oidc=;/);

    const who = await t.http.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { host: HOST, cookie: `cs_session=${cookieValue(session)}` },
    });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ identity: 'alice', method: 'oidc' });
    const events = await t.auditEvents();
    expect(events.find((e) => e.action === 'session.started' && e.actor === 'alice')?.details).toMatchObject({
      method: 'oidc',
    });

    // The pending login is used up: the same callback again is refused.
    const again = await callback(url, oidcCookie);
    expect(again.headers.location).toBe('/sign-in?error=login_expired');
  });

  it('a callback whose state was changed is refused', async () => {
    const { callback: url, oidcCookie } = await authorize('alice');
    url.searchParams.set('state', 'forged-state');
    const done = await callback(url, oidcCookie);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/sign-in?error=state_mismatch');
    expect(setCookieOf(done, 'cs_session')).toBeUndefined();
  });

  it('an ID token whose nonce is not the one this login sent is refused', async () => {
    const { callback: url, oidcCookie } = await authorize('alice');
    // As if the code had been obtained for another login: the nonce the server expects differs from the token's.
    await ctx.database.db.updateTable('oidc_logins').set({ nonce: 'another-login-nonce' }).execute();
    const done = await callback(url, oidcCookie);
    expect(done.headers.location).toBe('/sign-in?error=token_refused');
    expect(setCookieOf(done, 'cs_session')).toBeUndefined();
  });

  it('an account whose e-mail address the issuer has not verified signs nobody in', async () => {
    const { callback: url, oidcCookie } = await authorize('unverified-bob');
    const done = await callback(url, oidcCookie);
    expect(done.headers.location).toBe('/sign-in?error=unknown_identity');
    expect(setCookieOf(done, 'cs_session')).toBeUndefined();
  });

  it('a callback without the cs_oidc cookie of its login is refused', async () => {
    const { callback: url } = await authorize('alice');
    const done = await t.http.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { host: HOST } });
    expect(done.headers.location).toBe('/sign-in?error=login_expired');
  });

  it('an error from the issuer is shown as our code, never its text', async () => {
    const { oidcCookie } = await authorize('alice');
    const done = await t.http.inject({
      method: 'GET',
      url: '/auth/oidc/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      headers: { host: HOST, cookie: `cs_oidc=${oidcCookie}` },
    });
    expect(done.headers.location).toBe('/sign-in?error=issuer_refused');
  });
});
