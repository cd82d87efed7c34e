/**
 * Authentication and the route-level duty check. Every route declares its access (`config.access`): `public`,
 * `authenticated`, `metrics` or a duty the caller must hold on at least one profile (`DutyIndex.holdsAnywhere`
 * on the policy snapshot; the verb's pure decision checks the real entitlement). A route that declares nothing
 * fails at registration, so no route can be left open by omission. A credential that keeps failing is refused
 * for a while, and an address over its failure limit gets `rate_limited` for its failures (`FailureLimiter`); a
 * valid credential is always accepted. Each route's handler runs with the caller's credential in scope
 * (`credential-context.ts`), and as one policy call (`policy-call.ts`): the snapshot the duty check took is the
 * one the route's verbs decide with, even if a policy reload lands in between. A reload that lands while the
 * body is still arriving begins the call again: the duties are checked once more, under the new policy.
 * A request with no `Authorization` header is authenticated by its web-console session cookie, when it has one
 * (`SessionAuthenticator`), and a state-changing one must then pass the CSRF check; a bearer always wins.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { withCredential, type CallerCredential } from '../app/credential-context.js';
import { PolicyCall } from '../app/policy-call.js';
import { inReadTransaction } from '../app/snapshot.queries.js';
import type { Authenticator, Principal } from './auth/authenticator.js';
import { attemptKeys, type FailureLimiter } from './auth/failure-limiter.js';
import { showsPersonActive, type SessionAuthenticator } from './auth/session-authenticator.js';
import { clearSessionCookie, sessionCookieOf } from './auth/session-cookie.js';
import { AppError, isAppError } from '../core/errors.js';
import { DUTIES, type Duty } from '../policy/model.js';

/**
 * `public`: no credentials (health, readiness, OpenAPI, docs). `authenticated`: any enabled identity (self
 * service: `/v1/me`, own tokens). `metrics`: an `audit` holder or the scrape secret. A duty: held somewhere.
 * A list of duties: any one of them held somewhere (a read open to several duties whose body is expensive to
 * parse, such as a policy plan, is decided here, before the body is read). `scim`: the SCIM endpoint, whose routes
 * authenticate a SCIM client token themselves (`routes/scim.routes.ts`); no API token, session or OIDC token gets in.
 */
export type RouteAccess = Duty | readonly Duty[] | 'authenticated' | 'public' | 'metrics' | 'scim';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set by the guard on every route that is not public. */
    principal: Principal | undefined;
    /** The policy call the guard opened for this request (every route that is not public); ends with the response. */
    policyCall: PolicyCall | undefined;
  }
}

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

export interface GuardOptions {
  readonly app: AppContext;
  readonly auth: Authenticator;
  readonly limiter: FailureLimiter;
  /** Filled with every route as it is registered. */
  readonly routes: RegisteredRoute[];
  readonly metricsToken?: string;
  /** Web-console sessions: requests without an `Authorization` header are authenticated by their cookie. */
  readonly sessions?: SessionAuthenticator;
}

const ACCESS_VALUES: ReadonlySet<string> = new Set([...DUTIES, 'authenticated', 'public', 'metrics', 'scim']);

/** The docs UI's own routes (static files): registered by `@fastify/swagger-ui`, public by design. */
export function isPublicDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

/** The authenticated caller; `unauthenticated` on a route that did not authenticate (a public one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'this needs authentication');
  return request.principal;
}

/** The credential a verb sees for this principal (`credential-context.ts`). */
function credentialOf(principal: Principal | undefined): CallerCredential | undefined {
  if (principal === undefined) return undefined;
  return {
    identity: principal.identity,
    ...(principal.tokenId !== undefined ? { tokenId: principal.tokenId } : {}),
    ...(principal.mintedBy !== undefined ? { mintedBy: principal.mintedBy } : {}),
  };
}

