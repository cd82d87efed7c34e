/**
 * The shapes of access reviews outside the application (SPEC §2.9): a campaign with its progress
 * (`CertificationCampaign`), one with its items (`CertificationCampaignDetail`), an item (`CertificationItem`)
 * and the answer of a decision on it (`CertificationDecision`), a break-glass use awaiting review
 * (`BreakGlassReview`), the answer of a review (`BreakGlassReviewResult`), and what tearing down a revoked
 * grant did (`CertificationTeardown`). The verbs, `/v1/certifications`, `/v1/break-glass/…/review(s)` and
 * `countersign certify` share them. Times are ISO 8601, as in every view; the store and the audit events
 * (hash-chained as they were recorded) keep epoch milliseconds.
 */
import { z } from 'zod';
import { CERTIFICATION_ITEM_KINDS, type CertificationItemKind } from '../../decide/certification.decide.js';
import { GRANT_STATUSES } from '../../core/domain.js';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';
import { fromJsonText } from '../../store/columns.js';
import type { Row } from '../../store/schema.js';
import type { TeardownOutcome } from '../grants/index.js';

const id = z.string().min(1).max(100);
const count = z.number().int().min(0);
const itemStatus = z.enum(['pending', 'escalated', 'kept', 'revoked']);
/** A provider's error is cut to this many characters in an answer (the grant's record keeps it whole). */
const MAX_ERROR = 4000;

/** What tearing down a grant did: `teardownGrant`'s outcome, with its next attempt as ISO 8601. */
export const teardownViewSchema = z
  .discriminatedUnion('outcome', [
    z.object({ outcome: z.enum(['revoked', 'expired']), grantId: id, requestId: id }),
    z.object({
      outcome: z.literal('revoke_failed'),
      grantId: id,
      requestId: id,
      attempts: count,
      nextAttemptAt: isoTime,
      error: text(MAX_ERROR),
    }),
    z.object({ outcome: z.literal('already_done'), grantId: id, status: z.enum(GRANT_STATUSES) }),
    z.object({ outcome: z.literal('in_progress'), grantId: id }),
  ])
  .meta({ id: 'CertificationTeardown' });

export type TeardownView = z.infer<typeof teardownViewSchema>;

export function toTeardownView(outcome: TeardownOutcome): TeardownView {
  if (outcome.outcome !== 'revoke_failed') return { ...outcome };
  return { ...outcome, nextAttemptAt: iso(outcome.nextAttemptAt), error: outcome.error.slice(0, MAX_ERROR) };
}

export const campaignViewSchema = z
  .object({
    id,
    name: text(200),
    kinds: z.array(z.enum(CERTIFICATION_ITEM_KINDS)).max(4).readonly(),
    period: z.object({ from: isoTime, to: isoTime }),
    deadline: isoTime,
    onMissed: z.enum(['revoke', 'escalate']),
    status: z.enum(['open', 'closed']),
    createdBy: text(200),
    createdAt: isoTime,
    closedAt: isoTime.nullable(),
    counts: z.object({ pending: count, escalated: count, kept: count, revoked: count }),
  })
  .meta({ id: 'CertificationCampaign' });

export type CampaignView = z.infer<typeof campaignViewSchema>;

export function toCampaignView(
  row: Row<'certification_campaigns'>,
  items: readonly Pick<Row<'certification_items'>, 'status'>[],
): CampaignView {
  const counts = { pending: 0, escalated: 0, kept: 0, revoked: 0 };
  for (const item of items) counts[item.status] += 1;
  return {
    id: row.id,
    name: row.name,
    kinds: fromJsonText<CertificationItemKind[]>(row.kinds),
    period: { from: iso(Number(row.period_from)), to: iso(Number(row.period_to)) },
    deadline: iso(Number(row.deadline)),
    onMissed: row.on_missed,
    status: row.status,
    createdBy: row.created_by,
    createdAt: iso(Number(row.created_at)),
    closedAt: row.closed_at === null ? null : iso(Number(row.closed_at)),
    counts,
  };
}

