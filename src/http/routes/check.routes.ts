/**
 * `POST /v1/check` (SPEC §4): is this identity allowed this action on this resource right now? Answered from
 * memory by the `CheckService` (no database work per call). Any identity may ask about itself; asking about
 * another needs `audit` or `provision` on the resource's profile, decided by the service against its in-memory
 * duties, which is why the route is `authenticated` rather than guarded by a duty (a duty guard reads the policy
 * from the database on every call).
 */
import { z } from 'zod';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { checkAnswerViewSchema } from '../../features/access/check.view.js';
import { policyName } from './route-schemas.js';

export const checkBodySchema = z
  .strictObject({
    identity: policyName,
    resource: policyName,
    action: z.string().min(1).max(100),
  })
  .meta({ id: 'CheckQuery' });

export function registerCheckRoutes(app: ZodFastify, { checks }: RouteDeps): void {
  app.post(
    '/v1/check',
    {
      // A question: it writes nothing (denials are aggregated into the audit log later, off the request).
      config: { access: 'authenticated', readOnly: true },
      schema: {
        tags: ['check'],
        operationId: 'checkAccess',
        summary: 'Is this identity allowed this action on this resource right now?',
        description:
          'Ask about yourself, or about anyone with `audit` or `provision` on the resource’s profile (a gateway). ' +
          'Denials are recorded in the audit log as aggregated `check.denied` events every few seconds.',
        body: checkBodySchema,
        response: { 200: checkAnswerViewSchema },
      },
    },
    async (request) => checks.check(principalOf(request).identity, request.body),
  );
}
