/**
 * Dynamic separation of duties (SPEC §2.4): who may act in which role of one request's lifecycle.
 *
 * Built in, never exempted: the requester, each approver, the provisioner and the certifier are pairwise
 * different identities; an identity's approval counts once; nobody acts on their own request. Of the system
 * actors, `system:policy` may only approve (auto-approval) and `system:executor` may only provision.
 * One principal, however many identities (`principal.ts`): the same holds for principals — a non-human identity,
 * its owner and the human who minted the token it acts with are one, so an NHI's owner never approves,
 * provisions or certifies what the NHI requested or used, and a requester never uses what a member of its
 * principal approved. Acts that only give access up (`narrowing`: cancel, complete) are not refused for it.
 *
 * Configured `scope: request` rules, which an approved exception may suppress:
 * - `conflicting.duties`: each lifecycle role exercises one duty (requester → request, approver → approve,
 *   provisioner → provision, certifier → certify; deniers, cancellers and revokers recorded in
 *   `request.otherActors` with a duty of the vocabulary count too). The actor is refused when the duty they are
 *   about to exercise and a different duty they already exercised in this lifecycle are both in the rule.
 * - `conflicting.roles`: the roles an actor "acts through" for a duty are the roles they hold now (standing or
 *   activated) that give that duty on the request's profile. The actor is refused when they would act through
 *   one role of the rule while a duty they already exercised in this lifecycle is given to them by another role
 *   of the rule. Holdings are read from the current duty index, not as they were when the earlier act happened.
 */
import { reason } from '../core/decision.js';
import type { Reason } from '../core/decision.js';
import { DUTIES, SYSTEM_EXECUTOR, SYSTEM_POLICY } from '../policy/model.js';
import type { Duty, PolicySet, ResourceProfile, SodException, SodRule } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { scopeCovers } from './duties.js';
import { principalOf, sharedPrincipal } from './principal.js';
import { exceptionIsActive } from './sod-evaluator.js';
import type { RequestRecord } from './types.js';

export type LifecycleRole = 'requester' | 'approver' | 'provisioner' | 'certifier';

/** The duty each lifecycle role exercises. */
export const LIFECYCLE_DUTY: Readonly<Record<LifecycleRole, Duty>> = {
  requester: 'request',
  approver: 'approve',
  provisioner: 'provision',
  certifier: 'certify',
};

/** The only lifecycle role each system actor may take. */
const SYSTEM_ROLES: ReadonlyMap<string, LifecycleRole> = new Map<string, LifecycleRole>([
  [SYSTEM_POLICY, 'approver'],
  [SYSTEM_EXECUTOR, 'provisioner'],
]);

const DUTY_SET: ReadonlySet<string> = new Set<string>(DUTIES);

/** Something an identity already did in this lifecycle. */
interface PriorAct {
  /** Undefined for acts recorded in `otherActors` (deny, cancel, revoke). */
  readonly role?: LifecycleRole;
  readonly duty: Duty;
}

/** What `actor` has already done in the lifecycle of `request`, one entry per lifecycle role or duty. */
function priorActs(request: RequestRecord, actor: string): PriorAct[] {
  const acts: PriorAct[] = [];
  if (request.requester === actor) acts.push({ role: 'requester', duty: 'request' });
  if (request.approvals.some((approval) => approval.approver === actor))
    acts.push({ role: 'approver', duty: 'approve' });
  if (request.provisioner === actor) acts.push({ role: 'provisioner', duty: 'provision' });
  if (request.certifier === actor) acts.push({ role: 'certifier', duty: 'certify' });
  for (const other of request.otherActors ?? []) {
    if (other.identity === actor && DUTY_SET.has(other.duty)) acts.push({ duty: other.duty as Duty });
  }
  return acts;
}

function builtInRefusals(
  request: RequestRecord,
  actor: string,
  as: LifecycleRole,
  acts: readonly PriorAct[],
): Reason[] {
  const subject = `request '${request.id}'`;
  const systemRole = SYSTEM_ROLES.get(actor);
  if (actor.startsWith('system:') && systemRole !== as) {
    return [reason('sod.system_actor', `system actor '${actor}' may not act as ${as} of ${subject}`)];
  }
  if (as === 'requester') {
    if (actor !== request.requester) {
      return [reason('sod.not_requester', `'${actor}' is not the requester of ${subject}`)];
    }
  } else if (actor === request.requester) {
    const message =
      as === 'approver'
        ? `'${actor}' requested '${request.id}' and cannot approve it`
        : `'${actor}' requested ${subject} and may not act as its ${as}`;
    return [reason('sod.own_request', message)];
  }
  const refusals: Reason[] = [];
  if (as === 'approver' && acts.some((act) => act.role === 'approver')) {
    refusals.push(
      reason('sod.duplicate_approval', `'${actor}' already approved ${subject}; an identity's approval counts once`),
    );
  }
  for (const act of acts) {
    if (act.role === undefined || act.role === as || act.role === 'requester') continue;
    refusals.push(
      reason(
        'sod.lifecycle_roles',
        `'${actor}' already acted as ${act.role} of ${subject} and may not also act as its ${as}`,
      ),
    );
  }
  return refusals;
}

/** Roles through which `actor` holds `duty` on `profile` now (standing or activated). */
function rolesGiving(
  duties: DutyIndex,
  actor: string,
  duty: Duty,
  profile: Pick<ResourceProfile, 'name' | 'labels'>,
): Set<string> {
  const roles = new Set<string>();
  for (const holding of duties.effectiveHoldings(actor)) {
    if (holding.duty === duty && scopeCovers(holding.scope, profile)) roles.add(holding.role);
  }
  return roles;
}

