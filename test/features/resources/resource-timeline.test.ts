/** A resource's timeline (who had what access when), on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { activateRequest, createRequest, revokeRequest } from '../../../src/features/requests/requests.verbs.js';
import { getResourceTimeline, recordObservation } from '../../../src/features/resources/index.js';
import { TIMELINE_MAX_ROWS } from '../../../src/features/resources/resource-timeline.view.js';
import { describeEachDialect } from '../../store/dialects.js';
import { as, refusal, SHORT_READ } from '../../app/requests-fixtures.js';
import { createTestApp, TEST_START, type TestApp } from '../../app/harness.js';

const DAY = 24 * 60 * 60 * 1000;

/** Bob's read is active; Alice's read was granted and then revoked; the database was seen without TLS. */
async function history(t: TestApp) {
  const { app, clock } = t;
  const bob = await createRequest(as(app, 'bob')(SHORT_READ));
  await activateRequest(as(app, 'bob')({ id: bob.id }));
  clock.advance(60_000);
  const alice = await createRequest(as(app, 'alice')(SHORT_READ));
  await activateRequest(as(app, 'alice')({ id: alice.id }));
  clock.advance(60_000);
  await revokeRequest(as(app, 'alice')({ id: alice.id, reason: 'done' }));
  await recordObservation({
    app,
    actor: 'peggy',
    input: {
      resource: 'payments-db',
      config: {
        ssl: 'off',
        password_encryption: 'scram-sha-256',
        log_connections: 'on',
        log_statement: 'ddl',
        superusers: ['postgres'],
      },
    },
  });
  return { bob: bob.id, alice: alice.id };
}

// One database per suite: the history is made once, each test reads it (the last one adds drift to another
// resource, analytics-db).
describeEachDialect('a resource timeline', (ctx) => {
  let t: TestApp;
  let ids: { bob: string; alice: string };
  beforeAll(async () => {
    t = await createTestApp(ctx);
    ids = await history(t);
  });

  it('shows an auditor every grant with its start and end, every request and the drift in the window', async () => {
    const timeline = await getResourceTimeline(as(t.app, 'olivia')({ name: 'payments-db' }));
    expect(timeline.resource.name).toBe('payments-db');
    expect(Date.parse(timeline.to) - Date.parse(timeline.from)).toBe(30 * DAY);
    expect(timeline.grants).toEqual([
      expect.objectContaining({ requestId: ids.bob, identity: 'bob', action: 'read', status: 'active', end: null }),
      expect.objectContaining({ requestId: ids.alice, identity: 'alice', status: 'revoked', breakGlass: false }),
    ]);
    const aliceGrant = timeline.grants[1];
    expect(Date.parse(aliceGrant?.end ?? '')).toBeGreaterThan(Date.parse(aliceGrant?.start ?? ''));
    expect(timeline.requests.map((r) => [r.id, r.requester, r.status])).toEqual([
      [ids.bob, 'bob', 'active'],
      [ids.alice, 'alice', 'revoked'],
    ]);
    expect(timeline.requests[0]?.decidedAt).toEqual(expect.any(String));
    expect(timeline.drift).toEqual([expect.objectContaining({ severity: 'high', openedAt: expect.any(String) })]);
    expect(timeline.drift[0]?.resolvedAt).toBeUndefined();
    expect(timeline.truncated).toEqual({ grants: false, requests: false, drift: false });
  });

  it('shows a requester only its own grants and requests, not who else had access', async () => {
    const timeline = await getResourceTimeline(as(t.app, 'bob')({ name: 'payments-db' }));
    expect(timeline.grants.map((g) => g.requestId)).toEqual([ids.bob]);
    expect(timeline.requests.map((r) => r.id)).toEqual([ids.bob]);
    expect(timeline.drift).toHaveLength(1);
  });

  it("shows an approver of the resource's profile the grants of the requests it may read, as their views do", async () => {
    const timeline = await getResourceTimeline(as(t.app, 'erin')({ name: 'payments-db' }));
    expect(timeline.requests.map((r) => r.id).sort()).toEqual([ids.alice, ids.bob].sort());
    expect(timeline.grants.map((g) => g.requestId).sort()).toEqual([ids.alice, ids.bob].sort());
  });

  it('leaves out a grant that ended before the window and requests made before it', async () => {
    const later = { from: TEST_START + 40 * DAY, to: TEST_START + 41 * DAY };
    const recent = await getResourceTimeline(as(t.app, 'olivia')({ name: 'payments-db', ...later }));
    // Bob's grant was never torn down (no expiry job runs here), so as far as the store knows it still gives access.
    expect(recent.grants.map((g) => g.requestId)).toEqual([ids.bob]);
    expect(recent.requests).toEqual([]);
    expect(recent.from).toBe(new Date(later.from).toISOString());
    const earlier = await getResourceTimeline(
      as(t.app, 'olivia')({ name: 'payments-db', from: TEST_START - DAY, to: TEST_START - 1 }),
    );
    expect(earlier).toMatchObject({ grants: [], requests: [], drift: [] });
  });

  it('refuses a window longer than 90 days or ending before it starts', async () => {
    const now = TEST_START;
    const long = await refusal(
      getResourceTimeline(as(t.app, 'olivia')({ name: 'payments-db', from: now - 91 * DAY, to: now })),
    );
    expect(long.code).toBe('invalid');
    const reversed = await refusal(
      getResourceTimeline(as(t.app, 'olivia')({ name: 'payments-db', from: now, to: now - 1 })),
    );
    expect(reversed.code).toBe('invalid');
    await expect(
      getResourceTimeline(as(t.app, 'olivia')({ name: 'payments-db', from: now - 90 * DAY, to: now - 1 })),
    ).resolves.toMatchObject({ grants: [], requests: [] });
  });

  it('answers not_found to an identity that may not see the resource', async () => {
    const hidden = await refusal(getResourceTimeline(as(t.app, 'quinn')({ name: 'payments-db' })));
    expect(hidden.code).toBe('not_found');
  });

  it(`cuts a list at ${TIMELINE_MAX_ROWS} rows, keeps the most recent and says so`, async () => {
    const now = t.clock.now();
    const rows = Array.from({ length: TIMELINE_MAX_ROWS + 2 }, (_, i) => ({
      id: `drift-${String(i).padStart(5, '0')}`,
      resource: 'analytics-db',
      check_name: `check-${i}`,
      severity: 'low' as const,
      status: 'resolved' as const,
      message: 'seen',
      profile_version: null,
      first_seen: now - DAY + i,
      last_seen: now - DAY + i,
      resolved_at: now - DAY + i + 1,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await t.app.database.db
        .insertInto('drift_findings')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    const timeline = await getResourceTimeline(as(t.app, 'olivia')({ name: 'analytics-db' }));
    expect(timeline.drift).toHaveLength(TIMELINE_MAX_ROWS);
    expect(timeline.truncated.drift).toBe(true);
    expect(timeline.drift[0]?.id).toBe('drift-00002');
    expect(timeline.drift.at(-1)?.id).toBe(`drift-0${TIMELINE_MAX_ROWS + 1}`);
  });
});
