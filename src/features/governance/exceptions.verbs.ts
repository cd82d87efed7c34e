/**
 * SoD exceptions (SPEC §2.4): time-bounded records exempting one identity from one configured rule, with a
 * justification and a compensating control. An exception counts only once approved by an `administer` holder
 * who is neither its beneficiary nor its creator, and only until it expires or is revoked (the policy snapshot
 * leaves expired and revoked ones out, so nothing has to run at expiry for them to stop counting).
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import {
  decideExceptionApproval,
  decideExceptionCreation,
  decideExceptionRevocation,
  exceptionTermProblem,
} from '../../decide/administration.decide.js';
import type { Schema } from '../../store/schema.js';
import type { SodExceptionRecord } from '../../store/sod-exception-row.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';
import { findException, insertException, markExceptionApproved, markExceptionRevoked } from './exceptions.repo.js';

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

type Outcome<T> = { readonly done: T } | { readonly refused: readonly Reason[] };

function refuseException(
  app: AppContext,
  actor: string,
  action: string,
  subject: string,
  reasons: readonly Reason[],
): Promise<AppError> {
  return refuse(app, { actor, action, subject, refusal: refusalOf(reasons), otherwise: `'${actor}' may not do that` });
}

/**
 * Records a new, unapproved exception (`exception.create`). Invariants: the rule exists in the policy, the
 * expiry is in the future and at most a year away, justification and compensating control are non-empty.
 */
export async function createException({
  app,
  actor,
  input,
}: VerbCall<CreateExceptionInput>): Promise<SodExceptionRecord> {
  const parsed = parseInput(createInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<SodExceptionRecord>> => {
    const termProblem = exceptionTermProblem(parsed.expiresAt, now);
    if (termProblem !== undefined) throw new AppError('invalid', termProblem);
    const snapshot = await app.policy.snapshot(trx, now);
    if (!snapshot.policy.sodRules.some((rule) => rule.name === parsed.rule)) {
      throw new AppError('not_found', `separation-of-duties rule '${parsed.rule}' does not exist`);
    }
    const decision = decideExceptionCreation(snapshot.duties, actor, parsed.identity);
    if (!decision.allowed) {
      // Like an unknown rule above, an unknown beneficiary is answered at once.
      if (refusalOf(decision.reasons).kind === 'not_found') {
        throw new AppError('not_found', `identity '${parsed.identity}' does not exist`);
      }
      return { refused: decision.reasons };
    }
    const view = await insertException(trx, {
      id: newId('exc'),
      rule: parsed.rule,
      identity: parsed.identity,
      justification: parsed.justification,
      compensatingControl: parsed.compensatingControl,
      expiresAt: parsed.expiresAt,
      createdBy: actor,
      createdAt: now,
    });
    audit({ actor, action: 'exception.create', subject: `exception:${view.id}`, details: { ...view } });
    return { done: view };
  });
  if ('done' in value) return value.done;
  throw await refuseException(app, actor, 'exception.create_refused', `identity:${parsed.identity}`, value.refused);
}

const idInput = z.object({ id: NAME, reason: z.string().min(1).max(2000).optional() });
export type ExceptionIdInput = z.input<typeof idInput>;

async function loadOpen(trx: Transaction<Schema>, id: string, now: number): Promise<SodExceptionRecord> {
  const found = await findException(trx, id);
  if (!found) throw new AppError('not_found', `exception '${id}' does not exist`);
  if (found.revokedAt !== null) throw new AppError('conflict', `exception '${id}' was revoked`);
  if (found.expiresAt <= now) throw new AppError('conflict', `exception '${id}' has expired`);
  return found;
}

/**
 * Approves an exception (`exception.approve`); from then until it expires it suppresses its rule for its
 * identity. Invariant: the approver holds `administer` and is neither the beneficiary nor the creator.
 */
export async function approveException({ app, actor, input }: VerbCall<ExceptionIdInput>): Promise<SodExceptionRecord> {
  const { id } = parseInput(idInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<SodExceptionRecord>> => {
    const open = await loadOpen(trx, id, now);
    if (open.approvedBy !== null)
      throw new AppError('conflict', `exception '${id}' is already approved by '${open.approvedBy}'`);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideExceptionApproval(snapshot.duties, actor, {
      id,
      identity: open.identity,
      rule: open.rule,
      createdBy: open.createdBy,
    });
    if (!decision.allowed) return { refused: decision.reasons };
    if (!(await markExceptionApproved(trx, id, actor, now)))
      throw new AppError('conflict', `exception '${id}' was approved concurrently`);
    const view = { ...open, approvedBy: actor, approvedAt: now };
    audit({
      actor,
      action: 'exception.approve',
      subject: `exception:${id}`,
      details: {
        rule: open.rule,
        identity: open.identity,
        expiresAt: open.expiresAt,
        reasons: decision.reasons.map((r) => ({ ...r })),
      },
    });
    return { done: view };
  });
  if ('done' in value) return value.done;
  throw await refuseException(app, actor, 'exception.approve_refused', `exception:${id}`, value.refused);
}

/** Revokes an exception (`exception.revoke`): it stops suppressing its rule at once. */
export async function revokeException({ app, actor, input }: VerbCall<ExceptionIdInput>): Promise<SodExceptionRecord> {
  const { id, reason } = parseInput(idInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<SodExceptionRecord>> => {
    const open = await loadOpen(trx, id, now);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideExceptionRevocation(snapshot.duties, actor, { id, identity: open.identity });
    if (!decision.allowed) return { refused: decision.reasons };
    if (!(await markExceptionRevoked(trx, id, actor, now)))
      throw new AppError('conflict', `exception '${id}' was revoked`);
    audit({
      actor,
      action: 'exception.revoke',
      subject: `exception:${id}`,
      details: { rule: open.rule, identity: open.identity, reason: reason ?? null },
    });
    return { done: { ...open, revokedAt: now, revokedBy: actor } };
  });
  if ('done' in value) return value.done;
  throw await refuseException(app, actor, 'exception.revoke_refused', `exception:${id}`, value.refused);
}
