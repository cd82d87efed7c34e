/**
 * Authentication by the web console's session cookie, and its CSRF defence. The guard calls it only when a
 * request carries no `Authorization` header (a bearer always wins and the cookie is then ignored). A session
 * principal keeps the token id and minter of the API token it was signed in with, so verbs see one principal
 * exactly as with the bearer token (SPEC §2.4).
 *
 * CSRF: a cookie rides along with requests other sites' pages make, so every state-changing request (anything
 * but GET, HEAD and OPTIONS) authenticated by the cookie must carry `X-CSRF-Token` equal to the session's CSRF
 * token (compared in constant time), and, when the browser sent an `Origin`, come from this server's origin.
 * `SameSite=Strict` already stops cross-site sends in current browsers; this does not depend on it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_SESSION_LIFETIME, type SessionLifetime } from '../../decide/session.decide.js';
import { authenticateSession, csrfTokenOf } from '../../features/access/index.js';
import type { Principal } from './authenticator.js';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sent by the console on calls made within a minute of keyboard or pointer use (`console/src/api/client.ts`). */
export const ACTIVITY_HEADER = 'x-countersign-activity';

/** Whether a cookie request shows a person at work: any change, or a read the console marks as theirs. */
export function showsPersonActive(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method) || request.headers[ACTIVITY_HEADER] === 'user';
}

export interface SessionAuthenticatorOptions {
  readonly lifetime?: SessionLifetime;
  /** The server's public origin (`--public-url`), accepted in `Origin` besides the request's own. */
  readonly publicOrigin?: string;
}

export class SessionAuthenticator {
  readonly lifetime: SessionLifetime;
  readonly #publicOrigin: string | undefined;

  constructor(
    private readonly app: AppContext,
    options: SessionAuthenticatorOptions = {},
  ) {
    this.lifetime = options.lifetime ?? DEFAULT_SESSION_LIFETIME;
    this.#publicOrigin = options.publicOrigin;
  }

  /**
   * The principal of a session cookie; `unauthenticated` when the session does not stand. `personActive`: the
   * request is a change, or the console says a person used the page within the last minute
   * (`ACTIVITY_HEADER`); only such requests slide the idle deadline, so a forgotten tab still times out.
   */
  async authenticate(secret: string, personActive = true): Promise<Principal> {
    const session = await authenticateSession({ app: this.app, secret, lifetime: this.lifetime, personActive });
    return {
      identity: session.identity,
      method: 'session',
      ...(session.tokenId !== undefined ? { tokenId: session.tokenId } : {}),
      ...(session.mintedBy !== undefined ? { mintedBy: session.mintedBy } : {}),
      expiresAt: session.expiresAt,
      session: { id: session.sessionId, signedInWith: session.method, csrfToken: csrfTokenOf(secret) },
    };
  }

  /** Refuses (`forbidden`) a state-changing cookie request without the session's CSRF token or from another origin. */
  checkCsrf(request: FastifyRequest, secret: string): void {
    if (SAFE_METHODS.has(request.method)) return;
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || header === '') {
      throw new AppError('forbidden', 'the CSRF token is missing: send the header X-CSRF-Token with this session');
    }
    if (!sameDigest(header, csrfTokenOf(secret))) {
      throw new AppError('forbidden', "the CSRF token is wrong: send this session's X-CSRF-Token");
    }
    this.checkOrigin(request);
  }

  /** Refuses (`forbidden`) a request whose `Origin` header names another site; none is fine (not a browser's CORS send). */
  checkOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const own = `${request.protocol}://${request.host}`;
    if (origin === own || origin === this.#publicOrigin) return;
    throw new AppError(
      'forbidden',
      `the CSRF check failed: requests from origin '${origin.slice(0, 200)}' are refused`,
    );
  }
}

function sameDigest(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
