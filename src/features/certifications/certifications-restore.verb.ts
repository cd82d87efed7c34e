/**
 * The recovery path for a certification revoke (issue #9): an operator with direct database access (as for
 * `countersign token issue`) puts back a role assignment that a certifier or a missed deadline took away — the
 * way back in when a revoke locked out the people who would otherwise fix it through the API. It is audited as
 * `system:operator` with the operator's reason, and notified urgently, so the restore is never silent.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { inTransaction } from '../../app/transaction.js';

export const restoreRevokeSchema = z.strictObject({
  item: z.string().min(1).max(100),
  reason: z.string().trim().min(1).max(2000),
});
export type RestoreRevokeInput = z.input<typeof restoreRevokeSchema>;

export interface RestoreRevokeResult {
  readonly item: string;
  readonly campaign: string;
  readonly assignment: string;
  readonly role: string;
  readonly subject: string;
  /** How the revoke had been enforced: an API assignment removed, or a policy-file assignment suspended. */
  readonly previousEnforcement: 'assignment_removed' | 'policy_assignment_suspended';
}

const RESTORABLE = new Set(['assignment_removed', 'policy_assignment_suspended']);

/**
 * Restores the role assignment a certification item revoked. Invariants: only a revoked role-assignment item
 * whose assignment is still out of force because of that revoke is restored (an assignment removed or changed
 * since for another reason, or granted again, is a `conflict`); the assignment, the item's enforcement and the
 * audit event change in one transaction; the duties it gives back are announced (`duties`), so `check` counts
 * them from the next call.
 */
export async function restoreCertificationRevoke({
  app,
  actor,
  input,
}: VerbCall<RestoreRevokeInput>): Promise<RestoreRevokeResult> {
  const parsed = parseInput(restoreRevokeSchema, input);
  const { value } = await inTransaction(app, async ({ trx, audit, notify, announce }) => {
    const item = await trx
      .selectFrom('certification_items')
      .selectAll()
      .where('id', '=', parsed.item)
      .executeTakeFirst();
    if (item === undefined) throw new AppError('not_found', `certification item '${parsed.item}' does not exist`);
    if (item.kind !== 'role_assignment' || item.status !== 'revoked' || !RESTORABLE.has(item.enforcement ?? '')) {
      throw new AppError(
        'conflict',
        `certification item '${item.id}' did not revoke a role assignment that can be restored (it is ${item.kind}, ${item.status}, enforcement ${item.enforcement ?? 'none'})`,
      );
    }
    const row = await trx.selectFrom('role_assignments').selectAll().where('id', '=', item.target).executeTakeFirst();
    const stillRevoked =
      row !== undefined &&
      row.removed_at !== null &&
      (row.source === 'policy' ? row.revoked_by_certification === item.id : row.removed_by === item.decided_by);
    if (row === undefined || !stillRevoked) {
      throw new AppError(
        'conflict',
        `assignment '${item.target}' is no longer out of force because of certification item '${item.id}'`,
      );
    }
    const again = await trx
      .selectFrom('role_assignments')
      .select('id')
      .where('role', '=', row.role)
      .where('subject_type', '=', row.subject_type)
      .where('subject_name', '=', row.subject_name)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (again !== undefined) {
      throw new AppError(
        'conflict',
        `role '${row.role}' is already assigned to ${row.subject_type}:${row.subject_name} again ('${again.id}')`,
      );
    }
    await trx
      .updateTable('role_assignments')
      .set({ removed_at: null, removed_by: null, revoked_by_certification: null })
      .where('id', '=', row.id)
      .execute();
    announce({ kind: 'duties' });
    await trx
      .updateTable('certification_items')
      .set({ enforcement: 'restored_by_operator', version: item.version + 1 })
      .where('id', '=', item.id)
      .execute();
    const result: RestoreRevokeResult = {
      item: item.id,
      campaign: item.campaign_id,
      assignment: row.id,
      role: row.role,
      subject: `${row.subject_type}:${row.subject_name}`,
      previousEnforcement: item.enforcement as RestoreRevokeResult['previousEnforcement'],
    };
    audit({
      actor,
      action: 'certification.restore',
      subject: `certification_item:${item.id}`,
      details: {
        ...result,
        revokedBy: item.decided_by,
        revokedAt: item.decided_at === null ? null : Number(item.decided_at),
        reason: parsed.reason,
      },
    });
    notify('certification.restored', { ...result, restoredBy: actor, reason: parsed.reason }, { urgent: true });
    return result;
  });
  return value;
}
