/**
 * The only code touching `role_activation_requests` (migration 0014) and, for role activations, the
 * `role_activations` rows the policy snapshot overlays: reads a role activation as a decision record, writes its
 * changes naming the version it read (so two replicas never both record the same change), and turns a role on
 * or off in the overlay, and maps a row to its view (`role-activation.view.ts`).
 */
import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { RoleActivationApproval, RoleActivationRecord } from '../../decide/role-activation.decide.js';
import { formatSubject } from '../../decide/request.decide.js';
import type { ApprovalStep } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import { isUniqueViolation } from '../../store/errors.js';
import type { RoleActivationRequestsTable, Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { RoleActivationView } from './role-activation.view.js';

type Row = Pick<RoleActivationRequestsTable, Exclude<keyof RoleActivationRequestsTable, 'version'>> & {
  version: number;
};

export interface StoredRoleActivation {
  readonly record: RoleActivationRecord;
  readonly version: number;
  readonly row: Row;
}

const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(Number(ms)).toISOString());

function toRecord(row: Row): RoleActivationRecord {
  return {
    id: row.id,
    requester: row.requester,
    role: row.role,
    durationSeconds: Number(row.duration_seconds),
    ...(row.justification !== null ? { justification: row.justification } : {}),
    ...(row.ticket !== null ? { ticket: row.ticket } : {}),
    status: row.status,
    matchedRule: row.matched_rule,
    steps: fromJsonText<ApprovalStep[]>(row.steps),
    approvals: fromJsonText<RoleActivationApproval[]>(row.approvals),
    createdAt: Number(row.created_at),
    ...(row.pending_until !== null ? { pendingUntil: Number(row.pending_until) } : {}),
    ...(row.activated_at !== null ? { activatedAt: Number(row.activated_at) } : {}),
    ...(row.expires_at !== null ? { expiresAt: Number(row.expires_at) } : {}),
  };
}

export function toRoleActivationView(row: Row): RoleActivationView {
  const record = toRecord(row);
  const optional = {
    statusReason: row.status_reason ?? undefined,
    justification: record.justification,
    ticket: record.ticket,
    pendingUntil: iso(row.pending_until),
    activatedAt: iso(row.activated_at),
    expiresAt: iso(row.expires_at),
    endedAt: iso(row.ended_at),
    endedBy: row.ended_by ?? undefined,
  };
  return {
    id: record.id,
    requester: record.requester,
    role: record.role,
    status: record.status,
    duration: `${record.durationSeconds}s`,
    durationSeconds: record.durationSeconds,
    rule: record.matchedRule,
    steps: record.steps.map((step) => ({
      from: step.from.map(formatSubject),
      count: step.count,
      independent: step.independent,
    })),
    approvals: record.approvals.map((a) => ({ approver: a.approver, step: a.step, at: new Date(a.at).toISOString() })),
    createdAt: new Date(record.createdAt).toISOString(),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

export async function findRoleActivation(
  trx: Transaction<Schema>,
  id: string,
): Promise<StoredRoleActivation | undefined> {
  const row = await trx.selectFrom('role_activation_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const typed = { ...row, version: Number(row.version) };
  return { record: toRecord(typed), version: typed.version, row: typed };
}

export async function getRoleActivation(trx: Transaction<Schema>, id: string): Promise<StoredRoleActivation> {
  const found = await findRoleActivation(trx, id);
  if (found === undefined) throw new AppError('not_found', `role activation '${id}' does not exist`, { id });
  return found;
}

/** Is a request for this role by this requester already waiting for approval? */
export async function findPendingFor(
  trx: Transaction<Schema>,
  requester: string,
  role: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('role_activation_requests')
    .select('id')
    .where('requester', '=', requester)
    .where('role', '=', role)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.id;
}

export async function insertRoleActivation(
  trx: Transaction<Schema>,
  record: RoleActivationRecord,
  statusReason: string | undefined,
  now: number,
): Promise<void> {
  try {
    await insertRow(trx, record, statusReason, now);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const message = `'${record.requester}' already asked for role '${record.role}', and that request is pending`;
    throw new AppError('conflict', message, { role: record.role, reason: 'already_pending' });
  }
}

async function insertRow(
  trx: Transaction<Schema>,
  record: RoleActivationRecord,
  statusReason: string | undefined,
  now: number,
): Promise<void> {
  await trx
    .insertInto('role_activation_requests')
    .values({
      id: record.id,
      requester: record.requester,
      role: record.role,
      duration_seconds: record.durationSeconds,
      justification: record.justification ?? null,
      ticket: record.ticket ?? null,
      status: record.status,
      status_reason: statusReason ?? null,
      matched_rule: record.matchedRule,
      steps: toJsonText(record.steps),
      approvals: toJsonText(record.approvals),
      created_at: record.createdAt,
      updated_at: now,
      pending_until: record.pendingUntil ?? null,
      activated_at: record.activatedAt ?? null,
      expires_at: record.expiresAt ?? null,
      ended_at: null,
      ended_by: null,
    })
    .execute();
}

export interface RoleActivationChange {
  readonly status?: RoleActivationRecord['status'];
  readonly statusReason?: string;
  readonly approvals?: readonly RoleActivationApproval[];
  readonly activatedAt?: number;
  readonly expiresAt?: number;
  readonly endedAt?: number;
  readonly endedBy?: string;
}

/** Applies `change` if the row is still at `version`; a lost race is a `conflict`. */
export async function updateRoleActivation(
  trx: Transaction<Schema>,
  id: string,
  version: number,
  change: RoleActivationChange,
  now: number,
): Promise<void> {
  const result = await trx
    .updateTable('role_activation_requests')
    .set({
      updated_at: now,
      version: version + 1,
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.statusReason !== undefined ? { status_reason: change.statusReason } : {}),
      ...(change.approvals !== undefined ? { approvals: toJsonText(change.approvals) } : {}),
      ...(change.activatedAt !== undefined ? { activated_at: change.activatedAt } : {}),
      ...(change.expiresAt !== undefined ? { expires_at: change.expiresAt } : {}),
      ...(change.endedAt !== undefined ? { ended_at: change.endedAt } : {}),
      ...(change.endedBy !== undefined ? { ended_by: change.endedBy } : {}),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new AppError('conflict', `role activation '${id}' changed meanwhile; read it again`, { id });
  }
}

/** Turns the role on in the policy overlay until `expiresAt` (the `role_activations` row, bumping the overlay). */
export async function switchRoleOn(
  trx: Transaction<Schema>,
  record: RoleActivationRecord,
  now: number,
  expiresAt: number,
): Promise<string> {
  const id = newId('rac');
  await trx
    .insertInto('role_activations')
    .values({
      id,
      identity: record.requester,
      role: record.role,
      request_id: record.id,
      created_at: now,
      expires_at: expiresAt,
      ended_at: null,
    })
    .execute();
  return id;
}

/** Turns the role off in the policy overlay at `now` (no-op when it already ended). */
export async function switchRoleOff(trx: Transaction<Schema>, activationRequestId: string, now: number): Promise<void> {
  await trx
    .updateTable('role_activations')
    .set({ ended_at: now })
    .where('request_id', '=', activationRequestId)
    .where('ended_at', 'is', null)
    .execute();
}
