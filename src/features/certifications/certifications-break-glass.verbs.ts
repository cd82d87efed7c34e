/**
 * Break-glass reviews (SPEC §2.8, §2.9): every break-glass use must be certified within its profile's
 * `reviewWithin` (its request carries the deadline in `review_by`). `listBreakGlassReviews` shows the uses
 * awaiting review, overdue ones flagged; `reviewBreakGlass` keeps or revokes one, with the same certifier rules
 * as any certification item, and also settles the use's item in any open campaign.
 */
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { decideCertification, decideCertificationRead } from '../../decide/certification.decide.js';
import { liveGrantOf, markRequestCertified } from './certification-items.js';
import type { VerbCall } from '../../app/context.js';
import { teardownGrant } from '../grants/index.js';
import { findRequest } from '../requests/index.js';
import { parseInput } from '../../app/verb-support.js';
import { firstMessage, refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';
import { iso } from '../../app/view-fields.js';
import {
  toBreakGlassReviewView,
  toTeardownView,
  type BreakGlassReviewResultView,
  type BreakGlassReviewView,
} from './certification.view.js';

export const listBreakGlassReviewsSchema = z.strictObject({
  /** `unreviewed` (default): awaiting review; `overdue`: past their deadline; `all`: reviewed ones too. */
  status: z.enum(['unreviewed', 'overdue', 'all']).default('unreviewed'),
  limit: z.number().int().min(1).max(500).default(200),
});

/** Break-glass uses and their review state, oldest deadline first, for holders of `certify`, `audit` or `administer`. */
export async function listBreakGlassReviews({
  app,
  actor,
  input,
}: VerbCall<z.input<typeof listBreakGlassReviewsSchema>>): Promise<BreakGlassReviewView[]> {
  const { status, limit } = parseInput(listBreakGlassReviewsSchema, input);
  const { value } = await inTransaction(
    app,
    async ({ trx, now }): Promise<{ views: BreakGlassReviewView[] } | { refused: readonly Reason[] }> => {
      const snapshot = await app.policy.snapshot(trx, now);
      const verdict = decideCertificationRead(snapshot.duties, actor);
      if (!verdict.allowed) return { refused: verdict.reasons };
      let query = trx.selectFrom('requests').selectAll().where('break_glass', '=', 1);
      if (status !== 'all') query = query.where('reviewed_at', 'is', null);
      if (status === 'overdue') query = query.where('review_by', '<', now);
      const rows = await query.orderBy('review_by').orderBy('id').limit(limit).execute();
      return { views: rows.map((row) => toBreakGlassReviewView(row, now)) };
    },
  );
  if ('views' in value) return value.views;
  throw new AppError('forbidden', firstMessage(value.refused, `'${actor}' may not see break-glass reviews`));
}

export const reviewBreakGlassSchema = z.strictObject({
  id: z.string().min(1).max(100),
  decision: z.enum(['keep', 'revoke']),
  comment: z.string().min(1).max(2000).optional(),
});
export type ReviewBreakGlassInput = z.input<typeof reviewBreakGlassSchema>;

/** The review and, when a revoke had a grant to tear down, what tearing it down did. */
export type BreakGlassReviewResult = BreakGlassReviewResultView;

type Outcome =
  | { readonly done: Omit<BreakGlassReviewResult, 'teardown'>; readonly grantId?: string }
  | { readonly refused: readonly Reason[] };

/**
 * Reviews one break-glass use. Invariants: only a break-glass request not yet reviewed; the reviewer passes
 * `decideCertification` (holds `certify` on the profile, is not the requester, provisioner or an approver,
 * and no `request` SoD rule forbids it); a revoke tears the grant down at once, after commit.
 */
export async function reviewBreakGlass({
  app,
  actor,
  input,
}: VerbCall<ReviewBreakGlassInput>): Promise<BreakGlassReviewResult> {
  const parsed = parseInput(reviewBreakGlassSchema, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome> => {
    const stored = await findRequest(trx, parsed.id);
    if (stored === undefined || !stored.record.breakGlass) {
      throw new AppError('not_found', `break-glass use '${parsed.id}' does not exist`);
    }
    if (stored.reviewedAt !== undefined) {
      return {
        refused: [
          { code: 'certification.already_decided', message: `break-glass use '${parsed.id}' was already reviewed` },
        ],
      };
    }
    const snapshot = await app.policy.snapshot(trx, now);
    const verdict = decideCertification({
      ...snapshot,
      item: {
        id: parsed.id,
        kind: 'break_glass',
        status: 'pending',
        holders: [stored.record.requester],
        request: stored.record,
      },
      certifier: actor,
      now,
    });
    if (!verdict.allowed) return { refused: verdict.reasons };
    await markRequestCertified(trx, parsed.id, actor, now);
    const grantId = parsed.decision === 'revoke' ? await liveGrantOf(trx, parsed.id) : undefined;
    await trx
      .updateTable('certification_items')
      .set({
        status: parsed.decision === 'keep' ? 'kept' : 'revoked',
        decided_by: actor,
        decided_at: now,
        comment: parsed.comment ?? null,
        enforcement: parsed.decision === 'keep' ? null : grantId ? 'grant_revoked' : 'no_live_grant',
      })
      .where('request_id', '=', parsed.id)
      .where('kind', '=', 'break_glass')
      .where('status', 'in', ['pending', 'escalated'])
      .execute();
    const late = stored.reviewBy !== undefined && now > stored.reviewBy;
    audit({
      actor,
      action: 'request.break_glass_review',
      subject: `request:${parsed.id}`,
      details: {
        decision: parsed.decision,
        comment: parsed.comment ?? null,
        reviewBy: stored.reviewBy ?? null,
        late,
        grantId: grantId ?? null,
        reasons: verdict.reasons.map((r) => ({ ...r })),
      },
    });
    return {
      done: { id: parsed.id, decision: parsed.decision, reviewedAt: iso(now), certifier: actor, late },
      ...(grantId !== undefined ? { grantId } : {}),
    };
  });
  if ('refused' in value) {
    throw await refuse(app, {
      actor,
      action: 'request.break_glass_review_refused',
      subject: `request:${parsed.id}`,
      refusal: refusalOf(value.refused),
      otherwise: `'${actor}' may not review break-glass use '${parsed.id}'`,
    });
  }
  if (value.grantId === undefined) return value.done;
  const teardown = await teardownGrant(app, {
    grantId: value.grantId,
    actor,
    reason: `revoked by break-glass review`,
    kind: 'revoke',
  });
  return { ...value.done, teardown: toTeardownView(teardown) };
}
