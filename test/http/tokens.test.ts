import { beforeAll, expect, it } from 'vitest';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const HOUR_MS = 3_600_000;

describeEachDialect('API tokens over HTTP', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('a human mints its own token, which then authenticates it; the audit event names the prefix, never the token', async () => {
    const bootstrap = await t.tokenFor('bob');
    const response = await t.call('POST', '/v1/tokens', bootstrap, { ttl: '2h', description: 'laptop' });
    expect(response.statusCode).toBe(201);
    const issued = response.json<{ id: string; token: string; prefix: string; identity: string; expiresAt: string }>();
    expect(issued.token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(issued.token.startsWith(issued.prefix)).toBe(true);
    expect(issued).toMatchObject({ identity: 'bob', expiresAt: new Date(t.clock.now() + 2 * HOUR_MS).toISOString() });
    const me = await t.call('GET', '/v1/me', issued.token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ identity: 'bob', kind: 'human', authenticatedWith: 'api_token' });
    const events = (await t.auditEvents()).filter((e) => e.action === 'token.issue' && e.details.tokenId === issued.id);
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'bob',
        subject: 'identity:bob',
        details: expect.objectContaining({ prefix: issued.prefix }),
      }),
    ]);
    expect(JSON.stringify(await t.auditEvents())).not.toContain(issued.token);
  });

  it('stores only the SHA-256 of a token', async () => {
    const token = await t.tokenFor('carol');
    const rows = await ctx.database.db
      .selectFrom('api_tokens')
      .select(['hash'])
      .where('identity', '=', 'carol')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token.slice(3));
  });

  it('a human may not mint a token longer than 12h, nor one for somebody else', async () => {
    const alice = await t.tokenFor('alice');
    const long = await t.call('POST', '/v1/tokens', alice, { ttl: '13h' });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      code: 'invalid',
      detail: "a token for human identity 'alice' lasts at most 12h",
    });
    const other = await t.call('POST', '/v1/tokens', alice, { identity: 'bob' });
    expect(other.statusCode).toBe(403);
    const refused = (await t.auditEvents()).filter((e) => e.action === 'token.issue_refused' && e.actor === 'alice');
    expect(refused.map((e) => e.subject)).toEqual(['identity:alice', 'identity:bob']);
  });

  it('an NHI token is minted only by its owner, for at most 30 days', async () => {
    const peggy = await t.tokenFor('peggy');
    const judy = await t.tokenFor('judy');
    expect((await t.call('POST', '/v1/tokens', peggy, { identity: 'deploy-bot', ttl: '1d' })).statusCode).toBe(403);
    expect((await t.call('POST', '/v1/tokens', judy, { identity: 'deploy-bot', ttl: '31d' })).statusCode).toBe(400);
    const minted = await t.call('POST', '/v1/tokens', judy, { identity: 'deploy-bot', ttl: '30d' });
    expect(minted.statusCode).toBe(201);
    const botToken = minted.json<{ token: string }>().token;
    expect((await t.call('GET', '/v1/me', botToken)).json()).toMatchObject({
      identity: 'deploy-bot',
      kind: 'pipeline',
    });
    // An NHI may not prolong its own life.
    expect((await t.call('POST', '/v1/tokens', botToken, {})).statusCode).toBe(403);
  });

  it('lists only the caller’s own tokens, as metadata', async () => {
    const first = await t.tokenFor('erin');
    await t.tokenFor('erin');
    await t.tokenFor('frank');
    const response = await t.call('GET', '/v1/tokens', first);
    expect(response.statusCode).toBe(200);
    const { tokens } = response.json<{ tokens: Record<string, unknown>[] }>();
    expect(tokens).toHaveLength(2);
    expect(tokens.every((token) => token.identity === 'erin')).toBe(true);
    expect(Object.keys(tokens[0] ?? {}).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'description',
        'expiresAt',
        'id',
        'identity',
        'lastUsedAt',
        'prefix',
        'revokedAt',
      ].sort(),
    );
  });

  it('a revoked token authenticates nobody, and someone else’s token cannot be revoked', async () => {
    const grace = await t.tokenFor('grace');
    const heidi = await t.tokenFor('heidi');
    const { tokens } = (await t.call('GET', '/v1/tokens', grace)).json<{ tokens: { id: string }[] }>();
    const id = tokens[0]?.id ?? '';
    expect((await t.call('DELETE', `/v1/tokens/${id}`, heidi)).statusCode).toBe(404);
    const revoked = await t.call('DELETE', `/v1/tokens/${id}`, grace);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id });
    const me = await t.call('GET', '/v1/me', grace);
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ code: 'unauthenticated' });
    const events = (await t.auditEvents()).filter((e) => e.action === 'token.revoke');
    expect(events).toEqual([
      expect.objectContaining({ actor: 'grace', details: expect.objectContaining({ tokenId: id }) }),
    ]);
  });

  it('an expired token authenticates nobody', async () => {
    const token = await t.tokenFor('ivan', '1h');
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(200);
    t.clock.advance(HOUR_MS);
    const response = await t.call('GET', '/v1/me', token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'the API token has expired' });
  });

  it('a disabled identity’s tokens stop working at once', async () => {
    const token = await t.tokenFor('ken');
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(200);
    await disableIdentity({ app: t.app, actor: 'peggy', input: { identity: 'ken' } });
    expect((await t.call('GET', '/v1/me', token)).statusCode).toBe(401);
  });

  it('refuses malformed and foreign bearer values', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer cs_short', `Bearer cs_${'x'.repeat(43)}`]) {
      const response = await t.http.inject({ url: '/v1/me', headers: { authorization: header } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });
});