function rateLimited(wait: number): AppError {
  return new AppError('rate_limited', `too many failed authentications; try again in ${wait}s`, {
    retryAfterSeconds: wait,
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('policyCall', undefined);
  const scrapeDigest = options.metricsToken === undefined ? undefined : digest(`Bearer ${options.metricsToken}`);

  app.addHook('onRoute', (route) => {
    const declared = route.config?.access;
    const url = route.url ?? route.path;
    let access: RouteAccess;
    if (Array.isArray(declared)) {
      const duties: readonly string[] = declared;
      if (duties.length === 0 || duties.some((duty) => !(DUTIES as readonly string[]).includes(duty))) {
        throw new Error(`route ${url} declares an unknown access '${duties.join(',')}'`);
      }
      access = declared;
    } else if (declared !== undefined) {
      if (!ACCESS_VALUES.has(declared as string))
        throw new Error(`route ${url} declares an unknown access '${String(declared)}'`);
      access = declared;
    } else if (isPublicDocsRoute(url)) {
      access = 'public';
      route.config = { ...route.config, access };
    } else {
      throw new Error(`route ${String(route.method)} ${url} declares no access (config.access)`);
    }
    if (access !== 'public' && access !== 'scim') {
      route.schema = { ...route.schema, security: [{ bearer: [] }, { session: [] }] };
      // Verbs the handler calls see the credential in use (token id, minter): SPEC §2.4's one principal; and the
      // policy the guard checked the caller against.
      const handler = route.handler;
      route.handler = function guarded(this: FastifyInstance, request, reply) {
        const work = () => withCredential(credentialOf(request.principal), () => handler.call(this, request, reply));
        return request.policyCall === undefined ? work() : request.policyCall.run(work);
      };
    }
    for (const method of [route.method].flat()) options.routes.push({ method, url, access });
  });

  // The call ends with its response (or when the client goes away): later work sees the policy in force.
  app.addHook('onResponse', async (request) => request.policyCall?.end());
  app.addHook('onRequestAbort', async (request) => request.policyCall?.end());

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    // Unmatched URLs (the not-found handler) have no access and answer 404 without looking at credentials. SCIM
    // routes check their own client tokens (in their scope's hook, which runs next).
    if (access === undefined || access === 'public' || access === 'scim') return;
    const header = request.headers.authorization;
    if (access === 'metrics' && scrapeDigest && header !== undefined && timingSafeEqual(digest(header), scrapeDigest)) {
      return;
    }
    const now = options.app.clock.now();
    const call = new PolicyCall();
    request.policyCall = call;
    const sessions = options.sessions;
    const secret = header === undefined && sessions !== undefined ? sessionCookieOf(request) : undefined;
    if (sessions !== undefined && secret !== undefined) {
      // A 256-bit secret cannot be guessed, so a failing cookie is not counted by the limiter: a stale cookie left
      // in browsers behind one address must not lock that address out. It is cleared instead.
      try {
        request.principal = await call.run(() => sessions.authenticate(secret, showsPersonActive(request)));
      } catch (error) {
        if (isAppError(error) && error.code === 'unauthenticated') clearSessionCookie(request, reply);
        throw error;
      }
      sessions.checkCsrf(request, secret);
      await requireDuties(options.app, call, request.principal.identity, access, now);
      return;
    }
    // Only presented credentials count: a client that sends none is not guessing.
    const keys = header === undefined ? undefined : attemptKeys(header, request.ip);
    // A credential that failed too often is not checked again; a valid one never fails, so others' failures
    // from the same address cannot lock it out.
    const wait = keys === undefined ? undefined : options.limiter.blockedFor(keys.credential, now);
    if (wait !== undefined) throw rateLimited(wait);
    try {
      request.principal = await call.run(() => options.auth.authenticate(header));
    } catch (error) {
      if (keys !== undefined && isAppError(error) && error.code === 'unauthenticated') {
        options.limiter.recordFailure(keys.credential, now);
        const addressWait = options.limiter.blockedFor(keys.address, now);
        options.limiter.recordFailure(keys.address, now);
        if (addressWait !== undefined) throw rateLimited(addressWait);
      }
      throw error;
    }
    await requireDuties(options.app, call, request.principal.identity, access, now);
  });

  // A policy reloaded while the body was arriving (a slow client, or one holding its request open on purpose):
  // the call begins again under the policy now in force and is checked again, so no call carries a replaced
  // policy past the moment its body arrived, and the verb still decides with the snapshot of the last check.
  app.addHook('preHandler', async (request) => {
    const call = request.policyCall;
    const access = request.routeOptions.config.access;
    if (call === undefined || request.principal === undefined || access === undefined) return;
    if (call.run(() => options.app.policy.loaded) === options.app.policy.loaded) return;
    call.end();
    const renewed = new PolicyCall();
    request.policyCall = renewed;
    await requireDuties(options.app, renewed, request.principal.identity, access, options.app.clock.now());
  });
}

/** Refuses (`forbidden`) unless `identity` holds one of the duties `access` needs, on the call's snapshot. */
async function requireDuties(
  app: AppContext,
  call: PolicyCall,
  identity: string,
  access: RouteAccess,
  now: number,
): Promise<void> {
  const duties = requiredDuties(access);
  if (duties.length === 0) return;
  const snapshot = await call.run(() => inReadTransaction(app, (trx) => app.policy.snapshot(trx, now)));
  if (duties.some((duty) => snapshot.duties.holdsAnywhere(identity, duty))) return;
  const [duty] = duties;
  if (duties.length === 1) {
    throw new AppError('forbidden', `'${identity}' does not hold the '${duty}' duty this needs`, { duty });
  }
  const quoted = duties.map((d) => `'${d}'`);
  throw new AppError(
    'forbidden',
    `'${identity}' holds none of ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}, one of which this needs`,
    { duties: [...duties] },
  );
}

/** The duties of which the caller must hold one (none for `authenticated`; `public` never gets here). */
export function requiredDuties(access: RouteAccess): readonly Duty[] {
  if (access === 'metrics') return ['audit'];
  if (access === 'authenticated' || access === 'public' || access === 'scim') return [];
  return typeof access === 'string' ? [access] : access;
}
