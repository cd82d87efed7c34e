import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  listBreakGlassReviews,
  reviewBreakGlass,
} from '../../../src/features/certifications/certifications-break-glass.verbs.js';
import {
  certifyItem,
  createCampaign,
  showCampaign,
  type CampaignDetail,
} from '../../../src/features/certifications/certifications.verbs.js';
import {
  activateRequest,
  approveRequest,
  breakGlass,
  createRequest,
  executeRequest,
} from '../../../src/features/requests/requests.verbs.js';
import { closeOverdueCampaigns } from '../../../src/features/certifications/certifications-deadline.job.js';
import { loadPolicy } from '../../../src/features/governance/policy-sync.js';
import { SYSTEM_POLICY } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, TEST_START, type TestApp } from '../../app/harness.js';
import { as, eventsOf, PROD_SQL, refusal, SHORT_READ } from '../../app/requests-fixtures.js';
import { assignApproved } from '../governance/admin-change-fixtures.js';

const HOUR = 3_600_000;

describeEachDialect('certification campaigns and break-glass reviews', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });
  // The suite shares one database: revoked policy assignments would stay suspended for the next test's reload.
  afterEach(async () => {
    await ctx.database.db.updateTable('role_assignments').set({ revoked_by_certification: null }).execute();
  });

  function campaign(kinds: CampaignDetail['kinds'], onMissed: 'revoke' | 'escalate' = 'escalate') {
    return createCampaign(
      as(
        t.app,
        'heidi',
      )({
        name: 'Q1 review',
        kinds: [...kinds],
        period: { from: TEST_START - HOUR, to: TEST_START + 48 * HOUR },
        deadline: t.clock.now() + 7 * 24 * HOUR,
        onMissed,
      }),
    );
  }

  function itemFor(detail: CampaignDetail, target: string) {
    const item = detail.items.find((candidate) => candidate.target === target);
    expect(item, `an item for '${target}'`).toBeDefined();
    return item!;
  }

  async function grantOf(requestId: string) {
    return ctx.database.db
      .selectFrom('grants')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
  }

  it('a certifier opens a campaign whose items are the standing assignments, policy ones included', async () => {
    const detail = await campaign(['role_assignment']);
    expect(detail).toMatchObject({ status: 'open', kinds: ['role_assignment'] });
    const roles = detail.items.map((item) => item.role);
    expect(roles).toEqual(expect.arrayContaining(['payments-engineer', 'access-reviewer', 'auditor']));
    const reviewers = detail.items.find((item) => item.role === 'access-reviewer');
    expect(reviewers?.holders).toEqual(['heidi', 'ivan']);
    const [event] = eventsOf(await t.auditEvents(), 'certification.campaign_create', `campaign:${detail.id}`);
    expect(event).toMatchObject({ actor: 'heidi', details: { items: detail.items.length } });
  });

  it('an identity holding neither certify nor administer may not open a campaign', async () => {
    const error = await refusal(
      createCampaign(
        as(
          t.app,
          'alice',
        )({ name: 'mine', kinds: ['grant'], period: { from: 0, to: 1 }, deadline: t.clock.now() + HOUR }),
      ),
    );
    expect(error.code).toBe('forbidden');
    expect(eventsOf(await t.auditEvents(), 'certification.campaign_create_refused')).toHaveLength(1);
  });

  it('revoking an API assignment removes it at once', async () => {
    const assignment = await assignApproved(t.app, 'peggy', 'victor', {
      role: 'dba-staging',
      subject: { type: 'identity', name: 'quinn' },
    });
    const detail = await campaign(['role_assignment']);
    const item = itemFor(detail, assignment.id);
    const result = await certifyItem(
      as(t.app, 'heidi')({ campaignId: detail.id, itemId: item.id, decision: 'revoke', comment: 'no longer needed' }),
    );
    expect(result.item).toMatchObject({ status: 'revoked', decidedBy: 'heidi', enforcement: 'assignment_removed' });
    const row = await ctx.database.db
      .selectFrom('role_assignments')
      .selectAll()
      .where('id', '=', assignment.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ removed_by: 'heidi' });
    expect(row.removed_at).not.toBeNull();
    const [event] = eventsOf(await t.auditEvents(), 'certification.revoke', `certification_item:${item.id}`);
    expect(event).toMatchObject({
      actor: 'heidi',
      details: { enforcement: 'assignment_removed', comment: 'no longer needed' },
    });
  });

  it('revoking a policy assignment suspends it at once and through reloads, until the files stop naming it', async () => {
    const detail = await campaign(['role_assignment']);
    const item = detail.items.find((candidate) => candidate.role === 'payments-engineer')!;
    expect(item.holders).toContain('bob');
    const result = await certifyItem(as(t.app, 'ivan')({ campaignId: detail.id, itemId: item.id, decision: 'revoke' }));
    expect(result.item).toMatchObject({ status: 'revoked', enforcement: 'policy_assignment_suspended' });
    expect(eventsOf(await t.auditEvents(), 'certification.revoke', `certification_item:${item.id}`)).toHaveLength(1);

    // In force nowhere: bob held `request` on production only through it.
    const refused = await refusal(createRequest(as(t.app, 'bob')(SHORT_READ)));
    expect(refused.code).toBe('forbidden');

    // Reloading the same files keeps it suspended.
    const policy = t.runtime.loaded;
    const again = await loadPolicy({ app: t.app, actor: SYSTEM_POLICY, input: { policy, documents: [] } });
    expect(again.suspendedAssignments).toEqual(['payments-engineer/group:payments']);
    await expect(refusal(createRequest(as(t.app, 'bob')(SHORT_READ)))).resolves.toMatchObject({ code: 'forbidden' });

    // A load that no longer names it lifts the mark; a later one that names it again grants it again.
    const without = { ...policy, assignments: policy.assignments.filter((a) => a.role !== 'payments-engineer') };
    const dropped = await loadPolicy({ app: t.app, actor: SYSTEM_POLICY, input: { policy: without, documents: [] } });
    expect(dropped.unsuspendedAssignments).toEqual(['payments-engineer/group:payments']);
    t.clock.advance(1000);
    const restored = await loadPolicy({ app: t.app, actor: SYSTEM_POLICY, input: { policy, documents: [] } });
    expect(restored.addedAssignments).toEqual(['payments-engineer/group:payments']);
    const created = await createRequest(as(t.app, 'bob')(SHORT_READ));
    expect(created.requester).toBe('bob');
  });

  it('a certifier who holds the access under review may not certify it, and an item is decided once', async () => {
    const detail = await campaign(['role_assignment']);
    const item = detail.items.find((candidate) => candidate.role === 'access-reviewer')!;
    const own = await refusal(
      certifyItem(as(t.app, 'heidi')({ campaignId: detail.id, itemId: item.id, decision: 'keep' })),
    );
    expect(own.code).toBe('sod_violation');
    expect(own.message).toContain('heidi');
    const [refused] = eventsOf(await t.auditEvents(), 'certification.decide_refused');
    expect(refused).toMatchObject({ actor: 'heidi' });

    const auditors = detail.items.find((candidate) => candidate.role === 'auditor')!;
    await certifyItem(as(t.app, 'heidi')({ campaignId: detail.id, itemId: auditors.id, decision: 'keep' }));
    const again = await refusal(
      certifyItem(as(t.app, 'ivan')({ campaignId: detail.id, itemId: auditors.id, decision: 'revoke' })),
    );
    expect(again.code).toBe('conflict');
  });

  it('revoking an active grant tears it down and records the certifier on its request', async () => {
    const request = await createRequest(as(t.app, 'bob')(SHORT_READ));
    await activateRequest(as(t.app, 'bob')({ id: request.id }));
    const grant = await grantOf(request.id);
    const detail = await campaign(['grant']);
    const item = itemFor(detail, grant.id);
    expect(item.holders).toEqual(['bob']);
    expect(item.summary.expiresAt).toBe(new Date(Number(grant.expires_at)).toISOString());
    const result = await certifyItem(as(t.app, 'ivan')({ campaignId: detail.id, itemId: item.id, decision: 'revoke' }));
    expect(result.teardown).toMatchObject({ outcome: 'revoked', grantId: grant.id });
    expect((await grantOf(request.id)).status).toBe('revoked');
    const stored = await ctx.database.db
      .selectFrom('requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(stored.certifier).toBe('ivan');
  });

  it('an approver of a high-risk request may not certify it; another certifier may', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_SQL));
    await approveRequest(as(t.app, 'frank')({ id: request.id, digest: request.digest }));
    await approveRequest(as(t.app, 'heidi')({ id: request.id, digest: request.digest }));
    await executeRequest(as(t.app, 'alice')({ id: request.id }));
    const detail = await campaign(['high_risk_request']);
    const item = itemFor(detail, request.id);
    expect(item.summary).toMatchObject({ risk: 'high', approvers: ['frank', 'heidi'], createdAt: request.createdAt });
    // The view writes the summary's time as ISO 8601; the store keeps it as it was recorded, in epoch milliseconds.
    const storedItem = await ctx.database.db
      .selectFrom('certification_items')
      .select('summary')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(storedItem.summary)).toMatchObject({ createdAt: Date.parse(request.createdAt) });
    const error = await refusal(
      certifyItem(as(t.app, 'heidi')({ campaignId: detail.id, itemId: item.id, decision: 'keep' })),
    );
    expect(error.code).toBe('sod_violation');
    const kept = await certifyItem(as(t.app, 'ivan')({ campaignId: detail.id, itemId: item.id, decision: 'keep' }));
    expect(kept.item.status).toBe('kept');
    expect(eventsOf(await t.auditEvents(), 'certification.keep', `certification_item:${item.id}`)).toHaveLength(1);
  });

  it('at the deadline unreviewed items are revoked when the campaign says so, once', async () => {
    const assignment = await assignApproved(t.app, 'peggy', 'victor', {
      role: 'dba-staging',
      subject: { type: 'identity', name: 'dan' },
    });
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));
    await activateRequest(as(t.app, 'alice')({ id: request.id }));
    const detail = await campaign(['role_assignment', 'grant'], 'revoke');
    t.clock.advance(8 * 24 * HOUR);
    const closed = await closeOverdueCampaigns(t.app, t.clock.now());
    expect(closed.campaigns).toBeGreaterThanOrEqual(1);
    // Every standing assignment went unreviewed; those giving administer, audit or certify were escalated, not
    // revoked, so olivia (an auditor) can still look.
    const seen = await showCampaign(as(t.app, 'olivia')({ id: detail.id }));
    expect(seen.items.find((item) => item.role === 'auditor')).toMatchObject({ status: 'escalated' });
    const campaignRow = await ctx.database.db
      .selectFrom('certification_campaigns')
      .select('status')
      .where('id', '=', detail.id)
      .executeTakeFirstOrThrow();
    expect(campaignRow.status).toBe('closed');
    const items = await ctx.database.db
      .selectFrom('certification_items')
      .select(['target', 'status', 'decided_by', 'enforcement'])
      .where('campaign_id', '=', detail.id)
      .execute();
    expect(items.find((row) => row.target === assignment.id)).toMatchObject({
      status: 'revoked',
      decided_by: 'system:scheduler',
      enforcement: 'assignment_removed',
    });
    expect(items.filter((row) => row.enforcement === 'policy_assignment_suspended').length).toBeGreaterThan(0);
    expect((await grantOf(request.id)).status).toBe('revoked');
    expect(eventsOf(await t.auditEvents(), 'certification.campaign_close', `campaign:${detail.id}`)).toHaveLength(1);
    const again = await closeOverdueCampaigns(t.app, t.clock.now());
    expect(again).toMatchObject({ campaigns: 0, revoked: 0, escalated: 0 });
  });

  it('at the deadline unreviewed items are escalated when the campaign says so, and can still be decided', async () => {
    const detail = await campaign(['role_assignment'], 'escalate');
    t.clock.advance(8 * 24 * HOUR);
    await closeOverdueCampaigns(t.app, t.clock.now());
    const after = await showCampaign(as(t.app, 'heidi')({ id: detail.id }));
    expect(after.items.every((item) => item.status === 'escalated')).toBe(true);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'certification.escalate').length).toBe(detail.items.length);
    const item = after.items.find((candidate) => candidate.role === 'auditor')!;
    const kept = await certifyItem(as(t.app, 'heidi')({ campaignId: detail.id, itemId: item.id, decision: 'keep' }));
    expect(kept.item.status).toBe('kept');
  });

  it('a break-glass use is listed until reviewed, flagged overdue past reviewWithin, and reviewed once', async () => {
    const used = await breakGlass(
      as(t.app, 'ken')({ resource: 'payments-db', action: 'read', duration: '30m', justification: 'INC-11 outage' }),
    );
    const id = used.request.id;
    const pending = await listBreakGlassReviews(as(t.app, 'heidi')({}));
    expect(pending.find((use) => use.id === id)).toMatchObject({ requester: 'ken', overdue: false });
    t.clock.advance(25 * HOUR);
    const overdue = await listBreakGlassReviews(as(t.app, 'olivia')({ status: 'overdue' }));
    expect(overdue.map((use) => use.id)).toContain(id);

    const self = await refusal(reviewBreakGlass(as(t.app, 'ken')({ id, decision: 'keep' })));
    expect(self.code).not.toBe('conflict');
    const reviewed = await reviewBreakGlass(as(t.app, 'heidi')({ id, decision: 'keep', comment: 'justified' }));
    expect(reviewed).toMatchObject({ certifier: 'heidi', late: true, decision: 'keep' });
    const [event] = eventsOf(await t.auditEvents(), 'request.break_glass_review', `request:${id}`);
    expect(event).toMatchObject({ actor: 'heidi', details: { late: true, decision: 'keep' } });
    const twice = await refusal(reviewBreakGlass(as(t.app, 'ivan')({ id, decision: 'revoke' })));
    expect(twice.code).toBe('conflict');
    const remaining = await listBreakGlassReviews(as(t.app, 'heidi')({}));
    expect(remaining.map((use) => use.id)).not.toContain(id);
  });

  it('revoking a break-glass use on review tears its grant down', async () => {
    const used = await breakGlass(
      as(t.app, 'judy')({ resource: 'payments-db', action: 'read', duration: '30m', justification: 'INC-12 outage' }),
    );
    const reviewed = await reviewBreakGlass(as(t.app, 'ivan')({ id: used.request.id, decision: 'revoke' }));
    expect(reviewed.teardown).toMatchObject({ outcome: 'revoked' });
    expect((await grantOf(used.request.id)).status).toBe('revoked');
  });

  it('someone holding none of certify, audit or administer may not see reviews', async () => {
    const error = await refusal(listBreakGlassReviews(as(t.app, 'alice')({})));
    expect(error.code).toBe('forbidden');
  });
});
