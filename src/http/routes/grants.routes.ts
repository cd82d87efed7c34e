/** `GET /v1/grants`: your own grants; every grant for `audit` and `provision` holders (a gateway). */
import { z } from 'zod';
import { GRANT_STATUSES, grantViewSchema } from '../../features/grants/grant.view.js';
import { listVisibleGrants } from '../../features/requests/index.js';
import { MAX_PAGE_SIZE } from '../../features/requests/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { commaSeparated, policyName } from './route-schemas.js';

export function registerGrantRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/grants',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['grants'],
        summary: 'Grants, soonest expiry first: your own, or everyone’s for audit and provision holders',
        querystring: z
          .object({
            identity: policyName.optional(),
            resource: policyName.optional(),
            status: commaSeparated(GRANT_STATUSES)
              .optional()
              .describe(`comma-separated: ${GRANT_STATUSES.join(', ')} (default active)`),
            limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
          })
          .strict(),
        response: { 200: z.object({ grants: z.array(grantViewSchema).max(MAX_PAGE_SIZE) }) },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      const grants = await listVisibleGrants({
        app: context,
        actor: principalOf(request).identity,
        input: { ...rest, ...(status !== undefined ? { status } : {}) },
      });
      return { grants };
    },
  );
}
