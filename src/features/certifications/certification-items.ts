/**
 * The store side of certification campaigns: generating a campaign's items from what exists when it is created
 * (their summaries record times in epoch milliseconds; `certification.view.ts` shows them as ISO 8601), turning
 * rows into the `CertificationSubject` the pure decision reads, and enforcing a revoke inside the deciding
 * transaction (the provider call runs after commit, through `teardownGrant`).
 */
import type { Transaction } from 'kysely';
import type { CertificationItemKind, CertificationSubject } from '../../decide/certification.decide.js';
import type { PolicySnapshot } from '../../app/context.js';
import type { Duty, PolicySet, RoleScope } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { NewRow, Row, Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import { getRequest, updateRequest } from '../requests/index.js';
import { withGatewayUse } from './certification-use.js';

type Trx = Transaction<Schema>;

type NewItem = NewRow<'certification_items'>;

function item(
  campaignId: string,
  fields: Omit<NewItem, 'id' | 'campaign_id' | 'status' | 'holders' | 'summary'> & {
    holders: readonly string[];
    summary: Record<string, unknown>;
  },
): NewItem {
  return {
    ...fields,
    id: newId('cit'),
    campaign_id: campaignId,
    status: 'pending',
    holders: toJsonText([...new Set(fields.holders)].sort()),
    summary: toJsonText(fields.summary),
    decided_by: null,
    decided_at: null,
    comment: null,
    enforcement: null,
  };
}

async function requestItems(
  trx: Trx,
  campaignId: string,
  kind: 'break_glass' | 'high_risk_request',
  period: { from: number; to: number },
  snapshot: PolicySnapshot,
): Promise<NewItem[]> {
  let query = trx
    .selectFrom('requests')
    .selectAll()
    .where('created_at', '>=', period.from)
    .where('created_at', '<', period.to)
    .where('break_glass', '=', kind === 'break_glass' ? 1 : 0);
  if (kind === 'high_risk_request') query = query.where('approved_at', 'is not', null);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  const approvals =
    rows.length === 0
      ? []
      : await trx
          .selectFrom('approvals')
          .selectAll()
          .where(
            'request_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
  return rows.flatMap((row) => {
    const risk = snapshot.policy.profiles.get(row.profile)?.actions.get(row.action)?.risk;
    if (kind === 'high_risk_request' && risk !== 'high' && risk !== 'critical') return [];
    const approvers = approvals.filter((a) => a.request_id === row.id).map((a) => a.approver);
    return [
      item(campaignId, {
        kind,
        target: row.id,
        profile: row.profile,
        role: null,
        request_id: row.id,
        holders: [row.requester],
        summary: {
          requester: row.requester,
          resource: row.resource,
          action: row.action,
          risk: risk ?? null,
          status: row.status,
          justification: row.justification,
          approvers,
          createdAt: Number(row.created_at),
        },
      }),
    ];
  });
}

/** Every item a campaign over `kinds` reviews, as things stand at `now` (see SPEC §2.9). */
export async function generateItems(
  trx: Trx,
  campaignId: string,
  kinds: readonly CertificationItemKind[],
  period: { from: number; to: number },
  snapshot: PolicySnapshot,
  now: number,
): Promise<NewItem[]> {
  const items: NewItem[] = [];
  if (kinds.includes('role_assignment')) {
    const rows = await trx
      .selectFrom('role_assignments')
      .selectAll()
      .where('removed_at', 'is', null)
      .where('assignment', '=', 'standing')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('role')
      .orderBy('subject_type')
      .orderBy('subject_name')
      .execute();
    for (const row of rows) {
      const role = snapshot.policy.roles.get(row.role);
      const holders =
        row.subject_type === 'identity' ? [row.subject_name] : snapshot.duties.membersOf(row.subject_name);
      items.push(
        item(campaignId, {
          kind: 'role_assignment',
          target: row.id,
          profile: null,
          role: row.role,
          request_id: null,
          holders,
          summary: {
            role: row.role,
            subject: `${row.subject_type}:${row.subject_name}`,
            source: row.source,
            assignedBy: row.created_by,
            duties: role?.duties ?? [],
            scope: role?.scope ?? null,
            expiresAt: row.expires_at === null ? null : Number(row.expires_at),
          },
        }),
      );
    }
  }
  if (kinds.includes('break_glass'))
    items.push(...(await requestItems(trx, campaignId, 'break_glass', period, snapshot)));
  if (kinds.includes('high_risk_request')) {
    items.push(...(await requestItems(trx, campaignId, 'high_risk_request', period, snapshot)));
  }
  if (kinds.includes('grant')) {
    const covered = new Set(items.flatMap((i) => (i.request_id ? [i.request_id] : [])));
    const grants = await trx
      .selectFrom('grants')
      .innerJoin('requests', 'requests.id', 'grants.request_id')
      .select([
        'grants.id',
        'grants.identity',
        'grants.resource',
        'grants.action',
        'grants.expires_at',
        'grants.request_id',
        'requests.profile',
        'requests.requester',
      ])
      .where('grants.status', '=', 'active')
      .orderBy('grants.created_at')
      .orderBy('grants.id')
      .execute();
    for (const grant of grants) {
      if (covered.has(grant.request_id)) continue;
      items.push(
        item(campaignId, {
          kind: 'grant',
          target: grant.id,
          profile: grant.profile,
          role: null,
          request_id: grant.request_id,
          holders: [grant.identity],
          summary: {
            identity: grant.identity,
            requester: grant.requester,
            resource: grant.resource,
            action: grant.action,
            expiresAt: Number(grant.expires_at),
          },
        }),
      );
    }
  }
  // Evidence of use (issue 14): what was done through the gateway with the access under review.
  return withGatewayUse(trx, items);
}

/** What `decideCertification` needs about an item, read in the deciding transaction. */
export async function subjectOf(trx: Trx, row: Row<'certification_items'>): Promise<CertificationSubject> {
  const base = { id: row.id, kind: row.kind, status: row.status, holders: fromJsonText<string[]>(row.holders) };
  if (row.request_id !== null) {
    const stored = await getRequest(trx, row.request_id);
    return { ...base, request: stored.record };
  }
  const summary = fromJsonText<{ subject?: string; assignedBy?: string; scope?: RoleScope | null }>(row.summary);
  const group = summary.subject?.startsWith('group:') ? summary.subject.slice('group:'.length) : undefined;
  return {
    ...base,
    ...(row.role !== null ? { role: row.role } : {}),
    ...(summary.scope ? { roleScope: summary.scope } : {}),
    ...(summary.assignedBy !== undefined ? { assignedBy: summary.assignedBy } : {}),
    ...(group !== undefined ? { group } : {}),
  };
}

/**
 * The duties a role-assignment item gives: its role's duties in the policy in force and those recorded when the
 * campaign was created (a role narrowed since still counts as it was reviewed). Other kinds give none.
 */
export function dutiesOfItem(row: Row<'certification_items'>, policy: PolicySet): Duty[] {
  if (row.kind !== 'role_assignment') return [];
  const recorded = fromJsonText<{ duties?: Duty[] }>(row.summary).duties ?? [];
  const current = row.role === null ? [] : (policy.roles.get(row.role)?.duties ?? []);
  return [...new Set([...recorded, ...current])];
}

/**
 * How the duty index names the assignment a role-assignment item reviews (see `build-policy.ts` for the files'
 * ids), or undefined when it is no longer in force: what `decideLastHolders` must leave out.
 */
export async function holdingAssignmentId(trx: Trx, row: Row<'certification_items'>): Promise<string | undefined> {
  if (row.kind !== 'role_assignment') return undefined;
  const assignment = await trx
    .selectFrom('role_assignments')
    .select(['id', 'role', 'subject_type', 'subject_name', 'source', 'removed_at'])
    .where('id', '=', row.target)
    .executeTakeFirst();
  if (assignment === undefined || assignment.removed_at !== null) return undefined;
  return assignment.source === 'policy'
    ? `policy:${assignment.role}:${assignment.subject_type}:${assignment.subject_name}`
    : assignment.id;
}

/** The grant a revoke must tear down, if the request still has a live one. */
export async function liveGrantOf(trx: Trx, requestId: string): Promise<string | undefined> {
  const grant = await trx
    .selectFrom('grants')
    .select('id')
    .where('request_id', '=', requestId)
    .where('status', 'in', ['active', 'revoke_failed'])
    .executeTakeFirst();
  return grant?.id;
}

/**
 * Enforces a revoke inside the transaction: an API assignment is removed, a policy-file assignment is suspended
 * (see migration 0008), and a grant is handed back to tear down after commit.
 */
export async function enforceRevoke(
  trx: Trx,
  row: Row<'certification_items'>,
  actor: string,
  now: number,
): Promise<{ readonly enforcement: string; readonly grantId?: string }> {
  if (row.kind === 'role_assignment') {
    const assignment = await trx
      .selectFrom('role_assignments')
      .selectAll()
      .where('id', '=', row.target)
      .executeTakeFirst();
    if (assignment === undefined || assignment.removed_at !== null) return { enforcement: 'already_removed' };
    const fromPolicy = assignment.source === 'policy';
    await trx
      .updateTable('role_assignments')
      .set({ removed_at: now, removed_by: actor, ...(fromPolicy ? { revoked_by_certification: row.id } : {}) })
      .where('id', '=', row.target)
      .where('removed_at', 'is', null)
      .execute();
    // A policy-file assignment is suspended (kept out of force until the files stop naming it); the files
    // should still be changed, so the caller also asks for that.
    return { enforcement: fromPolicy ? 'policy_assignment_suspended' : 'assignment_removed' };
  }
  const grantId = row.request_id === null ? undefined : await liveGrantOf(trx, row.request_id);
  return grantId === undefined ? { enforcement: 'no_live_grant' } : { enforcement: 'grant_revoked', grantId };
}

/** Records the certifier on a reviewed request (and, for break-glass, that it was reviewed). */
export async function markRequestCertified(trx: Trx, requestId: string, certifier: string, now: number): Promise<void> {
  const stored = await getRequest(trx, requestId);
  const patch = {
    ...(stored.record.certifier === undefined ? { certifier } : {}),
    ...(stored.record.breakGlass && stored.reviewedAt === undefined ? { reviewedAt: now } : {}),
  };
  if (Object.keys(patch).length > 0) await updateRequest(trx, requestId, stored.version, patch, now);
}
