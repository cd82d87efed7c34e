/**
 * The certification scheduler job (SPEC §2.9): campaigns past their deadline are closed, and every item nobody
 * reviewed is revoked (enforced as by a certifier) or escalated (urgent notification), as the campaign says —
 * except that an item giving `administer`, `audit` or `certify` is always escalated, never revoked unreviewed.
 */
import { missedDeadlineOutcome } from '../../decide/certification.decide.js';
import { SYSTEM_SCHEDULER } from '../../policy/model.js';
import { dutiesOfItem } from './certification-items.js';
import { recordDecision } from './certifications.verbs.js';
import type { AppContext } from '../../app/context.js';
import { teardownGrant, type TeardownOutcome } from '../grants/index.js';
import { inTransaction } from '../../app/transaction.js';

export interface CloseOverdueResult {
  readonly campaigns: number;
  readonly revoked: number;
  readonly escalated: number;
  readonly teardowns: readonly TeardownOutcome[];
}

/**
 * The scheduler job: closes every open campaign whose deadline has passed, revoking or escalating each item
 * still open as the campaign says (`missedDeadlineOutcome`). Invariant: a campaign is closed by exactly one
 * caller (the close is a conditional update inside the same transaction), so items are handled once even with
 * several replicas; grants are torn down after commit.
 */
export async function closeOverdueCampaigns(app: AppContext, now: number): Promise<CloseOverdueResult> {
  const due = await app.database.db
    .selectFrom('certification_campaigns')
    .select('id')
    .where('status', '=', 'open')
    .where('deadline', '<=', now)
    .orderBy('deadline')
    .limit(100)
    .execute();
  let campaigns = 0;
  let revoked = 0;
  let escalated = 0;
  const teardowns: TeardownOutcome[] = [];
  for (const { id } of due) {
    const { value } = await inTransaction(app, async (scope) => {
      const { trx, audit, notify } = scope;
      const claimed = await trx
        .updateTable('certification_campaigns')
        .set({ status: 'closed', closed_at: scope.now })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return undefined;
      const campaign = await trx
        .selectFrom('certification_campaigns')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const open = await trx
        .selectFrom('certification_items')
        .selectAll()
        .where('campaign_id', '=', id)
        .where('status', 'in', ['pending', 'escalated'])
        .orderBy('id')
        .execute();
      const grants: string[] = [];
      const counts = { revoked: 0, escalated: 0 };
      const { policy } = await app.policy.snapshot(trx, scope.now);
      for (const row of open) {
        const duties = dutiesOfItem(row, policy);
        const missed = missedDeadlineOutcome(campaign.on_missed, { id: row.id, status: row.status }, duties);
        if (missed.outcome === 'revoke') {
          const enforced = await recordDecision(scope, row, 'revoke', SYSTEM_SCHEDULER, missed.reason.message);
          if (enforced.grantId !== undefined) grants.push(enforced.grantId);
          counts.revoked += 1;
          audit({
            actor: SYSTEM_SCHEDULER,
            action: 'certification.revoke',
            subject: `certification_item:${row.id}`,
            details: {
              campaign: id,
              kind: row.kind,
              target: row.target,
              enforcement: enforced.enforcement,
              reasons: [{ ...missed.reason }],
            },
          });
        } else if (missed.outcome === 'escalate') {
          await trx
            .updateTable('certification_items')
            .set({ status: 'escalated', version: row.version + 1 })
            .where('id', '=', row.id)
            .execute();
          counts.escalated += 1;
          audit({
            actor: SYSTEM_SCHEDULER,
            action: 'certification.escalate',
            subject: `certification_item:${row.id}`,
            details: { campaign: id, kind: row.kind, target: row.target, reasons: [{ ...missed.reason }] },
          });
          notify(
            'certification.escalated',
            { campaign: id, item: row.id, kind: row.kind, target: row.target },
            { urgent: true },
          );
        }
      }
      audit({
        actor: SYSTEM_SCHEDULER,
        action: 'certification.campaign_close',
        subject: `campaign:${id}`,
        details: { deadline: Number(campaign.deadline), onMissed: campaign.on_missed, ...counts },
      });
      return { grants, counts };
    });
    if (value === undefined) continue;
    campaigns += 1;
    revoked += value.counts.revoked;
    escalated += value.counts.escalated;
    for (const grantId of value.grants) {
      teardowns.push(
        await teardownGrant(app, {
          grantId,
          actor: SYSTEM_SCHEDULER,
          reason: `certification campaign '${id}' missed its deadline`,
          kind: 'revoke',
        }),
      );
    }
  }
  return { campaigns, revoked, escalated, teardowns };
}
