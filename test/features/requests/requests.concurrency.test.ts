/**
 * Races between replicas: each side runs on its own PostgreSQL pool (`ctx.open()`), in parallel, many times.
 * SQLite runs one writer at a time in one process, so these races exist only on PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import {
  approveRequest,
  cancelRequest,
  createRequest,
  type RequestView,
} from '../../../src/features/requests/requests.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, eventsOf, PROD_ADMIN, PROD_WRITE } from '../../app/requests-fixtures.js';

const ITERATIONS = 20;

describeEachDialect('racing request verbs', (ctx) => {
  const pgIt = it.skipIf(ctx.dialect !== 'postgres');
  let t: TestApp;
  let replicaA: AppContext;
  let replicaB: AppContext;
  beforeAll(async () => {
    if (ctx.dialect !== 'postgres') return;
    t = await createTestApp(ctx);
    replicaA = { ...t.app, database: await ctx.open() };
    replicaB = { ...t.app, database: await ctx.open() };
  });

  async function settle(...work: Promise<RequestView>[]) {
    return Promise.allSettled(work);
  }

  pgIt('two approvals racing for the last slot make exactly one transition', async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
      const results = await settle(
        approveRequest(as(replicaA, 'erin')({ id: request.id })),
        approveRequest(as(replicaB, 'frank')({ id: request.id })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rows = await ctx.database.db
        .selectFrom('approvals')
        .select('approver')
        .where('request_id', '=', request.id)
        .execute();
      expect(rows).toHaveLength(1);
      const approvals = eventsOf(await t.auditEvents(), 'request.approve', `request:${request.id}`);
      expect(approvals.map((e) => e.details.final)).toEqual([true]);
      expect(approvals[0]?.actor).toBe(rows[0]?.approver);
    }
  });

  pgIt('two approvals racing for a step that needs both both count, and neither transition is lost', async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const request = await createRequest(as(t.app, 'alice')(PROD_ADMIN));
      const results = await settle(
        approveRequest(as(replicaA, 'frank')({ id: request.id })),
        approveRequest(as(replicaB, 'grace')({ id: request.id })),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const final = await approveRequest(as(t.app, 'heidi')({ id: request.id }));
      expect(final.status).toBe('approved');
      const approvals = eventsOf(await t.auditEvents(), 'request.approve', `request:${request.id}`);
      expect(approvals.filter((e) => e.details.final === true)).toHaveLength(1);
      expect(approvals.filter((e) => e.details.stepSatisfied === true && e.details.step === 1)).toHaveLength(1);
    }
  });

  pgIt('an approval racing a cancel ends in one consistent state whose audit events match it', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < ITERATIONS; i++) {
      const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
      await settle(
        approveRequest(as(replicaA, 'erin')({ id: request.id })),
        cancelRequest(as(replicaB, 'alice')({ id: request.id })),
      );
      const row = await ctx.database.db
        .selectFrom('requests')
        .select('status')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      // Cancel wins either way (it is allowed from approved); what differs is whether the approval landed first.
      expect(row.status).toBe('cancelled');
      const events = (await t.auditEvents()).filter((e) => e.subject === `request:${request.id}`);
      const actions = events.map((e) => e.action).filter((a) => a !== 'request.create');
      const approvedFirst = actions[0] === 'request.approve';
      outcomes.add(approvedFirst ? 'approved-then-cancelled' : 'cancelled-first');
      if (approvedFirst) {
        expect(actions).toEqual(['request.approve', 'request.cancel']);
        expect(eventsOf(events, 'request.cancel')[0]?.details.from).toBe('approved');
      } else {
        expect(actions).toEqual(['request.cancel', 'request.approve_refused']);
        expect(eventsOf(events, 'request.cancel')[0]?.details.from).toBe('pending');
        const rows = await ctx.database.db
          .selectFrom('approvals')
          .select('approver')
          .where('request_id', '=', request.id)
          .execute();
        expect(rows).toEqual([]);
      }
    }
  });
});
