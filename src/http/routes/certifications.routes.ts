/**
 * `/v1/certifications…` and `/v1/break-glass/…/review(s)`: access reviews (SPEC §2.9). Reads and campaign
 * creation are open to any identity here because several duties qualify (`certify`, `audit`, `administer`);
 * the verbs' decisions (`decide/certification.decide.ts`) refuse everyone else.
 */
import { z } from 'zod';
import { listBreakGlassReviews, reviewBreakGlass } from '../../features/certifications/index.js';
import { certifyItem, createCampaign, listCampaigns, showCampaign } from '../../features/certifications/index.js';
import { CERTIFICATION_ITEM_KINDS } from '../../decide/certification.decide.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, idSchema, isoTime } from './route-schemas.js';
import {
  breakGlassReviewResultViewSchema,
  breakGlassReviewViewSchema,
  campaignDetailViewSchema,
  campaignViewSchema,
  certificationDecisionViewSchema,
} from '../../features/certifications/certification.view.js';

const id = idSchema;
const text = z.string().max(2000);

/** Times in RFC 3339 with their zone, like every other input (the verb speaks epoch milliseconds). */
const createBody = z
  .object({
    name: z.string().min(1).max(200),
    kinds: z.array(z.enum(CERTIFICATION_ITEM_KINDS)).min(1).max(4),
    period: z.object({ from: isoTime, to: isoTime }).strict().describe('the period whose access is reviewed'),
    deadline: isoTime.describe('when unreviewed items are revoked or escalated'),
    onMissed: z.enum(['revoke', 'escalate']).optional(),
  })
  .strict();

const decideBody = z.object({ decision: z.enum(['keep', 'revoke']), comment: text.min(1).optional() }).strict();

export function registerCertificationRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/certifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['certifications'],
        summary: 'Certification campaigns, newest first (certify, audit or administer holders)',
        querystring: z.object({ status: z.enum(['open', 'closed']).optional() }).strict(),
        response: { 200: z.object({ campaigns: z.array(campaignViewSchema).max(200) }) },
      },
    },
    async (request) => ({
      campaigns: await listCampaigns({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );
  app.post(
    '/v1/certifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['certifications'],
        summary: 'Open a certification campaign; its items are generated at once (certify or administer holders)',
        body: createBody,
        response: { 200: campaignDetailViewSchema },
      },
    },
    (request) => {
      const { period, deadline, ...rest } = request.body;
      return createCampaign({
        app: context,
        actor: principalOf(request).identity,
        input: {
          ...rest,
          period: { from: epochOf('period.from', period.from), to: epochOf('period.to', period.to) },
          deadline: epochOf('deadline', deadline),
        },
      });
    },
  );
  app.get(
    '/v1/certifications/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['certifications'],
        summary: 'One campaign with its items',
        params: z.object({ id }),
        response: { 200: campaignDetailViewSchema },
      },
    },
    (request) => showCampaign({ app: context, actor: principalOf(request).identity, input: request.params }),
  );
  app.post(
    '/v1/certifications/:id/items/:itemId/decide',
    {
      config: { access: 'certify' },
      schema: {
        tags: ['certifications'],
        summary: 'Keep or revoke one item; a revoke is enforced at once',
        params: z.object({ id, itemId: id }),
        body: decideBody,
        response: { 200: certificationDecisionViewSchema },
      },
    },
    (request) =>
      certifyItem({
        app: context,
        actor: principalOf(request).identity,
        input: { campaignId: request.params.id, itemId: request.params.itemId, ...request.body },
      }),
  );
  app.get(
    '/v1/break-glass/reviews',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['certifications'],
        summary: 'Break-glass uses awaiting review (or overdue, or all)',
        querystring: z
          .object({
            status: z.enum(['unreviewed', 'overdue', 'all']).optional(),
            limit: z.coerce.number().int().min(1).max(500).optional(),
          })
          .strict(),
        response: { 200: z.object({ reviews: z.array(breakGlassReviewViewSchema).max(500) }) },
      },
    },
    async (request) => ({
      reviews: await listBreakGlassReviews({
        app: context,
        actor: principalOf(request).identity,
        input: request.query,
      }),
    }),
  );
  app.post(
    '/v1/break-glass/:id/review',
    {
      config: { access: 'certify' },
      schema: {
        tags: ['certifications'],
        summary: 'Review a break-glass use: keep it, or revoke its grant at once',
        params: z.object({ id }),
        body: decideBody,
        response: { 200: breakGlassReviewResultViewSchema },
      },
    },
    (request) =>
      reviewBreakGlass({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...request.body },
      }),
  );
}
