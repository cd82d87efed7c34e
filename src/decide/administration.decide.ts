/**
 * Who may administer what (SPEC §2.2, §2.4): disabling identities, assigning roles, creating and approving SoD
 * exceptions. All of them need the human-only `administer` duty, and none may be done to oneself: nobody acts
 * on their own identity, assignment or exception.
 */
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import type { PolicySet, ResourceProfile, Role, SodException, SubjectRef } from '../policy/model.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import { principalOf, sharedPrincipal } from './principal.js';

export interface AdminDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

function refuse(code: ReasonCode, message: string): AdminDecision {
  return { allowed: false, reasons: [reason(code, message)] };
}

/** Does `actor` hold `administer` over every profile (a `*` role, or one covering each profile)? */
function administersEverything(duties: DutyIndex, actor: string): Reason | undefined {
  const holdings = duties.effectiveHoldings(actor).filter((holding) => holding.duty === 'administer');
  const all = holdings.find((holding) => holding.scope.kind === 'all');
  if (all) return reason('admin.holds_administer', `'${actor}' holds 'administer' through role '${all.role}'`);
  const profiles = [...duties.policy.profiles.values()];
  if (holdings.length > 0 && profiles.every((p) => holdings.some((holding) => scopeCovers(holding.scope, p)))) {
    return reason('admin.holds_administer', `'${actor}' holds 'administer' over every profile`);
  }
  return undefined;
}

function notAdministrator(actor: string, what: string): AdminDecision {
  return refuse(
    'admin.not_administrator',
    `'${actor}' does not hold 'administer' over every profile and may not ${what}`,
  );
}

/**
 * Disabling an identity (offboarding). Invariant: only an `administer` holder over every profile disables, and
 * never its own identity; an unknown identity is refused by name.
 */
export function decideDisableIdentity(duties: DutyIndex, actor: string, target: string): AdminDecision {
  if (!duties.policy.identities.has(target))
    return refuse('admin.unknown_identity', `identity '${target}' does not exist`);
  if (actor === target) return refuse('sod.self_administration', `'${actor}' may not disable their own identity`);
  const holds = administersEverything(duties, actor);
  if (!holds) return notAdministrator(actor, `disable '${target}'`);
  return { allowed: true, reasons: [holds, reason('admin.disable_allowed', `'${actor}' may disable '${target}'`)] };
}

/** Is `actor` the subject, or a member of the subject group (so the assignment would reach them)? */
function reachesActor(policy: PolicySet, actor: string, subject: SubjectRef): boolean {
  if (subject.type === 'identity') return subject.name === actor;
  return policy.identities.get(actor)?.groups.includes(subject.name) === true;
}

/**
 * Assigning or removing a role. Invariants: the actor holds `administer` over every profile the role's scope
 * covers (over every profile for a `*` or selector role), and the assignment never reaches the actor itself,
 * directly or through one of its groups. SoD and human-only checks are `checkProposedAssignment`'s.
 */
export function decideRoleAdministration(
  duties: DutyIndex,
  actor: string,
  role: Role,
  subject: SubjectRef,
  verb: 'assign' | 'remove',
): AdminDecision {
  const what = `${verb} role '${role.name}' ${verb === 'assign' ? 'to' : 'from'} ${subject.type} '${subject.name}'`;
  if (reachesActor(duties.policy, actor, subject)) {
    return refuse('sod.self_administration', `'${actor}' may not ${what}: it would change their own duties`);
  }
  const profiles = [...duties.policy.profiles.values()].filter((profile) => scopeCovers(role.scope, profile));
  const everything = role.scope.kind !== 'profiles';
  const holdings = duties.effectiveHoldings(actor).filter((holding) => holding.duty === 'administer');
  const covered = everything
    ? administersEverything(duties, actor) !== undefined
    : holdings.length > 0 && profiles.every((p) => holdings.some((holding) => scopeCovers(holding.scope, p)));
  if (!covered) {
    return refuse(
      'admin.not_administrator',
      `'${actor}' does not hold 'administer' over the profiles of role '${role.name}' and may not ${what}`,
    );
  }
  return { allowed: true, reasons: [reason('admin.role_change_allowed', `'${actor}' may ${what}`)] };
}

/** The longest an SoD exception may run: a year, so every exception is looked at again at least yearly. */
export const MAX_EXCEPTION_MS = 365 * 24 * 3_600_000;

/**
 * What is wrong with an exception created at `now` that runs until `expiresAt`, or undefined when nothing is.
 * Invariant: an exception ends in the future, and no later than `MAX_EXCEPTION_MS` after it was created.
 */
