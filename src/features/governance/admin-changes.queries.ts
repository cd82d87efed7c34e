/**
 * Reads behind `GET /v1/admin-changes[/{id}]`: pending and decided administrative changes (role assignments and
 * resource registrations waiting for, or decided by, a second administrator). Readers: `administer` or `audit`
 * holders, like role assignments (`decideAreaRead(…, 'assignments')`).
 */
import { AppError } from '../../core/errors.js';
import { decideAreaRead } from '../../decide/visibility.decide.js';
import type { AdminChangeKind, AdminChangeStatus } from '../../store/schema.js';
import { toAdminChange, type AdminChange } from '../../app/admin-changes.repo.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';

export interface ListAdminChangesInput {
  readonly status?: AdminChangeStatus;
  readonly kind?: AdminChangeKind;
  readonly limit?: number;
}

/** Changes, newest first. `pending` means pending and not expired; `expired` includes those not closed yet. */
export async function listAdminChanges({ app, actor, input }: VerbCall<ListAdminChangesInput>): Promise<AdminChange[]> {
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 1000);
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'assignments'));
    let query = trx.selectFrom('admin_changes').selectAll();
    if (input.kind !== undefined) query = query.where('kind', '=', input.kind);
    if (input.status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', now);
    else if (input.status === 'expired') {
      query = query.where((eb) =>
        eb.or([eb('status', '=', 'expired'), eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', now)])]),
      );
    } else if (input.status !== undefined) query = query.where('status', '=', input.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((row) => toAdminChange(row, now));
  });
}

/** One change. */
export async function getAdminChange({ app, actor, input }: VerbCall<{ id: string }>): Promise<AdminChange> {
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'assignments'));
    const row = await trx.selectFrom('admin_changes').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw new AppError('not_found', `administrative change '${input.id}' does not exist`);
    return toAdminChange(row, now);
  });
}
