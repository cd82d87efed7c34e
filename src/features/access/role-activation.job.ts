/**
 * The scheduler's part of role activations: a pending request for a role that nobody answered by its
 * `pending_until` times out (`role_activation.timeout`). Active ones end in `endExpiredActivations`
 * (expiry.job.ts), which turns the role off in the overlay and marks the request `expired`. One transaction
 * per batch; every update names the state it read, so two replicas never both record the same change.
 */
import type { AppContext } from '../../app/context.js';
import type { JobOptions } from '../../app/job-options.js';
import { inTransaction } from '../../app/transaction.js';

/** Times out pending role activations past `pending_until`; returns how many. */
export async function timeOutRoleActivations(app: AppContext, now: number, options: JobOptions): Promise<number> {
  const { value } = await inTransaction(app, async ({ trx, audit, notify }) => {
    const rows = await trx
      .selectFrom('role_activation_requests')
      .select(['id', 'requester', 'role', 'pending_until', 'version'])
      .where('status', '=', 'pending')
      .where('pending_until', '<=', now)
      .limit(options.batchSize)
      .execute();
    let timedOut = 0;
    for (const row of rows) {
      const updated = await trx
        .updateTable('role_activation_requests')
        .set({
          status: 'timed_out',
          ended_at: now,
          ended_by: options.actor,
          updated_at: now,
          version: Number(row.version) + 1,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      timedOut += 1;
      const details = { role: row.role, requester: row.requester, pendingUntil: row.pending_until };
      audit({ actor: options.actor, action: 'role_activation.timeout', subject: `role_activation:${row.id}`, details });
      notify('role_activation.timed_out', { roleActivation: row.id, ...details });
    }
    return timedOut;
  });
  return value;
}