/** The configured request-scope rule broken by acting now, as a sentence, or undefined. */
function ruleBreach(
  rule: SodRule,
  input: CheckLifecycleActorInput,
  duty: Duty,
  earlier: readonly Duty[],
  profile: Pick<ResourceProfile, 'name' | 'labels'>,
): string | undefined {
  const { actor, request } = input;
  if (rule.conflicting.duties !== undefined) {
    const members = new Set<Duty>(rule.conflicting.duties);
    if (!members.has(duty)) return undefined;
    const clash = earlier.find((prior) => members.has(prior));
    if (clash === undefined) return undefined;
    return `'${actor}' already exercised '${clash}' in the lifecycle of request '${request.id}' and may not also exercise '${duty}'`;
  }
  const members = new Set<string>(rule.conflicting.roles ?? []);
  const now = [...rolesGiving(input.duties, actor, duty, profile)].filter((role) => members.has(role));
  if (now.length === 0) return undefined;
  for (const prior of earlier) {
    for (const priorRole of rolesGiving(input.duties, actor, prior, profile)) {
      const nowRole = now.find((role) => role !== priorRole);
      if (members.has(priorRole) && nowRole !== undefined) {
        return `'${actor}' exercised '${prior}' in the lifecycle of request '${request.id}' through role '${priorRole}' and may not also exercise '${duty}' through role '${nowRole}'`;
      }
    }
  }
  return undefined;
}

/** Who else acted in `request` in a lifecycle role, one entry per identity and role. */
function otherActs(request: RequestRecord, actor: string): { identity: string; role: LifecycleRole }[] {
  const acts: { identity: string; role: LifecycleRole }[] = [];
  if (request.requester !== actor) acts.push({ identity: request.requester, role: 'requester' });
  for (const approval of request.approvals) {
    if (approval.approver !== actor) acts.push({ identity: approval.approver, role: 'approver' });
  }
  if (request.provisioner !== undefined && request.provisioner !== actor) {
    acts.push({ identity: request.provisioner, role: 'provisioner' });
  }
  if (request.certifier !== undefined && request.certifier !== actor) {
    acts.push({ identity: request.certifier, role: 'certifier' });
  }
  return acts;
}

/**
 * The built-in rule at the level of principals: acting as `as` is refused when the actor's principal shares a
 * member with another identity's principal that acted in a different lifecycle role (or also approved).
 */
function principalRefusals(input: CheckLifecycleActorInput): Reason[] {
  const { request, actor, as } = input;
  if (input.narrowing === true || actor.startsWith('system:')) return [];
  const links = request.principalLinks ?? [];
  const mine = principalOf(input.policy, actor, links);
  const refusals: Reason[] = [];
  for (const other of otherActs(request, actor)) {
    if (other.role === as && as !== 'approver') continue;
    const theirs = principalOf(input.policy, other.identity, links);
    const shared = sharedPrincipal(actor, mine, other.identity, theirs);
    if (shared === undefined) continue;
    refusals.push(
      reason(
        'sod.same_principal',
        `${shared}: '${other.identity}' acted as ${other.role} of request '${request.id}', so '${actor}' may not act as its ${as}`,
      ),
    );
  }
  return refusals;
}

export interface CheckLifecycleActorInput {
  readonly request: RequestRecord;
  readonly actor: string;
  readonly as: LifecycleRole;
  /** The act only gives access up (cancel, complete): principal conflicts do not stop it. */
  readonly narrowing?: boolean;
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly exceptions: readonly SodException[];
  readonly now: number;
}

/**
 * May `actor` act as `as` in the lifecycle of `request`? Keeps the invariant that no identity carries a lifecycle
 * across two of its roles (built in, never exempted) nor across two duties a configured `request` rule separates
 * (unless an approved, unexpired exception for that rule and identity says otherwise).
 */
export function checkLifecycleActor(input: CheckLifecycleActorInput): { allowed: boolean; reasons: readonly Reason[] } {
  const { request, actor, as } = input;
  // Someone else acting as the requester is not a party to this lifecycle at all: that is the only reason given.
  if (as === 'requester' && actor !== request.requester && !actor.startsWith('system:')) {
    return { allowed: false, reasons: builtInRefusals(request, actor, as, []) };
  }
  const acts = priorActs(request, actor);
  const refusals = [...builtInRefusals(request, actor, as, acts), ...principalRefusals(input)];
  const notes: Reason[] = [];
  const duty = LIFECYCLE_DUTY[as];
  const earlier = [...new Set(acts.map((act) => act.duty).filter((prior) => prior !== duty))];
  if (earlier.length > 0) {
    const profile = input.policy.profiles.get(request.profile) ?? { name: request.profile, labels: {} };
    for (const rule of input.policy.sodRules) {
      if (rule.scope !== 'request') continue;
      const breach = ruleBreach(rule, input, duty, earlier, profile);
      if (breach === undefined) continue;
      const exception = input.exceptions.find(
        (candidate) =>
          candidate.rule === rule.name && candidate.identity === actor && exceptionIsActive(candidate, input.now),
      );
      if (exception) {
        notes.push(
          reason(
            'sod.conflict_suppressed',
            `${breach} (rule '${rule.name}'); suppressed by exception '${exception.id}'`,
          ),
        );
      } else {
        refusals.push(reason('sod.rule_conflict', `${breach}, which rule '${rule.name}' forbids`));
      }
    }
  }
  if (refusals.length > 0) return { allowed: false, reasons: [...refusals, ...notes] };
  const ok = reason(
    'sod.lifecycle_ok',
    `'${actor}' may act as ${as} of request '${request.id}': no separation-of-duties conflict`,
  );
  return { allowed: true, reasons: [...notes, ok] };
}
