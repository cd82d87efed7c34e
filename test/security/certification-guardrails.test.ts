/**
 * Issue #9, item 6: a certification campaign must not become a one-person mass revocation. Each test is an
 * attack by one certifier on the example company (examples/policy), on both dialects: a campaign with a
 * deadline seconds away and `onMissed: revoke`, a missed deadline that would suspend every administrator,
 * auditor and certifier, and a direct revoke of the only assignment that gives `audit`.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { closeOverdueCampaigns } from '../../src/features/certifications/certifications-deadline.job.js';
import { restoreCertificationRevoke } from '../../src/features/certifications/certifications-restore.verb.js';
import {
  certifyItem,
  createCampaign,
  showCampaign,
  type CampaignDetail,
} from '../../src/features/certifications/certifications.verbs.js';
import { createRequest } from '../../src/features/requests/requests.verbs.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp, TEST_START, type TestApp } from '../app/harness.js';
import { as, eventsOf, refusal, SHORT_READ } from '../app/requests-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachDialect('certification guardrails', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });
  // The suite shares one database: revoked policy assignments would stay suspended for the next test's reload.
  afterEach(async () => {
    await ctx.database.db.updateTable('role_assignments').set({ revoked_by_certification: null }).execute();
  });

  function campaign(deadline: number, onMissed: 'revoke' | 'escalate' = 'revoke'): Promise<CampaignDetail> {
    return createCampaign(
      as(
        t.app,
        'heidi',
      )({
        name: 'lights out',
        kinds: ['role_assignment'],
        period: { from: TEST_START - HOUR, to: TEST_START + HOUR },
        deadline,
        onMissed,
      }),
    );
  }

  it('a campaign whose deadline is 20 seconds away is refused as invalid and the refusal is recorded', async () => {
    const error = await refusal(campaign(t.clock.now() + 20_000));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('review window');
    expect(eventsOf(await t.auditEvents(), 'certification.campaign_create_refused')).toHaveLength(1);
    const created = await ctx.database.db
      .selectFrom('certification_campaigns')
      .select('id')
      .where('created_at', '=', t.clock.now())
      .execute();
    expect(created).toHaveLength(0);
  });

  it('a missed deadline with onMissed revoke escalates administer, audit and certify instead of suspending them', async () => {
    const detail = await campaign(t.clock.now() + 7 * DAY);
    t.clock.advance(8 * DAY);
    await closeOverdueCampaigns(t.app, t.clock.now());
    // The auditor, the administrator and the certifiers still hold their duties: they can still look.
    const after = await showCampaign(as(t.app, 'olivia')({ id: detail.id }));
    for (const role of ['auditor', 'platform-admin', 'access-reviewer']) {
      const item = after.items.find((candidate) => candidate.role === role);
      expect(item, role).toMatchObject({ status: 'escalated', enforcement: null });
    }
    // Access that gives none of those duties is still revoked as the campaign said.
    expect(after.items.find((item) => item.role === 'payments-engineer')).toMatchObject({ status: 'revoked' });
    const escalations = eventsOf(await t.auditEvents(), 'certification.escalate');
    const privileged = escalations.filter((event) =>
      (event.details['reasons'] as { code: string }[]).some((r) => r.code === 'certification.missed_privileged'),
    );
    expect(privileged.length).toBeGreaterThanOrEqual(3);
  });

  it("a certifier cannot revoke the only assignment that gives 'audit'", async () => {
    const detail = await campaign(t.clock.now() + 7 * DAY, 'escalate');
    const auditors = detail.items.find((candidate) => candidate.role === 'auditor')!;
    const error = await refusal(
      certifyItem(as(t.app, 'heidi')({ campaignId: detail.id, itemId: auditors.id, decision: 'revoke' })),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain("last holder of 'audit'");
    const [refused] = eventsOf(await t.auditEvents(), 'certification.decide_refused');
    expect(refused).toMatchObject({ actor: 'heidi' });
    // Olivia still audits.
    await expect(showCampaign(as(t.app, 'olivia')({ id: detail.id }))).resolves.toMatchObject({ id: detail.id });
  });

  it('the operator puts back an assignment a missed deadline suspended; the restore is audited as the operator', async () => {
    const detail = await campaign(t.clock.now() + 7 * DAY);
    t.clock.advance(8 * DAY);
    await closeOverdueCampaigns(t.app, t.clock.now());
    const item = detail.items.find((candidate) => candidate.role === 'payments-engineer')!;
    await expect(refusal(createRequest(as(t.app, 'bob')(SHORT_READ)))).resolves.toMatchObject({ code: 'forbidden' });

    const restored = await restoreCertificationRevoke(
      as(t.app, SYSTEM_OPERATOR)({ item: item.id, reason: 'campaign closed before anyone looked, INC-90' }),
    );
    expect(restored).toMatchObject({ role: 'payments-engineer', previousEnforcement: 'policy_assignment_suspended' });
    await expect(createRequest(as(t.app, 'bob')(SHORT_READ))).resolves.toMatchObject({ requester: 'bob' });
    const [event] = eventsOf(await t.auditEvents(), 'certification.restore', `certification_item:${item.id}`);
    expect(event).toMatchObject({
      actor: SYSTEM_OPERATOR,
      details: { reason: 'campaign closed before anyone looked, INC-90', revokedBy: 'system:scheduler' },
    });
    const again = await refusal(restoreCertificationRevoke(as(t.app, SYSTEM_OPERATOR)({ item: item.id, reason: 'x' })));
    expect(again.code).toBe('conflict');
  });
});
