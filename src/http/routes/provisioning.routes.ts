/**
 * `POST /v1/requests/{id}/provision` (SPEC §2.11 `manual`): a human holding `provision` on a manual profile
 * confirms they created the access by hand; the request turns active with them as its provisioner. The route
 * guard checks that the caller holds `provision` somewhere; the verb decides on the request's own profile and
 * separation of duties (decide/manual-provisioning.decide.ts).
 */
import { z } from 'zod';
import { confirmProvisioning } from '../../features/grants/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { requestViewSchema } from '../../features/requests/request.view.js';
import { idSchema } from './route-schemas.js';

const idParams = z.object({ id: idSchema });

export function registerProvisioningRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.post(
    '/v1/requests/:id/provision',
    {
      config: { access: 'provision', problems: ['sod_violation'] },
      schema: {
        tags: ['requests'],
        summary: 'Confirm that you created the access of an approved request by hand (manual provider)',
        description:
          'Only a human holding `provision` on the profile who is neither the requester nor an approver confirms.',
        params: idParams,
        body: z
          .strictObject({
            note: z.string().min(1).max(1000).optional().describe('what you did, kept in the audit log'),
          })
          .optional(),
        response: { 200: requestViewSchema },
      },
    },
    async (request) => {
      const actor = principalOf(request).identity;
      const input = { id: request.params.id, ...(request.body?.note !== undefined ? { note: request.body.note } : {}) };
      return confirmProvisioning({ app: context, actor, input });
    },
  );
}
