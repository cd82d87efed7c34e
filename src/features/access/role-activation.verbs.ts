/**
 * Role activations (issue #9 item 3): the only way an eligible role gives its duties. A requester asks for one
 * role by name for a while (`createRoleActivation`); the role's activation policy decides (auto only when the
 * role's own rules say so, else approvals); the last approval is the activation: the role is on from then until
 * `activatedAt + duration`, when the scheduler ends it (`endExpiredActivations`). The requester cancels a
 * pending one, approvers deny it, and the requester or an `administer` holder revokes an active one (which also
 * tears down the grants obtained through it, after commit). Each verb
 * decides with `role-activation.decide.ts` and writes state and audit in one transaction; refusals go to the
 * decision log.
 *
 * Why a resource of its own (`/v1/role-activations`) rather than a `requests` row: a role activation names no
 * resource, action or profile, provisions nothing and issues no credential, so the approval itself is the
 * activation (`pending` → `active`, as in Azure PIM); the grant lifecycle's digest, provider and re-validation
 * steps have nothing to bind to.
 */
import { z } from 'zod';
import { reason, refusalAs, refusalOf, type Reason, type Refusal } from '../../core/decision.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { checkRequestDuty, MAX_JUSTIFICATION_LENGTH, MAX_TICKET_LENGTH } from '../../decide/request.decide.js';
import { checkRoleCanceller, checkRoleDenier, checkRoleRevoker } from '../../decide/role-activation-actors.decide.js';
import {
  decideRoleApproval,
  evaluateRoleActivation,
  type RoleActivationEvaluation,
  type RoleActivationRecord,
} from '../../decide/role-activation.decide.js';
import { SYSTEM_POLICY } from '../../policy/model.js';
import { durationSchema, nameSchema } from '../../policy/schema-primitives.js';
import { newId } from '../../core/clock.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { teardownGrant } from '../grants/index.js';
import type { TransactionScope } from '../../app/transaction.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import {
  findPendingFor,
  getRoleActivation,
  insertRoleActivation,
  switchRoleOff,
  switchRoleOn,
  toRoleActivationView,
  updateRoleActivation,
} from './role-activations.repo.js';
import type { RoleActivationView } from './role-activation.view.js';
import { inTransaction } from '../../app/transaction.js';

const activationId = z.string().min(1).max(100);
const reasonText = z.string().max(2000).optional();

/** The body of `POST /v1/role-activations`. */
export const createRoleActivationSchema = z.strictObject({
  role: nameSchema,
  duration: durationSchema,
  justification: z.string().max(MAX_JUSTIFICATION_LENGTH).optional(),
  ticket: z.string().max(MAX_TICKET_LENGTH).optional(),
});
export type CreateRoleActivationInput = z.input<typeof createRoleActivationSchema>;

export const roleActivationActionSchema = z.strictObject({ id: activationId, reason: reasonText });
export type RoleActivationActionInput = z.input<typeof roleActivationActionSchema>;

type Outcome = { readonly view: RoleActivationView } | { readonly refused: Refusal };

async function finish(
  call: VerbCall<unknown>,
  subject: string,
  verb: string,
  outcome: Outcome,
): Promise<RoleActivationView> {
  if ('view' in outcome) return outcome.view;
  throw await refuse(call.app, {
    actor: call.actor,
    action: `role_activation.${verb}_refused`,
    subject,
    refusal: outcome.refused,
    otherwise: `role activation ${verb} refused`,
  });
}

type Refused = Extract<RoleActivationEvaluation, { outcome: 'invalid' | 'forbidden' }>;

/** Narrows an evaluation to the outcomes that store nothing (TypeScript cannot narrow its two-valued tag). */
function isRefusal(evaluation: RoleActivationEvaluation): evaluation is Refused {
  return evaluation.outcome === 'invalid' || evaluation.outcome === 'forbidden';
}

/** Turns the role on for its duration from `now`, with the `role.activate` event; the check index is rebuilt. */
async function activate(
  scope: Pick<TransactionScope, 'trx' | 'audit' | 'notify' | 'announce'>,
  record: RoleActivationRecord,
  actor: string,
  now: number,
): Promise<number> {
  const expiresAt = now + record.durationSeconds * 1000;
  const overlayId = await switchRoleOn(scope.trx, record, now, expiresAt);
  scope.announce({ kind: 'duties' });
  scope.audit({
    actor,
    action: 'role.activate',
    subject: `identity:${record.requester}`,
    details: { role: record.role, requestId: record.id, activationId: overlayId, expiresAt },
  });
  scope.notify('role.activated', {
    roleActivation: record.id,
    requester: record.requester,
    role: record.role,
    expiresAt,
  });
  return expiresAt;
}

/**
 * Asks for an eligible role. Invariants: the requester is the acting identity and eligible for the role; an
 * auto-approval happens only under a rule of the role's own `activation` block (recorded as approved by
 * `system:policy` naming the rule); one pending request per requester and role; a denial is stored and returned.
 */
