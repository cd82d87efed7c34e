/**
 * Role assignments made through the API (SPEC §2.3, §2.4): assigning a role is checked preventively against
 * the SoD rules (refused with `sod_violation` naming the rule unless an approved, unexpired exception covers
 * it) and against the human-only duties; removing one ends it (`removed_at`), never deletes it.
 */
import { z } from 'zod';
import type { Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';
import { decideRoleAdministration } from '../decide/administration.decide.js';
import { checkProposedAssignment } from '../decide/sod.decide.js';
import type { RoleAssignment, SubjectRef } from '../policy/model.js';
import { newId } from './clock.js';
import type { VerbCall } from './context.js';
import { firstMessage, parseInput, recordRefusal } from './request-verb-support.js';
import { inTransaction } from './transaction.js';

const NAME = z.string().min(1).max(200);
const subjectSchema = z.object({ type: z.enum(['group', 'identity']), name: NAME });

const assignInput = z.object({
  role: NAME,
  subject: subjectSchema,
  assignment: z.enum(['standing', 'eligible']).default('standing'),
  /** Epoch ms. */
  expiresAt: z.number().int().positive().optional(),
});
export type AssignRoleInput = z.input<typeof assignInput>;

export interface AssignmentView {
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

type Outcome<T> =
  | { readonly done: T }
  | {
      readonly refused: readonly Reason[];
      readonly code: 'sod_violation' | 'forbidden' | 'not_found';
      readonly details?: Record<string, unknown>;
    };

/**
 * Assigns a role through the API. Invariants: the actor holds `administer` over the role's profiles and is not
 * reached by the assignment; no assignment this verb makes creates an unsuppressed static SoD conflict or gives
 * a non-human identity a human-only duty (`checkProposedAssignment`); every refusal is in the decision log.
 */
export async function assignRole({ app, actor, input }: VerbCall<AssignRoleInput>): Promise<AssignmentView> {
  const parsed = parseInput(assignInput, input);
  const subjectText = `${parsed.subject.type}:${parsed.subject.name}`;
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<Outcome<AssignmentView>> => {
    const snapshot = await app.policy.snapshot(trx, now);
    const role = snapshot.policy.roles.get(parsed.role);
    if (!role)
      return {
        refused: [{ code: 'assignment.unknown_role', message: `role '${parsed.role}' does not exist` }],
        code: 'not_found',
      };
    const known =
      parsed.subject.type === 'identity'
        ? snapshot.policy.identities.has(parsed.subject.name)
        : snapshot.policy.groups.has(parsed.subject.name);
    if (!known) {
      return {
        refused: [
          {
            code: 'assignment.unknown_subject',
            message: `${parsed.subject.type} '${parsed.subject.name}' does not exist`,
          },
        ],
        code: 'not_found',
      };
    }
    const admin = decideRoleAdministration(snapshot.duties, actor, role, parsed.subject, 'assign');
    if (!admin.allowed) return { refused: admin.reasons, code: 'forbidden' };
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
    if (!check.allowed) {
      notify('sod.violation', { actor, role: role.name, subject: subjectText, rules: check.violatedRules });
      return { refused: check.reasons, code: 'sod_violation', details: { rules: check.violatedRules } };
    }
    const duplicate = await trx
      .selectFrom('role_assignments')
      .select('id')
      .where('role', '=', role.name)
      .where('subject_type', '=', parsed.subject.type)
      .where('subject_name', '=', parsed.subject.name)
      .where('source', '=', 'api')
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (duplicate)
      throw new AppError(
        'conflict',
        `role '${role.name}' is already assigned to ${subjectText} (assignment '${duplicate.id}')`,
      );
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
        created_by: actor,
        created_at: now,
        removed_at: null,
        removed_by: null,
      })
      .execute();
    const coveredBy = [...new Set(check.conflicts.flatMap((c) => (c.suppressedBy ? [c.suppressedBy] : [])))].sort();
    const view: AssignmentView = {
      id: proposed.id,
      role: role.name,
      subject: parsed.subject,
      assignment: parsed.assignment,
      expiresAt: parsed.expiresAt ?? null,
      createdBy: actor,
      createdAt: now,
      coveredBy,
    };
    audit({
      actor,
      action: 'role.assign',
      subject: `assignment:${proposed.id}`,
      details: { ...view, subject: subjectText, reasons: check.reasons.map((r) => ({ ...r })) },
    });
    return { done: view };
  });
  if ('done' in value) return value.done;
  const rules = (value.details?.rules as readonly string[] | undefined) ?? [];
  const message =
    value.code === 'sod_violation' && rules.length > 0
      ? `assigning role '${parsed.role}' to ${subjectText} violates separation-of-duties rule ${rules.map((r) => `'${r}'`).join(', ')}: ${firstMessage(value.refused, '')}`
      : firstMessage(value.refused, `role '${parsed.role}' may not be assigned to ${subjectText}`);
  throw await recordRefusal(app, {
    actor,
    action: 'role.assign_refused',
    subject: `role:${parsed.role}`,
    code: value.code,
    message,
    reasons: value.refused,
    details: { role: parsed.role, subject: subjectText, rules },
  });
}

const removeInput = z.object({ id: NAME, reason: z.string().min(1).max(2000).optional() });
export type RemoveAssignmentInput = z.input<typeof removeInput>;

/**
 * Ends an API-made role assignment. Invariants: policy assignments are changed only through the policy; the
 * actor holds `administer` over the role's profiles and is not the subject; the row is kept with `removed_at`.
 */
export async function removeAssignment({
  app,
  actor,
  input,
}: VerbCall<RemoveAssignmentInput>): Promise<{ id: string; removedAt: number }> {
  const { id, reason } = parseInput(removeInput, input);
  const { value } = await inTransaction(
    app,
    async ({ trx, now, audit }): Promise<Outcome<{ id: string; removedAt: number }>> => {
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
      if (!admin.allowed) return { refused: admin.reasons, code: 'forbidden' };
      await trx
        .updateTable('role_assignments')
        .set({ removed_at: now, removed_by: actor })
        .where('id', '=', id)
        .execute();
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
  throw await recordRefusal(app, {
    actor,
    action: 'role.unassign_refused',
    subject: `assignment:${id}`,
    code: value.code,
    message: firstMessage(value.refused, `'${actor}' may not remove role assignment '${id}'`),
    reasons: value.refused,
  });
}
