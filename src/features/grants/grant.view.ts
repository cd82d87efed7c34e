/**
 * The one shape of a grant outside the application: `GET /v1/grants` answers it, `countersign grants` prints it,
 * the OpenAPI document names it `Grant`, and a request's view carries its first fields (`requestGrantSchema`).
 * Never the provider handle or the provider's error text.
 */
import { z } from 'zod';
import { GRANT_STATUSES } from '../../core/domain.js';
import { iso, isoTime, text } from '../../app/view-fields.js';
import type { GrantSummary } from './grants.repo.js';

export { GRANT_STATUSES };

export const grantViewSchema = z
  .object({
    id: text(100),
    requestId: text(100),
    identity: text(200),
    resource: text(200),
    action: text(100),
    provider: text(50),
    status: z.enum(GRANT_STATUSES),
    createdAt: isoTime,
    expiresAt: isoTime,
    revokedAt: isoTime.optional(),
    revokedBy: text(200).optional(),
  })
  .meta({ id: 'Grant' });

export type GrantView = z.infer<typeof grantViewSchema>;

/** What a request's view shows of its grant. */
export const requestGrantSchema = grantViewSchema.pick({ id: true, status: true, expiresAt: true });

export type RequestGrantView = z.infer<typeof requestGrantSchema>;

export function toGrantView(grant: GrantSummary): GrantView {
  return {
    id: grant.id,
    requestId: grant.requestId,
    identity: grant.identity,
    resource: grant.resource,
    action: grant.action,
    provider: grant.provider,
    status: grant.status,
    createdAt: iso(grant.createdAt),
    expiresAt: iso(grant.expiresAt),
    ...(grant.revokedAt !== undefined ? { revokedAt: iso(grant.revokedAt) } : {}),
    ...(grant.revokedBy !== undefined ? { revokedBy: grant.revokedBy } : {}),
  };
}

export function toRequestGrantView(grant: GrantSummary): RequestGrantView {
  return { id: grant.id, status: grant.status, expiresAt: iso(grant.expiresAt) };
}
