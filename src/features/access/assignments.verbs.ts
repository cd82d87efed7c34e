/**
 * Role assignments made through the API (SPEC §2.3, §2.4). Assigning a role widens access, so it is only
 * proposed here (`admin_change.propose`): checked preventively against the SoD rules (refused with
 * `sod_violation` naming the rule unless an approved, unexpired exception covers it) and the human-only duties,
 * and applied by a second administrator's approval (`admin-changes.verbs.ts`, `role.assign`), which checks it all
 * again. Removing one narrows access and needs one person; it ends the assignment (`removed_at`), never deletes
 * it, and never removes the last holder of `administer` or `audit`.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { reason, refusalAs, refusalOf } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { decideRoleAdministration } from '../../decide/administration.decide.js';
import { decideLastHolders } from '../../decide/last-holder.decide.js';
import { checkProposedAssignment, type ProposedAssignmentCheck } from '../../decide/sod.decide.js';
import type { Role, RoleAssignment, SubjectRef } from '../../policy/model.js';
import type { Schema } from '../../store/schema.js';
import { insertAdminChange, toAdminChange, type AdminChange } from '../../app/admin-changes.repo.js';
import { newId } from '../../core/clock.js';
import type { PolicySnapshot, VerbCall } from '../../app/context.js';
import { parseInput, type Outcome } from '../../app/verb-support.js';
import { firstMessage, refuse } from '../../app/refuse.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

const NAME = z.string().min(1).max(200);
const subjectSchema = z.object({ type: z.enum(['group', 'identity']), name: NAME });

export const assignInput = z.object({
  role: NAME,
  subject: subjectSchema,
  assignment: z.enum(['standing', 'eligible']).default('standing'),
  /** Epoch ms. */
  expiresAt: z.number().int().positive().optional(),
});
export type AssignRoleInput = z.input<typeof assignInput>;
type AssignRoleProposal = z.output<typeof assignInput>;

export interface AppliedAssignment {
  readonly id: string;
  readonly role: string;
  readonly subject: SubjectRef;
  readonly assignment: 'standing' | 'eligible';
  readonly expiresAt: number | null;
  readonly createdBy: string;
  readonly createdAt: number;
  /** Approved exceptions that made an otherwise conflicting assignment acceptable. */
  readonly coveredBy: readonly string[];
}

interface CheckedAssignment {
  readonly role: Role;
  readonly proposed: RoleAssignment;
  readonly check: ProposedAssignmentCheck;
}

const subjectText = (subject: SubjectRef): string => `${subject.type}:${subject.name}`;

/** The `admin_changes.target` of an assignment: one pending proposal per role and subject. */
export const assignmentTarget = (role: string, subject: SubjectRef): string =>
  `assignment:${role}:${subjectText(subject)}`;

/**
 * What proposing and applying an assignment both check against the policy in force: the role and subject exist,
 * `actor` administers the role's profiles and is not reached by it, it has not expired, and it creates no
 * unsuppressed static SoD conflict nor gives an NHI a human-only duty (`checkProposedAssignment`).
 */
export function checkAssignment(
  snapshot: PolicySnapshot,
  now: number,
  actor: string,
  parsed: AssignRoleProposal,
): Outcome<CheckedAssignment> {
  const role = snapshot.policy.roles.get(parsed.role);
  if (!role) {
    return { refused: refusalOf([reason('assignment.unknown_role', `role '${parsed.role}' does not exist`)]) };
  }
  const known =
    parsed.subject.type === 'identity'
      ? snapshot.policy.identities.has(parsed.subject.name)
      : snapshot.policy.groups.has(parsed.subject.name);
  if (!known) {
    const message = `${parsed.subject.type} '${parsed.subject.name}' does not exist`;
    return { refused: refusalOf([reason('assignment.unknown_subject', message)]) };
  }
  const admin = decideRoleAdministration(snapshot.duties, actor, role, parsed.subject, 'assign');
  // Assigning a role that reaches oneself is refused like any other want of `administer`: `forbidden`.
  if (!admin.allowed) return { refused: refusalAs('forbidden', admin.reasons) };
  if (parsed.expiresAt !== undefined && parsed.expiresAt <= now) {
    const message = `an assignment of role '${role.name}' that expires at once gives nothing`;
    return { refused: refusalOf([reason('assignment.expired', message)]) };
  }
  const proposed: RoleAssignment = {
    id: newId('ras'),
    role: role.name,
    subject: parsed.subject,
    assignment: parsed.assignment,
    ...(parsed.expiresAt !== undefined ? { expiresAt: parsed.expiresAt } : {}),
    source: 'api',
  };
  const check = checkProposedAssignment(
    { policy: snapshot.policy, duties: snapshot.duties, exceptions: snapshot.exceptions, now },
    proposed,
  );
  if (!check.allowed) return { refused: refusalOf(check.reasons), details: { rules: check.violatedRules } };
  return { done: { role, proposed, check } };
}

