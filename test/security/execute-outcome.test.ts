/**
 * Issue #9, item 12: an `execute` outcome is never lost or misreported. The intent is recorded before the
 * provider runs; when the outcome cannot be recorded afterwards, the answer says the action may have run (never
 * "nothing was changed") and the request is flagged for review instead of staying `active` — at once when the
 * store can take the flag, or by the next scheduler run (a restart) once the execution's deadline passed.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { executeRequest } from '../../src/features/requests/request-execute.verb.js';
import { createRequest } from '../../src/features/requests/request-create.verb.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { as, everyType, eventsOf, refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { BreakableAuditLog, executePolicy } from './execute-fixtures.js';

const quiet = { error: () => undefined };

describeEachDialect('execute outcomes', (ctx) => {
  async function setup(): Promise<{ t: TestApp; app: AppContext; audit: BreakableAuditLog; provider: FaultyProvider }> {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { policy: executePolicy(), providers: everyType(provider) });
    const audit = new BreakableAuditLog(ctx.dialect, randomBytes(32));
    return { t, app: { ...t.app, auditLog: audit }, audit, provider };
  }

  async function statusOf(app: AppContext, id: string): Promise<{ status: string; status_reason: string | null }> {
    return app.database.db
      .selectFrom('requests')
      .select(['status', 'status_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('an execution whose outcome cannot be recorded answers that it may have run and is flagged for review', async () => {
    const { t, app, audit, provider } = await setup();
    const request = await createRequest(as(app, 'alice')({ resource: 'db-1', action: 'run', duration: '10m' }));
    expect(request.status).toBe('approved');
    // The store loses the outcome write only: the intent was committed, the provider runs, the flag lands.
    provider.during('execute', async () => {
      audit.failures = 1;
    });
    const error = await refusal(executeRequest(as(app, 'alice')({ id: request.id })));
    expect(provider.calls.execute).toBe(1);
    expect(error.code).toBe('audit_unavailable');
    expect(error.message).toMatch(/may have run/);
    expect(error.message).not.toMatch(/nothing was changed/);
    expect(error.details).toMatchObject({ request: request.id, flagged: true });
    expect(await statusOf(app, request.id)).toMatchObject({ status: 'needs_review' });
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.execute', `request:${request.id}`)[0]?.details).toMatchObject({
      idempotencyKey: expect.stringMatching(/^pin_/),
    });
    expect(eventsOf(events, 'request.outcome_unknown', `request:${request.id}`)).toHaveLength(1);
    // The approval was for one run: it cannot be run again.
    expect((await refusal(executeRequest(as(app, 'alice')({ id: request.id })))).code).toBe('conflict');
    expect(provider.calls.execute).toBe(1);
  });

  it('an execution whose outcome and flag were both lost is flagged by the next scheduler run, never left active', async () => {
    const { t, app, audit, provider } = await setup();
    const request = await createRequest(as(app, 'alice')({ resource: 'db-1', action: 'run', duration: '10m' }));
    provider.during('execute', async () => {
      audit.failures = 2;
    });
    const error = await refusal(executeRequest(as(app, 'alice')({ id: request.id })));
    expect(error.message).toMatch(/may have run/);
    expect(error.details).toMatchObject({ request: request.id, flagged: false });
    expect((await statusOf(app, request.id)).status).not.toBe('active');

    // A restart before the execution's deadline leaves it alone: it may still be running elsewhere.
    t.clock.advance(60_000);
    await new Scheduler(app, { logger: quiet }).runOnce();
    expect((await statusOf(app, request.id)).status).toBe('executing');
    t.clock.advance(10 * 60_000);
    const run = await new Scheduler(app, { logger: quiet }).runOnce();
    expect(run).toMatchObject({ errors: 0, executionsFlagged: 1 });
    expect(await statusOf(app, request.id)).toMatchObject({
      status: 'needs_review',
      status_reason: expect.stringMatching(/may have run/),
    });
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.outcome_unknown', `request:${request.id}`)[0]).toMatchObject({
      actor: 'system:scheduler',
    });
  });
});
