/**
 * Attack tests for issue #10 findings 3, 6 and 8 (SPEC §2.8 "intent before every provider call"): activation
 * records an audited `provisioning` grant before the provider is called, so a broken audit log stops it before
 * any provider call, the loser of a double activation never reaches the provider, and a crash between the
 * provider's grant and its record leaves an intent the scheduler compensates.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { JsonObject } from '../../src/audit/audit-event.js';
import { CheckService } from '../../src/features/access/check-service.js';
import type { AppContext } from '../../src/app/context.js';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { createTestApp } from '../app/harness.js';
import { as, everyType, eventsOf, refusal, SHORT_READ } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { BreakableAuditLog } from './execute-fixtures.js';

/**
 * A target keyed by request id, like the example's Kubernetes `--binding {request.id}`: what a grant made stays
 * in `live` until a revoke names it. With `hang`, a grant makes its access and then never answers, as a process
 * killed right after the provider's grant would.
 */
class KeyedProvider extends NoopProvider {
  readonly live = new Set<string>();
  grants = 0;
  revokes = 0;
  hang = false;
  failRevokes = 0;

  override async grant(call: ProviderCall): Promise<GrantResult> {
    this.grants += 1;
    this.live.add(call.requestId);
    if (this.hang) await new Promise<never>(() => undefined);
    return { handle: { noop: call.requestId }, expiresAt: call.expiresAt };
  }

  override async revoke(handle?: JsonObject): Promise<void> {
    this.revokes += 1;
    if (this.failRevokes > 0) {
      this.failRevokes -= 1;
      throw new Error('the target is down');
    }
    this.live.delete(String(handle?.noop));
  }
}

const quiet = { error: () => undefined };

describeEachDialect('activation intent', (ctx) => {
  it('with the audit log unavailable, activation is refused before any provider call', async () => {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const audit = new BreakableAuditLog(ctx.dialect, randomBytes(32));
    const app: AppContext = { ...t.app, auditLog: audit };
    const request = await createRequest(as(app, 'alice')(SHORT_READ));
    audit.failures = 1;
    expect((await refusal(activateRequest(as(app, 'alice')({ id: request.id })))).code).toBe('audit_unavailable');
    expect(provider.calls.grant).toBe(0);
    expect(provider.calls.revoke).toBe(0);
    const grants = await ctx.database.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', request.id)
      .execute();
    expect(grants).toEqual([]);
    const { request: active } = await activateRequest(as(app, 'alice')({ id: request.id }));
    expect(active.status).toBe('active');
    expect(provider.calls.grant).toBe(1);
  });

  it('two activations racing call the provider once, and the loser never revokes the winner', async () => {
    const provider = new KeyedProvider();
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const replicaA: AppContext = ctx.dialect === 'postgres' ? { ...t.app, database: await ctx.open() } : t.app;
    const replicaB: AppContext = ctx.dialect === 'postgres' ? { ...t.app, database: await ctx.open() } : t.app;
    for (let i = 0; i < 8; i++) {
      const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
      const before = { grants: provider.grants, revokes: provider.revokes };
      const results = await Promise.allSettled([
        activateRequest(as(replicaA, 'alice')({ id: request.id })),
        activateRequest(as(replicaB, 'alice')({ id: request.id })),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
      expect(provider.grants - before.grants).toBe(1);
      expect(provider.revokes - before.revokes).toBe(0);
      expect(provider.live.has(request.id)).toBe(true);
      const grant = await ctx.database.db
        .selectFrom('grants')
        .select('status')
        .where('request_id', '=', request.id)
        .executeTakeFirstOrThrow();
      expect(grant.status).toBe('active');
    }
  });
});

// Its own database: the scheduler compensates every overdue intent, and `check` must see only these tests' grants.
describeEachDialect('activation intent after a crash', (ctx) => {
  it('a crash between the provider grant and its record leaves an intent the scheduler compensates', async () => {
    const provider = new KeyedProvider();
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
    provider.hang = true;
    // The activation "dies" inside the provider's grant: its promise never settles and nothing else runs for it.
    void activateRequest(as(t.app, 'alice')({ id: request.id }));
    await waitFor(() => provider.grants === 1);
    expect(provider.live.has(request.id)).toBe(true);
    provider.hang = false;
    // The intent allows nothing: only an active grant does.
    const check = await new CheckService(t.app).check('alice', {
      identity: 'alice',
      resource: SHORT_READ.resource,
      action: SHORT_READ.action,
    });
    expect(check).toMatchObject({ allowed: false });

    const scheduler = new Scheduler(t.app, { workerId: 'takeover', logger: quiet });
    await scheduler.runOnce();
    expect(provider.live.has(request.id)).toBe(true); // not yet past the intent's deadline: it may still complete
    t.clock.advance(5 * 60_000);
    await scheduler.runOnce();
    expect(provider.live.has(request.id)).toBe(false);
    expect(provider.revokes).toBe(1);
    await scheduler.runOnce();
    expect(provider.revokes).toBe(1);

    const events = await t.auditEvents();
    const intent = eventsOf(events, 'grant.intent')[0];
    expect(intent).toMatchObject({ actor: 'system:executor', details: { requestId: request.id } });
    expect(eventsOf(events, 'grant.compensated')).toHaveLength(1);
    expect(eventsOf(events, 'grant.compensated')[0]?.subject).toBe(intent?.subject);
    // The request is still the approved one, and can be activated again.
    const { request: active } = await activateRequest(as(t.app, 'alice')({ id: request.id }));
    expect(active.status).toBe('active');
    expect(provider.live.has(request.id)).toBe(true);
  });

  it('a compensation the provider refuses is audited and retried until the intent is gone', async () => {
    const provider = new KeyedProvider();
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
    provider.hang = true;
    void activateRequest(as(t.app, 'alice')({ id: request.id }));
    await waitFor(() => provider.grants === 1);
    provider.hang = false;
    provider.failRevokes = 1;
    const scheduler = new Scheduler(t.app, { workerId: 'takeover', logger: quiet });
    t.clock.advance(5 * 60_000);
    expect(await scheduler.runOnce()).toMatchObject({ intentsCompensated: 0, errors: 0 });
    expect(provider.live.has(request.id)).toBe(true);
    expect(eventsOf(await t.auditEvents(), 'grant.compensation_failed')).toHaveLength(1);
    await scheduler.runOnce();
    expect(provider.revokes).toBe(1); // not before the retry delay
    t.clock.advance(2 * 60_000);
    expect(await scheduler.runOnce()).toMatchObject({ intentsCompensated: 1 });
    expect(provider.live.has(request.id)).toBe(false);
    expect(eventsOf(await t.auditEvents(), 'grant.compensated')).toHaveLength(1);
  });

  it('an intent whose handle the provider cannot name beforehand is flagged once and blocks a blind re-activation', async () => {
    const provider = new KeyedProvider();
    Object.defineProperty(provider, 'intendedHandle', { value: undefined });
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
    provider.hang = true;
    void activateRequest(as(t.app, 'alice')({ id: request.id }));
    await waitFor(() => provider.grants === 1);
    provider.hang = false;
    const scheduler = new Scheduler(t.app, { workerId: 'takeover', logger: quiet });
    t.clock.advance(5 * 60_000);
    await scheduler.runOnce();
    t.clock.advance(5 * 60_000);
    await scheduler.runOnce();
    expect(provider.revokes).toBe(0);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'grant.intent_unresolved')).toHaveLength(1);
    expect(eventsOf(events, 'grant.intent')[0]?.details.handle).toBeUndefined();
    expect((await refusal(activateRequest(as(t.app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.grants).toBe(1);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
}
