/**
 * OIDC bearer tokens (ID tokens or JWT access tokens): the signature is checked against the issuer's JWKS
 * (fetched and cached by jose, found through the issuer's discovery document unless configured), and the
 * issuer, audience, algorithm, expiry and not-before are enforced with a small clock tolerance. The result is
 * the claims Countersign maps to an identity; which identity is the `Authenticator`'s job.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';

export interface OidcConfig {
  /** The expected `iss`, exactly as the issuer writes it. */
  readonly issuer: string;
  /** The expected `aud` (one of them, when the token lists several). */
  readonly audience: string;
  /** The JWKS URL; discovered from `${issuer}/.well-known/openid-configuration` when left out. */
  readonly jwksUri?: string;
  /** Signature algorithms accepted (default RS256, PS256, ES256, EdDSA); `none` and HMAC never are. */
  readonly algorithms?: readonly string[];
  readonly clockToleranceSeconds?: number;
  /** Claim holding the e-mail address (default `email`). */
  readonly emailClaim?: string;
  /** Claim holding group names: information only, unless `syncGroups` feeds them to directory groups. */
  readonly groupsClaim?: string;
  /**
   * Opt-in (`--oidc-sync-groups`): the groups claim's values that name directory groups (SCIM-provisioned) become
   * the identity's memberships of them at sign-in and bearer use (`features/directory/oidc-groups.verbs.ts`).
   */
  readonly syncGroups?: boolean;
}

export interface OidcClaims {
  readonly issuer: string;
  readonly subject: string;
  /** Set only when the token says `email_verified: true`. */
  readonly email?: string;
  readonly groups?: readonly string[];
  /** Set when this issuer's groups claim feeds directory groups and the token carries the claim. */
  readonly syncGroups?: boolean;
  readonly expiresAt: number;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const FORBIDDEN_ALGORITHMS = new Set(['none', 'HS256', 'HS384', 'HS512']);

export class OidcVerifier {
  readonly #config: OidcConfig;
  readonly #clock: Clock;
  readonly #algorithms: string[];
  #jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  constructor(config: OidcConfig, clock: Clock) {
    this.#config = config;
    this.#clock = clock;
    this.#algorithms = [...(config.algorithms ?? DEFAULT_ALGORITHMS)];
    const bad = this.#algorithms.filter((alg) => FORBIDDEN_ALGORITHMS.has(alg));
    if (bad.length > 0) throw new AppError('invalid', `OIDC algorithms ${bad.join(', ')} are not allowed`);
  }

  /** Verifies a JWT; any failure is `unauthenticated` with a reason that names no secret. */
  async verify(jwt: string): Promise<OidcClaims> {
    const jwks = await this.#keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, jwks, {
        issuer: this.#config.issuer,
        audience: this.#config.audience,
        algorithms: this.#algorithms,
        clockTolerance: this.#config.clockToleranceSeconds ?? 30,
        currentDate: new Date(this.#clock.now()),
        requiredClaims: ['exp', 'sub', 'iss', 'aud'],
      }));
    } catch (error) {
      throw new AppError('unauthenticated', `the OIDC token was refused: ${describeJoseError(error)}`);
    }
    const emailClaim = payload[this.#config.emailClaim ?? 'email'];
    const groupsClaim = this.#config.groupsClaim === undefined ? undefined : payload[this.#config.groupsClaim];
    // Only an address the issuer says it verified, as the boolean `true` (not "true", not absent).
    const emailUsable = typeof emailClaim === 'string' && payload.email_verified === true;
    return {
      issuer: this.#config.issuer,
      subject: payload.sub ?? '',
      ...(emailUsable ? { email: emailClaim } : {}),
      ...(Array.isArray(groupsClaim) ? { groups: groupsClaim.filter((g) => typeof g === 'string') } : {}),
      ...(Array.isArray(groupsClaim) && this.#config.syncGroups === true ? { syncGroups: true } : {}),
      expiresAt: (payload.exp ?? 0) * 1000,
    };
  }

  #keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.#jwks ??= this.#discover().catch((error: unknown) => {
      this.#jwks = undefined; // try discovery again on the next request
      throw error;
    });
    return this.#jwks;
  }

  async #discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.#config.jwksUri !== undefined) return createRemoteJWKSet(new URL(this.#config.jwksUri));
    const url = `${this.#config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let jwksUri: unknown;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`status ${response.status}`);
      jwksUri = ((await response.json()) as { jwks_uri?: unknown }).jwks_uri;
    } catch {
      throw new AppError('unauthenticated', 'the OIDC issuer could not be reached to check the token');
    }
    if (typeof jwksUri !== 'string') {
      throw new AppError('unauthenticated', 'the OIDC issuer publishes no jwks_uri');
    }
    return createRemoteJWKSet(new URL(jwksUri));
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim '${error.claim}' is not as expected`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches it';
  if (error instanceof errors.JWKSTimeout) return 'the issuer did not answer in time';
  if (error instanceof errors.JOSEError) return 'it is not a valid JWT';
  return 'it could not be checked';
}
