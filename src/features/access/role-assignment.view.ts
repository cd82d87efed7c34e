/**
 * A role assignment as `GET /v1/role-assignments` lists it (`RoleAssignment` in the OpenAPI document): from the
 * policy files or made through the API. Times are ISO 8601; an assignment of the policy has no creator.
 */
import { z } from 'zod';
import { iso, isoTime, text } from '../../app/view-fields.js';

export const roleAssignmentViewSchema = z
  .object({
    id: text(500),
    role: text(200),
    subject: text(220).regex(/^(group|identity):.+$/, 'a reference written group:NAME or identity:NAME'),
    assignment: z.enum(['standing', 'eligible']),
    source: z.enum(['policy', 'api']),
    expiresAt: isoTime.nullable(),
    createdBy: text(200).nullable(),
    createdAt: isoTime.nullable(),
  })
  .meta({ id: 'RoleAssignment' });

export type RoleAssignmentView = z.infer<typeof roleAssignmentViewSchema>;

/** What removing an API assignment answers: which one, and when. */
export const removedRoleAssignmentViewSchema = z
  .object({ id: text(100), removedAt: isoTime })
  .meta({ id: 'RemovedRoleAssignment' });

export type RemovedRoleAssignmentView = z.infer<typeof removedRoleAssignmentViewSchema>;

export function toRemovedRoleAssignmentView(removed: { id: string; removedAt: number }): RemovedRoleAssignmentView {
  return { id: removed.id, removedAt: iso(removed.removedAt) };
}
