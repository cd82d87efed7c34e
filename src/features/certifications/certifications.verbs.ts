/**
 * Certification campaigns (SPEC §2.9): open a campaign (its items are generated at once), look at campaigns,
 * keep or revoke an item (a revoke is enforced at once). Closing campaigns past their deadline is the scheduler
 * job in `certifications-deadline.job.ts`. Who may certify what is decided in
 * `src/decide/certification.decide.ts`; break-glass reviews are in `certifications-break-glass.verbs.ts`.
 *
 * A revoked policy-file assignment cannot be deleted here (the YAML policy is the source of truth), so it is
 * suspended at once: enforcement `policy_assignment_suspended`, out of every snapshot and kept out by reloads
 * while the files name it (migration 0008), and an urgent `certification.policy_change_required` notification
 * asks for the files to be changed.
 */
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import {
  CERTIFICATION_ITEM_KINDS,
  decideCampaignCreation,
  decideCertification,
  decideCertificationRead,
  decideReviewWindow,
  DEFAULT_MIN_REVIEW_WINDOW_MS,
} from '../../decide/certification.decide.js';
import { decideLastHolders } from '../../decide/last-holder.decide.js';
import { SYSTEM_SCHEDULER } from '../../policy/model.js';
import { toJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import {
  enforceRevoke,
  generateItems,
  holdingAssignmentId,
  markRequestCertified,
  subjectOf,
} from './certification-items.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { teardownGrant } from '../grants/index.js';
import { parseInput } from '../../app/verb-support.js';
import { firstMessage, refuse } from '../../app/refuse.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import {
  toCampaignView,
  toItemView,
  toTeardownView,
  type CampaignDetailView,
  type CampaignView,
  type CertificationDecisionView,
  type CertificationItemView,
} from './certification.view.js';

const ID = z.string().min(1).max(100);
const instant = z.number().int().min(0);

export const createCampaignSchema = z.strictObject({
  name: z.string().min(1).max(200),
  kinds: z.array(z.enum(CERTIFICATION_ITEM_KINDS)).min(1).max(4),
  period: z.strictObject({ from: instant, to: instant }),
  deadline: instant,
  onMissed: z.enum(['revoke', 'escalate']).default('escalate'),
});
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;

/** A campaign with its items, as its creation and `showCampaign` answer it. */
export type CampaignDetail = CampaignDetailView;

async function campaignDetail(scope: Pick<TransactionScope, 'trx'>, id: string): Promise<CampaignDetail> {
  const row = await scope.trx.selectFrom('certification_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', `certification campaign '${id}' does not exist`);
  const items = await scope.trx
    .selectFrom('certification_items')
    .selectAll()
    .where('campaign_id', '=', id)
    .orderBy('kind')
    .orderBy('target')
    .execute();
  return { ...toCampaignView(row, items), items: items.map(toItemView) };
}

type Outcome<T> = { readonly done: T } | { readonly refused: readonly Reason[] };

/**
 * Opens a campaign and generates its items. Invariants: only a holder of `certify` or `administer` opens one;
 * the deadline lies at least the minimum review window ahead (`invalid` otherwise, recorded) and the period is
 * not empty; the items are fixed at creation.
 */
