/**
 * The one shape of an administrative change outside the application (SPEC §2.4): `/v1/admin-changes` answers
 * it, and so do the routes that propose one (a role assignment, a resource registration), answering 202 with
 * the change a second administrator approves. `AdminChange` in the OpenAPI document; times are ISO 8601.
 */
import { z } from 'zod';
import type { AdminChangeKind, AdminChangeStatus } from '../../store/schema.js';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';
import type { AdminChange } from '../../app/admin-changes.repo.js';

export const ADMIN_CHANGE_STATUSES = [
  'pending',
  'applied',
  'rejected',
  'cancelled',
  'expired',
] as const satisfies readonly AdminChangeStatus[];
export const ADMIN_CHANGE_KINDS = ['role_assignment', 'resource'] as const satisfies readonly AdminChangeKind[];

export const adminChangeViewSchema = z
  .object({
    id: text(100),
    kind: z.enum(ADMIN_CHANGE_KINDS),
    target: text(700),
    status: z.enum(ADMIN_CHANGE_STATUSES),
    payload: z.record(text(200), z.unknown()).describe('the proposed change, as its author sent it'),
    digest: text(64),
    author: text(200),
    reason: text(2000).nullable(),
    createdAt: isoTime,
    expiresAt: isoTime,
    decidedAt: isoTime.nullable(),
    decidedBy: text(200).nullable(),
    appliedAt: isoTime.nullable(),
    result: z.record(text(200), z.unknown()).nullable(),
  })
  .meta({ id: 'AdminChange' });

export type AdminChangeView = z.infer<typeof adminChangeViewSchema>;

export function toAdminChangeView(change: AdminChange): AdminChangeView {
  return {
    ...change,
    createdAt: iso(change.createdAt),
    expiresAt: iso(change.expiresAt),
    decidedAt: isoOrNull(change.decidedAt),
    appliedAt: isoOrNull(change.appliedAt),
  };
}
