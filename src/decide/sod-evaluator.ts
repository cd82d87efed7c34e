/**
 * The one definition of a static separation-of-duties conflict (SPEC §2.4). `SodEvaluator.conflictsOf` computes
 * the conflicts of one identity's holdings under the policy's `profile` and `global` rules; the preventive check
 * and the detective scan in `sod.decide.ts` both call it, so they cannot disagree about what a conflict is.
 *
 * A rule with a set of duties (or roles) is broken by holding any two different members of the set: anywhere for
 * `global`, on one and the same profile of the policy for `profile`. Eligible holdings count like standing ones
 * (an eligible role is a latent conflict). `request` rules are dynamic and live in `sod-lifecycle.decide.ts`.
 */
import { reason } from '../core/decision.js';
import type { Reason } from '../core/decision.js';
import type { PolicySet, Role, RoleScope, SodException, SodRule } from '../policy/model.js';
import { scopeCovers } from './duties.js';
import type { DutyHolding } from './duties.js';

/** One identity holding two or more conflicting duties (or roles) of one static rule. */
export interface SodConflict {
  readonly rule: string;
  readonly scope: 'profile' | 'global';
  readonly identity: string;
  /** For `profile` rules: the profile on which the holdings collide. */
  readonly profile?: string;
  /** The holdings of the rule's duties or roles that collide (at least two different members). */
  readonly holdings: readonly DutyHolding[];
  /** The approved, unexpired exception that suppresses this conflict. */
  readonly suppressedBy?: string;
  readonly reason: Reason;
}

/** An exception suppresses its rule for its identity only while approved by someone else and unexpired. */
export function exceptionIsActive(exception: SodException, now: number): boolean {
  return exception.expiresAt > now && exception.approvedBy !== undefined && exception.approvedBy !== exception.identity;
}

