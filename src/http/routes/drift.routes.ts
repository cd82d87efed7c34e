/** `GET /v1/drift`: drift findings of the resources you may see, with first seen, last seen and resolved times. */
import { z } from 'zod';
import { listDrift } from '../../features/resources/index.js';
import { SEVERITIES } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { limitSchema, policyName } from './route-schemas.js';
import { driftFindingViewSchema } from '../../features/resources/resource.view.js';

export function registerDriftRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/drift',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary: 'Drift findings (most recently seen first) of the resources you hold a duty on',
        querystring: z
          .object({
            resource: policyName.optional(),
            severity: z.enum(SEVERITIES).optional(),
            status: z.enum(['open', 'resolved']).optional(),
            limit: limitSchema(5000),
          })
          .strict(),
        response: { 200: z.object({ findings: z.array(driftFindingViewSchema).max(5000).readonly() }) },
      },
    },
    async (request) => ({
      findings: await listDrift({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );
}
