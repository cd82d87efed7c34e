/**
 * Attack tests for issue #10 findings 3 and 6 applied to break-glass (SPEC §2.8 "intent before every provider
 * call"): break-glass records its request (`active`, flagged for review) and an audited `provisioning` grant
 * intent before the provider is called, so a broken audit log stops it before any provider call, and a crash
 * between the provider's grant and its record leaves an intent the scheduler compensates.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { JsonObject } from '../../src/audit/audit-event.js';
import { CheckService } from '../../src/features/access/check-service.js';
import type { AppContext } from '../../src/app/context.js';
import { breakGlass } from '../../src/features/requests/requests.verbs.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { createTestApp } from '../app/harness.js';
import { as, everyType, eventsOf, refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { BreakableAuditLog } from './execute-fixtures.js';

const OUTAGE = { resource: 'payments-db', action: 'write', duration: '30m', justification: 'INC-99 outage' };

/** A target keyed by request id; with `hang`, a grant makes its access and never answers (a killed process). */
class KeyedProvider extends NoopProvider {
  readonly live = new Set<string>();
  grants = 0;
  revokes = 0;
  hang = false;

  override async grant(call: ProviderCall): Promise<GrantResult> {
    this.grants += 1;
    this.live.add(call.requestId);
    if (this.hang) await new Promise<never>(() => undefined);
    return { handle: { noop: call.requestId }, expiresAt: call.expiresAt };
  }

  override async revoke(handle?: JsonObject): Promise<void> {
    this.revokes += 1;
    this.live.delete(String(handle?.noop));
  }
}

const quiet = { error: () => undefined };

describeEachDialect('break-glass intent', (ctx) => {
  it('with the audit log unavailable, break-glass is refused before any provider call', async () => {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    const audit = new BreakableAuditLog(ctx.dialect, randomBytes(32));
    const app: AppContext = { ...t.app, auditLog: audit };
    audit.failures = 1;
    expect((await refusal(breakGlass(as(app, 'judy')(OUTAGE)))).code).toBe('audit_unavailable');
    expect(provider.calls.grant).toBe(0);
    expect(provider.calls.revoke).toBe(0);
    const { request } = await breakGlass(as(app, 'judy')(OUTAGE));
    expect(request).toMatchObject({ status: 'active', breakGlass: true });
    expect(request.grant?.status).toBe('active');
    expect(provider.calls.grant).toBe(1);
  });

  it('a break-glass grant the provider refuses leaves no intent and ends its request', async () => {
    const provider = new FaultyProvider(new NoopProvider()).failNext('grant');
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    expect((await refusal(breakGlass(as(t.app, 'judy')(OUTAGE)))).code).toBe('provider_failed');
    const events = await t.auditEvents();
    const intent = eventsOf(events, 'grant.intent')[0];
    const requestId = String(intent?.details.requestId);
    expect(eventsOf(events, 'grant.intent_released')[0]).toMatchObject({ subject: intent?.subject });
    const grants = await ctx.database.db
      .selectFrom('grants')
      .select('id')
      .where('request_id', '=', requestId)
      .execute();
    expect(grants).toEqual([]);
    const stored = await ctx.database.db
      .selectFrom('requests')
      .select('status')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('revoked');
  });
});

// Its own database: the scheduler compensates every overdue intent, and `check` must see only this test's grants.
describeEachDialect('break-glass intent after a crash', (ctx) => {
  it('a crash between the break-glass provider grant and its record leaves an intent the scheduler compensates', async () => {
    const provider = new KeyedProvider();
    const t = await createTestApp(ctx, { providers: everyType(provider) });
    provider.hang = true;
    // Break-glass "dies" inside the provider's grant: its promise never settles and nothing else runs for it.
    void breakGlass(as(t.app, 'judy')(OUTAGE));
    await waitFor(() => provider.grants === 1);
    const requestId = [...provider.live][0] ?? '';
    provider.hang = false;
    // The intent is recorded and allows nothing: only an active grant does.
    const intent = eventsOf(await t.auditEvents(), 'grant.intent')[0];
    expect(intent).toMatchObject({ actor: 'system:executor', details: { requestId } });
    const check = await new CheckService(t.app).check('judy', {
      identity: 'judy',
      resource: OUTAGE.resource,
      action: OUTAGE.action,
    });
    expect(check).toMatchObject({ allowed: false });

    const scheduler = new Scheduler(t.app, { workerId: 'takeover', logger: quiet });
    await scheduler.runOnce();
    expect(provider.live.has(requestId)).toBe(true); // not yet past the intent's deadline: it may still complete
    t.clock.advance(5 * 60_000);
    await scheduler.runOnce();
    expect(provider.live.has(requestId)).toBe(false);
    expect(provider.revokes).toBe(1);
    await scheduler.runOnce();
    expect(provider.revokes).toBe(1);
    expect(eventsOf(await t.auditEvents(), 'grant.compensated')[0]?.subject).toBe(intent?.subject);
    // The break-glass request does not stay `active` without a grant: it ends, and its review still applies.
    const stored = await ctx.database.db
      .selectFrom('requests')
      .select(['status', 'review_by'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('revoked');
    expect(stored.review_by).not.toBeNull();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
}
