/**
 * The console's OIDC relying party (issue 12): the authorization code flow with PKCE (S256), `state` and `nonce`,
 * done by `openid-client` (discovery, the authorization URL, the code exchange and its checks). The ID token it
 * returns is then verified once more by the API's own `OidcVerifier` (jose: issuer, audience = client id,
 * algorithms, expiry), so a console sign-in accepts exactly the tokens the API would. Plain-http issuers are
 * allowed only on a loopback address (a test or a local issuer), never elsewhere.
 */
import * as oidc from 'openid-client';
import type { OidcClaims, OidcVerifier } from './oidc-verifier.js';

export interface OidcLoginOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** Left out for a public client (PKCE only, no client authentication). */
  readonly clientSecret?: string;
  /** `${--public-url}/auth/oidc/callback`, registered at the issuer. */
  readonly redirectUri: string;
  /** Verifies the ID token: its audience must be the client id. */
  readonly verifier: OidcVerifier;
}

/** What must be kept server-side between the redirect to the issuer and the callback. */
export interface OidcLoginStart {
  readonly authorizationUrl: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** Why a callback failed, as the code the sign-in page shows (never the issuer's text). */
export type OidcLoginFailure = 'issuer_refused' | 'state_mismatch' | 'token_refused';

export class OidcLoginError extends Error {
  constructor(readonly code: OidcLoginFailure) {
    super(`OIDC sign-in failed: ${code}`);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class OidcLogin {
  readonly #options: OidcLoginOptions;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(options: OidcLoginOptions) {
    this.#options = options;
  }

  /** A fresh authorization URL and the secrets the callback will be checked against. */
  async begin(): Promise<OidcLoginStart> {
    const configuration = await this.#discover();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#options.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href, state, nonce, codeVerifier };
  }

  /**
   * Finishes a login: the callback's query (`?code=…&state=…`) is checked against what `begin` made, the code
   * exchanged (PKCE verifier, nonce), and the ID token verified by the API's verifier. Throws `OidcLoginError`.
   */
  async finish(callbackQuery: string, pending: Omit<OidcLoginStart, 'authorizationUrl'>): Promise<OidcClaims> {
    const currentUrl = new URL(this.#options.redirectUri);
    currentUrl.search = callbackQuery;
    if (currentUrl.searchParams.has('error')) throw new OidcLoginError('issuer_refused');
    if (currentUrl.searchParams.get('state') !== pending.state) throw new OidcLoginError('state_mismatch');
    const configuration = await this.#discover();
    let idToken: string | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      idToken = tokens.id_token;
    } catch {
      throw new OidcLoginError('token_refused');
    }
    if (idToken === undefined) throw new OidcLoginError('token_refused');
    try {
      return await this.#options.verifier.verify(idToken);
    } catch {
      throw new OidcLoginError('token_refused');
    }
  }

  /** Discovery once; a failure is not remembered, so a later sign-in tries again. */
  #discover(): Promise<oidc.Configuration> {
    if (this.#configuration === undefined) {
      const { issuer, clientId, clientSecret } = this.#options;
      const url = new URL(issuer);
      const insecureLoopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.host.replace(/:\d+$/, ''));
      const discovered = oidc.discovery(
        url,
        clientId,
        undefined,
        clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(clientSecret),
        insecureLoopback ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      this.#configuration = discovered;
      discovered.catch(() => {
        if (this.#configuration === discovered) this.#configuration = undefined;
      });
    }
    return this.#configuration;
  }
}
