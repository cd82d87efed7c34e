/**
 * Reads behind `GET /v1/policy/changes[/{id}]`: change sets with their status, touched profiles and approvals;
 * one change set also with its documents, which its reviewers must read before approving the digest, and what they
 * change in each document against the policy it was planned on. Readers:
 * `administer`, `audit` or `approve` holders (`decideAreaRead(…, 'policy_changes')`).
 */
import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.js';
import { decideAreaRead } from '../../decide/visibility.decide.js';
import { fromJsonText } from '../../store/columns.js';
import type { ChangeSetStatus, Row, Schema } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';
import { policyDocumentDiff } from './policy-diff.queries.js';
import { toPolicyChangeView, type PolicyChangeDetailView, type PolicyChangeView } from './policy-change.view.js';

type ChangeRow = Omit<Row<'policy_change_sets'>, 'documents' | 'plan'>;

async function items(trx: Transaction<Schema>, rows: readonly ChangeRow[]): Promise<PolicyChangeView[]> {
  const ids = rows.map((row) => row.id);
  const approvals =
    ids.length === 0
      ? []
      : await trx
          .selectFrom('policy_change_approvals')
          .select(['change_set_id', 'approver', 'at'])
          .where('change_set_id', 'in', ids)
          .orderBy('at')
          .orderBy('approver')
          .execute();
  return rows.map((row) =>
    toPolicyChangeView(
      row,
      approvals.filter((a) => a.change_set_id === row.id),
    ),
  );
}

const COLUMNS = [
  'id',
  'author',
  'status',
  'description',
  'digest',
  'base_policy_hash',
  'touched_profiles',
  'created_at',
  'updated_at',
  'decided_at',
  'decided_by',
  'applied_at',
  'version',
] as const;

/** Change sets, newest first, optionally of one status. */
export async function listPolicyChanges({
  app,
  actor,
  input,
}: VerbCall<{ status?: ChangeSetStatus; limit?: number }>): Promise<PolicyChangeView[]> {
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 1000);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'policy_changes'));
    let query = trx.selectFrom('policy_change_sets').select(COLUMNS);
    if (input.status !== undefined) query = query.where('status', '=', input.status);
    return items(trx, await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute());
  });
}

/** One change set with its documents. */
export async function getPolicyChange({
  app,
  actor,
  input,
}: VerbCall<{ id: string }>): Promise<PolicyChangeDetailView> {
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'policy_changes'));
    const row = await trx
      .selectFrom('policy_change_sets')
      .select([...COLUMNS, 'documents'])
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `policy change '${input.id}' does not exist`);
    const [item] = await items(trx, [row]);
    const documents = fromJsonText<{ path: string; text: string }[]>(row.documents);
    return {
      ...(item as PolicyChangeView),
      files: documents.map((d) => ({ path: d.path, text: d.text })),
      diff: await policyDocumentDiff(trx, row.base_policy_hash, documents),
    };
  });
}
