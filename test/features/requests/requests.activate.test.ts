import { expect, it } from 'vitest';
import {
  activateRequest,
  approveRequest,
  cancelRequest,
  completeRequest,
  createRequest,
  executeRequest,
  revokeRequest,
} from '../../../src/features/requests/requests.verbs.js';
import type { AppContext } from '../../../src/app/context.js';
import { recordObservation } from '../../../src/features/resources/resources.verbs.js';
import type { Identity } from '../../../src/policy/model.js';
import { NoopProvider } from '../../../src/providers/noop/noop-provider.js';
import { describeEachDialect } from '../../store/dialects.js';
import { CredentialProvider, FaultyProvider } from '../../app/faulty-provider.js';
import { createTestApp } from '../../app/harness.js';
import { activateRole } from '../access/role-activation-fixtures.js';
import { as, refusal, everyType, eventsOf, PROD_ADMIN, PROD_WRITE, SHORT_READ } from '../../app/requests-fixtures.js';

describeEachDialect('activating, executing and ending requests', (ctx) => {
  async function setup() {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    return { t, provider, app: t.app };
  }

  it('the requester activates an approved request: active until activation + duration, with a grant', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    t.clock.advance(5 * 60_000);
    const { request: active, credential } = await activateRequest(as(app, 'alice')({ id: request.id }));
    expect(credential).toBeUndefined();
    expect(active).toMatchObject({ status: 'active', activatedAt: new Date(t.clock.now()).toISOString() });
    expect(Date.parse(active.expiresAt ?? '')).toBe(t.clock.now() + 30 * 60_000);
    expect(active.grant).toMatchObject({ status: 'active', expiresAt: active.expiresAt });
    expect(provider.calls.grant).toBe(1);
    const stored = await ctx.database.db
      .selectFrom('requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ provisioner: 'system:executor', first_activated_at: t.clock.now() });
    const grant = await ctx.database.db
      .selectFrom('grants')
      .selectAll()
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(grant.handle ?? '{}')).toEqual({ noop: request.id });
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.activate', `request:${request.id}`)[0]).toMatchObject({
      actor: 'alice',
      details: { grantId: grant.id },
    });
    expect(eventsOf(events, 'grant.create', `grant:${grant.id}`)[0]).toMatchObject({ actor: 'system:executor' });
  });

  it('nobody but the requester activates, and a request activates once', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    expect((await refusal(activateRequest(as(app, 'bob')({ id: request.id })))).code).toBe('forbidden');
    await activateRequest(as(app, 'alice')({ id: request.id }));
    expect((await refusal(activateRequest(as(app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.calls.grant).toBe(1);
    expect(eventsOf(await t.auditEvents(), 'request.activate_refused').map((e) => e.actor)).toEqual(['bob', 'alice']);
  });

  it('activation after an approver lost their role is refused with the reason', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(PROD_WRITE));
    await approveRequest(as(app, 'erin')({ id: request.id }));
    const policy = t.runtime.loaded;
    const erin = policy.identities.get('erin') as Identity;
    const identities = new Map(policy.identities);
    identities.set('erin', { ...erin, groups: [] });
    t.runtime.replace({ ...policy, identities });
    const error = await refusal(activateRequest(as(app, 'alice')({ id: request.id })));
    expect(error.code).toBe('policy_denied');
    expect(JSON.stringify(error.details.reasons)).toContain('approval.no_longer_counts');
    expect(provider.calls.grant).toBe(0);
    const [logged] = eventsOf(await t.auditEvents(), 'request.activate_refused', `request:${request.id}`);
    expect(JSON.stringify(logged?.details.reasons)).toContain("the approval by 'erin' no longer counts");
  });

  it('the credential reaches the requester once and never the database or the audit log', async () => {
    const provider = new CredentialProvider();
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
    const { credential } = await activateRequest(as(t.app, 'alice')({ id: request.id }));
    const password = provider.issued[0] as string;
    expect(credential?.password).toBe(password);
    const db = ctx.database.db;
    const dumps = await Promise.all([
      db.selectFrom('requests').selectAll().execute(),
      db.selectFrom('grants').selectAll().execute(),
      db.selectFrom('audit_events').selectAll().execute(),
      db.selectFrom('outbox').selectAll().execute(),
      db.selectFrom('role_activations').selectAll().execute(),
    ]);
    expect(JSON.stringify(dumps)).not.toContain(password);
    expect(JSON.stringify(dumps)).toContain(`cs_${request.id}`);
  });

  it('an eligible DBA asks for the dba-admin role first; activating the admin grant switches no role on', async () => {
    const { t, app } = await setup();
    expect((await refusal(createRequest(as(app, 'erin')(PROD_ADMIN)))).code).toBe('forbidden');
    const role = await activateRole(app, 'erin', 'dba-admin', 'frank');
    const request = await createRequest(as(app, 'erin')(PROD_ADMIN));
    await approveRequest(as(app, 'frank')({ id: request.id }));
    await approveRequest(as(app, 'grace')({ id: request.id }));
    await approveRequest(as(app, 'heidi')({ id: request.id }));
    await activateRequest(as(app, 'erin')({ id: request.id }));
    const activations = await ctx.database.db
      .selectFrom('role_activations')
      .select(['identity', 'role', 'request_id'])
      .where('identity', '=', 'erin')
      .execute();
    expect(activations).toEqual([{ identity: 'erin', role: 'dba-admin', request_id: role.id }]);
    expect(eventsOf(await t.auditEvents(), 'request.activate')[0]?.details).not.toHaveProperty('activatesRole');
  });

  it('a provider that fails to grant leaves the request approved and the failure logged', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    provider.failNext('grant');
    expect((await refusal(activateRequest(as(app, 'alice')({ id: request.id })))).code).toBe('provider_failed');
    const row = await ctx.database.db
      .selectFrom('requests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect(eventsOf(await t.auditEvents(), 'request.provision_failed')[0]).toMatchObject({ actor: 'alice' });
    const { request: active } = await activateRequest(as(app, 'alice')({ id: request.id }));
    expect(active.status).toBe('active');
  });

  it('a request cancelled while the provider grants is compensated by revoking the fresh grant', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    provider.during('grant', async () => {
      await cancelRequest(as(app, 'alice')({ id: request.id }));
    });
    expect((await refusal(activateRequest(as(app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.calls.revoke).toBe(1);
    expect(provider.revokedHandles).toEqual([{ noop: request.id }]);
    const grants = await ctx.database.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', request.id)
      .execute();
    expect(grants).toEqual([]);
    expect(eventsOf(await t.auditEvents(), 'request.activate')).toEqual([]);
  });

  it('the requester completes an active grant early: completed, and revoked on the provider exactly once', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    await activateRequest(as(app, 'alice')({ id: request.id }));
    expect((await refusal(completeRequest(as(app, 'bob')({ id: request.id })))).code).toBe('forbidden');
    const done = await completeRequest(as(app, 'alice')({ id: request.id }));
    expect(done).toMatchObject({ status: 'completed', grant: { status: 'revoked' } });
    expect(provider.calls.revoke).toBe(1);
    expect((await refusal(completeRequest(as(app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.calls.revoke).toBe(1);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.complete', `request:${request.id}`)[0]).toMatchObject({ actor: 'alice' });
    expect(eventsOf(events, 'grant.revoke')).toHaveLength(1);
  });

  it('an administer holder revokes an active grant; someone else may not', async () => {
    const { t, app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    await activateRequest(as(app, 'alice')({ id: request.id }));
    const refused = await refusal(revokeRequest(as(app, 'bob')({ id: request.id })));
    expect(refused.code).toBe('forbidden');
    expect(provider.calls.revoke).toBe(0);
    const revoked = await revokeRequest(as(app, 'peggy')({ id: request.id, reason: 'incident INC-3' }));
    expect(revoked).toMatchObject({ status: 'revoked', grant: { status: 'revoked' } });
    expect(provider.calls.revoke).toBe(1);
    const again = await refusal(revokeRequest(as(app, 'peggy')({ id: request.id })));
    expect(again.code).toBe('conflict');
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.revoke', `request:${request.id}`)[0]).toMatchObject({
      actor: 'peggy',
      details: { as: 'administrator', reason: 'incident INC-3' },
    });
    expect(eventsOf(events, 'request.revoke_refused')[0]).toMatchObject({ actor: 'bob' });
  });

  it('a revoke the provider refuses leaves the grant revoke_failed, visible and not dropped', async () => {
    const { app, provider } = await setup();
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    await activateRequest(as(app, 'alice')({ id: request.id }));
    provider.failNext('revoke');
    const view = await revokeRequest(as(app, 'alice')({ id: request.id }));
    expect(view).toMatchObject({ status: 'revoke_failed', grant: { status: 'revoke_failed' } });
  });

  /** Staging's run-sql is auto-approved only on a database observed free of critical drift. */
  async function observeStagingClean(app: AppContext): Promise<void> {
    const config = { ssl: 'on', password_encryption: 'scram-sha-256', log_connections: 'on', superusers: ['postgres'] };
    await recordObservation({ app, actor: 'peggy', input: { resource: 'analytics-db', config } });
  }

  it('an execute action runs once, ends completed, and its output is only HMACd in the log', async () => {
    const { t, app, provider } = await setup();
    await observeStagingClean(app);
    const request = await createRequest(
      as(app, 'alice')({ resource: 'analytics-db', action: 'run-sql', duration: '10m', params: { sql: 'select 1' } }),
    );
    expect(request.status).toBe('approved');
    expect((await refusal(activateRequest(as(app, 'alice')({ id: request.id })))).code).toBe('invalid');
    const result = await executeRequest(as(app, 'alice')({ id: request.id, digest: request.digest }));
    expect(result.request.status).toBe('completed');
    expect(result.output).toEqual({ noop: true });
    expect(provider.calls.execute).toBe(1);
    expect((await refusal(executeRequest(as(app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.calls.execute).toBe(1);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.execute', `request:${request.id}`)[0]).toMatchObject({ actor: 'alice' });
    const [complete] = eventsOf(events, 'request.complete', `request:${request.id}`);
    expect(complete?.details.summary).toMatchObject({ action: 'run-sql' });
    expect(String(complete?.details.output)).toMatch(/^hmac-sha256:/);
  });

  it('executing with a digest other than the approved content is refused', async () => {
    const { app, provider } = await setup();
    await observeStagingClean(app);
    const request = await createRequest(
      as(app, 'alice')({ resource: 'analytics-db', action: 'run-sql', duration: '10m', params: { sql: 'select 2' } }),
    );
    const error = await refusal(executeRequest(as(app, 'alice')({ id: request.id, digest: 'b'.repeat(64) })));
    expect(error.code).toBe('conflict');
    expect(provider.calls.execute).toBe(0);
  });
});
