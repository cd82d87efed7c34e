/**
 * Issue #9, low item: grant extension existed only as dead decision code. Wired now (SPEC §2.8 "Extension"): an
 * active grant is extended only through a new approval under the same action's approval rules and separation of
 * duties, only by its requester, never past the action's `maxDuration` counted from the first activation, and
 * only on a provider that can lengthen what it made.
 */
import { expect, it } from 'vitest';
import { activateRequest } from '../../src/features/requests/request-activate.verb.js';
import { createRequest } from '../../src/features/requests/request-create.verb.js';
import { extendRequest } from '../../src/features/requests/request-extend.verb.js';
import { approveRequest } from '../../src/features/requests/request-review.verb.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { FaultyProvider } from '../app/faulty-provider.js';
import { activateRole } from '../features/access/role-activation-fixtures.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { as, everyType, eventsOf, refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { executePolicy } from './execute-fixtures.js';

const MINUTE = 60_000;

describeEachDialect('extending a grant', (ctx) => {
  async function grantExpiry(t: TestApp, requestId: string): Promise<number> {
    const row = await t.app.database.db
      .selectFrom('grants')
      .select('expires_at')
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
    return Number(row.expires_at);
  }

  async function activeRead(t: TestApp, duration: string) {
    const read = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'read', duration }));
    return (await activateRequest(as(t.app, 'alice')({ id: read.id }))).request;
  }

  it('the requester extends an active grant through a new approval, and the grant ends later', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy() });
    const active = await activeRead(t, '30m');
    t.clock.advance(20 * MINUTE);
    const { extension, request } = await extendRequest(as(t.app, 'alice')({ id: active.id, duration: '1h' }));
    const until = t.clock.now() + 60 * MINUTE;
    expect(extension).toMatchObject({ status: 'completed', requester: 'alice', action: 'read', durationSeconds: 3600 });
    expect(extension.approvals.map((approval) => approval.approver)).toEqual(['system:policy']);
    expect(request).toMatchObject({ id: active.id, status: 'active', expiresAt: new Date(until).toISOString() });
    expect(await grantExpiry(t, active.id)).toBe(until);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.extend', `request:${active.id}`)[0]).toMatchObject({
      actor: 'alice',
      details: { extension: extension.id, expiresAt: until, previousExpiresAt: Date.parse(active.expiresAt ?? '') },
    });
    expect(eventsOf(events, 'request.create', `request:${extension.id}`)[0]?.details).toMatchObject({
      extends: active.id,
    });
  });

  it('never past the maximum duration counted from the first activation, however many extensions', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy() });
    const active = await activeRead(t, '1h');
    const firstActivation = t.clock.now();
    t.clock.advance(50 * MINUTE);
    const tooLong = await refusal(extendRequest(as(t.app, 'alice')({ id: active.id, duration: '90m' })));
    expect(tooLong.message).toMatch(/maximum of action 'read', counted from the first activation/);
    expect(await grantExpiry(t, active.id)).toBe(firstActivation + 60 * MINUTE);

    await extendRequest(as(t.app, 'alice')({ id: active.id, duration: '1h' }));
    t.clock.advance(50 * MINUTE);
    const again = await refusal(extendRequest(as(t.app, 'alice')({ id: active.id, duration: '30m' })));
    expect(again.details.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'extension.past_max_duration' })]),
    );
    expect(await grantExpiry(t, active.id)).toBe(firstActivation + 110 * MINUTE);
    const stored = await t.app.database.db
      .selectFrom('requests')
      .select('id')
      .where('extends_request', '=', active.id)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('nobody but the requester extends a grant', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy() });
    const active = await activeRead(t, '30m');
    const error = await refusal(extendRequest(as(t.app, 'bob')({ id: active.id, duration: '1h' })));
    expect(error.code).toBe('forbidden');
    expect(await grantExpiry(t, active.id)).toBe(Date.parse(active.expiresAt ?? ''));
  });

  it('an extension under approval rules waits for an approver other than the requester, then extends on activation', async () => {
    const t = await createTestApp(ctx, { policy: executePolicy() });
    const write = await createRequest(as(t.app, 'alice')({ resource: 'db-1', action: 'write', duration: '1h' }));
    await approveRequest(as(t.app, 'carol')({ id: write.id }));
    const active = (await activateRequest(as(t.app, 'alice')({ id: write.id }))).request;
    t.clock.advance(30 * MINUTE);
    const { extension } = await extendRequest(as(t.app, 'alice')({ id: active.id, duration: '2h' }));
    expect(extension.status).toBe('pending');
    expect(await grantExpiry(t, active.id)).toBe(Date.parse(active.expiresAt ?? ''));
    expect((await refusal(approveRequest(as(t.app, 'alice')({ id: extension.id })))).code).toMatch(/forbidden|sod/);
    expect((await refusal(activateRequest(as(t.app, 'alice')({ id: extension.id })))).code).toBe('conflict');

    await approveRequest(as(t.app, 'carol')({ id: extension.id }));
    t.clock.advance(MINUTE);
    const applied = await activateRequest(as(t.app, 'alice')({ id: extension.id }));
    expect(applied.request).toMatchObject({ id: extension.id, status: 'completed' });
    expect(await grantExpiry(t, active.id)).toBe(t.clock.now() + 2 * 60 * MINUTE);
  });

  it('a provider that cannot extend what it made refuses the extension before anyone approves it', async () => {
    const t = await createTestApp(ctx, {
      policy: executePolicy(),
      providers: everyType(new FaultyProvider(new NoopProvider())),
    });
    const active = await activeRead(t, '30m');
    const error = await refusal(extendRequest(as(t.app, 'alice')({ id: active.id, duration: '1h' })));
    expect(error.message).toMatch(/cannot extend a grant/);
    const stored = await t.app.database.db
      .selectFrom('requests')
      .select('id')
      .where('extends_request', '=', active.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it('a grant held through an activated eligible role is never extended past that activation', async () => {
    const t = await createTestApp(ctx);
    // erin holds `request` on postgres-prod only through the eligible dba-admin role, activated for 1h.
    await activateRole(t.app, 'erin', 'dba-admin', 'heidi', '1h');
    const activationEnd = t.clock.now() + 60 * MINUTE;
    const read = await createRequest(
      as(t.app, 'erin')({ resource: 'payments-db', action: 'read', duration: '30m', justification: 'INC-11' }),
    );
    const active = (await activateRequest(as(t.app, 'erin')({ id: read.id }))).request;
    t.clock.advance(20 * MINUTE);
    const { request } = await extendRequest(
      as(t.app, 'erin')({ id: active.id, duration: '1h', justification: 'INC-11 runs on' }),
    );
    expect(request.expiresAt).toBe(new Date(activationEnd).toISOString());
    expect(await grantExpiry(t, active.id)).toBe(activationEnd);
    t.clock.advance(20 * MINUTE);
    const error = await refusal(
      extendRequest(as(t.app, 'erin')({ id: active.id, duration: '30m', justification: 'INC-11 still' })),
    );
    expect(error.details.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'extension.entitlement_ends' })]),
    );
    expect(await grantExpiry(t, active.id)).toBe(activationEnd);
  });
});
