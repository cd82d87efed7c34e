/**
 * Issue #9, low item: a profile change between approval and activation must not enlarge what is granted. The
 * approval binds to what the action provisions (provider and its settings, the grant or execute settings such as
 * the PostgreSQL role); when a policy load changes that before activation or execution, the request is refused
 * with a reason asking for a new approval, and the provider is never called.
 */
import { expect, it } from 'vitest';
import { activateRequest } from '../../src/features/requests/request-activate.verb.js';
import { createRequest } from '../../src/features/requests/request-create.verb.js';
import { executeRequest } from '../../src/features/requests/request-execute.verb.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { SYSTEM_POLICY } from '../../src/policy/model.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { createTestApp } from '../app/harness.js';
import { as, everyType, eventsOf, refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { executePolicy } from './execute-fixtures.js';

describeEachDialect('an approval binds to what is provisioned', (ctx) => {
  it('a policy load that makes an approved read grant a powerful role does not grant it at activation', async () => {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { policy: executePolicy('analytics_ro'), providers: everyType(provider) });
    const read = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'read', duration: '30m' }));
    expect(read.status).toBe('approved');

    const widened = executePolicy('analytics_owner');
    t.clock.advance(60_000);
    await loadPolicy({ app: t.app, actor: SYSTEM_POLICY, input: { policy: widened, documents: [] } });

    const error = await refusal(activateRequest(as(t.app, 'alice')({ id: read.id })));
    expect(provider.calls.grant).toBe(0);
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/new approval|submit a new request/);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.activate_refused', `request:${read.id}`)[0]?.details).toMatchObject({
      reasons: expect.arrayContaining([expect.objectContaining({ code: 'provisioning.changed' })]),
    });
  });

  it('an approved execution does not run under a provider the profile switched to after approval', async () => {
    const provider = new FaultyProvider(new NoopProvider());
    const t = await createTestApp(ctx, { policy: executePolicy(), providers: everyType(provider) });
    const run = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'run', duration: '10m' }));
    const policy = executePolicy('analytics_ro', 'postgres');
    t.clock.advance(60_000);
    await loadPolicy({ app: t.app, actor: SYSTEM_POLICY, input: { policy, documents: [] } });

    const error = await refusal(executeRequest(as(t.app, 'alice')({ id: run.id })));
    expect(error.code).toBe('conflict');
    expect(provider.calls.execute).toBe(0);
  });
});
