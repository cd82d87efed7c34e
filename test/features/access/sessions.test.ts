/**
 * The sign-in tables on both dialects (migration 0018): a pending OIDC login is taken once and not after it
 * expired, offboarding ends an identity's open sessions, and the listing judges sessions at the current instant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disableIdentity,
  listSessions,
  savePendingOidcLogin,
  signInWithToken,
  takePendingOidcLogin,
} from '../../../src/features/access/index.js';
import { issueToken } from '../../../src/features/access/tokens.verbs.js';
import { SYSTEM_OPERATOR } from '../../../src/policy/model.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { describeEachDialect } from '../../store/dialects.js';

const PENDING = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/inbox' };

describeEachDialect('sign-in store', (ctx) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(ctx);
  });

  async function sessionFor(identity: string) {
    const { token } = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity, ttl: '8h' } });
    return signInWithToken({ app: t.app, token, clientAddress: '192.0.2.1' });
  }

  describe('pending OIDC logins', () => {
    it('a pending login is taken once', async () => {
      const now = t.clock.now();
      await savePendingOidcLogin(ctx.database.db, 'hash-once', PENDING, now, now + 600_000);
      expect(await takePendingOidcLogin(ctx.database.db, 'hash-once', now)).toEqual(PENDING);
      expect(await takePendingOidcLogin(ctx.database.db, 'hash-once', now)).toBeUndefined();
    });

    it('an expired pending login is not given out, and later saves sweep it away', async () => {
      const now = t.clock.now();
      await savePendingOidcLogin(ctx.database.db, 'hash-late', PENDING, now, now + 600_000);
      expect(await takePendingOidcLogin(ctx.database.db, 'hash-late', now + 600_000)).toBeUndefined();
      await savePendingOidcLogin(ctx.database.db, 'hash-stale', PENDING, now, now + 1000);
      await savePendingOidcLogin(ctx.database.db, 'hash-new', PENDING, now + 1000, now + 601_000);
      const left = await ctx.database.db.selectFrom('oidc_logins').select('id_hash').execute();
      expect(left.map((row) => row.id_hash)).not.toContain('hash-stale');
    });
  });

  it('offboarding an identity ends its open sessions', async () => {
    const started = await sessionFor('dan');
    expect((await listSessions({ app: t.app, actor: 'dan', input: {} })).map((s) => s.id)).toContain(started.sessionId);
    await disableIdentity({ app: t.app, actor: 'peggy', input: { identity: 'dan', reason: 'left' } });
    const row = await ctx.database.db
      .selectFrom('console_sessions')
      .select(['ended_at', 'ended_reason'])
      .where('id', '=', started.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.ended_reason).toBe('offboarded');
    expect(Number(row.ended_at)).toBe(t.clock.now());
    expect(await listSessions({ app: t.app, actor: 'dan', input: {} })).toEqual([]);
  });

  it('a session idle past its timeout is no longer listed', async () => {
    const started = await sessionFor('carol');
    t.clock.advance(31 * 60_000);
    const listed = await listSessions({ app: t.app, actor: 'carol', input: {} });
    expect(listed.map((s) => s.id)).not.toContain(started.sessionId);
  });
});
