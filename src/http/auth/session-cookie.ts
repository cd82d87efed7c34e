/**
 * The web console's cookies (issue 12). `cs_session` holds a session's 256-bit secret: `HttpOnly` (no script
 * reads it), `SameSite=Strict` (no other site's page sends it), `Path=/`, and `Secure` whenever the request came
 * over https (`request.protocol`, which honours `trustProxy` behind a TLS-terminating proxy). `cs_oidc` holds the
 * id of a pending OIDC login: `SameSite=Lax`, because the issuer's redirect back to the callback is a cross-site
 * top-level navigation that a Strict cookie would not survive, and `Path=/auth/oidc`, so nothing else sees it.
 */
// Brings `request.cookies` and `reply.setCookie` into the types (the plugin is registered by `buildApp`).
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'cs_session';
export const OIDC_LOGIN_COOKIE = 'cs_oidc';
export const OIDC_LOGIN_COOKIE_PATH = '/auth/oidc';

/** The session secret the request's cookie carries, if any. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string): void {
  void reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

export function setOidcLoginCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  maxAgeSeconds: number,
): void {
  void reply.setCookie(OIDC_LOGIN_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    path: OIDC_LOGIN_COOKIE_PATH,
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}

export function clearOidcLoginCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(OIDC_LOGIN_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: OIDC_LOGIN_COOKIE_PATH,
    secure: request.protocol === 'https',
  });
}