async function refuseIfAssigned(trx: Transaction<Schema>, role: string, subject: SubjectRef): Promise<void> {
  const duplicate = await trx
    .selectFrom('role_assignments')
    .select('id')
    .where('role', '=', role)
    .where('subject_type', '=', subject.type)
    .where('subject_name', '=', subject.name)
    .where('source', '=', 'api')
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (duplicate) {
    throw new AppError(
      'conflict',
      `role '${role}' is already assigned to ${subjectText(subject)} (assignment '${duplicate.id}')`,
    );
  }
}

async function refuseAssignment(
  call: VerbCall<unknown>,
  parsed: AssignRoleProposal,
  value: Exclude<Outcome<unknown>, { done: unknown }>,
  action: string,
): Promise<AppError> {
  const rules = (value.details?.rules as readonly string[] | undefined) ?? [];
  const what = subjectText(parsed.subject);
  const { refused } = value;
  return refuse(call.app, {
    actor: call.actor,
    action,
    subject: `role:${parsed.role}`,
    refusal: refused,
    otherwise: `role '${parsed.role}' may not be assigned to ${what}`,
    ...(refused.kind === 'sod' && rules.length > 0
      ? {
          message: `assigning role '${parsed.role}' to ${what} violates separation-of-duties rule ${rules.map((r) => `'${r}'`).join(', ')}: ${firstMessage(refused.reasons, '')}`,
        }
      : {}),
    details: { role: parsed.role, subject: what, rules },
  });
}

/**
 * Proposes a role assignment (`admin_change.propose`); nothing is in force until a second administrator
 * approves it. Invariants: everything `checkAssignment` checks holds for the author now; the role is not
 * already assigned to the subject; every refusal is in the decision log (`role.assign_refused`).
 */
export async function proposeRoleAssignment(call: VerbCall<AssignRoleInput>): Promise<AdminChange> {
  const { app, actor } = call;
  const parsed = parseInput(assignInput, call.input);
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify }) => {
    const snapshot = await app.policy.snapshot(trx, now);
    const checked = checkAssignment(snapshot, now, actor, parsed);
    if (!('done' in checked)) {
      if (checked.refused.kind === 'sod') {
        notify('sod.violation', {
          actor,
          role: parsed.role,
          subject: subjectText(parsed.subject),
          rules: checked.details?.rules,
        });
      }
      return checked;
    }
    await refuseIfAssigned(trx, parsed.role, parsed.subject);
    const payload = {
      role: parsed.role,
      subject: subjectText(parsed.subject),
      assignment: parsed.assignment,
      expiresAt: parsed.expiresAt ?? null,
    };
    const row = await insertAdminChange(trx, {
      kind: 'role_assignment',
      target: assignmentTarget(parsed.role, parsed.subject),
      payload,
      author: actor,
      now,
    });
    audit({
      actor,
      action: 'admin_change.propose',
      subject: `admin_change:${row.id}`,
      details: { kind: row.kind, target: row.target, digest: row.digest, ...payload, expiresAt: row.expires_at },
    });
    notify('admin_change.proposed', { changeId: row.id, kind: row.kind, target: row.target, author: actor });
    return { done: toAdminChange(row, now) };
  });
  if ('done' in value) return value.done;
  throw await refuseAssignment(call, parsed, value, 'role.assign_refused');
}

/**
 * Applies an approved assignment proposal inside the approving transaction (`role.assign`). Invariants: the
 * author still passes `checkAssignment` against the policy in force now (the approver's own checks are
 * `decideAdminChangeApproval`'s); the role is not already assigned; the row records the author as its creator;
 * the new duties are announced (`duties`), so `check` knows them from the next call.
 */
