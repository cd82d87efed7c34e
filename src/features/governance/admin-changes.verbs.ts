/**
 * Deciding pending administrative changes (SPEC §2.4, four eyes on widening access): a second administrator
 * approves a proposed role assignment or resource registration, which is checked again against the policy in
 * force and applied in the same transaction (`admin_change.approve` + `role.assign` / `resource.register` /
 * `resource.update`); its author withdraws it, or another administrator rejects it. A change past its expiry
 * is closed as `expired` by whoever touches it next and never applies.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { refusalOf } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import {
  ADMIN_CHANGE_LAPSED_REASON,
  adminChangeLapsed,
  decideAdminChangeApproval,
  decideAdminChangeRejection,
  type AdminChangeTarget,
} from '../../decide/admin-change.decide.js';
import type { Row, Schema } from '../../store/schema.js';
import {
  authorLinksOf,
  callerLinks,
  closeAdminChange,
  loadAdminChange,
  toAdminChange,
  type AdminChange,
} from '../../app/admin-changes.repo.js';
import { applyRoleAssignment, checkAssignment } from '../access/index.js';
import type { Outcome } from '../../app/verb-support.js';
import type { AppContext, PolicySnapshot, VerbCall } from '../../app/context.js';
import { applyResourcePut, resourceChangeTarget } from '../resources/index.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';

const ID = z.string().min(1).max(200);

/** Loads a change that can still be decided; an expired one is closed (and the caller told after commit). */
async function loadOpen(
  trx: Transaction<Schema>,
  id: string,
  now: number,
  audit: (event: { actor: string; action: string; subject: string; details: Record<string, unknown> }) => void,
): Promise<Row<'admin_changes'> | 'expired'> {
  const row = await loadAdminChange(trx, id);
  if (row.status !== 'pending') {
    throw new AppError('conflict', `administrative change '${id}' is ${row.status}, not pending`);
  }
  if (!adminChangeLapsed({ status: row.status, expiresAt: row.expires_at }, now)) return row;
  await closeAdminChange(trx, row, { status: 'expired', now, by: null, reason: ADMIN_CHANGE_LAPSED_REASON });
  audit({
    actor: 'system:policy',
    action: 'admin_change.expire',
    subject: `admin_change:${id}`,
    details: { kind: row.kind, target: row.target, author: row.author, expiredAt: row.expires_at },
  });
  return 'expired';
}

/** What the change would touch in the policy in force, or why it no longer can. */
async function targetOf(
  trx: Transaction<Schema>,
  app: AppContext,
  snapshot: PolicySnapshot,
  now: number,
  row: Row<'admin_changes'>,
): Promise<Outcome<AdminChangeTarget>> {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.kind === 'resource') return resourceChangeTarget(trx, app, snapshot, row.author, payload);
  const subject = String(payload.subject);
  const colon = subject.indexOf(':');
  const checked = checkAssignment(snapshot, now, row.author, {
    role: String(payload.role),
    subject: { type: subject.slice(0, colon) === 'group' ? 'group' : 'identity', name: subject.slice(colon + 1) },
    assignment: payload.assignment === 'eligible' ? 'eligible' : 'standing',
    ...(typeof payload.expiresAt === 'number' ? { expiresAt: payload.expiresAt } : {}),
  });
  if (!('done' in checked)) return checked;
  return { done: { kind: 'role_assignment', role: checked.done.role, subject: checked.done.proposed.subject } };
}

type Decided = Outcome<AdminChange> | { readonly expired: true };

async function refusal(
  app: AppContext,
  actor: string,
  id: string,
  verb: 'approve' | 'reject',
  value: Exclude<Decided, { done: unknown }>,
): Promise<AppError> {
  if ('expired' in value) {
    return new AppError(
      'conflict',
      `administrative change '${id}' expired before anyone approved it; propose it again`,
    );
  }
  return refuse(app, {
    actor,
    action: `admin_change.${verb}_refused`,
    subject: `admin_change:${id}`,
    refusal: value.refused,
    otherwise: `'${actor}' may not ${verb} administrative change '${id}'`,
  });
}