export async function createRoleActivation(call: VerbCall<CreateRoleActivationInput>): Promise<RoleActivationView> {
  const { app, actor } = call;
  const body = parseInput(createRoleActivationSchema, call.input);
  const durationSeconds = parseDurationSeconds(body.duration);
  if (durationSeconds === undefined) {
    throw new AppError('invalid', `'${body.duration}' is not a duration such as '30m' or '8h'`, {
      duration: body.duration,
    });
  }
  const input = {
    requester: actor,
    role: body.role,
    durationSeconds,
    ...(body.justification !== undefined ? { justification: body.justification } : {}),
    ...(body.ticket !== undefined ? { ticket: body.ticket } : {}),
  };
  const id = newId('rol');
  const { value } = await inTransaction(app, async (scope): Promise<Outcome> => {
    const { trx, now, audit, notify } = scope;
    const snapshot = await app.policy.snapshot(trx, now);
    const evaluation = evaluateRoleActivation({ ...snapshot, now }, input);
    // Evaluating a new activation judges its refusal as a whole: `invalid` input, or a requester who may not ask.
    if (isRefusal(evaluation)) return { refused: refusalAs(evaluation.outcome, evaluation.reasons) };
    const waiting = await findPendingFor(trx, actor, body.role);
    if (waiting !== undefined) {
      const message = `'${actor}' already asked for role '${body.role}' in role activation '${waiting}', which is pending`;
      return { refused: refusalOf([reason('role_activation.already_pending', message)]) };
    }
    const auto = evaluation.outcome === 'auto_approved';
    const record: RoleActivationRecord = {
      ...input,
      id,
      status: evaluation.outcome === 'pending' ? 'pending' : evaluation.outcome === 'denied' ? 'denied' : 'active',
      matchedRule: evaluation.rule,
      steps: evaluation.outcome === 'pending' ? evaluation.steps : [],
      approvals: auto ? [{ approver: SYSTEM_POLICY, step: 0, at: now }] : [],
      createdAt: now,
      ...(evaluation.outcome === 'pending' ? { pendingUntil: evaluation.pendingUntil } : {}),
      ...(auto ? { activatedAt: now, expiresAt: now + durationSeconds * 1000 } : {}),
    };
    const statusReason = evaluation.outcome === 'denied' ? evaluation.message : undefined;
    await insertRoleActivation(trx, record, statusReason, now);
    const subject = `role_activation:${id}`;
    audit({
      actor,
      action: 'role_activation.create',
      subject,
      details: {
        role: record.role,
        outcome: evaluation.outcome,
        status: record.status,
        durationSeconds,
        rule: record.matchedRule,
        ...(statusReason !== undefined ? { message: statusReason } : {}),
        reasons: evaluation.reasons.map((r) => ({ ...r })),
      },
    });
    const summary = { roleActivation: id, requester: actor, role: record.role };
    if (auto) {
      audit({
        actor: SYSTEM_POLICY,
        action: 'role_activation.approve',
        subject,
        details: { rule: record.matchedRule, final: true },
      });
      await activate(scope, record, SYSTEM_POLICY, now);
    } else if (evaluation.outcome === 'pending') {
      notify('role_activation.approval_needed', { ...summary, steps: record.steps.length });
    } else {
      notify('role_activation.denied', { ...summary, rule: record.matchedRule, message: statusReason ?? '' });
    }
    return { view: toRoleActivationView((await getRoleActivation(trx, id)).row) };
  });
  return finish(call, `role:${body.role}`, 'create', value);
}

/**
 * Approves a pending role activation. Invariants (see `decideRoleApproval`): never by the requester's principal;
 * only by an enabled human holding `approve` over everything the role covers, in the current step; once per
 * identity. The approval completing the last step activates the role, for its duration from now.
 */
export async function approveRoleActivation(call: VerbCall<RoleActivationActionInput>): Promise<RoleActivationView> {
  const { app, actor } = call;
  const { id } = parseInput(roleActivationActionSchema, call.input);
  const { value } = await inTransaction(app, async (scope): Promise<Outcome> => {
    const { trx, now, audit, notify } = scope;
    const stored = await getRoleActivation(trx, id);
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideRoleApproval({ ...snapshot, now }, stored.record, actor);
    if (decision.outcome === 'refused') return { refused: refusalOf(decision.reasons) };
    const approvals = [...stored.record.approvals, decision.approval];
    const active = decision.nextState === 'active';
    const expiresAt = active ? now + stored.record.durationSeconds * 1000 : undefined;
    await updateRoleActivation(
      trx,
      id,
      stored.version,
      { approvals, ...(active ? { status: 'active', activatedAt: now, expiresAt } : {}) },
      now,
    );
    audit({
      actor,
      action: 'role_activation.approve',
      subject: `role_activation:${id}`,
      details: {
        role: stored.record.role,
        step: decision.approval.step,
        final: active,
        reasons: decision.reasons.map((r) => ({ ...r })),
      },
    });
    if (active) await activate(scope, stored.record, actor, now);
    else
      notify('role_activation.approval_needed', {
        roleActivation: id,
        requester: stored.record.requester,
        role: stored.record.role,
      });
    return { view: toRoleActivationView((await getRoleActivation(trx, id)).row) };
  });
  return finish(call, `role_activation:${id}`, 'approve', value);
}

