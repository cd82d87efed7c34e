/**
 * `/v1/admin-changes`: administrative changes that widen access (role assignments, resource registrations and
 * re-bindings) wait here for a second administrator (SPEC §2.4). Read them (`administer` or `audit` holders),
 * approve one (an administrator other than its author and its subject; it applies at once), or reject one (its
 * author withdraws it).
 */
import { z } from 'zod';
import { getAdminChange, listAdminChanges } from '../../features/governance/index.js';
import {
  ADMIN_CHANGE_KINDS,
  ADMIN_CHANGE_STATUSES,
  adminChangeViewSchema,
  toAdminChangeView,
} from '../../features/governance/admin-change.view.js';
import { approveAdminChange, rejectAdminChange } from '../../features/governance/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { idSchema, limitSchema, reasonText } from './route-schemas.js';

const idParams = z.object({ id: idSchema });
const tags = ['administration'];

export function registerAdminChangeRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/admin-changes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "Administrative changes waiting for, or decided by, a second administrator ('administer' or 'audit')",
        querystring: z
          .object({
            status: z.enum(ADMIN_CHANGE_STATUSES).optional(),
            kind: z.enum(ADMIN_CHANGE_KINDS).optional(),
            limit: limitSchema(1000),
          })
          .strict(),
        response: { 200: z.object({ changes: z.array(adminChangeViewSchema).max(1000).readonly() }) },
      },
    },
    async (request) => {
      const changes = await listAdminChanges({
        app: context,
        actor: principalOf(request).identity,
        input: request.query,
      });
      return { changes: changes.map(toAdminChangeView) };
    },
  );

  app.get(
    '/v1/admin-changes/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One administrative change',
        params: idParams,
        response: { 200: adminChangeViewSchema },
      },
    },
    async (request) =>
      toAdminChangeView(
        await getAdminChange({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
      ),
  );

  app.post(
    '/v1/admin-changes/:id/approve',
    {
      config: { access: 'administer', problems: ['sod_violation'] },
      schema: {
        tags,
        summary: 'Approve a change as a second administrator; it is checked again and applied at once',
        params: idParams,
        body: z
          .object({
            digest: z
              .string()
              .regex(/^[0-9a-f]{64}$/)
              .optional(),
          })
          .strict()
          .nullish(),
        response: { 200: adminChangeViewSchema },
      },
    },
    async (request) => {
      const digest = request.body?.digest;
      const view = await approveAdminChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...(digest === undefined ? {} : { digest }) },
      });
      return toAdminChangeView(view);
    },
  );

  app.post(
    '/v1/admin-changes/:id/reject',
    {
      config: { access: 'administer' },
      schema: {
        tags,
        summary: 'Reject a change, or withdraw your own',
        params: idParams,
        body: z.object({ reason: reasonText }).strict(),
        response: { 200: adminChangeViewSchema },
      },
    },
    async (request) => {
      const view = await rejectAdminChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, reason: request.body.reason },
      });
      return toAdminChangeView(view);
    },
  );
}