interface IndexedRule {
  readonly rule: SodRule;
  readonly scope: 'profile' | 'global';
  readonly on: 'duty' | 'role';
  /** The rule's duties or roles, sorted. */
  readonly members: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function memberOf(rule: IndexedRule, holding: DutyHolding): string {
  return rule.on === 'duty' ? holding.duty : holding.role;
}

/** The rule's members (duties or roles) present among holdings, sorted. */
function membersIn(rule: IndexedRule, holdings: readonly DutyHolding[]): string[] {
  return rule.members.filter((member) => holdings.some((holding) => memberOf(rule, holding) === member));
}

/** For role rules one assignment yields a holding per duty of the role; one per assignment and path is enough. */
function onePerAssignment(holdings: readonly DutyHolding[]): readonly DutyHolding[] {
  return holdings.filter(
    (holding, index) =>
      holdings.findIndex(
        (other) =>
          other.assignmentId === holding.assignmentId &&
          other.via.type === holding.via.type &&
          other.via.name === holding.via.name,
      ) === index,
  );
}

function hasTwoMembers(rule: IndexedRule, holdings: readonly DutyHolding[]): boolean {
  const first = holdings[0];
  if (!first) return false;
  const member = memberOf(rule, first);
  return holdings.some((holding) => memberOf(rule, holding) !== member);
}

function quoteAll(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  return quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/**
 * The static rules of a policy indexed by the duty or role that can trigger them, with the exceptions in force at
 * `now`. Build it once per check or scan; `conflictsOf` is then linear in the identity's holdings.
 */
export class SodEvaluator {
  private readonly byDuty = new Map<string, IndexedRule[]>();
  private readonly byRole = new Map<string, IndexedRule[]>();
  private readonly coverage = new Map<RoleScope, readonly string[]>();
  private readonly watchedRoles = new Map<Role, boolean>();
  private readonly activeExceptions = new Map<string, SodException>();
  private readonly profileNames: readonly string[];
  readonly ruleCount: number;

  constructor(
    private readonly policy: PolicySet,
    exceptions: readonly SodException[],
    now: number,
  ) {
    let count = 0;
    for (const rule of policy.sodRules) {
      if (rule.scope === 'request') continue;
      const on = rule.conflicting.duties !== undefined ? 'duty' : 'role';
      const members = [...new Set<string>(rule.conflicting.duties ?? rule.conflicting.roles ?? [])].sort();
      if (members.length < 2) continue;
      const indexed: IndexedRule = { rule, scope: rule.scope, on, members };
      const target = on === 'duty' ? this.byDuty : this.byRole;
      for (const member of members) {
        const list = target.get(member);
        if (list) list.push(indexed);
        else target.set(member, [indexed]);
      }
      count += 1;
    }
    this.ruleCount = count;
    for (const exception of exceptions) {
      if (!exceptionIsActive(exception, now)) continue;
      const key = `${exception.rule}\u0000${exception.identity}`;
      const current = this.activeExceptions.get(key);
      // Several exceptions for one rule and identity: the longest-lived one (then the smallest id) is named.
      if (
        !current ||
        exception.expiresAt > current.expiresAt ||
        (exception.expiresAt === current.expiresAt && exception.id < current.id)
      ) {
        this.activeExceptions.set(key, exception);
      }
    }
    this.profileNames = [...policy.profiles.keys()].sort();
  }

  /**
   * The conflicts of one identity's holdings: THE definition of a static SoD conflict. With `mustInvolve`, only
   * conflicts that include one of those holdings are returned (a proposed assignment's own holdings).
   */
  conflictsOf(
    identity: string,
    holdings: readonly DutyHolding[],
    mustInvolve?: ReadonlySet<DutyHolding>,
  ): SodConflict[] {
    let touched: Map<IndexedRule, DutyHolding[]> | undefined;
    const touch = (rules: readonly IndexedRule[] | undefined, holding: DutyHolding): void => {
      if (!rules) return;
      touched ??= new Map();
      for (const rule of rules) {
        const list = touched.get(rule);
        if (list) list.push(holding);
        else touched.set(rule, [holding]);
      }
    };
    for (const holding of holdings) {
      touch(this.byDuty.get(holding.duty), holding);
      touch(this.byRole.get(holding.role), holding);
    }
    if (!touched) return [];
    const conflicts: SodConflict[] = [];
    const involves = (list: readonly DutyHolding[]): boolean =>
      mustInvolve === undefined || list.some((holding) => mustInvolve.has(holding));
    for (const [rule, matched] of touched) {
      if (!hasTwoMembers(rule, matched) || !involves(matched)) continue;
      if (rule.scope === 'global') {
        this.emit(rule, identity, [undefined], matched, conflicts);
        continue;
      }
      for (const [onProfiles, profiles] of this.profilesBySubset(matched)) {
        if (hasTwoMembers(rule, onProfiles) && involves(onProfiles)) {
          this.emit(rule, identity, profiles, onProfiles, conflicts);
        }
      }
    }
    return conflicts;
  }

  /**
   * Groups the profiles covered by at least two of `matched` by the exact subset of holdings covering them, so
   * that an identity colliding on many profiles is described once per subset, not once per profile.
   */
  private profilesBySubset(matched: readonly DutyHolding[]): Map<readonly DutyHolding[], string[]> {
    const indicesByProfile = new Map<string, number[]>();
    matched.forEach((holding, index) => {
      for (const profile of this.covered(holding.scope)) {
        const indices = indicesByProfile.get(profile);
        if (indices) indices.push(index);
        else indicesByProfile.set(profile, [index]);
      }
    });
    const byKey = new Map<string, { holdings: DutyHolding[]; profiles: string[] }>();
    for (const [profile, indices] of indicesByProfile) {
      if (indices.length < 2) continue;
      const key = indices.join(',');
      const subset = byKey.get(key);
      if (subset) subset.profiles.push(profile);
      else byKey.set(key, { holdings: indices.map((index) => matched[index] as DutyHolding), profiles: [profile] });
    }
    return new Map([...byKey.values()].map(({ holdings, profiles }) => [holdings, profiles]));
  }

  /** Appends one conflict per profile (or one, unscoped, for `undefined`) sharing one description. */
  private emit(
    rule: IndexedRule,
    identity: string,
    profiles: readonly (string | undefined)[],
    matched: readonly DutyHolding[],
    out: SodConflict[],
  ): void {
    const holdings = rule.on === 'duty' ? matched : onePerAssignment(matched);
    const name = rule.rule.name;
    const what = `'${identity}' holds conflicting ${rule.on === 'duty' ? 'duties' : 'roles'} ${quoteAll(membersIn(rule, holdings))}`;
    const exception = this.activeExceptions.get(`${name}\u0000${identity}`);
    const tail =
      exception === undefined
        ? `, which rule '${name}' forbids`
        : `, which rule '${name}' forbids; suppressed by exception '${exception.id}'`;
    const code = exception === undefined ? 'sod.rule_conflict' : 'sod.conflict_suppressed';
    for (const profile of profiles) {
      const where = profile === undefined ? '' : ` on profile '${profile}'`;
      const conflict: Mutable<SodConflict> = {
        rule: name,
        scope: rule.scope,
        identity,
        holdings,
        reason: reason(code, `${what}${where}${tail}`),
      };
      if (profile !== undefined) conflict.profile = profile;
      if (exception !== undefined) conflict.suppressedBy = exception.id;
      out.push(conflict);
    }
  }

  /** Can a holding of this role take part in a conflict (its name or one of its duties is in a rule)? */
  watches(role: Role): boolean {
    let watched = this.watchedRoles.get(role);
    if (watched === undefined) {
      watched = this.byRole.has(role.name) || role.duties.some((duty) => this.byDuty.has(duty));
      this.watchedRoles.set(role, watched);
    }
    return watched;
  }

  /** Names of the policy's profiles a scope covers, sorted; cached per scope object (one per role). */
  private covered(scope: RoleScope): readonly string[] {
    let names = this.coverage.get(scope);
    if (!names) {
      names = this.profileNames.filter((name) => {
        const profile = this.policy.profiles.get(name);
        return profile !== undefined && scopeCovers(scope, profile);
      });
      this.coverage.set(scope, names);
    }
    return names;
  }
}

export function compareConflicts(a: SodConflict, b: SodConflict): number {
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.identity !== b.identity) return a.identity < b.identity ? -1 : 1;
  const pa = a.profile ?? '';
  const pb = b.profile ?? '';
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
