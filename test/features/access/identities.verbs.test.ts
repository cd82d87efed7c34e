/** Offboarding through `disableIdentity`: one audited step, on both dialects. */
import { expect, it } from 'vitest';
import { disableIdentity } from '../../../src/features/access/identities.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { grantRow, newId, requestRow } from '../../store/factories.js';
import { createTestApp } from '../../app/harness.js';

describeEachDialect('disabling an identity', (ctx) => {
  it('cancels open requests, revokes grants and tokens, flags owned NHIs, and audits it as one event', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const db = app.database.db;
    const now = clock.now();
    const pending = requestRow({ requester: 'erin', status: 'pending', created_at: now, updated_at: now });
    const approved = requestRow({ requester: 'erin', status: 'approved', created_at: now, updated_at: now });
    const active = requestRow({ requester: 'erin', status: 'active', created_at: now, updated_at: now });
    await db.insertInto('requests').values([pending, approved, active]).execute();
    const grant = grantRow(active.id, {
      identity: 'erin',
      created_at: now,
      updated_at: now,
      expires_at: now + 3_600_000,
    });
    await db.insertInto('grants').values(grant).execute();
    await db
      .insertInto('api_tokens')
      .values({
        id: newId('tok'),
        identity: 'erin',
        hash: newId('h'),
        prefix: 'cs_',
        expires_at: now + 86_400_000,
        created_at: now,
        created_by: 'erin',
      })
      .execute();

    const result = await disableIdentity({
      app,
      actor: 'peggy',
      input: { identity: 'erin', reason: 'left the company' },
    });

    expect(result.cancelledRequests).toEqual([pending.id, approved.id].sort());
    expect(result.revokedGrants).toEqual([grant.id]);
    expect(result.revokedTokens).toBe(1);
    expect(result.flaggedIdentities).toEqual(['backup-service']);
    const erin = await db.selectFrom('identities').selectAll().where('name', '=', 'erin').executeTakeFirstOrThrow();
    expect(erin).toMatchObject({ disabled_at: now, disabled_by: 'peggy' });
    const statuses = await db.selectFrom('requests').select(['id', 'status']).where('requester', '=', 'erin').execute();
    expect(new Map(statuses.map((r) => [r.id, r.status]))).toEqual(
      new Map([
        [pending.id, 'cancelled'],
        [approved.id, 'cancelled'],
        [active.id, 'revoked'],
      ]),
    );
    const stored = await db.selectFrom('grants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('revoked');
    const token = await db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('identity', '=', 'erin')
      .executeTakeFirstOrThrow();
    expect(token.revoked_at).toBe(now);
    const bot = await db
      .selectFrom('identities')
      .selectAll()
      .where('name', '=', 'backup-service')
      .executeTakeFirstOrThrow();
    expect(bot.flagged_at).toBe(now);
    expect(bot.flagged_reason).toContain("'erin'");

    const snapshot = await db.transaction().execute((trx) => app.policy.snapshot(trx, clock.now()));
    expect(snapshot.policy.identities.get('erin')?.disabled).toBe(true);
    expect(snapshot.duties.holdingsOf('erin')).toEqual([]);

    const events = await auditEvents();
    const disable = events.filter((e) => e.action === 'identity.disable');
    expect(disable).toHaveLength(1);
    expect(disable[0]).toMatchObject({
      actor: 'peggy',
      subject: 'identity:erin',
      details: {
        cancelledRequests: result.cancelledRequests,
        revokedGrants: [grant.id],
        flaggedIdentities: ['backup-service'],
      },
    });
    expect(events.some((e) => e.action === 'grant.revoke' || e.subject === `grant:${grant.id}`)).toBe(true);
  });

  it('refuses an identity that would disable itself, and logs the refusal', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    await expect(disableIdentity({ app, actor: 'victor', input: { identity: 'victor' } })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const events = await auditEvents();
    expect(events).toEqual([
      expect.objectContaining({ action: 'identity.disable_refused', actor: 'victor', subject: 'identity:victor' }),
    ]);
    const victor = await app.database.db
      .selectFrom('identities')
      .select('disabled_at')
      .where('name', '=', 'victor')
      .executeTakeFirstOrThrow();
    expect(victor.disabled_at).toBeNull();
  });

  it.each([
    ['bob', 'alice', 'forbidden'],
    ['peggy', 'nobody-by-that-name', 'not_found'],
  ])('%s disabling %s is refused with %s', async (actor, identity, code) => {
    const { app, auditEvents } = await createTestApp(ctx);
    await expect(disableIdentity({ app, actor, input: { identity } })).rejects.toMatchObject({ code });
    expect((await auditEvents()).map((e) => e.action)).toEqual(['identity.disable_refused']);
  });

  it('disabling an identity twice is a conflict', async () => {
    const { app } = await createTestApp(ctx);
    await disableIdentity({ app, actor: 'peggy', input: { identity: 'frank' } });
    await expect(disableIdentity({ app, actor: 'peggy', input: { identity: 'frank' } })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
