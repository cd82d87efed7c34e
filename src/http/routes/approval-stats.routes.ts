/**
 * `GET /v1/stats/approvals` (issue 12, the console's Approval health page): pending counts and ages, time to
 * approve per profile and per day, the longest approver queues. Open to holders of `audit` or `approve`, and
 * narrowed to the requests they may list (their profiles, or every one for a holder over every profile).
 */
import { z } from 'zod';
import { approvalStats } from '../../features/requests/index.js';
import { approvalStatsViewSchema, STATS_WINDOWS } from '../../features/requests/approval-stats.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

export function registerApprovalStatsRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/stats/approvals',
    {
      config: { access: ['audit', 'approve'] },
      schema: {
        tags: ['requests'],
        summary: 'Approval health: pending requests and their age, time to approve, the longest queues',
        querystring: z
          .object({ window: z.enum(STATS_WINDOWS).optional().describe('days of decisions to cover (default 7d)') })
          .strict(),
        response: { 200: approvalStatsViewSchema },
      },
    },
    async (request) => approvalStats({ app: context, actor: principalOf(request).identity, input: request.query }),
  );
}
