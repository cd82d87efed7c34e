/**
 * Who is calling: `Authorization: Bearer cs_…` is an API token, any other bearer is tried as an OIDC JWT
 * (when an issuer is configured). OIDC claims are mapped to an identity by `sub` (against the identity's
 * `subject`) first; only when no identity has that subject, by the verified e-mail address (`email_verified:
 * true`), and then only to an identity that has no `subject` and opted in with `emailLogin: true`. Disabled or
 * unknown identities authenticate nobody (the mapping is `identityForOidcClaims`, shared with the console's OIDC
 * sign-in). A browser's session cookie is authenticated by `SessionAuthenticator` instead, when no
 * `Authorization` header came (the guard decides which).
 */
import type { AppContext } from '../../app/context.js';
import type { ChangeEvent } from '../../app/change-events.js';
import { identityForOidcClaims, verifyToken } from '../../features/access/index.js';
import { AppError } from '../../core/errors.js';
import { TOKEN_PREFIX } from '../../features/access/index.js';
import type { OidcVerifier } from './oidc-verifier.js';
import { syncClaimedGroups } from './oidc-groups.js';

export interface Principal {
  readonly identity: string;
  /** `session`: a web-console session cookie (`SessionAuthenticator`); `session` says how it signed in. */
  readonly method: 'api_token' | 'oidc' | 'session';
  /** The API token used: the bearer (`api_token`), or the one a session was signed in with. */
  readonly tokenId?: string;
  /** Who minted that API token: one principal with `identity` while it acts with the token (SPEC §2.4). */
  readonly mintedBy?: string;
  /** When the credential stops being valid (epoch ms): checked on every request, cached or not. */
  readonly expiresAt?: number;
  /** Groups named by the OIDC token; duties come from groups in the policy snapshot (directory groups included). */
  readonly groups?: readonly string[];
  /** The browser session, for `method: 'session'`: its public id, how it signed in, and its CSRF token. */
  readonly session?: {
    readonly id: string;
    readonly signedInWith: 'api_token' | 'oidc' | 'login_link';
    readonly csrfToken: string;
  };
}

export interface Authenticator {
  /** The principal of an `Authorization` header value; `unauthenticated` when there is none or it fails. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /**
   * Told what a transaction of this process committed (the app's change feed), to drop what it remembers of a
   * revoked token or a disabled identity; caches only.
   */
  changed?(changes: readonly ChangeEvent[]): void;
}

const MAX_CREDENTIAL_LENGTH = 8192;

export class BearerAuthenticator implements Authenticator {
  constructor(
    private readonly app: AppContext,
    private readonly oidc?: OidcVerifier,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new AppError('unauthenticated', 'this needs a bearer token: an API token (cs_…) or an OIDC token');
    }
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    const credential = match?.[1];
    if (credential === undefined || credential.length > MAX_CREDENTIAL_LENGTH) {
      throw new AppError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
    }
    if (credential.startsWith(TOKEN_PREFIX)) {
      const verified = await verifyToken({ app: this.app, token: credential });
      return {
        identity: verified.identity,
        method: 'api_token',
        tokenId: verified.tokenId,
        mintedBy: verified.mintedBy,
        expiresAt: verified.expiresAt,
      };
    }
    if (!this.oidc) throw new AppError('unauthenticated', 'the bearer token is not an API token (cs_…)');
    const claims = await this.oidc.verify(credential);
    const identity = await identityForOidcClaims(this.app, claims.subject, claims.email);
    await syncClaimedGroups(this.app, identity, claims);
    return { identity, method: 'oidc', ...(claims.groups ? { groups: claims.groups } : {}) };
  }
}
