/**
 * The `manual` provider end to end on the example policy's processor console: payments engineers request,
 * payments owners approve, platform admins (who hold `provision` there) create the access by hand and confirm.
 */
import { expect, it } from 'vitest';
import { confirmProvisioning } from '../../../src/features/grants/manual-provisioning.verbs.js';
import { activateRequest, approveRequest, createRequest } from '../../../src/features/requests/requests.verbs.js';
import { Scheduler } from '../../../src/server/scheduler.js';
import { ManualProvider } from '../../../src/providers/manual/manual-provider.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, noopProviders } from '../../app/harness.js';
import { as, eventsOf, refusal } from '../../app/requests-fixtures.js';

const HOUR = 3_600_000;

describeEachDialect('provisioning by hand (manual provider)', (ctx) => {
  async function setup() {
    const providers = noopProviders();
    providers.set('manual', new ManualProvider());
    const t = await createTestApp(ctx, { providers });
    return { t, app: t.app };
  }

  /** alice asks for support access to the merchant console, bob (a payments owner) approves it. */
  async function approvedConsoleRequest(app: Awaited<ReturnType<typeof setup>>['app']) {
    const created = await createRequest(
      as(
        app,
        'alice',
      )({ resource: 'merchant-console', action: 'support-access', duration: '2h', justification: 'dispute D-1' }),
    );
    const approved = await approveRequest(as(app, 'bob')({ id: created.id, digest: created.digest }));
    expect(approved.status).toBe('approved');
    return approved;
  }

  async function outbox(app: Awaited<ReturnType<typeof setup>>['app'], event: string, requestId: string) {
    const rows = await app.database.db.selectFrom('outbox').selectAll().where('event', '=', event).execute();
    return rows.filter((row) => row.payload.includes(requestId));
  }

  it('activation calls no provider: the request stays approved and the provisioners are asked', async () => {
    const { t, app } = await setup();
    const request = await approvedConsoleRequest(app);
    const { request: waiting, credential } = await activateRequest(as(app, 'alice')({ id: request.id }));
    expect(credential).toBeUndefined();
    expect(waiting).toMatchObject({ status: 'approved', statusReason: 'awaiting manual provisioning' });
    expect(waiting.grant).toBeUndefined();
    expect(waiting.expiresAt).toBe(request.expiresAt);
    const [asked] = eventsOf(await t.auditEvents(), 'request.provision_requested', `request:${request.id}`);
    expect(asked).toMatchObject({
      actor: 'alice',
      details: { profile: 'processor-console', provisioners: ['peggy', 'victor'] },
    });
    const needed = await outbox(app, 'provision.needed', request.id);
    expect(needed.map((row) => row.notifier)).toEqual(['oncall-slack']);
    expect(JSON.parse(needed[0]?.payload ?? '{}')).toMatchObject({
      request: request.id,
      requester: 'alice',
      provisioners: ['peggy', 'victor'],
    });

    const again = await refusal(activateRequest(as(app, 'alice')({ id: request.id })));
    expect(again.code).toBe('conflict');
    expect(eventsOf(await t.auditEvents(), 'request.activate_refused', `request:${request.id}`)).toHaveLength(1);
  });

  it.each([
    ['the requester', 'alice', 'sod_violation'],
    ['the approver', 'bob', 'sod_violation'],
    ['an identity without provision on the profile', 'carol', 'forbidden'],
  ])('%s may not confirm provisioning, and the refusal is recorded', async (_label, actor, code) => {
    const { t, app } = await setup();
    const request = await approvedConsoleRequest(app);
    await activateRequest(as(app, 'alice')({ id: request.id }));
    const error = await refusal(confirmProvisioning(as(app, actor)({ id: request.id })));
    expect(error.code).toBe(code);
    const [refused] = eventsOf(await t.auditEvents(), 'request.provision_refused', `request:${request.id}`);
    expect(refused).toMatchObject({ actor, details: { code } });
    const grants = await app.database.db
      .selectFrom('grants')
      .selectAll()
      .where('request_id', '=', request.id)
      .execute();
    expect(grants).toHaveLength(0);
  });

  it('a provisioner cannot confirm before the requester has activated', async () => {
    const { t, app } = await setup();
    const request = await approvedConsoleRequest(app);
    const error = await refusal(confirmProvisioning(as(app, 'peggy')({ id: request.id })));
    expect(error.code).toBe('conflict');
    expect(eventsOf(await t.auditEvents(), 'request.provision_refused', `request:${request.id}`)).toHaveLength(1);
  });

  it('a platform admin confirms: the request is active until confirmation + duration, with a manual grant', async () => {
    const { t, app } = await setup();
    const request = await approvedConsoleRequest(app);
    await activateRequest(as(app, 'alice')({ id: request.id }));
    t.clock.advance(10 * 60_000);
    const active = await confirmProvisioning(as(app, 'peggy')({ id: request.id, note: 'invited alice@acmepay' }));
    expect(active).toMatchObject({ status: 'active', activatedAt: new Date(t.clock.now()).toISOString() });
    expect(active.statusReason).toBeUndefined();
    expect(Date.parse(active.expiresAt ?? '')).toBe(t.clock.now() + 2 * HOUR);
    expect(active.grant).toMatchObject({ status: 'active', expiresAt: active.expiresAt });
    const stored = await app.database.db
      .selectFrom('requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(stored.provisioner).toBe('peggy');
    const grant = await app.database.db
      .selectFrom('grants')
      .selectAll()
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(grant.provider).toBe('manual');
    expect(JSON.parse(grant.handle ?? '{}')).toEqual({ manual: true, confirmedBy: 'peggy' });
    const events = await t.auditEvents();
    expect(eventsOf(events, 'grant.create', `grant:${grant.id}`)[0]).toMatchObject({
      actor: 'peggy',
      details: { provider: 'manual', requestId: request.id },
    });
    expect(eventsOf(events, 'request.activate', `request:${request.id}`)[0]).toMatchObject({
      actor: 'peggy',
      details: { grantId: grant.id, provisioner: 'peggy', manual: true, note: 'invited alice@acmepay' },
    });

    const twice = await refusal(confirmProvisioning(as(app, 'victor')({ id: request.id })));
    expect(twice.code).toBe('conflict');
  });

  it('expiry by the scheduler ends the grant and urgently asks for removal by hand', async () => {
    const { t, app } = await setup();
    const request = await approvedConsoleRequest(app);
    await activateRequest(as(app, 'alice')({ id: request.id }));
    const active = await confirmProvisioning(as(app, 'victor')({ id: request.id }));
    const grantId = active.grant?.id ?? '';
    t.clock.advance(2 * HOUR);
    await new Scheduler(app, { logger: { error: () => undefined } }).runOnce();

    const grant = await app.database.db
      .selectFrom('grants')
      .selectAll()
      .where('id', '=', grantId)
      .executeTakeFirstOrThrow();
    expect(grant.status).toBe('expired');
    const requestRow = await app.database.db
      .selectFrom('requests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(requestRow.status).toBe('expired');
    const [expired] = eventsOf(await t.auditEvents(), 'grant.expire', `grant:${grantId}`);
    expect(expired).toMatchObject({ actor: 'system:scheduler', details: { removeByHand: true } });
    const needed = await outbox(app, 'deprovision.needed', request.id);
    expect(needed).toHaveLength(1);
    expect(needed[0]?.priority).toBeGreaterThan(0);
    expect(JSON.parse(needed[0]?.payload ?? '{}')).toMatchObject({
      urgent: true,
      grantId,
      identity: 'alice',
      resource: 'merchant-console',
      provisionedBy: 'victor',
    });
  });
});
