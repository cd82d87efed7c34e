/**
 * Issue #9 item 10: an OIDC e-mail claim is used only when `email_verified` is the boolean `true`, never for an
 * identity bound to a `subject`, and only for an identity that opted in with `emailLogin: true`. An account at
 * the issuer that merely carries someone's address (unverified, or verified but with an unknown `sub`) does not
 * become that identity. A real `oidc-provider` on loopback mints the tokens; Countersign verifies them as it
 * would in production.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { OidcVerifier } from '../../src/http/auth/oidc-verifier.js';
import { human, makePolicy } from '../factories/policy.factory.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const AUDIENCE = 'https://countersign.test/api';
const SECRET = 'a-client-secret-long-enough-for-tests';

/** The claims each client's tokens carry besides `sub` (the client id). */
const CLAIMS: Record<string, Record<string, unknown>> = {
  'rita-verified': { email: 'rita@example.test', email_verified: true },
  'rita-unverified': { email: 'rita@example.test' },
  'rita-string-verified': { email: 'rita@example.test', email_verified: 'true' },
  'sam-verified': { email: 'sam@example.test', email_verified: true },
  'tess-verified': { email: 'tess@example.test', email_verified: true },
  'tess-sub': {},
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
  const client = (clientId: string): ClientMetadata => ({
    client_id: clientId,
    client_secret: SECRET,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_post',
  });
  const provider = new Provider(issuer, {
    clients: Object.keys(CLAIMS).map(client),
    jwks: { keys: [jwk] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) =>
      'clientId' in token && typeof token.clientId === 'string' ? CLAIMS[token.clientId] : undefined,
  });
  handler = provider.callback();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function accessToken(clientId: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: SECRET,
      resource: AUDIENCE,
      scope: 'api',
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the issuer gave no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

const policy = makePolicy({
  identities: [
    // rita opted in to e-mail login; sam did not; tess is bound to her subject.
    human('rita', [], { email: 'rita@example.test', emailLogin: true }),
    human('sam', [], { email: 'sam@example.test' }),
    human('tess', [], { email: 'tess@example.test', subject: 'tess-sub', emailLogin: true }),
  ],
});

describeEachDialect('OIDC e-mail claims map to an identity only when verified and opted in', (ctx) => {
  let t: HttpTestApp;

  beforeAll(async () => {
    const clock = new ManualClock(Date.now());
    t = await createHttpTestApp(ctx, { clock, policy, oidc: new OidcVerifier({ issuer, audience: AUDIENCE }, clock) });
  });

  const me = async (client: string) => t.call('GET', '/v1/me', await accessToken(client));

  it('a verified e-mail logs in as the identity that opted in to e-mail login', async () => {
    const response = await me('rita-verified');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ identity: 'rita' });
  });

  it('an e-mail claim without email_verified logs in as nobody', async () => {
    expect((await me('rita-unverified')).statusCode).toBe(401);
  });

  it('email_verified must be the boolean true, not the string "true"', async () => {
    expect((await me('rita-string-verified')).statusCode).toBe(401);
  });

  it('an unknown sub with the verified e-mail of an identity that did not opt in logs in as nobody', async () => {
    expect((await me('sam-verified')).statusCode).toBe(401);
  });

  it('an identity bound to a subject is never reached by e-mail, only by its subject', async () => {
    expect((await me('tess-verified')).statusCode).toBe(401);
    const bySubject = await me('tess-sub');
    expect(bySubject.statusCode).toBe(200);
    expect(bySubject.json()).toMatchObject({ identity: 'tess' });
  });
});