const approveInput = z.object({
  id: ID,
  digest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type ApproveAdminChangeInput = z.input<typeof approveInput>;

/**
 * Approves a pending change and applies it. Invariants: the approver passes `decideAdminChangeApproval` (not the
 * author nor one principal with them, not the subject, an enabled person administering what it touches, the
 * author still administering it); the change passes its own checks again (SoD, allow-list) against the policy
 * in force now; it applies at most once; a digest, when given, is the stored one.
 */
export async function approveAdminChange({
  app,
  actor,
  input,
}: VerbCall<ApproveAdminChangeInput>): Promise<AdminChange> {
  const { id, digest } = parseInput(approveInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit, announce }): Promise<Decided> => {
    const row = await loadOpen(trx, id, now, audit);
    if (row === 'expired') return { expired: true };
    if (digest !== undefined && digest !== row.digest) {
      throw new AppError(
        'conflict',
        `administrative change '${id}' has digest '${row.digest}', not the '${digest}' that was reviewed`,
      );
    }
    const snapshot = await app.policy.snapshot(trx, now);
    const target = await targetOf(trx, app, snapshot, now, row);
    if (!('done' in target)) return target;
    const parties = { author: row.author, authorLinks: authorLinksOf(row), actor, actorLinks: callerLinks(actor) };
    const decision = decideAdminChangeApproval(snapshot.duties, parties, target.done);
    if (!decision.allowed) return { refused: refusalOf(decision.reasons) };
    const change = { id, author: row.author, approver: actor, payload: JSON.parse(row.payload) as unknown };
    // The applied change's own events follow the approval's, and none is written if applying is refused.
    const applying: Parameters<typeof audit>[0][] = [];
    // What it changes is announced as it is written (duties, resources): only a commit publishes it.
    const scope = { trx, now, announce, audit: (event: Parameters<typeof audit>[0]) => applying.push(event) };
    let result: Record<string, unknown>;
    if (row.kind === 'role_assignment') {
      const applied = await applyRoleAssignment(scope, snapshot, change);
      if (!('done' in applied)) return applied;
      result = { assignmentId: applied.done.id, coveredBy: applied.done.coveredBy };
    } else {
      const applied = await applyResourcePut(scope, app, snapshot, change);
      if (!('done' in applied)) return applied;
      result = { resource: applied.done.resource.name, created: applied.done.created };
    }
    audit({
      actor,
      action: 'admin_change.approve',
      subject: `admin_change:${id}`,
      details: {
        kind: row.kind,
        target: row.target,
        digest: row.digest,
        author: row.author,
        reasons: decision.reasons.map((r) => ({ ...r })),
      },
    });
    for (const event of applying) audit(event);
    const closed = await closeAdminChange(trx, row, { status: 'applied', now, by: actor, result });
    return { done: toAdminChange(closed, now) };
  });
  if ('done' in value) return value.done;
  throw await refusal(app, actor, id, 'approve', value);
}

const rejectInput = z.object({ id: ID, reason: z.string().min(1).max(2000) });
export type RejectAdminChangeInput = z.input<typeof rejectInput>;

/**
 * Rejects a pending change (`admin_change.reject`), or lets its author withdraw it (`admin_change.cancel`).
 * Invariant: nothing of it ever takes effect afterwards; only its author or an administrator of what it touches
 * closes it.
 */
export async function rejectAdminChange({ app, actor, input }: VerbCall<RejectAdminChangeInput>): Promise<AdminChange> {
  const { id, reason } = parseInput(rejectInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Decided> => {
    const row = await loadOpen(trx, id, now, audit);
    if (row === 'expired') return { expired: true };
    const snapshot = await app.policy.snapshot(trx, now);
    const target = await targetOf(trx, app, snapshot, now, row);
    // A change that could no longer be applied anyway may still be closed by any administrator of everything.
    const decision =
      'done' in target
        ? decideAdminChangeRejection(snapshot.duties, row.author, actor, target.done)
        : decideAdminChangeRejection(snapshot.duties, row.author, actor, {
            kind: 'resource',
            name: row.target,
            profiles: [...snapshot.policy.profiles.values()],
          });
    if (!decision.allowed) return { refused: refusalOf(decision.reasons) };
    const status = decision.as === 'author' ? ('cancelled' as const) : ('rejected' as const);
    const closed = await closeAdminChange(trx, row, { status, now, by: actor, reason });
    audit({
      actor,
      action: status === 'cancelled' ? 'admin_change.cancel' : 'admin_change.reject',
      subject: `admin_change:${id}`,
      details: { kind: row.kind, target: row.target, digest: row.digest, author: row.author, reason },
    });
    return { done: toAdminChange(closed, now) };
  });
  if ('done' in value) return value.done;
  throw await refusal(app, actor, id, 'reject', value);
}