/** Denies a pending role activation: anyone who could approve its current step, never the requester's principal. */
export async function denyRoleActivation(call: VerbCall<RoleActivationActionInput>): Promise<RoleActivationView> {
  return end(call, 'deny', 'denied', (ctx, record) => checkRoleDenier(ctx, record, call.actor));
}

/** The requester withdraws a pending role activation. */
export async function cancelRoleActivation(call: VerbCall<RoleActivationActionInput>): Promise<RoleActivationView> {
  return end(call, 'cancel', 'cancelled', (_ctx, record) => checkRoleCanceller(record, call.actor));
}

/** Ends an active role activation now (the requester, or an `administer` holder): the role is off at once. */
export async function revokeRoleActivation(call: VerbCall<RoleActivationActionInput>): Promise<RoleActivationView> {
  return end(call, 'revoke', 'revoked', (ctx, record) => checkRoleRevoker(ctx, record, call.actor));
}

async function end(
  call: VerbCall<RoleActivationActionInput>,
  verb: 'deny' | 'cancel' | 'revoke',
  status: 'denied' | 'cancelled' | 'revoked',
  check: (ctx: Parameters<typeof checkRoleRevoker>[0], record: RoleActivationRecord) => readonly Reason[],
): Promise<RoleActivationView> {
  const { app, actor } = call;
  const { id, reason } = parseInput(roleActivationActionSchema, call.input);
  const { value } = await inTransaction(app, async (scope): Promise<Outcome> => {
    const { trx, now, audit, notify, afterCommit, announce } = scope;
    const stored = await getRoleActivation(trx, id);
    const snapshot = await app.policy.snapshot(trx, now);
    const refused = check({ ...snapshot, now }, stored.record);
    if (refused.length > 0) return { refused: refusalOf(refused) };
    await updateRoleActivation(
      trx,
      id,
      stored.version,
      { status, endedAt: now, endedBy: actor, ...(reason !== undefined ? { statusReason: reason } : {}) },
      now,
    );
    const subject = `role_activation:${id}`;
    const details = {
      role: stored.record.role,
      requester: stored.record.requester,
      ...(reason !== undefined ? { reason } : {}),
    };
    audit({ actor, action: `role_activation.${verb}`, subject, details });
    if (verb === 'revoke') {
      await switchRoleOff(trx, id, now);
      announce({ kind: 'duties' });
      afterCommit(() => endGrantsWithoutEntitlement(app, actor, stored.record));
      audit({
        actor,
        action: 'role.deactivate',
        subject: `identity:${stored.record.requester}`,
        details: { role: stored.record.role, requestId: id, endedAt: now },
      });
    }
    notify(`role_activation.${status}`, { roleActivation: id, ...details });
    return { view: toRoleActivationView((await getRoleActivation(trx, id)).row) };
  });
  return finish(call, `role_activation:${id}`, verb, value);
}

/**
 * After an activation was revoked: tears down the requester's active grants on profiles where it no longer holds
 * `request` (they were obtained through the role just turned off), so what the activation let it do ends with
 * it. Standing entitlements keep their grants. A teardown that fails stays due and the scheduler retries it.
 */
async function endGrantsWithoutEntitlement(
  app: AppContext,
  actor: string,
  record: RoleActivationRecord,
): Promise<void> {
  const { value: grantIds } = await inTransaction(app, async ({ trx, now }) => {
    const snapshot = await app.policy.snapshot(trx, now);
    const requester = snapshot.policy.identities.get(record.requester);
    const rows = await trx
      .selectFrom('grants')
      .innerJoin('requests', 'requests.id', 'grants.request_id')
      .select(['grants.id as id', 'requests.profile as profile'])
      .where('grants.identity', '=', record.requester)
      .where('grants.status', '=', 'active')
      .where('requests.break_glass', '=', 0)
      .execute();
    return rows
      .filter((row) => {
        const profile = snapshot.policy.profiles.get(row.profile);
        return (
          requester === undefined ||
          profile === undefined ||
          checkRequestDuty(snapshot.duties, requester, profile).problems.length > 0
        );
      })
      .map((row) => row.id);
  });
  const reason = `role activation '${record.id}' of role '${record.role}' was revoked`;
  for (const grantId of grantIds) {
    // A failed teardown stays due and the scheduler retries it; it is never lost.
    await teardownGrant(app, { grantId, actor, reason, kind: 'revoke' }).catch(() => undefined);
  }
}
