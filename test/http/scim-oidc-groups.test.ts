/**
 * OIDC `groups` claims feeding directory groups (`--oidc-sync-groups`): a bearer OIDC token's groups that name a
 * directory group (by its displayName or its externalId, as Entra ID's object ids) become the identity's
 * memberships, audited; a group the policy files define and an unknown group are ignored; a token without the
 * claim changes nothing. The issuer is a local JWKS endpoint on loopback with a fresh RS256 key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { OidcVerifier } from '../../src/http/auth/oidc-verifier.js';
import { TEST_START } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { GROUP, scimClient, USER, type ScimClient } from './scim-fixtures.js';

const AUDIENCE = 'https://countersign.test/api';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let server: Server;
let issuer: string;

beforeAll(async () => {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describeEachDialect('OIDC groups claims feed directory groups', (ctx) => {
  let t: HttpTestApp;
  let scim: ScimClient;
  beforeAll(async () => {
    const clock = new ManualClock(TEST_START);
    const oidc = new OidcVerifier(
      { issuer, audience: AUDIENCE, jwksUri: `${issuer}/jwks`, groupsClaim: 'groups', syncGroups: true },
      clock,
    );
    t = await createHttpTestApp(ctx, { clock, oidc });
    scim = await scimClient(t, 'entra');
    expect((await scim.call('POST', '/Users', { schemas: [USER], userName: 'sam@contoso.example' })).statusCode).toBe(
      201,
    );
    const readers = await scim.call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Readers',
      externalId: '0b1c-readers',
    });
    expect(readers.statusCode).toBe(201);
    expect((await scim.call('POST', '/Groups', { schemas: [GROUP], displayName: 'Writers' })).statusCode).toBe(201);
  });

  async function tokenWith(groups?: readonly string[]): Promise<string> {
    const now = Math.floor(t.clock.now() / 1000);
    return new SignJWT({ email: 'sam@contoso.example', email_verified: true, ...(groups ? { groups } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject('sam-object-id')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  }

  async function oidcGroupsOfSam(): Promise<string[]> {
    const rows = await t.app.database.db
      .selectFrom('group_memberships')
      .select('group_name')
      .where('identity', '=', 'sam')
      .where('source', '=', 'oidc')
      .orderBy('group_name')
      .execute();
    return rows.map((r) => r.group_name);
  }

  it("a SCIM-provisioned person signs in by verified e-mail and the claim's directory groups become theirs", async () => {
    const me = await t.call(
      'GET',
      '/v1/me',
      await tokenWith(['0b1c-readers', 'Writers', 'platform-admins', 'nobody-knows']),
    );
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ identity: 'sam' });
    expect(await oidcGroupsOfSam()).toEqual(['readers', 'writers']);
    const synced = (await t.auditEvents()).filter((e) => e.action === 'group.members_sync');
    expect(synced).toEqual([
      expect.objectContaining({
        actor: `oidc:${new URL(issuer).host}`,
        subject: 'identity:sam',
        details: expect.objectContaining({ added: ['readers', 'writers'], removed: [] }),
      }),
    ]);
  });

  it('a token without the claim changes nothing, and one without a group takes it away', async () => {
    expect((await t.call('GET', '/v1/me', await tokenWith())).statusCode).toBe(200);
    expect(await oidcGroupsOfSam()).toEqual(['readers', 'writers']);
    expect((await t.call('GET', '/v1/me', await tokenWith(['Writers']))).statusCode).toBe(200);
    expect(await oidcGroupsOfSam()).toEqual(['writers']);
  });
});
