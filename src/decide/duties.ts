/**
 * Effective duties: which identity holds which duty over which profiles, through which role and assignment.
 * Every other decision (request, approval, SoD, check) asks this index instead of walking roles itself, so
 * group membership, eligibility and expiry are interpreted in exactly one place.
 */
import type { Duty, PolicySet, ResourceProfile, Role, RoleAssignment, RoleScope, SubjectRef } from '../policy/model.js';

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

/**
 * Index of every identity's effective duties at one instant. Expired assignments and disabled identities hold
 * nothing. Build it once per decision batch: construction is O(assignments) (assignments bucketed by subject);
 * an identity's holdings are worked out on first look-up and kept.
 */
export class DutyIndex {
  private readonly byIdentity = new Map<string, readonly DutyHolding[]>();
  /** `identity\0role` of each activation in force, with the instant it ends. */
  private readonly activated = new Map<string, number>();
  private readonly direct = new Map<string, ResolvedAssignment[]>();
  private readonly viaGroup = new Map<string, ResolvedAssignment[]>();
  private members: Map<string, string[]> | undefined;

  constructor(
    readonly policy: PolicySet,
    readonly now: number,
    extraAssignments: readonly RoleAssignment[] = [],
    activations: readonly RoleActivation[] = [],
  ) {
    for (const activation of activations) {
      if (activation.expiresAt <= now) continue;
      const key = `${activation.identity}\u0000${activation.role}`;
      this.activated.set(key, Math.max(activation.expiresAt, this.activated.get(key) ?? 0));
    }
    for (const assignment of policy.assignments) this.bucket(assignment);
    for (const assignment of extraAssignments) this.bucket(assignment);
  }

  private bucket(assignment: RoleAssignment): void {
    if (assignment.expiresAt !== undefined && assignment.expiresAt <= this.now) return;
    const role = this.policy.roles.get(assignment.role);
    if (!role) return;
    const target = assignment.subject.type === 'identity' ? this.direct : this.viaGroup;
    const list = target.get(assignment.subject.name);
    if (list) list.push({ assignment, role });
    else target.set(assignment.subject.name, [{ assignment, role }]);
  }

  /**
   * Visits every unexpired assignment (eligible ones included) that reaches an identity, directly first, then
   * through its groups in the order it lists them; nothing for unknown or disabled identities. The assignment's
   * `subject` is the `via` of its holdings. Lets a scan look at roles without building every holding.
   */
  forEachAssignment(identity: string, visit: (assignment: RoleAssignment, role: Role) => void): void {
    const found = this.policy.identities.get(identity);
    if (!found || found.disabled) return;
    for (const { assignment, role } of this.direct.get(identity) ?? []) visit(assignment, role);
    found.groups.forEach((group, index) => {
      const assignments = this.viaGroup.get(group);
      // A group listed twice still gives its roles once.
      if (!assignments || found.groups.indexOf(group) !== index) return;
      for (const { assignment, role } of assignments) visit(assignment, role);
    });
  }

  /** Names of the identities listing `group` among their groups, disabled ones included, in policy order. */
  membersOf(group: string): readonly string[] {
    if (!this.members) {
      this.members = new Map();
      for (const identity of this.policy.identities.values()) {
        for (const name of new Set(identity.groups)) {
          const list = this.members.get(name);
          if (list) list.push(identity.name);
          else this.members.set(name, [identity.name]);
        }
      }
    }
    return this.members.get(group) ?? [];
  }

  /** Every holding of an identity, eligible ones included; empty for unknown or disabled identities. */
  holdingsOf(identity: string): readonly DutyHolding[] {
    let holdings = this.byIdentity.get(identity);
    if (!holdings) {
      const built: DutyHolding[] = [];
      this.forEachAssignment(identity, (assignment, role) => pushHoldings(built, identity, role, assignment));
      holdings = built;
      if (this.policy.identities.has(identity)) this.byIdentity.set(identity, holdings);
    }
    return holdings;
  }

  /** True when an eligible holding has been activated and so counts as standing. */
  isActivated(holding: DutyHolding): boolean {
    return this.activated.has(`${holding.identity}\u0000${holding.role}`);
  }

  /** When the activation of an eligible holding ends; undefined for a holding that is not activated. */
  activatedUntil(holding: DutyHolding): number | undefined {
    return this.activated.get(`${holding.identity}\u0000${holding.role}`);
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

interface ResolvedAssignment {
  readonly assignment: RoleAssignment;
  readonly role: Role;
}

/** Appends one holding per duty of the role; `via` is the assignment's own subject (shared, not copied). */
function pushHoldings(holdings: DutyHolding[], identity: string, role: Role, assignment: RoleAssignment): void {
  const via = assignment.subject;
  for (const duty of role.duties) {
    // Two literal shapes instead of a spread: this runs once per holding of every identity.
    holdings.push(
      assignment.expiresAt === undefined
        ? {
            identity,
            duty,
            role: role.name,
            scope: role.scope,
            assignment: assignment.assignment,
            via,
            assignmentId: assignment.id,
          }
        : {
            identity,
            duty,
            role: role.name,
            scope: role.scope,
            assignment: assignment.assignment,
            via,
            assignmentId: assignment.id,
            expiresAt: assignment.expiresAt,
          },
    );
  }
}

/**
 * The holdings one assignment gives one identity, one per duty of the role, exactly as `DutyIndex` records them
 * (so that a proposed assignment can be evaluated before it exists).
 */
export function assignmentHoldings(identity: string, role: Role, assignment: RoleAssignment): DutyHolding[] {
  const holdings: DutyHolding[] = [];
  pushHoldings(holdings, identity, role, assignment);
  return holdings;
}
