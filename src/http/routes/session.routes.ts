/**
 * Web-console sign-in (issue 12). `GET /v1/session/options` says how people sign in here; `POST /v1/session`
 * exchanges an API token, and `POST /v1/session/link` a one-time login link, for a session held in the
 * `cs_session` cookie (the answer carries the CSRF token the console sends on every state-changing request);
 * `GET /v1/session` says who the caller is; `DELETE /v1/session` signs out; `GET /v1/me/sessions` and
 * `DELETE /v1/me/sessions/{id}` list and end my other sessions. The sign-in routes are public and authenticate
 * themselves: their failures count in the guard's failure limiter as bad bearer tokens do, and a browser
 * request from another origin is refused (no signing a victim in as the attacker).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { iso } from '../../app/view-fields.js';
import { AppError, isAppError } from '../../core/errors.js';
import {
  endSession,
  listSessions,
  signInWithLink,
  signInWithToken,
  type StartedSession,
} from '../../features/access/index.js';
import {
  openSessionViewSchema,
  sessionOptionsViewSchema,
  sessionViewSchema,
  type SessionView,
} from '../../features/access/session.view.js';
import { csrfTokenOf } from '../../features/access/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { attemptKeys, type FailureLimiter } from '../auth/failure-limiter.js';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import { principalOf } from '../guard.js';

const tokenBody = z.object({ token: z.string().min(1).max(200).describe('an API token (cs_…)') }).strict();
const linkBody = z.object({ link: z.string().min(1).max(200).describe('the secret of a login link') }).strict();
const sessionParams = z.object({ id: z.string().min(1).max(100) }).strict();

/** The answer to a sign-in: who, how, until when, and the CSRF token of the new session. */
export function signedInView(started: StartedSession): SessionView {
  return {
    identity: started.identity,
    method: started.method,
    expiresAt: iso(started.expiresAt),
    sessionId: started.sessionId,
    csrfToken: csrfTokenOf(started.secret),
  };
}

/**
 * Runs a sign-in attempt under the failure limiter, as the guard does for bearer credentials: a credential
 * that failed too often is not tried again, and an address over its limit gets `rate_limited` for its failures.
 */
async function limited<T>(
  limiter: FailureLimiter,
  request: FastifyRequest,
  credential: string,
  now: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const keys = attemptKeys(credential, request.ip);
  const wait = limiter.blockedFor(keys.credential, now);
  if (wait !== undefined) throw rateLimited(wait);
  try {
    return await attempt();
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthenticated') {
      limiter.recordFailure(keys.credential, now);
      const addressWait = limiter.blockedFor(keys.address, now);
      limiter.recordFailure(keys.address, now);
      if (addressWait !== undefined) throw rateLimited(addressWait);
    }
    throw error;
  }
}

function rateLimited(wait: number): AppError {
  return new AppError('rate_limited', `too many failed authentications; try again in ${wait}s`, {
    retryAfterSeconds: wait,
  });
}

export function registerSessionRoutes(app: ZodFastify, deps: RouteDeps): void {
  const { app: context, sessions, oidcLogin, authFailures } = deps;
  const lifetime = sessions.lifetime;

  app.get(
    '/v1/session/options',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        operationId: 'getSignInOptions',
        summary: 'How people sign in to this server: through its OIDC issuer, or with an API token',
        response: { 200: sessionOptionsViewSchema },
      },
    },
    async () =>
      oidcLogin === undefined
        ? { oidc: false, tokenSignIn: true }
        : { oidc: true, tokenSignIn: false, oidcLoginUrl: '/auth/oidc/login' as const },
  );

  app.post(
    '/v1/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        operationId: 'signInWithToken',
        summary: 'Sign in with an API token: starts a browser session (cookie cs_session)',
        body: tokenBody,
        response: { 201: sessionViewSchema },
      },
    },
    async (request, reply) => {
      sessions.checkOrigin(request);
      if (oidcLogin !== undefined) {
        throw new AppError('forbidden', 'this server signs people in through its OIDC issuer, not with API tokens');
      }
      const { token } = request.body;
      const started = await limited(authFailures, request, `Bearer ${token}`, context.clock.now(), () =>
        signInWithToken({ app: context, token, clientAddress: request.ip, lifetime }),
      );
      setSessionCookie(request, reply, started.secret);
      return reply.code(201).send(signedInView(started));
    },
  );

  app.post(
    '/v1/session/link',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        operationId: 'signInWithLink',
        summary: 'Sign in with a one-time login link (countersign login-link): starts a browser session',
        body: linkBody,
        response: { 201: sessionViewSchema },
      },
    },
    async (request, reply) => {
      sessions.checkOrigin(request);
      const { link } = request.body;
      const started = await limited(authFailures, request, `Link ${link}`, context.clock.now(), () =>
        signInWithLink({ app: context, link, clientAddress: request.ip, lifetime }),
      );
      setSessionCookie(request, reply, started.secret);
      return reply.code(201).send(signedInView(started));
    },
  );

  app.get(
    '/v1/session',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['session'],
        operationId: 'getSession',
        summary: 'Who I am signed in as, how, until when (and the CSRF token of a cookie session)',
        response: { 200: sessionViewSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const expiresAt = principal.expiresAt === undefined ? null : iso(principal.expiresAt);
      if (principal.session === undefined) {
        const method = principal.method === 'oidc' ? 'oidc' : 'api_token';
        return { identity: principal.identity, method, expiresAt } satisfies SessionView;
      }
      return {
        identity: principal.identity,
        method: principal.session.signedInWith,
        expiresAt,
        sessionId: principal.session.id,
        csrfToken: principal.session.csrfToken,
      } satisfies SessionView;
    },
  );

  app.delete(
    '/v1/session',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['session'],
        operationId: 'signOut',
        summary: 'Sign out: ends this browser session on the server and clears its cookie',
        response: { 204: z.null().describe('signed out') },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.session === undefined) {
        throw new AppError(
          'invalid',
          'this request carries no session cookie to sign out of (a bearer token was used)',
        );
      }
      await endSession({
        app: context,
        actor: principal.identity,
        input: { id: principal.session.id, reason: 'signed_out' },
      });
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/me/sessions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['session'],
        operationId: 'listSessions',
        summary: 'My open browser sessions (public ids, never their secrets)',
        response: { 200: z.object({ sessions: z.array(openSessionViewSchema).max(500) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const sessionsOpen = await listSessions({
        app: context,
        actor: principal.identity,
        input: { lifetime, ...(principal.session ? { currentSessionId: principal.session.id } : {}) },
      });
      return { sessions: sessionsOpen };
    },
  );

  app.delete(
    '/v1/me/sessions/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['session'],
        operationId: 'endSession',
        summary: 'End one of my browser sessions',
        params: sessionParams,
        response: { 204: z.null().describe('ended') },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const current = principal.session?.id === request.params.id;
      await endSession({
        app: context,
        actor: principal.identity,
        input: { id: request.params.id, reason: current ? 'signed_out' : 'revoked' },
      });
      if (current) clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );
}