export async function createCampaign({ app, actor, input }: VerbCall<CreateCampaignInput>): Promise<CampaignDetail> {
  const parsed = parseInput(createCampaignSchema, input);
  if (parsed.period.to <= parsed.period.from)
    throw new AppError('invalid', "the period's 'to' must come after its 'from'");
  const kinds = [...new Set(parsed.kinds)].sort();
  const { value } = await inTransaction(app, async (scope): Promise<Outcome<CampaignDetail>> => {
    const { trx, now, audit, notify } = scope;
    const snapshot = await app.policy.snapshot(trx, now);
    const verdict = decideCampaignCreation(snapshot.duties, actor);
    if (!verdict.allowed) return { refused: verdict.reasons };
    const window = decideReviewWindow(
      parsed.deadline,
      now,
      app.certificationMinWindowMs ?? DEFAULT_MIN_REVIEW_WINDOW_MS,
    );
    if (!window.allowed) return { refused: window.reasons };
    const id = newId('cmp');
    await trx
      .insertInto('certification_campaigns')
      .values({
        id,
        name: parsed.name,
        kinds: toJsonText(kinds),
        period_from: parsed.period.from,
        period_to: parsed.period.to,
        deadline: parsed.deadline,
        on_missed: parsed.onMissed,
        status: 'open',
        created_by: actor,
        created_at: now,
        closed_at: null,
      })
      .execute();
    const items = await generateItems(trx, id, kinds, parsed.period, snapshot, now);
    // Inserted in slices: PostgreSQL caps the number of bind parameters of one statement.
    for (let start = 0; start < items.length; start += 500) {
      await trx
        .insertInto('certification_items')
        .values(items.slice(start, start + 500))
        .execute();
    }
    const detail = await campaignDetail(scope, id);
    audit({
      actor,
      action: 'certification.campaign_create',
      subject: `campaign:${id}`,
      details: {
        name: parsed.name,
        kinds,
        period: parsed.period,
        deadline: parsed.deadline,
        onMissed: parsed.onMissed,
        items: items.length,
        reasons: [...verdict.reasons, ...window.reasons].map((r) => ({ ...r })),
      },
    });
    notify('certification.campaign_opened', {
      campaign: id,
      name: parsed.name,
      items: items.length,
      deadline: parsed.deadline,
    });
    return { done: detail };
  });
  if ('done' in value) return value.done;
  throw await refuse(app, {
    actor,
    action: 'certification.campaign_create_refused',
    subject: `campaign:${parsed.name}`,
    refusal: refusalOf(value.refused),
    otherwise: `'${actor}' may not open a certification campaign`,
    details: { deadline: parsed.deadline, onMissed: parsed.onMissed },
  });
}

async function readAs<T>(app: AppContext, actor: string, read: (scope: TransactionScope) => Promise<T>): Promise<T> {
  const { value } = await inTransaction(app, async (scope): Promise<Outcome<T>> => {
    const snapshot = await app.policy.snapshot(scope.trx, scope.now);
    const verdict = decideCertificationRead(snapshot.duties, actor);
    if (!verdict.allowed) return { refused: verdict.reasons };
    return { done: await read(scope) };
  });
  if ('done' in value) return value.done;
  throw new AppError('forbidden', firstMessage(value.refused, `'${actor}' may not see access reviews`));
}

export const listCampaignsSchema = z.strictObject({ status: z.enum(['open', 'closed']).optional() });

/** Campaigns, newest first (at most 200), for holders of `certify`, `audit` or `administer`. */
export async function listCampaigns({
  app,
  actor,
  input,
}: VerbCall<z.input<typeof listCampaignsSchema>>): Promise<CampaignView[]> {
  const { status } = parseInput(listCampaignsSchema, input);
  return readAs(app, actor, async ({ trx }) => {
    let query = trx.selectFrom('certification_campaigns').selectAll();
    if (status !== undefined) query = query.where('status', '=', status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
    const items =
      rows.length === 0
        ? []
        : await trx
            .selectFrom('certification_items')
            .select(['campaign_id', 'status'])
            .where(
              'campaign_id',
              'in',
              rows.map((row) => row.id),
            )
            .execute();
    return rows.map((row) =>
      toCampaignView(
        row,
        items.filter((item) => item.campaign_id === row.id),
      ),
    );
  });
}

export const showCampaignSchema = z.strictObject({ id: ID });

/** One campaign with its items. */
export async function showCampaign({
  app,
  actor,
  input,
}: VerbCall<z.input<typeof showCampaignSchema>>): Promise<CampaignDetail> {
  const { id } = parseInput(showCampaignSchema, input);
  return readAs(app, actor, (scope) => campaignDetail(scope, id));
}

export const certifyItemSchema = z.strictObject({
  campaignId: ID,
  itemId: ID,
  decision: z.enum(['keep', 'revoke']),
  comment: z.string().min(1).max(2000).optional(),
});
export type CertifyItemInput = z.input<typeof certifyItemSchema>;

/** The decided item and, when a revoke had a grant to tear down, what tearing it down did. */
export type CertifyItemResult = CertificationDecisionView;

/**
 * Writes a decision on an item and its enforcement; returns the grant to tear down after commit, if any. A role
 * assignment taken out of force is announced (`duties`), so `check` stops counting it from the next call.
 */
export async function recordDecision(
  scope: TransactionScope,
  row: Row<'certification_items'>,
  decision: 'keep' | 'revoke',
  actor: string,
  comment: string | null,
): Promise<{ enforcement: string | null; grantId?: string }> {
  const { trx, now } = scope;
  const enforced = decision === 'revoke' ? await enforceRevoke(trx, row, actor, now) : { enforcement: null };
  if (enforced.enforcement === 'assignment_removed' || enforced.enforcement === 'policy_assignment_suspended') {
    scope.announce({ kind: 'duties' });
  }
  const updated = await trx
    .updateTable('certification_items')
    .set({
      status: decision === 'keep' ? 'kept' : 'revoked',
      decided_by: actor,
      decided_at: now,
      comment,
      enforcement: enforced.enforcement,
      version: row.version + 1,
    })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError('conflict', `certification item '${row.id}' changed concurrently; retry`);
  }
  if (row.request_id !== null && actor !== SYSTEM_SCHEDULER)
    await markRequestCertified(trx, row.request_id, actor, now);
  if (enforced.enforcement === 'policy_assignment_suspended') {
    // Suspended at once; the files must still drop it, or it stays suspended at every reload.
    scope.notify(
      'certification.policy_change_required',
      { item: row.id, campaign: row.campaign_id, assignment: row.target, role: row.role, decidedBy: actor },
      { urgent: true },
    );
  }
  return enforced;
}