export async function applyRoleAssignment(
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit' | 'announce'>,
  snapshot: PolicySnapshot,
  change: { readonly id: string; readonly author: string; readonly approver: string; readonly payload: unknown },
): Promise<Outcome<AppliedAssignment>> {
  const { trx, now, audit, announce } = scope;
  const payload = change.payload as { role: string; subject: string; assignment: string; expiresAt: number | null };
  const colon = payload.subject.indexOf(':');
  const parsed = parseInput(assignInput, {
    role: payload.role,
    subject: { type: payload.subject.slice(0, colon), name: payload.subject.slice(colon + 1) },
    assignment: payload.assignment,
    ...(payload.expiresAt === null ? {} : { expiresAt: payload.expiresAt }),
  });
  const checked = checkAssignment(snapshot, now, change.author, parsed);
  if (!('done' in checked)) return checked;
  const { role, proposed, check } = checked.done;
  await refuseIfAssigned(trx, role.name, parsed.subject);
  await trx
    .insertInto('role_assignments')
    .values({
      id: proposed.id,
      role: role.name,
      subject_type: parsed.subject.type,
      subject_name: parsed.subject.name,
      assignment: parsed.assignment,
      expires_at: parsed.expiresAt ?? null,
      source: 'api',
      created_by: change.author,
      created_at: now,
      removed_at: null,
      removed_by: null,
    })
    .execute();
  announce({ kind: 'duties' });
  const coveredBy = [...new Set(check.conflicts.flatMap((c) => (c.suppressedBy ? [c.suppressedBy] : [])))].sort();
  const view: AppliedAssignment = {
    id: proposed.id,
    role: role.name,
    subject: parsed.subject,
    assignment: parsed.assignment,
    expiresAt: parsed.expiresAt ?? null,
    createdBy: change.author,
    createdAt: now,
    coveredBy,
  };
  audit({
    actor: change.approver,
    action: 'role.assign',
    subject: `assignment:${proposed.id}`,
    details: {
      ...view,
      subject: subjectText(parsed.subject),
      proposedBy: change.author,
      approvedBy: change.approver,
      changeId: change.id,
      reasons: check.reasons.map((r) => ({ ...r })),
    },
  });
  return { done: view };
}

const removeInput = z.object({ id: NAME, reason: z.string().min(1).max(2000).optional() });
export type RemoveAssignmentInput = z.input<typeof removeInput>;

/**
 * Ends an API-made role assignment at once (narrowing access needs one person). Invariants: policy assignments
 * are changed only through the policy; the actor holds `administer` over the role's profiles and is not the
 * subject; the last holder of `administer` or `audit` is never removed (`decideLastHolders`); the row is kept;
 * the lost duties are announced (`duties`), so `check` no longer counts them from the next call.
 */
export async function removeAssignment({
  app,
  actor,
  input,
}: VerbCall<RemoveAssignmentInput>): Promise<{ id: string; removedAt: number }> {
  const { id, reason } = parseInput(removeInput, input);
  const { value } = await inTransaction(
    app,
    async ({ trx, now, audit, announce }): Promise<Outcome<{ id: string; removedAt: number }>> => {
      const row = await trx.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.removed_at !== null)
        throw new AppError('not_found', `role assignment '${id}' does not exist or was already removed`);
      if (row.source !== 'api') {
        throw new AppError(
          'conflict',
          `role assignment '${id}' comes from the policy files; change the policy to remove it`,
        );
      }
      const snapshot = await app.policy.snapshot(trx, now);
      const subject: SubjectRef = { type: row.subject_type, name: row.subject_name };
      // A role since removed from the policy can still be cleaned up by any administrator of everything.
      const role = snapshot.policy.roles.get(row.role) ?? {
        name: row.role,
        duties: [],
        scope: { kind: 'all' as const },
      };
      const admin = decideRoleAdministration(snapshot.duties, actor, role, subject, 'remove');
      if (!admin.allowed) return { refused: refusalAs('forbidden', admin.reasons) };
      // Removing the last holder is refused for the state it would leave, whoever asks: a `conflict`.
      const holders = decideLastHolders(snapshot.duties, { assignments: new Set([id]) });
      if (!holders.allowed) return { refused: refusalAs('conflict', holders.reasons) };
      await trx
        .updateTable('role_assignments')
        .set({ removed_at: now, removed_by: actor })
        .where('id', '=', id)
        .execute();
      announce({ kind: 'duties' });
      audit({
        actor,
        action: 'role.unassign',
        subject: `assignment:${id}`,
        details: { role: row.role, subject: `${subject.type}:${subject.name}`, reason: reason ?? null },
      });
      return { done: { id, removedAt: now } };
    },
  );
  if ('done' in value) return value.done;
  throw await refuse(app, {
    actor,
    action: 'role.unassign_refused',
    subject: `assignment:${id}`,
    refusal: value.refused,
    otherwise: `'${actor}' may not remove role assignment '${id}'`,
  });
}