export const certificationItemViewSchema = z
  .object({
    id,
    campaignId: id,
    kind: z.enum(CERTIFICATION_ITEM_KINDS),
    target: text(200),
    profile: text(200).nullable(),
    role: text(200).nullable(),
    requestId: id.nullable(),
    holders: z.array(text(200)).max(100_000).readonly(),
    /** What the item reviews, as it stood when the campaign opened; its `createdAt`/`expiresAt` are ISO 8601. */
    summary: z.record(text(100), z.unknown()),
    status: itemStatus,
    decidedBy: text(200).nullable(),
    decidedAt: isoTime.nullable(),
    comment: text(2000).nullable(),
    enforcement: text(100).nullable(),
  })
  .meta({ id: 'CertificationItem' });

export type CertificationItemView = z.infer<typeof certificationItemViewSchema>;

/** The times an item's summary records (`certification-items.ts` writes them in epoch milliseconds). */
const SUMMARY_TIMES = ['createdAt', 'expiresAt', 'lastUsedAt'] as const;

/** An item's stored summary as a view shows it: its times as ISO 8601, everything else as recorded. */
function summaryView(stored: Record<string, unknown>): Record<string, unknown> {
  const summary = { ...stored };
  for (const key of SUMMARY_TIMES) {
    const value = summary[key];
    if (typeof value === 'number') summary[key] = iso(value);
  }
  return summary;
}

export function toItemView(row: Row<'certification_items'>): CertificationItemView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    kind: row.kind,
    target: row.target,
    profile: row.profile,
    role: row.role,
    requestId: row.request_id,
    holders: fromJsonText<string[]>(row.holders),
    summary: summaryView(fromJsonText<Record<string, unknown>>(row.summary)),
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : iso(Number(row.decided_at)),
    comment: row.comment,
    enforcement: row.enforcement,
  };
}

export const campaignDetailViewSchema = campaignViewSchema
  .extend({ items: z.array(certificationItemViewSchema).max(1_000_000).readonly() })
  .meta({ id: 'CertificationCampaignDetail' });

export type CampaignDetailView = z.infer<typeof campaignDetailViewSchema>;

export const certificationDecisionViewSchema = z
  .object({ item: certificationItemViewSchema, teardown: teardownViewSchema.optional() })
  .meta({ id: 'CertificationDecision' });

export type CertificationDecisionView = z.infer<typeof certificationDecisionViewSchema>;

export const breakGlassReviewViewSchema = z
  .object({
    id,
    requester: text(200),
    resource: text(200),
    action: text(200),
    profile: text(200),
    justification: text(2000).nullable(),
    status: text(40),
    createdAt: isoTime,
    reviewBy: isoTime.nullable(),
    reviewedAt: isoTime.nullable(),
    certifier: text(200).nullable(),
    /** Unreviewed past `reviewBy`. */
    overdue: z.boolean(),
  })
  .meta({ id: 'BreakGlassReview' });

export type BreakGlassReviewView = z.infer<typeof breakGlassReviewViewSchema>;

/** A break-glass request as its review shows it; `now` decides whether it is overdue. */
export function toBreakGlassReviewView(row: Row<'requests'>, now: number): BreakGlassReviewView {
  return {
    id: row.id,
    requester: row.requester,
    resource: row.resource,
    action: row.action,
    profile: row.profile,
    justification: row.justification,
    status: row.status,
    createdAt: iso(Number(row.created_at)),
    reviewBy: isoOrNull(row.review_by === null ? null : Number(row.review_by)),
    reviewedAt: isoOrNull(row.reviewed_at === null ? null : Number(row.reviewed_at)),
    certifier: row.certifier,
    overdue: row.reviewed_at === null && row.review_by !== null && Number(row.review_by) < now,
  };
}

export const breakGlassReviewResultViewSchema = z
  .object({
    id,
    decision: z.enum(['keep', 'revoke']),
    reviewedAt: isoTime,
    certifier: text(200),
    /** Reviewed after the profile's `reviewWithin` had passed. */
    late: z.boolean(),
    teardown: teardownViewSchema.optional(),
  })
  .meta({ id: 'BreakGlassReviewResult' });

export type BreakGlassReviewResultView = z.infer<typeof breakGlassReviewResultViewSchema>;
