/**
 * Reads of role activations for `GET /v1/role-activations[/{id}]`: your own, and those of others that
 * `mayReadRoleActivation` lets you read (administrators; approvers over the whole role; auditors of what the role
 * covers). Newest first, bounded.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { mayReadAllRoleActivations, mayReadRoleActivation } from '../../decide/role-activation-actors.decide.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { parseInput } from '../../app/verb-support.js';
import { ROLE_ACTIVATION_STATUSES, type RoleActivationView } from './role-activation.view.js';
import { findRoleActivation, toRoleActivationView } from './role-activations.repo.js';

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
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const others = mayReadAllRoleActivations(snapshot.duties, actor);
    const limit = input.limit ?? 100;
    let query = trx.selectFrom('role_activation_requests').selectAll();
    if (!others) query = query.where('requester', '=', actor);
    if (input.requester !== undefined) query = query.where('requester', '=', input.requester);
    if (input.role !== undefined) query = query.where('role', '=', input.role);
    if (input.status !== undefined && input.status.length > 0) query = query.where('status', 'in', input.status);
    // Rows of roles the viewer may not read are skipped, so look a little further than `limit` (bounded).
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(others ? limit * 4 : limit)
      .execute();
    const visible = rows.filter((row) => mayReadRoleActivation(snapshot, actor, row.requester, row.role));
    const views = visible.slice(0, limit).map((row) => toRoleActivationView({ ...row, version: Number(row.version) }));
    return { roleActivations: views };
  });
}

/** One role activation; one the actor may not see is `not_found`, as if it did not exist. */
export async function showRoleActivation(call: VerbCall<{ id: string }>): Promise<RoleActivationView> {
  const { app, actor } = call;
  const { id } = parseInput(z.strictObject({ id: z.string().min(1).max(100) }), call.input);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const found = await findRoleActivation(trx, id);
    if (found === undefined || !mayReadRoleActivation(snapshot, actor, found.record.requester, found.record.role)) {
      throw new AppError('not_found', `role activation '${id}' does not exist`, { id });
    }
    return toRoleActivationView(found.row);
  });
}
