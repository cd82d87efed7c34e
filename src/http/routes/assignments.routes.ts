/**
 * `/v1/role-assignments`: list assignments (policy and API; readers: `administer` or `audit`), assign a role
 * (`administer`; refused with `sod_violation` naming the rule when it would create a conflict) and remove an
 * API assignment.
 */
import { z } from 'zod';
import { listAssignments } from '../../features/access/index.js';
import { proposeRoleAssignment, removeAssignment } from '../../features/access/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, idSchema, isoTime, parseSubjectText, policyName, reasonText, subjectText } from './route-schemas.js';
import { adminChangeViewSchema, toAdminChangeView } from '../../features/governance/admin-change.view.js';
import {
  removedRoleAssignmentViewSchema,
  roleAssignmentViewSchema,
  toRemovedRoleAssignmentView,
} from '../../features/access/role-assignment.view.js';

export function registerAssignmentRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/role-assignments',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['roles'],
        summary: "Role assignments from the policy and the API ('administer' or 'audit' holders)",
        querystring: z
          .object({
            role: policyName.optional(),
            subject: subjectText.optional(),
            source: z.enum(['policy', 'api']).optional(),
          })
          .strict(),
        response: { 200: z.object({ assignments: z.array(roleAssignmentViewSchema).max(200_000).readonly() }) },
      },
    },
    async (request) => ({
      assignments: await listAssignments({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );

  app.post(
    '/v1/role-assignments',
    {
      config: { access: 'administer', problems: ['not_found', 'sod_violation'] },
      schema: {
        tags: ['roles'],
        summary:
          'Propose a role assignment; it applies once a second administrator approves it (POST /v1/admin-changes/{id}/approve). Refused with sod_violation when it would create a separation-of-duties conflict',
        body: z
          .object({
            role: policyName,
            subject: subjectText,
            assignment: z.enum(['standing', 'eligible']).optional(),
            expiresAt: isoTime
              .optional()
              .describe('RFC 3339 time (with its zone) after which the assignment no longer counts'),
          })
          .strict(),
        response: { 202: adminChangeViewSchema },
      },
    },
    async (request, reply) => {
      const { role, subject, assignment, expiresAt } = request.body;
      const view = await proposeRoleAssignment({
        app: context,
        actor: principalOf(request).identity,
        input: {
          role,
          subject: parseSubjectText(subject),
          ...(assignment === undefined ? {} : { assignment }),
          ...(expiresAt === undefined ? {} : { expiresAt: epochOf('expiresAt', expiresAt) }),
        },
      });
      return reply.code(202).send(toAdminChangeView(view));
    },
  );

  app.delete(
    '/v1/role-assignments/:id',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['roles'],
        operationId: 'removeRoleAssignment',
        summary: 'Remove a role assignment made through the API',
        params: z.object({ id: idSchema }),
        querystring: z.object({ reason: reasonText.optional() }).strict(),
        response: { 200: removedRoleAssignmentViewSchema },
      },
    },
    async (request) => {
      const { reason } = request.query;
      const removed = await removeAssignment({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...(reason === undefined ? {} : { reason }) },
      });
      return toRemovedRoleAssignmentView(removed);
    },
  );
}
