/** `GET /v1/grants`: your own grants; every grant for `audit` and `provision` holders (a gateway). */
import { z } from 'zod';
import { GRANT_STATUSES, grantViewSchema } from '../../features/grants/grant.view.js';
import { listVisibleGrants } from '../../features/requests/index.js';
import { MAX_PAGE_SIZE } from '../../features/requests/index.js';
import { AppError } from '../../core/errors.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

const statusList = z.array(z.enum(GRANT_STATUSES)).max(GRANT_STATUSES.length);

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
            identity: z.string().min(1).max(200).optional(),
            resource: z.string().min(1).max(200).optional(),
            status: z
              .string()
              .max(200)
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
      let statuses: z.infer<typeof statusList> | undefined;
      if (status !== undefined && status !== '') {
        const parsed = statusList.safeParse(status.split(',').map((s) => s.trim()));
        if (!parsed.success) {
          throw new AppError('invalid', `status '${status}' is not a list of ${GRANT_STATUSES.join(', ')}`);
        }
        statuses = parsed.data;
      }
      const grants = await listVisibleGrants({
        app: context,
        actor: principalOf(request).identity,
        input: { ...rest, ...(statuses !== undefined ? { status: statuses } : {}) },
      });
      return { grants };
    },
  );
}
