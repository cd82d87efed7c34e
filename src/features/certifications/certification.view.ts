/**
 * The shapes of access reviews outside the application (SPEC §2.9): a campaign with its progress
 * (`CertificationCampaign`), one with its items (`CertificationCampaignDetail`), an item (`CertificationItem`)
 * and the answer of a decision on it (`CertificationDecision`), a break-glass use awaiting review
 * (`BreakGlassReview`) and the answer of a review (`BreakGlassReviewResult`). The verbs, `/v1/certifications`,
 * `/v1/break-glass/…/review(s)` and `countersign certify` share them.
 *
 * Unlike every other view, their times are still epoch milliseconds, as the API has always answered them: moving
 * them to ISO 8601 changes the API's answers and the CLI's JSON, so it waits for its own change.
 */
import { z } from 'zod';
import { CERTIFICATION_ITEM_KINDS } from '../../decide/certification.decide.js';
import { text } from '../../app/view-fields.js';

const id = z.string().min(1).max(100);
const epochMs = z.number().int().min(0);
const itemStatus = z.enum(['pending', 'escalated', 'kept', 'revoked']);
/** What tearing down a grant did: the grant teardown's outcome, passed through. */
const teardownSchema = z.record(text(100), z.unknown()).optional();

export const campaignViewSchema = z
  .object({
    id,
    name: text(200),
    kinds: z.array(z.enum(CERTIFICATION_ITEM_KINDS)).max(4).readonly(),
    period: z.object({ from: epochMs, to: epochMs }),
    deadline: epochMs,
    onMissed: z.enum(['revoke', 'escalate']),
    status: z.enum(['open', 'closed']),
    createdBy: text(200),
    createdAt: epochMs,
    closedAt: epochMs.nullable(),
    counts: z.object({ pending: epochMs, escalated: epochMs, kept: epochMs, revoked: epochMs }),
  })
  .meta({ id: 'CertificationCampaign' });

export type CampaignView = z.infer<typeof campaignViewSchema>;

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
    summary: z.record(text(100), z.unknown()),
    status: itemStatus,
    decidedBy: text(200).nullable(),
    decidedAt: epochMs.nullable(),
    comment: text(2000).nullable(),
    enforcement: text(100).nullable(),
  })
  .meta({ id: 'CertificationItem' });

export type CertificationItemView = z.infer<typeof certificationItemViewSchema>;

export const campaignDetailViewSchema = campaignViewSchema
  .extend({ items: z.array(certificationItemViewSchema).max(1_000_000).readonly() })
  .meta({ id: 'CertificationCampaignDetail' });

export type CampaignDetailView = z.infer<typeof campaignDetailViewSchema>;

export const certificationDecisionViewSchema = z
  .object({ item: certificationItemViewSchema, teardown: teardownSchema })
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
    createdAt: epochMs,
    reviewBy: epochMs.nullable(),
    reviewedAt: epochMs.nullable(),
    certifier: text(200).nullable(),
    /** Unreviewed past `reviewBy`. */
    overdue: z.boolean(),
  })
  .meta({ id: 'BreakGlassReview' });

export type BreakGlassReviewView = z.infer<typeof breakGlassReviewViewSchema>;

export const breakGlassReviewResultViewSchema = z
  .object({
    id,
    decision: z.enum(['keep', 'revoke']),
    reviewedAt: epochMs,
    certifier: text(200),
    /** Reviewed after the profile's `reviewWithin` had passed. */
    late: z.boolean(),
    teardown: teardownSchema,
  })
  .meta({ id: 'BreakGlassReviewResult' });

export type BreakGlassReviewResultView = z.infer<typeof breakGlassReviewResultViewSchema>;
