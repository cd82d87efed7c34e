/**
 * `/v1/admin-changes`: administrative changes that widen access (role assignments, resource registrations and
 * re-bindings) wait here for a second administrator (SPEC §2.4). Read them (`administer` or `audit` holders),
 * approve one (an administrator other than its author and its subject; it applies at once), or reject one (its
 * author withdraws it).
 */
import { z } from 'zod';
import { getAdminChange, listAdminChanges } from '../../features/governance/admin-changes.queries.js';
import type { AdminChangeView } from '../../features/governance/admin-changes.repo.js';
import { approveAdminChange, rejectAdminChange } from '../../features/governance/admin-changes.verbs.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { idSchema, iso, isoOrNull, isoTime, limitSchema, nameSchema, reasonText } from './route-schemas.js';

const STATUSES = ['pending', 'applied', 'rejected', 'cancelled', 'expired'] as const;
const KINDS = ['role_assignment', 'resource'] as const;

export const adminChangeSchema = z
  .object({
    id: idSchema,
    kind: z.enum(KINDS),
    target: z.string().max(700),
    status: z.enum(STATUSES),
    payload: z.record(z.string().max(200), z.unknown()).describe('the proposed change, as its author sent it'),
    digest: z.string().max(64),
    author: nameSchema,
    reason: z.string().max(2000).nullable(),
    createdAt: isoTime,
    expiresAt: isoTime,
    decidedAt: isoTime.nullable(),
    decidedBy: nameSchema.nullable(),
    appliedAt: isoTime.nullable(),
    result: z.record(z.string().max(200), z.unknown()).nullable(),
  })
  .meta({ id: 'AdminChange' });

export function adminChangeBody(view: AdminChangeView): z.input<typeof adminChangeSchema> {
  return {
    ...view,
    createdAt: iso(view.createdAt),
    expiresAt: iso(view.expiresAt),
    decidedAt: isoOrNull(view.decidedAt),
    appliedAt: isoOrNull(view.appliedAt),
  };
}

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
          .object({ status: z.enum(STATUSES).optional(), kind: z.enum(KINDS).optional(), limit: limitSchema(1000) })
          .strict(),
        response: { 200: z.object({ changes: z.array(adminChangeSchema).max(1000).readonly() }) },
      },
    },
    async (request) => {
      const changes = await listAdminChanges({
        app: context,
        actor: principalOf(request).identity,
        input: request.query,
      });
      return { changes: changes.map(adminChangeBody) };
    },
  );

  app.get(
    '/v1/admin-changes/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'One administrative change', params: idParams, response: { 200: adminChangeSchema } },
    },
    async (request) =>
      adminChangeBody(
        await getAdminChange({ app: context, actor: principalOf(request).identity, input: { id: request.params.id } }),
      ),
  );

  app.post(
    '/v1/admin-changes/:id/approve',
    {
      config: { access: 'administer' },
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
        response: { 200: adminChangeSchema },
      },
    },
    async (request) => {
      const digest = request.body?.digest;
      const view = await approveAdminChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...(digest === undefined ? {} : { digest }) },
      });
      return adminChangeBody(view);
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
        response: { 200: adminChangeSchema },
      },
    },
    async (request) => {
      const view = await rejectAdminChange({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, reason: request.body.reason },
      });
      return adminChangeBody(view);
    },
  );
}
