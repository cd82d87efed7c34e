/**
 * Who may end, deny or read a role activation (issue #9 item 3), besides approving it (`role-activation.decide.ts`):
 * the requester cancels a pending one; anyone who could approve its current step denies it; the requester or an
 * `administer` holder revokes an active one (narrowing needs one person); and reading follows who could act on it.
 */
import { reason, type Reason } from '../core/decision.js';
import { approvalProgress } from './approval.decide.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import {
  checkApprovesOverRole,
  checkRoleApprover,
  type RoleActivationContext,
  type RoleActivationRecord,
} from './role-activation.decide.js';

/** Who may end a role activation early: the requester, or whoever may narrow access (`administer` in force). */
export function checkRoleRevoker(
  ctx: RoleActivationContext,
  record: RoleActivationRecord,
  actor: string,
): readonly Reason[] {
  if (record.status !== 'active') {
    return [reason('role_activation.not_active', `role activation '${record.id}' is ${record.status}, not active`)];
  }
  if (actor === record.requester || ctx.duties.holdsAnywhere(actor, 'administer') !== undefined) return [];
  return [reason('role_activation.not_revoker', `'${actor}' may not revoke role activation '${record.id}'`)];
}

/** Only the requester cancels, and only while the activation is pending. */
export function checkRoleCanceller(record: RoleActivationRecord, actor: string): readonly Reason[] {
  if (record.status !== 'pending') {
    return [reason('role_activation.not_pending', `role activation '${record.id}' is ${record.status}, not pending`)];
  }
  if (actor !== record.requester) {
    return [reason('sod.not_requester', `'${actor}' is not the requester of role activation '${record.id}'`)];
  }
  return [];
}

/** A pending activation is denied by anyone who could approve its current step (never the requester's principal). */
export function checkRoleDenier(
  ctx: RoleActivationContext,
  record: RoleActivationRecord,
  actor: string,
): readonly Reason[] {
  if (record.status !== 'pending') {
    return [reason('role_activation.not_pending', `role activation '${record.id}' is ${record.status}, not pending`)];
  }
  const progress = approvalProgress({
    steps: record.steps,
    approvals: record.approvals.map((a) => ({ ...a, digest: '' })),
  });
  return checkRoleApprover(ctx, record, actor, progress.currentStep ?? 0).problems;
}

/**
 * May `viewer` read activations of other identities at all? Only holders (in force now) of `approve`, `audit` or
 * `administer`; anyone else sees only their own.
 */
export function mayReadAllRoleActivations(duties: DutyIndex, actor: string): boolean {
  return (['approve', 'audit', 'administer'] as const).some((duty) => duties.holdsAnywhere(actor, duty) !== undefined);
}

/**
 * May `viewer` read an activation of `roleName` by `requester`? Its requester; an `administer` holder (who may
 * revoke it); an identity holding `approve` over everything the role covers (who could decide it); an `audit`
 * holder over a profile the role covers (over `*` for a `*` role). A role no longer in the policy: administrators
 * and auditors over `*` only.
 */
export function mayReadRoleActivation(
  ctx: Pick<RoleActivationContext, 'policy' | 'duties'>,
  viewer: string,
  requester: string,
  roleName: string,
): boolean {
  if (viewer === requester || ctx.duties.holdsAnywhere(viewer, 'administer') !== undefined) return true;
  const audits = ctx.duties.effectiveHoldings(viewer).filter((holding) => holding.duty === 'audit');
  const role = ctx.policy.roles.get(roleName);
  if (role === undefined) return audits.some((holding) => holding.scope.kind === 'all');
  if (checkApprovesOverRole(ctx, viewer, role).covers) return true;
  if (role.scope.kind === 'all') return audits.some((holding) => holding.scope.kind === 'all');
  return [...ctx.policy.profiles.values()].some(
    (profile) => scopeCovers(role.scope, profile) && audits.some((holding) => scopeCovers(holding.scope, profile)),
  );
}
