/**
 * The console's OIDC sign-in (issue 12): `GET /auth/oidc/login` starts the authorization code flow and
 * `GET /auth/oidc/callback` finishes it. The pending login (state, nonce, PKCE verifier, where to return) is kept
 * server-side, in a table any replica reads, under the hash of a random id held in the `cs_oidc` cookie
 * (10 minutes, one use). The ID token is checked by `openid-client` (state, nonce, PKCE) and again by the API's
 * verifier, then mapped to an identity by exactly the rules bearer tokens follow (`identityForOidcClaims`).
 * Every failure sends the browser to `/sign-in?error=<code>`: a code of ours, never the issuer's text. The only
 * places the browser is sent on success are `/` and a same-origin path given as `return` to the login.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import {
  generateSecret,
  hashSecret,
  identityForOidcClaims,
  looksLikeSecret,
  savePendingOidcLogin,
  startOidcSession,
  takePendingOidcLogin,
} from '../../features/access/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { syncClaimedGroups } from '../auth/oidc-groups.js';
import { OidcLoginError } from '../auth/oidc-login.js';
import {
  clearOidcLoginCookie,
  OIDC_LOGIN_COOKIE,
  setOidcLoginCookie,
  setSessionCookie,
} from '../auth/session-cookie.js';

/** How long a started login may wait for its callback. */
export const OIDC_LOGIN_TTL_SECONDS = 600;
const MAX_RETURN_PATH_LENGTH = 512;

/**
 * The path to return to after signing in: a same-origin path beginning with exactly one `/` (not `//host`, not
 * `/\host`, which browsers read as another host), with no control characters or spaces; anything else is `/`.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_PATH_LENGTH) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value) || hasControlCharacter(value))
    return '/';
  // Belt and braces: resolved against our own origin, it must stay there.
  const base = 'http://countersign.invalid';
  const resolved = new URL(value, base);
  return resolved.origin === base ? `${resolved.pathname}${resolved.search}${resolved.hash}` : '/';
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

function failed(reply: FastifyReply, request: FastifyRequest, code: string): FastifyReply {
  clearOidcLoginCookie(request, reply);
  return reply.redirect(`/sign-in?error=${code}`, 302);
}

export function registerOidcLoginRoutes(app: ZodFastify, deps: RouteDeps): void {
  const { app: context, oidcLogin, sessions } = deps;

  app.get(
    '/auth/oidc/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        operationId: 'startOidcSignIn',
        summary: "Sign in through the OIDC issuer: redirects to the issuer's login page",
        querystring: z.object({ return: z.string().max(2000).optional() }),
      },
    },
    async (request, reply) => {
      if (oidcLogin === undefined) return reply.redirect('/sign-in?error=oidc_not_configured', 302);
      let start;
      try {
        start = await oidcLogin.begin();
      } catch (error) {
        request.log.warn({ err: error }, 'OIDC sign-in: the issuer could not be reached');
        return failed(reply, request, 'issuer_unavailable');
      }
      const { secret, hash } = generateSecret();
      const now = context.clock.now();
      await savePendingOidcLogin(
        context.database.db,
        hash,
        {
          state: start.state,
          nonce: start.nonce,
          codeVerifier: start.codeVerifier,
          returnTo: safeReturnPath(request.query.return),
        },
        now,
        now + OIDC_LOGIN_TTL_SECONDS * 1000,
      );
      setOidcLoginCookie(request, reply, secret, OIDC_LOGIN_TTL_SECONDS);
      return reply.redirect(start.authorizationUrl, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        operationId: 'finishOidcSignIn',
        summary: "The OIDC issuer's redirect back: finishes the sign-in and redirects to the console",
        querystring: z.record(z.string(), z.unknown()),
      },
    },
    async (request, reply) => {
      if (oidcLogin === undefined) return failed(reply, request, 'oidc_not_configured');
      const cookie = request.cookies[OIDC_LOGIN_COOKIE];
      if (cookie === undefined || !looksLikeSecret(cookie)) return failed(reply, request, 'login_expired');
      const now = context.clock.now();
      const pending = await takePendingOidcLogin(context.database.db, hashSecret(cookie), now);
      if (pending === undefined) return failed(reply, request, 'login_expired');
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      let identity: string;
      try {
        const claims = await oidcLogin.finish(query, pending);
        identity = await identityForOidcClaims(context, claims.subject, claims.email);
        await syncClaimedGroups(context, identity, claims);
      } catch (error) {
        if (error instanceof OidcLoginError) return failed(reply, request, error.code);
        if (isAppError(error) && error.code === 'unauthenticated') return failed(reply, request, 'unknown_identity');
        request.log.warn({ err: error }, 'OIDC sign-in failed');
        return failed(reply, request, 'sign_in_failed');
      }
      const started = await startOidcSession({
        app: context,
        identity,
        clientAddress: request.ip,
        lifetime: sessions.lifetime,
      });
      clearOidcLoginCookie(request, reply);
      setSessionCookie(request, reply, started.secret);
      return reply.redirect(pending.returnTo, 302);
    },
  );
}