export function exceptionTermProblem(expiresAt: number, now: number): string | undefined {
  if (expiresAt <= now) return 'an exception must expire in the future';
  if (expiresAt - now > MAX_EXCEPTION_MS) return 'an exception may run for at most one year';
  return undefined;
}

/**
 * Creating an SoD exception: an `administer` holder may create one for anyone else; an identity may ask for
 * one for itself (it then still needs someone else's approval).
 */
export function decideExceptionCreation(duties: DutyIndex, actor: string, beneficiary: string): AdminDecision {
  if (!duties.policy.identities.has(beneficiary)) {
    return refuse('admin.unknown_identity', `identity '${beneficiary}' does not exist`);
  }
  if (actor === beneficiary) {
    return {
      allowed: true,
      reasons: [reason('exception.self_request', `'${actor}' asks for an exception for themselves`)],
    };
  }
  if (!administersEverything(duties, actor)) return notAdministrator(actor, `create an exception for '${beneficiary}'`);
  return {
    allowed: true,
    reasons: [reason('exception.create_allowed', `'${actor}' may create an exception for '${beneficiary}'`)],
  };
}

/**
 * Approving (or revoking) an SoD exception. Invariant (SPEC §2.4): the approver holds `administer` and is
 * neither the beneficiary nor the exception's creator, so an exception always has four eyes.
 */
export function decideExceptionApproval(
  duties: DutyIndex,
  actor: string,
  exception: Pick<SodException, 'id' | 'identity' | 'rule'> & { readonly createdBy: string },
): AdminDecision {
  const what = `exception '${exception.id}' (rule '${exception.rule}' for '${exception.identity}')`;
  if (actor === exception.identity) {
    return refuse('sod.own_exception', `'${actor}' may not approve ${what}: it exempts them`);
  }
  if (actor === exception.createdBy) {
    return refuse('sod.exception_creator', `'${actor}' created ${what} and may not also approve it`);
  }
  // One principal (SPEC §2.4): the owner of a non-human beneficiary or creator is not a second pair of eyes.
  const mine = principalOf(duties.policy, actor);
  for (const other of new Set([exception.identity, exception.createdBy])) {
    const shared = sharedPrincipal(actor, mine, other, principalOf(duties.policy, other));
    if (shared !== undefined) return refuse('sod.same_principal', `${shared}: '${actor}' may not approve ${what}`);
  }
  if (!administersEverything(duties, actor)) return notAdministrator(actor, `approve ${what}`);
  return { allowed: true, reasons: [reason('exception.approve_allowed', `'${actor}' may approve ${what}`)] };
}

/** Revoking an exception: any `administer` holder, the beneficiary included (giving up an exemption is safe). */
export function decideExceptionRevocation(
  duties: DutyIndex,
  actor: string,
  exception: Pick<SodException, 'id' | 'identity'>,
): AdminDecision {
  if (actor === exception.identity) {
    return {
      allowed: true,
      reasons: [reason('exception.self_revoke', `'${actor}' gives up exception '${exception.id}'`)],
    };
  }
  if (!administersEverything(duties, actor)) return notAdministrator(actor, `revoke exception '${exception.id}'`);
  return {
    allowed: true,
    reasons: [reason('exception.revoke_allowed', `'${actor}' may revoke exception '${exception.id}'`)],
  };
}

/**
 * Registering a resource under a profile, or pushing its observed configuration: an `administer` holder on the
 * profile may; so may a `provision` holder when only observing (a gateway or agent reporting what it sees), and
 * Countersign's own `system:` identities (a provider's `observe`).
 */
export function decideResourceWrite(
  duties: DutyIndex,
  actor: string,
  profile: ResourceProfile,
  what: 'register' | 'observe',
): AdminDecision {
  if (actor.startsWith('system:') && what === 'observe') {
    return { allowed: true, reasons: [reason('resource.system_observer', `'${actor}' reports observations itself`)] };
  }
  const administer = duties.holds(actor, 'administer', profile);
  if (administer) {
    return {
      allowed: true,
      reasons: [
        reason(
          'resource.administrator',
          `'${actor}' holds 'administer' on profile '${profile.name}' through role '${administer.role}'`,
        ),
      ],
    };
  }
  const provision = what === 'observe' ? duties.holds(actor, 'provision', profile) : undefined;
  if (provision) {
    return {
      allowed: true,
      reasons: [
        reason(
          'resource.observer',
          `'${actor}' holds 'provision' on profile '${profile.name}' through role '${provision.role}'`,
        ),
      ],
    };
  }
  const needs = what === 'observe' ? "'administer' or 'provision'" : "'administer'";
  return refuse(
    'admin.not_administrator',
    `'${actor}' does not hold ${needs} on profile '${profile.name}' and may not ${what} its resources`,
  );
}
