/**
 * Reads of role activations for `GET /v1/role-activations[/{id}]`: your own, or every one for approvers,
 * auditors and administrators (`mayReadAllRoleActivations`). Newest first, bounded.
 */
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { mayReadAllRoleActivations } from '../decide/role-activation.decide.js';
import type { VerbCall } from './context.js';
import { parseInput } from './request-verb-support.js';
import { findRoleActivation, toRoleActivationView, type RoleActivationView } from './role-activations.repo.js';

export const ROLE_ACTIVATION_STATUSES = [
  'pending',
  'active',
  'expired',
  'revoked',
  'denied',
  'cancelled',
  'timed_out',
] as const;

export const MAX_ROLE_ACTIVATION_PAGE = 500;

export const listRoleActivationsSchema = z.strictObject({
  status: z.array(z.enum(ROLE_ACTIVATION_STATUSES)).max(ROLE_ACTIVATION_STATUSES.length).optional(),
  requester: z.string().min(1).max(200).optional(),
  role: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(MAX_ROLE_ACTIVATION_PAGE).optional(),
});
export type ListRoleActivationsInput = z.input<typeof listRoleActivationsSchema>;

/** Role activations the actor may see, newest first. */
export async function listRoleActivations(
  call: VerbCall<ListRoleActivationsInput>,
): Promise<{ roleActivations: RoleActivationView[] }> {
  const { app, actor } = call;
  const input = parseInput(listRoleActivationsSchema, call.input);
  const now = app.clock.now();
  return app.database.db.transaction().execute(async (trx) => {
    const snapshot = await app.policy.snapshot(trx, now);
    const all = mayReadAllRoleActivations(snapshot.duties, actor);
    let query = trx.selectFrom('role_activation_requests').selectAll();
    if (!all) query = query.where('requester', '=', actor);
    if (input.requester !== undefined) query = query.where('requester', '=', input.requester);
    if (input.role !== undefined) query = query.where('role', '=', input.role);
    if (input.status !== undefined && input.status.length > 0) query = query.where('status', 'in', input.status);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(input.limit ?? 100)
      .execute();
    return { roleActivations: rows.map((row) => toRoleActivationView({ ...row, version: Number(row.version) })) };
  });
}

/** One role activation; one the actor may not see is `not_found`, as if it did not exist. */
export async function showRoleActivation(call: VerbCall<{ id: string }>): Promise<RoleActivationView> {
  const { app, actor } = call;
  const { id } = parseInput(z.strictObject({ id: z.string().min(1).max(100) }), call.input);
  const now = app.clock.now();
  return app.database.db.transaction().execute(async (trx) => {
    const found = await findRoleActivation(trx, id);
    const snapshot = await app.policy.snapshot(trx, now);
    if (
      found === undefined ||
      (found.record.requester !== actor && !mayReadAllRoleActivations(snapshot.duties, actor))
    ) {
      throw new AppError('not_found', `role activation '${id}' does not exist`, { id });
    }
    return toRoleActivationView(found.row);
  });
}
