/** Registering resources, recording observations and keeping drift findings, on both dialects. */
import { expect, it } from 'vitest';
import { putResource } from '../../../src/features/resources/resource-put.verb.js';
import { findResource, getResourceState, recordObservation } from '../../../src/features/resources/resources.verbs.js';
import { CheckService } from '../../../src/features/access/check-service.js';
import { activateRequest, createRequest, revokeRequest } from '../../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { as, SHORT_READ } from '../../app/requests-fixtures.js';
import { putResourceApproved } from '../governance/admin-change-fixtures.js';
import { createTestApp } from '../../app/harness.js';

const COMPLIANT = {
  ssl: 'on',
  password_encryption: 'scram-sha-256',
  log_connections: 'on',
  log_statement: 'ddl',
  superusers: ['postgres'],
};

describeEachDialect('resources and drift', (ctx) => {
  it('drift findings open on a failing check, keep first seen while failing, and resolve when compliant', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const db = app.database.db;
    const t0 = clock.now();
    const first = await recordObservation({
      app,
      actor: 'system:executor',
      input: { resource: 'payments-db', config: { ...COMPLIANT, ssl: 'off' } },
    });
    expect(first.newFindings).toHaveLength(1);
    expect(first.drift).toEqual({ low: 0, medium: 0, high: 1, critical: 0 });

    clock.advance(60_000);
    const second = await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'payments-db', config: { ...COMPLIANT, ssl: 'off', log_connections: 'off' } },
    });
    expect(second.newFindings).toHaveLength(1);
    const tls = await db
      .selectFrom('drift_findings')
      .selectAll()
      .where('resource', '=', 'payments-db')
      .where('check_name', '=', 'tls-on')
      .execute();
    expect(tls).toEqual([
      expect.objectContaining({ status: 'open', first_seen: t0, last_seen: t0 + 60_000, severity: 'high' }),
    ]);
    const state = await db.transaction().execute((trx) => getResourceState(trx, 'payments-db'));
    expect(state.drift).toEqual({ low: 0, medium: 0, high: 2, critical: 0 });
    expect(state.config).toMatchObject({ ssl: 'off', log_connections: 'off' });

    clock.advance(60_000);
    const third = await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'payments-db', config: COMPLIANT },
    });
    expect(third.resolvedFindings).toHaveLength(2);
    expect(third.drift).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
    const resolved = await db.selectFrom('drift_findings').selectAll().where('resource', '=', 'payments-db').execute();
    expect(resolved.every((f) => f.status === 'resolved' && f.resolved_at === t0 + 120_000)).toBe(true);

    const events = await auditEvents();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['resource.observe', 'system:executor'],
      ['resource.observe', 'peggy'],
      ['resource.observe', 'peggy'],
    ]);
    expect(events[2]?.details).toMatchObject({ resolvedFindings: third.resolvedFindings });
  });

  it('observations of one resource sent at the same moment each get their own place in the arrival order', async () => {
    const { app } = await createTestApp(ctx);
    const sent = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        recordObservation({ app, actor: 'peggy', input: { resource: 'kyc-documents', config: { n } } }),
      ),
    );
    const arrivals = sent.map((result) => result.arrival).sort((a, b) => a - b);
    expect(new Set(arrivals).size).toBe(5);
    expect(arrivals[4]! - arrivals[0]!).toBe(4);
    const state = await app.database.db.transaction().execute((trx) => getResourceState(trx, 'kyc-documents'));
    const newest = sent.find((result) => result.arrival === arrivals[4]);
    expect(state.config).toEqual({ n: sent.indexOf(newest!) + 1 });
  });

  it('an observation that arrives later is the current state even when it says it was seen earlier', async () => {
    const { app, clock } = await createTestApp(ctx);
    const first = await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'analytics-db', config: COMPLIANT },
    });
    const late = await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'analytics-db', config: { ...COMPLIANT, ssl: 'off' }, observedAt: clock.now() - 1000 },
    });
    expect(late.arrival).toBe(first.arrival + 1);
    expect(late.newFindings).toHaveLength(1);
    const state = await app.database.db.transaction().execute((trx) => getResourceState(trx, 'analytics-db'));
    expect(state.config).toMatchObject({ ssl: 'off' });
  });

  it('an administrator registers a resource through the API and observations reach it', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    await putResourceApproved(app, 'peggy', 'victor', {
      name: 'ledger-db',
      profile: 'postgres-prod',
      labels: { region: 'eu-west-1' },
      owner: 'group:payments',
    });
    const found = await app.database.db
      .transaction()
      .execute((trx) => findResource(trx, app.policy.loaded, 'ledger-db'));
    expect(found).toMatchObject({ name: 'ledger-db', owner: { type: 'group', name: 'payments' } });
    const observed = await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'ledger-db', config: { ...COMPLIANT, superusers: ['postgres', 'eve'] } },
    });
    expect(observed.drift.critical).toBe(1);
    // Re-binding it (here: dropping its labels and owner) is a new change for a second administrator.
    const again = await putResource({ app, actor: 'peggy', input: { name: 'ledger-db', profile: 'postgres-prod' } });
    expect(again).toMatchObject({ pending: { status: 'pending', kind: 'resource' } });
    expect((await auditEvents()).map((e) => e.action)).toEqual([
      'admin_change.propose',
      'admin_change.approve',
      'resource.register',
      'resource.observe',
      'admin_change.propose',
    ]);
  });

  it('a resource registered through the API is requested, granted, checked and revoked like one of the files', async () => {
    const { app } = await createTestApp(ctx, { allowedConnections: new Map([['ledger', { dsnEnv: 'LEDGER_DSN' }]]) });
    await putResourceApproved(app, 'peggy', 'victor', {
      name: 'ledger-replica-db',
      profile: 'postgres-prod',
      owner: 'group:payments',
      connection: { name: 'ledger' },
    });
    const request = await createRequest(as(app, 'bob')({ ...SHORT_READ, resource: 'ledger-replica-db' }));
    expect(request).toMatchObject({ status: 'approved', resource: 'ledger-replica-db' });
    const active = await activateRequest(as(app, 'bob')({ id: request.id }));
    expect(active.request.status).toBe('active');

    const checks = new CheckService(app);
    await expect(
      checks.check('bob', { identity: 'bob', resource: 'ledger-replica-db', action: 'read' }),
    ).resolves.toMatchObject({
      allowed: true,
    });

    const revoked = await revokeRequest(as(app, 'bob')({ id: request.id, reason: 'done' }));
    expect(revoked.status).toBe('revoked');
    const grant = await app.database.db
      .selectFrom('grants')
      .select(['status', 'last_error'])
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(grant).toEqual({ status: 'revoked', last_error: null });
    await checks.close();
  });

  it.each([
    ['registering a resource without administer', 'bob', 'register'],
    ['observing a resource without administer or provision', 'bob', 'observe'],
  ])('%s is refused and logged', async (_title, actor, what) => {
    const { app, auditEvents } = await createTestApp(ctx);
    const attempt =
      what === 'register'
        ? putResource({ app, actor, input: { name: 'bobs-db', profile: 'postgres-prod' } })
        : recordObservation({ app, actor, input: { resource: 'payments-db', config: COMPLIANT } });
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden' });
    expect((await auditEvents()).map((e) => e.action)).toEqual([`resource.${what}_refused`]);
  });
});
