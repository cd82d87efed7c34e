import { beforeAll, expect, it } from 'vitest';
import { approvalStats } from '../../../src/features/requests/index.js';
import { approveRequest, createRequest, denyRequest } from '../../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, PROD_ADMIN, PROD_WRITE, SHORT_READ } from '../../app/requests-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describeEachDialect('approval health', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx);
    const act = as(t.app, 'alice');
    // 2026-01-15: a write approved after 30 minutes, a write denied after 2 hours; a read the policy approves.
    const quick = await createRequest(act(PROD_WRITE));
    t.clock.advance(30 * MINUTE);
    await approveRequest(as(t.app, 'erin')({ id: quick.id }));
    await createRequest(act(SHORT_READ));
    await createRequest(as(t.app, 'backup-service')(PROD_ADMIN)); // denied by the policy, not by a person
    const refused = await createRequest(act(PROD_WRITE));
    t.clock.advance(2 * HOUR);
    await denyRequest(as(t.app, 'frank')({ id: refused.id, reason: 'use the replica' }));
    // 2026-01-16: a write approved after an hour, then two of bob's requests left waiting 5 hours and 0.
    t.clock.advance(24 * HOUR);
    const slow = await createRequest(act(PROD_WRITE));
    t.clock.advance(HOUR);
    await approveRequest(as(t.app, 'grace')({ id: slow.id }));
    await createRequest(as(t.app, 'bob')(PROD_ADMIN));
    t.clock.advance(5 * HOUR);
    await createRequest(as(t.app, 'bob')(PROD_WRITE));
  });

  it('an auditor sees pending counts and ages, time to approve per profile and per day, and the longest queues', async () => {
    const stats = await approvalStats(as(t.app, 'olivia')({ window: '7d' }));
    expect(stats.pending).toEqual({
      count: 2,
      oldestAgeSeconds: 5 * 3600,
      ageBuckets: [
        { le: '1h', count: 1 },
        { le: '4h', count: 1 },
        { le: '1d', count: 2 },
        { le: '3d', count: 2 },
        { le: '+Inf', count: 2 },
      ],
    });
    expect(stats.perProfile).toEqual([
      { profile: 'postgres-prod', decided: 3, approved: 2, denied: 1, p50Seconds: 1800, p90Seconds: 3600 },
    ]);
    expect(stats.perDay).toHaveLength(7);
    expect(stats.since).toBe('2026-01-10T00:00:00.000Z');
    expect(stats.perDay.slice(-2)).toEqual([
      { day: '2026-01-15', approved: 1, denied: 1, p50Seconds: 1800 },
      { day: '2026-01-16', approved: 1, denied: 0, p50Seconds: 3600 },
    ]);
    expect(stats.perDay[0]).toEqual({ day: '2026-01-10', approved: 0, denied: 0, p50Seconds: null });
    // Both of bob's requests wait on the DBAs' step: each DBA has both in their inbox.
    expect(stats.longestQueues).toEqual([
      { identity: 'erin', pending: 2, oldestAgeSeconds: 5 * 3600 },
      { identity: 'frank', pending: 2, oldestAgeSeconds: 5 * 3600 },
      { identity: 'grace', pending: 2, oldestAgeSeconds: 5 * 3600 },
    ]);
  });

  it('an approver of other profiles sees only the requests it may list: its own', async () => {
    // alice approves on the KYC bucket and the processor console only; her own three writes are hers to see.
    const stats = await approvalStats(as(t.app, 'alice')({}));
    expect(stats.window).toBe('7d');
    expect(stats.pending.count).toBe(0);
    expect(stats.perProfile).toEqual([
      { profile: 'postgres-prod', decided: 3, approved: 2, denied: 1, p50Seconds: 1800, p90Seconds: 3600 },
    ]);
    expect(stats.longestQueues).toEqual([]);
  });

  it('a window moves past old decisions', async () => {
    t.clock.advance(10 * 24 * HOUR);
    const week = await approvalStats(as(t.app, 'olivia')({ window: '7d' }));
    expect(week.perProfile).toEqual([]);
    expect(week.pending.ageBuckets.at(-2)).toEqual({ le: '3d', count: 0 });
    const month = await approvalStats(as(t.app, 'olivia')({ window: '30d' }));
    expect(month.perDay).toHaveLength(30);
    expect(month.perProfile[0]?.decided).toBe(3);
  });
});
