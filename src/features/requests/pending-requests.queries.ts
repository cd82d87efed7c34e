/**
 * The pending requests as the inbox and approval health decide over them: one query for the requests and one for
 * their approvals, whatever their number, reading every column a listing decision needs (`isInInbox`: the steps,
 * the approvals, the requester, the profile) and leaving out the parameters and free text, which only an item's
 * own view and digest need and which can be large (an action's SQL). The inbox loads its page in full afterwards
 * (`findRequest`, as the approve verb does).
 */
import type { Transaction } from 'kysely';
import type { ApprovalRecord, RequestRecord } from '../../decide/types.js';
import type { ApprovalStep } from '../../policy/model.js';
import { fromFlag, fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';

/** Most pending requests one read considers. */
export const MAX_PENDING_SCANNED = 20_000;

/** Whose pending requests: every one (undefined), or the reader's own and those on `profiles`. */
export type PendingScope = { readonly requester: string; readonly profiles: readonly string[] } | undefined;

/**
 * The pending requests in `scope`, newest first (on created_at, then id), at most `MAX_PENDING_SCANNED`, each
 * without `params`, `justification`, `ticket` and `otherActors`, with its approvals in the order `findRequest`
 * reads them (by time, then approver: the first approval of an identity is the one that counts).
 */
export async function pendingRecords(trx: Transaction<Schema>, scope: PendingScope): Promise<RequestRecord[]> {
  let query = trx
    .selectFrom('requests')
    .select([
      'id',
      'requester',
      'resource',
      'action',
      'duration_seconds',
      'break_glass',
      'profile',
      'profile_version',
      'digest',
      'status',
      'created_at',
      'matched_rule',
      'steps',
      'expires_at',
    ])
    .where('status', '=', 'pending');
  if (scope !== undefined) {
    query = query.where((eb) =>
      scope.profiles.length === 0
        ? eb('requester', '=', scope.requester)
        : eb.or([eb('requester', '=', scope.requester), eb('profile', 'in', scope.profiles)]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(MAX_PENDING_SCANNED).execute();
  const approvals = new Map<string, ApprovalRecord[]>(rows.map((row) => [row.id, []]));
  // The approvals of every pending request (few: a pending request lacks some of its approvals by definition).
  const approvalRows = await trx
    .selectFrom('approvals')
    .innerJoin('requests', 'requests.id', 'approvals.request_id')
    .select(['approvals.request_id', 'approvals.approver', 'approvals.step', 'approvals.at', 'approvals.digest'])
    .where('requests.status', '=', 'pending')
    .orderBy('approvals.at', 'asc')
    .orderBy('approvals.approver', 'asc')
    .execute();
  for (const row of approvalRows) {
    approvals.get(row.request_id)?.push({
      approver: row.approver,
      step: Number(row.step),
      at: Number(row.at),
      digest: row.digest,
    });
  }
  return rows.map((row) => ({
    id: row.id,
    requester: row.requester,
    resource: row.resource,
    action: row.action,
    durationSeconds: Number(row.duration_seconds),
    breakGlass: fromFlag(row.break_glass),
    profile: row.profile,
    profileVersion: row.profile_version,
    digest: row.digest,
    status: row.status,
    createdAt: Number(row.created_at),
    matchedRule: row.matched_rule,
    steps: fromJsonText<ApprovalStep[]>(row.steps),
    approvals: approvals.get(row.id) ?? [],
    ...(row.expires_at !== null ? { expiresAt: Number(row.expires_at) } : {}),
  }));
}
