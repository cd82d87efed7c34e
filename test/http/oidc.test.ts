/**
 * OIDC against a real issuer on loopback: `oidc-provider` runs in the test on 127.0.0.1 with a random port and
 * mints JWT access tokens through the client-credentials grant with a resource indicator (RFC 8707), signed
 * with a fresh RS256 key published at its JWKS endpoint. Countersign discovers the JWKS from the issuer's
 * discovery document and verifies the tokens as it would in production.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { OidcVerifier, type OidcConfig } from '../../src/http/auth/oidc-verifier.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const AUDIENCE = 'https://countersign.test/api';
const DEPLOY_BOT_SUBJECT = 'repo:acmepay/payments-api:ref:refs/heads/main';
const SECRET = 'a-client-secret-long-enough-for-tests';
const TOKEN_TTL_SECONDS = 300;

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
    clients: [client(DEPLOY_BOT_SUBJECT), client('alice-laptop'), client('stranger')],
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
          accessTokenTTL: TOKEN_TTL_SECONDS,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) =>
      'clientId' in token && token.clientId === 'alice-laptop'
        ? { email: 'alice@acmepay.example', email_verified: true, groups: ['payments'] }
        : undefined,
  });
  handler = provider.callback();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function accessToken(clientId: string, resource = AUDIENCE): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: SECRET,
      resource,
      scope: 'api',
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`the issuer gave no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

describeEachDialect('OIDC authentication against a real issuer', (ctx) => {
  let t: HttpTestApp;
  let clock: ManualClock;
  const config = (): OidcConfig => ({ issuer, audience: AUDIENCE, groupsClaim: 'groups' });

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    t = await createHttpTestApp(ctx, { clock, oidc: new OidcVerifier(config(), clock) });
  });

  it('a workload token maps to the NHI whose subject it carries', async () => {
    const token = await accessToken(DEPLOY_BOT_SUBJECT);
    expect(token.split('.')).toHaveLength(3);
    const response = await t.call('GET', '/v1/me', token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ identity: 'deploy-bot', kind: 'pipeline', authenticatedWith: 'oidc' });
  });

  it('a token carrying a verified e-mail address maps to the identity with that address', async () => {
    const response = await t.call('GET', '/v1/me', await accessToken('alice-laptop'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ identity: 'alice', authenticatedWith: 'oidc' });
  });

  it('a valid token that names no identity is refused', async () => {
    const response = await t.call('GET', '/v1/me', await accessToken('stranger'));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      code: 'unauthenticated',
      detail: 'the OIDC token names no known identity',
    });
  });

  it('an expired token is refused', async () => {
    const token = await accessToken(DEPLOY_BOT_SUBJECT);
    const later = new ManualClock(Date.now() + (TOKEN_TTL_SECONDS + 31) * 1000);
    const app = await createHttpTestApp(ctx, { clock: later, oidc: new OidcVerifier(config(), later) });
    const response = await app.call('GET', '/v1/me', token);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'unauthenticated',
      detail: 'the OIDC token was refused: it has expired',
    });
  });

  it('a token for another audience is refused', async () => {
    const response = await t.call('GET', '/v1/me', await accessToken(DEPLOY_BOT_SUBJECT, 'https://other.example/api'));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: "the OIDC token was refused: claim 'aud' is not as expected" });
  });

  it('a token from another issuer is refused', async () => {
    const token = await accessToken(DEPLOY_BOT_SUBJECT);
    const verifier = new OidcVerifier(
      { ...config(), issuer: 'https://login.other.example', jwksUri: `${issuer}/jwks` },
      clock,
    );
    const app = await createHttpTestApp(ctx, { clock, oidc: verifier });
    const response = await app.call('GET', '/v1/me', token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: "the OIDC token was refused: claim 'iss' is not as expected" });
  });

  it('a tampered token is refused', async () => {
    const [header, payload, signature] = (await accessToken('alice-laptop')).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'peggy@acmepay.example' })).toString('base64url');
    const response = await t.call('GET', '/v1/me', `${header}.${forged}.${signature}`);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'the OIDC token was refused: its signature does not verify' });
  });

  it('an unsigned token is refused', async () => {
    const [, payload] = (await accessToken('alice-laptop')).split('.') as [string, string];
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const response = await t.call('GET', '/v1/me', `${none}.${payload}.`);
    expect(response.statusCode).toBe(401);
  });
});
