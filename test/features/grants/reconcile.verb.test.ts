/** Reconciling a resource's credentials with its live grants, through the verb, on both dialects. */
import { expect, it } from 'vitest';
import { reconcileResource } from '../../../src/features/grants/reconcile.verb.js';
import { AppError } from '../../../src/core/errors.js';
import { describeEachDialect } from '../../store/dialects.js';
import { InventoryProvider } from '../../app/fixtures/inventory-provider.js';
import { createTestApp } from '../../app/harness.js';
import { ALL_EVENTS_NOTIFIER, JIT_RESOURCE, activeReadGrant, jitPolicy } from '../../app/jit-fixtures.js';

const HOUR = 3600_000;

async function setUp(ctx: Parameters<Parameters<typeof describeEachDialect>[1]>[0]) {
  const policy = await jitPolicy([ALL_EVENTS_NOTIFIER]);
  let now = (): number => 0;
  const provider = new InventoryProvider('postgres', () => now());
  const testApp = await createTestApp(ctx, { policy, providers: new Map([['postgres', provider]]) });
  now = () => testApp.clock.now();
  return { ...testApp, provider };
}

describeEachDialect('reconciling a resource', (ctx) => {
  it('removes an old credential of no grant, keeps the live grant and a young one, and reports it', async () => {
    const { app, clock, provider, auditEvents } = await setUp(ctx);
    const activation = await activeReadGrant(app);
    expect(provider.credentials.get(JIT_RESOURCE)?.size).toBe(1);
    const orphan = provider.plant(JIT_RESOURCE, 'cred_orphan', clock.now() - HOUR);
    provider.plant(JIT_RESOURCE, 'cred_young', clock.now() - 1000);

    const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

    expect(result.removed).toEqual([orphan]);
    expect(result.failed).toEqual([]);
    expect(result.kept.map((k) => [k.handle.id, k.reason.code]).sort()).toEqual([
      [`cred_${activation.request.id}`, 'reconcile.owned'],
      ['cred_young', 'reconcile.too_young'],
    ]);
    expect(provider.has(JIT_RESOURCE, 'cred_orphan')).toBe(false);
    expect(provider.has(JIT_RESOURCE, 'cred_young')).toBe(true);
    expect(provider.has(JIT_RESOURCE, `cred_${activation.request.id}`)).toBe(true);

    const event = (await auditEvents()).find((e) => e.action === 'resource.reconcile');
    expect(event).toMatchObject({
      actor: 'system:observer',
      subject: `resource:${JIT_RESOURCE}`,
      details: { profile: 'postgres-local', provider: 'postgres', removedCount: 1, failedCount: 0, keptCount: 2 },
    });
    expect(event?.details.removed).toEqual([orphan]);
    expect(JSON.stringify(event?.details)).not.toContain('not-stored');
    const outbox = await app.database.db.selectFrom('outbox').select(['event', 'payload']).execute();
    const removals = outbox.filter((row) => row.event === 'grant.orphan_removed');
    expect(removals).toHaveLength(1);
    expect(JSON.parse(removals[0]?.payload ?? '{}')).toMatchObject({ resource: JIT_RESOURCE, handle: orphan });
  });

  it('a removal that fails is reported, urgently notified, and does not stop the others', async () => {
    const { app, clock, provider, auditEvents } = await setUp(ctx);
    provider.plant(JIT_RESOURCE, 'cred_locked', clock.now() - HOUR);
    const free = provider.plant(JIT_RESOURCE, 'cred_free', clock.now() - HOUR);
    provider.failRevoke.add('cred_locked');

    const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

    expect(result.removed).toEqual([free]);
    expect(result.failed).toEqual([
      {
        handle: { id: 'cred_locked', resource: JIT_RESOURCE },
        message: "the postgres provider could not remove it: credential 'cred_locked' is locked on the target",
      },
    ]);
    const event = (await auditEvents()).find((e) => e.action === 'resource.reconcile');
    expect(event?.details).toMatchObject({ removedCount: 1, failedCount: 1 });
    const urgent = await app.database.db
      .selectFrom('outbox')
      .select(['event', 'priority'])
      .where('event', '=', 'grant.orphan_remove_failed')
      .execute();
    expect(urgent).toEqual([{ event: 'grant.orphan_remove_failed', priority: 10 }]);
  });

  it('someone without administer on the profile is refused before the target is touched, and it is recorded', async () => {
    const { app, clock, provider, auditEvents } = await setUp(ctx);
    provider.plant(JIT_RESOURCE, 'cred_kept', clock.now() - HOUR);

    for (const actor of ['ana', 'omar']) {
      const refused = await reconcileResource({ app, actor, input: { resource: JIT_RESOURCE } }).catch((e) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'forbidden' });
      expect((refused as AppError).message).toContain(`'${actor}' does not hold 'administer'`);
    }
    expect(provider.calls.listManaged).toBe(0);
    expect(provider.has(JIT_RESOURCE, 'cred_kept')).toBe(true);
    const refusals = (await auditEvents()).filter((e) => e.action === 'resource.reconcile_refused');
    expect(refusals.map((e) => e.actor)).toEqual(['ana', 'omar']);
  });

  it('an unknown resource is not found', async () => {
    const { app } = await setUp(ctx);
    await expect(
      reconcileResource({ app, actor: 'system:observer', input: { resource: 'nowhere' } }),
    ).rejects.toMatchObject({ code: 'not_found', message: "resource 'nowhere' does not exist" });
  });
});
