/** `GET /v1/drift`: drift findings of the resources you may see, with first seen, last seen and resolved times. */
import { z } from 'zod';
import { listDrift } from '../../features/resources/resources.queries.js';
import { SEVERITIES } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { isoTime, limitSchema } from './route-schemas.js';

const findingSchema = z
  .object({
    id: z.string().max(100),
    resource: z.string().max(63),
    check: z.string().max(200),
    severity: z.enum(SEVERITIES),
    status: z.enum(['open', 'resolved']),
    message: z.string().max(2000),
    profileVersion: z.string().max(100).nullable(),
    firstSeen: isoTime,
    lastSeen: isoTime,
    resolvedAt: isoTime.nullable(),
  })
  .meta({ id: 'DriftFinding' });

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
            resource: z.string().min(1).max(63).optional(),
            severity: z.enum(SEVERITIES).optional(),
            status: z.enum(['open', 'resolved']).optional(),
            limit: limitSchema(5000),
          })
          .strict(),
        response: { 200: z.object({ findings: z.array(findingSchema).max(5000).readonly() }) },
      },
    },
    async (request) => ({
      findings: await listDrift({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );
}