/**
 * Keeps or revokes one item. Invariants: the certifier passes `decideCertification` (holds `certify`, is not a
 * holder, requester, assigner or approver of the item); a revoke never removes the last holder of `administer`
 * or `audit` (`decideLastHolders`); an item is decided once; a revoke is enforced in the
 * same transaction (assignment removed) or right after commit (grant torn down by `teardownGrant`).
 */
export async function certifyItem({ app, actor, input }: VerbCall<CertifyItemInput>): Promise<CertifyItemResult> {
  const parsed = parseInput(certifyItemSchema, input);
  const { value } = await inTransaction(
    app,
    async (scope): Promise<Outcome<{ item: CertificationItemView; grantId?: string }>> => {
      const { trx, now, audit } = scope;
      const row = await trx
        .selectFrom('certification_items')
        .selectAll()
        .where('id', '=', parsed.itemId)
        .where('campaign_id', '=', parsed.campaignId)
        .executeTakeFirst();
      if (row === undefined) {
        throw new AppError('not_found', `campaign '${parsed.campaignId}' has no item '${parsed.itemId}'`);
      }
      const snapshot = await app.policy.snapshot(trx, now);
      const verdict = decideCertification({ ...snapshot, item: await subjectOf(trx, row), certifier: actor, now });
      if (!verdict.allowed) return { refused: verdict.reasons };
      const removed = parsed.decision === 'revoke' ? await holdingAssignmentId(trx, row) : undefined;
      if (removed !== undefined) {
        // Nothing removes the last holder of `administer` or `audit` (SPEC §2.4).
        const holders = decideLastHolders(snapshot.duties, { assignments: new Set([removed]) });
        if (!holders.allowed) return { refused: holders.reasons };
      }
      const enforced = await recordDecision(scope, row, parsed.decision, actor, parsed.comment ?? null);
      audit({
        actor,
        action: parsed.decision === 'keep' ? 'certification.keep' : 'certification.revoke',
        subject: `certification_item:${row.id}`,
        details: {
          campaign: row.campaign_id,
          kind: row.kind,
          target: row.target,
          comment: parsed.comment ?? null,
          enforcement: enforced.enforcement,
          reasons: verdict.reasons.map((r) => ({ ...r })),
        },
      });
      const stored = await trx
        .selectFrom('certification_items')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      return { done: { item: toItemView(stored), ...(enforced.grantId ? { grantId: enforced.grantId } : {}) } };
    },
  );
  if ('refused' in value) {
    throw await refuse(app, {
      actor,
      action: 'certification.decide_refused',
      subject: `certification_item:${parsed.itemId}`,
      refusal: refusalOf(value.refused),
      otherwise: `'${actor}' may not certify item '${parsed.itemId}'`,
      details: { campaign: parsed.campaignId, decision: parsed.decision },
    });
  }
  const { item, grantId } = value.done;
  if (grantId === undefined) return { item };
  const teardown = await teardownGrant(app, {
    grantId,
    actor,
    reason: `revoked by certification (item '${item.id}')`,
    kind: 'revoke',
  });
  return { item, teardown: toTeardownView(teardown) };
}
