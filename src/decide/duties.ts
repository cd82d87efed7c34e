/**
 * Effective duties: which identity holds which duty over which profiles, through which role and assignment.
 * Every other decision (request, approval, SoD, check) asks this index instead of walking roles itself, so
 * group membership, eligibility and expiry are interpreted in exactly one place.
 */
import type {
  Duty,
  Identity,
  PolicySet,
  ResourceProfile,
  Role,
  RoleAssignment,
  RoleScope,
  SubjectRef,
} from '../policy/model.js';

/** One duty held by one identity through one assignment. */
export interface DutyHolding {
  readonly identity: string;
  readonly duty: Duty;
  readonly role: string;
  readonly scope: RoleScope;
  /** `eligible` holdings count only once activated (see `activations`). */
  readonly assignment: 'standing' | 'eligible';
  /** How the identity got the assignment: directly or through a group. */
  readonly via: SubjectRef;
  readonly assignmentId: string;
  readonly expiresAt?: number;
}

/** An eligible role turned on for a while by an approved request (Azure PIM style activation). */
export interface RoleActivation {
  readonly identity: string;
  readonly role: string;
  readonly expiresAt: number;
}

export interface HoldsOptions {
  /** Count eligible holdings that were not activated (used for "may request" and for detective SoD scans). */
  readonly includeEligible?: boolean;
}

/** Does a role's scope cover a profile? `*` covers all; a selector needs every label to match. */
export function scopeCovers(scope: RoleScope, profile: Pick<ResourceProfile, 'name' | 'labels'>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'profiles':
      return scope.names.includes(profile.name);
    case 'selector':
      return Object.entries(scope.labels).every(([key, value]) => profile.labels[key] === value);
  }
}

/** Do two scopes share at least one profile of the policy? Used by profile-scoped SoD rules. */
export function scopesOverlap(a: RoleScope, b: RoleScope, profiles: Iterable<ResourceProfile>): boolean {
  for (const profile of profiles) if (scopeCovers(a, profile) && scopeCovers(b, profile)) return true;
  return false;
}

function subjectKey(subject: SubjectRef): string {
  return `${subject.type}:${subject.name}`;
}

/**
 * Index of every identity's effective duties at one instant. Expired assignments and disabled identities hold
 * nothing. Build it once per decision batch (it is O(assignments)); look-ups are map reads.
 */
export class DutyIndex {
  private readonly byIdentity = new Map<string, DutyHolding[]>();
  private readonly activated = new Set<string>();

  constructor(
    readonly policy: PolicySet,
    readonly now: number,
    extraAssignments: readonly RoleAssignment[] = [],
    activations: readonly RoleActivation[] = [],
  ) {
    for (const activation of activations) {
      if (activation.expiresAt > now) this.activated.add(`${activation.identity}\u0000${activation.role}`);
    }
    const assignmentsBySubject = new Map<string, RoleAssignment[]>();
    for (const assignment of [...policy.assignments, ...extraAssignments]) {
      if (assignment.expiresAt !== undefined && assignment.expiresAt <= now) continue;
      const key = subjectKey(assignment.subject);
      const list = assignmentsBySubject.get(key);
      if (list) list.push(assignment);
      else assignmentsBySubject.set(key, [assignment]);
    }
    for (const identity of policy.identities.values()) {
      if (identity.disabled) continue;
      const holdings: DutyHolding[] = [];
      const subjects: SubjectRef[] = [
        { type: 'identity', name: identity.name },
        ...identity.groups.map((group) => ({ type: 'group' as const, name: group })),
      ];
      for (const subject of subjects) {
        for (const assignment of assignmentsBySubject.get(subjectKey(subject)) ?? []) {
          const role = policy.roles.get(assignment.role);
          if (role) holdings.push(...holdingsFor(identity, role, assignment, subject));
        }
      }
      this.byIdentity.set(identity.name, holdings);
    }
  }

  /** Every holding of an identity, eligible ones included; empty for unknown or disabled identities. */
  holdingsOf(identity: string): readonly DutyHolding[] {
    return this.byIdentity.get(identity) ?? [];
  }

  /** True when an eligible holding has been activated and so counts as standing. */
  isActivated(holding: DutyHolding): boolean {
    return this.activated.has(`${holding.identity}\u0000${holding.role}`);
  }

  /** Holdings that are in force now: standing, or eligible and activated (or any eligible, when asked). */
  effectiveHoldings(identity: string, options: HoldsOptions = {}): DutyHolding[] {
    return this.holdingsOf(identity).filter(
      (holding) => holding.assignment === 'standing' || options.includeEligible === true || this.isActivated(holding),
    );
  }

  /** The first holding through which `identity` holds `duty` over `profile`, or undefined. */
  holds(
    identity: string,
    duty: Duty,
    profile: Pick<ResourceProfile, 'name' | 'labels'>,
    options: HoldsOptions = {},
  ): DutyHolding | undefined {
    return this.effectiveHoldings(identity, options).find(
      (holding) => holding.duty === duty && scopeCovers(holding.scope, profile),
    );
  }

  /** True when the identity holds the duty over any profile at all (e.g. `administer`, `audit`). */
  holdsAnywhere(identity: string, duty: Duty, options: HoldsOptions = {}): DutyHolding | undefined {
    return this.effectiveHoldings(identity, options).find((holding) => holding.duty === duty);
  }

  /** Does the identity hold the role (any assignment that is in force)? */
  holdsRole(identity: string, role: string, options: HoldsOptions = {}): boolean {
    return this.effectiveHoldings(identity, options).some((holding) => holding.role === role);
  }
}

function holdingsFor(identity: Identity, role: Role, assignment: RoleAssignment, via: SubjectRef): DutyHolding[] {
  return role.duties.map((duty) => ({
    identity: identity.name,
    duty,
    role: role.name,
    scope: role.scope,
    assignment: assignment.assignment,
    via,
    assignmentId: assignment.id,
    ...(assignment.expiresAt !== undefined ? { expiresAt: assignment.expiresAt } : {}),
  }));
}
