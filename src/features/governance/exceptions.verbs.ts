/**
 * SoD exceptions (SPEC §2.4): time-bounded records exempting one identity from one configured rule, with a
 * justification and a compensating control. An exception counts only once approved by an `administer` holder
 * who is neither its beneficiary nor its creator, and only until it expires or is revoked (the policy snapshot
 * leaves expired and revoked ones out, so nothing has to run at expiry for them to stop counting).
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import {
  decideExceptionApproval,
  decideExceptionCreation,
  decideExceptionRevocation,
  exceptionTermProblem,
} from '../../decide/administration.decide.js';
import type { Row, Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { firstMessage, parseInput, recordRefusal } from '../requests/request-verb-support.js';
import { inTransaction } from '../../app/transaction.js';

const NAME = z.string().min(1).max(200);
const createInput = z.object({
  rule: NAME,
  identity: NAME,
  justification: z.string().trim().min(1).max(4000),
  compensatingControl: z.string().trim().min(1).max(4000),
  /** Epoch ms; required. */
  expiresAt: z.number().int().positive(),
});
export type CreateExceptionInput = z.input<typeof createInput>;

export interface ExceptionView {
  readonly id: string;
  readonly rule: string;
  readonly identity: string;
  readonly justification: string;
  readonly compensatingControl: string;
  readonly expiresAt: number;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly approvedBy: string | null;
  readonly approvedAt: number | null;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

function toView(row: Row<'sod_exceptions'>): ExceptionView {
  return {
    id: row.id,
    rule: row.rule,
    identity: row.identity,
    justification: row.justification,
    compensatingControl: row.compensating_control,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

type Outcome<T> = { readonly done: T } | { readonly refused: readonly Reason[] };

async function refuse(
  app: AppContext,
  actor: string,
  action: string,
  subject: string,
  reasons: readonly Reason[],
): Promise<AppError> {
  return recordRefusal(app, {
    actor,
    action,
    subject,
    code: reasons.some((r) => r.code.startsWith('sod.')) ? 'sod_violation' : 'forbidden',
    message: firstMessage(reasons, `'${actor}' may not do that`),
    reasons,
  });
}

/**
 * Records a new, unapproved exception (`exception.create`). Invariants: the rule exists in the policy, the
 * expiry is in the future and at most a year away, justification and compensating control are non-empty.
 */
export async function createException({ app, actor, input }: VerbCall<CreateExceptionInput>): Promise<ExceptionView> {
  const parsed = parseInput(createInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<ExceptionView>> => {
    const termProblem = exceptionTermProblem(parsed.expiresAt, now);
    if (termProblem !== undefined) throw new AppError('invalid', termProblem);
    const snapshot = await app.policy.snapshot(trx, now);
    if (!snapshot.policy.sodRules.some((rule) => rule.name === parsed.rule)) {
      throw new AppError('not_found', `separation-of-duties rule '${parsed.rule}' does not exist`);
    }
    const decision = decideExceptionCreation(snapshot.duties, actor, parsed.identity);
    if (!decision.allowed) {
      if (decision.reasons.some((r) => r.code === 'admin.unknown_identity')) {
        throw new AppError('not_found', `identity '${parsed.identity}' does not exist`);
      }
      return { refused: decision.reasons };
    }
    const row: Row<'sod_exceptions'> = {
      id: newId('exc'),
      rule: parsed.rule,
      identity: parsed.identity,
      justification: parsed.justification,
      compensating_control: parsed.compensatingControl,
      expires_at: parsed.expiresAt,
      created_by: actor,
      created_at: now,
      approved_by: null,
      approved_at: null,
      revoked_at: null,
      revoked_by: null,
    };
    await trx.insertInto('sod_exceptions').values(row).execute();
    const view = toView(row);
    audit({ actor, action: 'exception.create', subject: `exception:${row.id}`, details: { ...view } });
    return { done: view };
  });
  if ('done' in value) return value.done;
  throw await refuse(app, actor, 'exception.create_refused', `identity:${parsed.identity}`, value.refused);
}

const idInput = z.object({ id: NAME, reason: z.string().min(1).max(2000).optional() });
export type ExceptionIdInput = z.input<typeof idInput>;

async function loadOpen(trx: Transaction<Schema>, id: string, now: number): Promise<Row<'sod_exceptions'>> {
  const row = await trx.selectFrom('sod_exceptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `exception '${id}' does not exist`);
  if (row.revoked_at !== null) throw new AppError('conflict', `exception '${id}' was revoked`);
  if (row.expires_at <= now) throw new AppError('conflict', `exception '${id}' has expired`);
  return row;
}

/**
 * Approves an exception (`exception.approve`); from then until it expires it suppresses its rule for its
 * identity. Invariant: the approver holds `administer` and is neither the beneficiary nor the creator.
 */
export async function approveException({ app, actor, input }: VerbCall<ExceptionIdInput>): Promise<ExceptionView> {
  const { id } = parseInput(idInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<ExceptionView>> => {
    const row = await loadOpen(trx, id, now);
    if (row.approved_by !== null)
      throw new AppError('conflict', `exception '${id}' is already approved by '${row.approved_by}'`);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideExceptionApproval(snapshot.duties, actor, {
      id,
      identity: row.identity,
      rule: row.rule,
      createdBy: row.created_by,
    });
    if (!decision.allowed) return { refused: decision.reasons };
    const updated = await trx
      .updateTable('sod_exceptions')
      .set({ approved_by: actor, approved_at: now })
      .where('id', '=', id)
      .where('approved_by', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      throw new AppError('conflict', `exception '${id}' was approved concurrently`);
    const view = toView({ ...row, approved_by: actor, approved_at: now });
    audit({
      actor,
      action: 'exception.approve',
      subject: `exception:${id}`,
      details: {
        rule: row.rule,
        identity: row.identity,
        expiresAt: row.expires_at,
        reasons: decision.reasons.map((r) => ({ ...r })),
      },
    });
    return { done: view };
  });
  if ('done' in value) return value.done;
  throw await refuse(app, actor, 'exception.approve_refused', `exception:${id}`, value.refused);
}

/** Revokes an exception (`exception.revoke`): it stops suppressing its rule at once. */
export async function revokeException({ app, actor, input }: VerbCall<ExceptionIdInput>): Promise<ExceptionView> {
  const { id, reason } = parseInput(idInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<ExceptionView>> => {
    const row = await loadOpen(trx, id, now);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideExceptionRevocation(snapshot.duties, actor, { id, identity: row.identity });
    if (!decision.allowed) return { refused: decision.reasons };
    await trx.updateTable('sod_exceptions').set({ revoked_at: now, revoked_by: actor }).where('id', '=', id).execute();
    audit({
      actor,
      action: 'exception.revoke',
      subject: `exception:${id}`,
      details: { rule: row.rule, identity: row.identity, reason: reason ?? null },
    });
    return { done: toView({ ...row, revoked_at: now, revoked_by: actor }) };
  });
  if ('done' in value) return value.done;
  throw await refuse(app, actor, 'exception.revoke_refused', `exception:${id}`, value.refused);
}
