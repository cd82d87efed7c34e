/**
 * The background observer: observes and reconciles every resource its provider allows, on both dialects. Each
 * test gives the lease back (`lease.release()`), as the worker running the job does when the server stops.
 */
import { describe, expect, it } from 'vitest';
import {
  OBSERVER_ACTOR,
  ObservationJob,
  backgroundWorkFor,
  type ObservationLogger,
} from '../../../src/features/grants/observation.job.js';
import { PROVIDER_TYPES, type ProviderType } from '../../../src/policy/model.js';
import { PeriodicWorker } from '../../../src/server/periodic-worker.js';
import { makeProfile } from '../../factories/profile.factory.js';
import { describeEachDialect, type DialectContext } from '../../store/dialects.js';
import { InventoryProvider } from '../../app/fixtures/inventory-provider.js';
import { createTestApp } from '../../app/harness.js';

const HOUR = 3600_000;
const COMPLIANT = {
  ssl: 'on',
  password_encryption: 'scram-sha-256',
  log_connections: 'on',
  log_statement: 'ddl',
  superusers: ['postgres'],
};

async function setUp(ctx: DialectContext) {
  let now = (): number => 0;
  const providers = new Map(
    PROVIDER_TYPES.map((type): [ProviderType, InventoryProvider] => [type, new InventoryProvider(type, () => now())]),
  );
  const testApp = await createTestApp(ctx, { providers });
  now = () => testApp.clock.now();
  const provider = (type: ProviderType): InventoryProvider => providers.get(type) as InventoryProvider;
  const logged: { fields: Readonly<Record<string, unknown>>; message: string }[] = [];
  const logger: ObservationLogger = { error: (fields, message) => logged.push({ fields, message }) };
  return { ...testApp, provider, logged, logger };
}

describeEachDialect('the observation worker', (ctx) => {
  it('observes every observable resource as system:observer and reconciles those whose provider lists credentials', async () => {
    const { app, clock, provider, logger, logged, auditEvents } = await setUp(ctx);
    provider('postgres').configs.set('payments-db', { ...COMPLIANT, log_connections: 'off' });
    provider('postgres').configs.set('analytics-db', COMPLIANT);
    const orphan = provider('postgres').plant('analytics-db', 'cred_orphan', clock.now() - HOUR);
    const worker = new ObservationJob(app, { logger });

    const openFindings = async (): Promise<number> =>
      (await app.database.db.selectFrom('drift_findings').select('id').where('status', '=', 'open').execute()).length;
    const before = await openFindings();
    const run = await worker.runOnce();
    await worker.lease.release();

    expect(run.newFindings).toBe((await openFindings()) - before);
    // payments-db, analytics-db (postgres), prod-eu-cluster (exec with observeArgv), kyc-documents (webhook)
    expect(run).toMatchObject({ observed: 4, reconciled: 2, removed: 1, errors: 0 });
    expect(logged).toEqual([]);
    expect(provider('manual').calls.observe + provider('manual').calls.listManaged).toBe(0);
    expect(provider('exec').calls.listManaged + provider('webhook').calls.listManaged).toBe(0);
    expect(provider('postgres').has('analytics-db', 'cred_orphan')).toBe(false);

    const events = await auditEvents();
    const observed = events.filter((e) => e.action === 'resource.observe');
    expect(observed.map((e) => e.subject).sort()).toEqual([
      'resource:analytics-db',
      'resource:kyc-documents',
      'resource:payments-db',
      'resource:prod-eu-cluster',
    ]);
    expect(observed.every((e) => e.actor === OBSERVER_ACTOR)).toBe(true);
    const reconciled = events.filter((e) => e.action === 'resource.reconcile');
    expect(reconciled.map((e) => [e.subject, e.actor]).sort()).toEqual([
      ['resource:analytics-db', OBSERVER_ACTOR],
      ['resource:payments-db', OBSERVER_ACTOR],
    ]);
    expect(reconciled.find((e) => e.subject === 'resource:analytics-db')?.details.removed).toEqual([orphan]);
    const finding = await app.database.db
      .selectFrom('drift_findings')
      .select(['check_name', 'status'])
      .where('resource', '=', 'payments-db')
      .where('status', '=', 'open')
      .execute();
    expect(finding).toEqual([{ check_name: 'log-connections', status: 'open' }]);
  });

  it('a resource that fails is logged and counted, and the run goes on with the others', async () => {
    const { app, provider, logger, logged } = await setUp(ctx);
    provider('webhook').failObserve.add('kyc-documents');
    provider('postgres').failObserve.add('analytics-db');
    const worker = new ObservationJob(app, { logger });

    const run = await worker.runOnce();
    await worker.lease.release();

    expect(run).toMatchObject({ observed: 2, reconciled: 2, errors: 2 });
    expect(logged.map((entry) => entry.fields.subject).sort()).toEqual(['analytics-db', 'kyc-documents']);
    expect(logged[0]?.fields.error).toMatch(/does not answer/);
  });

  it('only the replica holding the lease works; once it stops, another takes over', async () => {
    const { app, provider, logger } = await setUp(ctx);
    const first = new ObservationJob(app, { logger, owner: 'replica-a' });
    const second = new ObservationJob(app, { logger, owner: 'replica-b' });

    expect((await first.runOnce()).observed).toBe(4);
    const calls = provider('postgres').calls.observe;
    expect(await second.runOnce()).toEqual({
      skipped: 'lease_held_elsewhere',
      observed: 0,
      newFindings: 0,
      reconciled: 0,
      removed: 0,
      errors: 0,
    });
    expect(provider('postgres').calls.observe).toBe(calls);

    await first.lease.release();
    expect((await second.runOnce()).observed).toBe(4);
    await second.lease.release();
  });

  it('start runs once at once and stop ends the loop', async () => {
    const { app, logger } = await setUp(ctx);
    const job = new ObservationJob(app, { logger, intervalMs: 60_000 });
    const worker = new PeriodicWorker({
      name: 'the observation worker',
      run: () => job.runOnce(),
      intervalMs: job.intervalMs,
      lease: job.lease,
    });
    const first = await worker.start();
    expect(first?.observed).toBe(4);
    await expect(worker.start()).rejects.toThrow('already running');
    await worker.stop();
  });
});

describe('what the observer does per provider', () => {
  it.each([
    ['postgres', {}, { observe: true, reconcile: true }],
    ['webhook', { urlEnv: 'U', secretEnv: 'S' }, { observe: true, reconcile: false }],
    ['exec', { observeArgv: ['/bin/observe'] }, { observe: true, reconcile: false }],
    ['exec', {}, { observe: false, reconcile: false }],
    ['exec', { list: { argv: ['/bin/list'] } }, { observe: false, reconcile: true }],
    ['manual', {}, { observe: false, reconcile: false }],
    ['noop', {}, { observe: false, reconcile: false }],
  ] as const)('%s with settings %j', (type, settings, expected) => {
    expect(backgroundWorkFor(makeProfile({ provider: { type, settings } }))).toEqual(expected);
  });
});
