/**
 * `countersign certify …` over a real listening server: open a campaign, look at its items, keep and revoke
 * them (never one's own access), and review a break-glass use.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientRunner, startClientServer, type ClientServer } from './client-harness.js';

interface Item {
  readonly id: string;
  readonly role: string | null;
  readonly status: string;
}

describe('the client CLI over a real listening server: certification', () => {
  let server: ClientServer;
  /** A runner of its own per test: its tokens are the test's server's. */
  let as: ReturnType<typeof clientRunner>;

  // Each test has a server of its own and opens the campaign it needs, so none relies on another having run.
  beforeEach(async () => {
    server = await startClientServer();
    as = clientRunner(() => server);
  });
  afterEach(async () => {
    await server.close();
  });

  const CREATE = [
    'certify',
    'create',
    '--name',
    'Q4 access review',
    '--kinds',
    'role_assignment',
    '--from',
    '90d',
    '--deadline',
    '14d',
    '--on-missed',
    'escalate',
    '--json',
  ];

  interface Campaign {
    readonly id: string;
    readonly period: { from: string; to: string };
    readonly deadline: string;
    readonly items: Item[];
  }

  /** heidi opens the Q4 review of role assignments, as the first test does. */
  async function openCampaign(): Promise<{ campaignId: string; items: Item[]; itemOf: (role: string) => Item }> {
    const run = await as('heidi', CREATE);
    expect(run.code, run.stderr).toBe(0);
    const { id, items } = JSON.parse(run.stdout) as Campaign;
    const itemOf = (role: string): Item => {
      const item = items.find((candidate) => candidate.role === role);
      if (item === undefined) throw new Error(`no item for role '${role}'`);
      return item;
    };
    return { campaignId: id, items, itemOf };
  }

  it('certify create opens a campaign from durations and dates, and certify campaigns lists it', async () => {
    const run = await as('heidi', CREATE);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const campaign = JSON.parse(run.stdout) as Campaign;
    expect(campaign).toMatchObject({ name: 'Q4 access review', status: 'open', onMissed: 'escalate' });
    const to = Date.parse(campaign.period.to);
    expect(to - Date.parse(campaign.period.from)).toBeGreaterThan(89 * 86_400_000);
    expect(Date.parse(campaign.deadline) - to).toBeGreaterThan(13 * 86_400_000);
    const { id: campaignId, items } = campaign;

    const table = await as('olivia', ['certify', 'campaigns']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+KINDS\s+PERIOD\s+DEADLINE\s+ON MISSED\s+PROGRESS/);
    expect(table.stdout).toMatch(
      new RegExp(
        `${campaignId}\\s+Q4 access review\\s+open\\s+role_assignment\\s+.*escalate\\s+0/${items.length} decided`,
      ),
    );
    // Times read as the API wrote them: the period's dates and the deadline in ISO 8601.
    expect(table.stdout).toContain(`${campaign.period.from.slice(0, 10)} – ${campaign.period.to.slice(0, 10)}`);
    expect(table.stdout).toContain(campaign.deadline);
    const events = (await server.t.auditEvents()).filter((e) => e.action.startsWith('certification.'));
    expect(events.map((e) => [e.action, e.actor])).toContainEqual(['certification.campaign_create', 'heidi']);
  });

  it('a malformed deadline is a usage error before anything is sent', async () => {
    const run = await as('heidi', [
      'certify',
      'create',
      '--name',
      'x',
      '--kinds',
      'grant',
      '--from',
      '2026-01-01',
      '--deadline',
      'next friday',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--deadline 'next friday' is not a date");
  });

  it('certify show lists the items with what they are and who holds them', async () => {
    const { campaignId, items, itemOf } = await openCampaign();
    const run = await as('heidi', ['certify', 'show', campaignId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`campaign ${campaignId} 'Q4 access review' is open: 0/${items.length} decided`);
    expect(run.stdout).toMatch(/^ITEM\s+KIND\s+WHAT\s+HOLDERS\s+STATUS/m);
    expect(run.stdout).toMatch(
      new RegExp(
        `${itemOf('access-reviewer').id}\\s+role_assignment\\s+role access-reviewer ← group:security\\s+heidi, ivan\\s+pending`,
      ),
    );
  });

  it('certifying one’s own access is refused with exit 1 and the reason', async () => {
    const { campaignId, itemOf } = await openCampaign();
    const run = await as('heidi', ['certify', 'keep', itemOf('access-reviewer').id]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*heidi/);
    const shown = await as('heidi', ['certify', 'show', campaignId, '--json']);
    const detail = JSON.parse(shown.stdout) as { items: Item[] };
    expect(detail.items.find((i) => i.id === itemOf('access-reviewer').id)?.status).toBe('pending');
    const events = (await server.t.auditEvents()).filter((e) => e.action.startsWith('certification.'));
    expect(events.map((e) => [e.action, e.actor])).toContainEqual(['certification.decide_refused', 'heidi']);
  });

  it('certify keep finds the item’s campaign by itself; certify revoke with --campaign enforces the revoke', async () => {
    const { campaignId, itemOf } = await openCampaign();
    const kept = await as('heidi', ['certify', 'keep', itemOf('auditor').id, '--comment', 'still auditing']);
    expect(kept.stderr).toBe('');
    expect(kept.code).toBe(0);
    expect(kept.stdout.trim()).toBe(`item ${itemOf('auditor').id} (role auditor ← group:auditors) is kept by heidi`);

    const revoked = await as('ivan', [
      'certify',
      'revoke',
      itemOf('payments-engineer').id,
      '--campaign',
      campaignId,
      '--comment',
      'team reorganised',
    ]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('is revoked by ivan, policy_assignment_suspended');

    const again = await as('ivan', ['certify', 'keep', itemOf('auditor').id, '--campaign', campaignId]);
    expect(again.code).toBe(1);
    const decided = await as('olivia', ['certify', 'show', campaignId, '--status', 'kept', '--json']);
    expect((JSON.parse(decided.stdout) as { items: Item[] }).items.map((i) => i.id)).toEqual([itemOf('auditor').id]);
    const events = (await server.t.auditEvents()).filter((e) => e.action.startsWith('certification.'));
    expect(events.map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['certification.campaign_create', 'heidi'],
        ['certification.keep', 'heidi'],
        ['certification.revoke', 'ivan'],
      ]),
    );
  });

  it('certify break-glass list shows a use awaiting review, and review keeps it', async () => {
    const glass = await as('judy', [
      'break-glass',
      '--resource',
      'payments-db',
      '--action',
      'read',
      '--duration',
      '15m',
      '--justification',
      'INC-9',
      '--json',
    ]);
    expect(glass.code).toBe(0);
    const requestId = (JSON.parse(glass.stdout) as { request: { id: string } }).request.id;
    const listed = await as('heidi', ['certify', 'break-glass', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${requestId}\\s+judy\\s+payments-db\\s+read\\s+`));

    const own = await as('judy', ['certify', 'break-glass', 'review', requestId, '--decision', 'keep']);
    expect(own.code).toBe(1);
    const reviewed = await as('ivan', [
      'certify',
      'break-glass',
      'review',
      requestId,
      '--decision',
      'keep',
      '--comment',
      'justified by INC-9',
    ]);
    expect(reviewed.code).toBe(0);
    expect(reviewed.stdout).toContain(`break-glass use ${requestId}: kept by ivan at`);
    const after = await as('heidi', ['certify', 'break-glass', 'list', '--json']);
    expect((JSON.parse(after.stdout) as { reviews: { id: string }[] }).reviews.map((r) => r.id)).not.toContain(
      requestId,
    );
  });
});
