/**
 * An HTTP app over the test application (`createTestApp`): API tokens minted directly through the verb as the
 * operator, and helpers to call the app with one of them.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueToken } from '../../src/features/access/tokens.verbs.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import type { OidcVerifier } from '../../src/http/auth/oidc-verifier.js';
import { buildApp, type BuildAppDeps } from '../../src/http/app.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../app/harness.js';
import type { DialectContext } from '../store/dialects.js';

export interface HttpTestApp extends TestApp {
  readonly http: FastifyInstance;
  /** A fresh 1h API token for an identity, minted by the operator. */
  tokenFor(identity: string, ttl?: string): Promise<string>;
  /** `inject` with a bearer token. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    token?: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
}

export interface HttpTestOptions extends TestAppOptions {
  readonly oidc?: OidcVerifier;
  readonly build?: Partial<Omit<BuildAppDeps, 'app' | 'auth'>>;
}

export async function createHttpTestApp(ctx: DialectContext, options: HttpTestOptions = {}): Promise<HttpTestApp> {
  const testApp = await createTestApp(ctx, options);
  const http = buildApp({
    app: testApp.app,
    auth: new BearerAuthenticator(testApp.app, options.oidc),
    ready: () => true,
    ...options.build,
  });
  await http.ready();
  return {
    ...testApp,
    http,
    async tokenFor(identity, ttl = '1h') {
      const issued = await issueToken({ app: testApp.app, actor: SYSTEM_OPERATOR, input: { identity, ttl } });
      return issued.token;
    },
    call(method, url, token, payload) {
      return http.inject({
        method,
        url,
        ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    },
  };
}
