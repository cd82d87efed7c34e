/**
 * What a proposed policy changes besides profile versions: names added, changed or removed per kind, and the
 * resources whose binding moves between profiles. Shared by the change-set governance (`policy-change.decide.ts`)
 * and the plan (`policy-plan.decide.ts`), so that what a plan shows is what governance asks approvals for.
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { PolicySet, Resource, SubjectRef } from '../policy/model.js';

/** The kinds besides profiles, in the order a plan lists them. */
export const PLAN_KINDS = [
  'identities',
  'groups',
  'roles',
  'sodRules',
  'resources',
  'notifiers',
  'contextSources',
] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export interface NameChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Names added, changed (a different canonical form) or removed between two keyed collections. */
export function diffByName(current: ReadonlyMap<string, unknown>, proposed: ReadonlyMap<string, unknown>): NameChanges {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, value] of proposed) {
    const before = current.get(name);
    if (before === undefined) added.push(name);
    else if (canonicalJson(before) !== canonicalJson(value)) changed.push(name);
  }
  const removed = [...current.keys()].filter((name) => !proposed.has(name));
  return { added: added.sort(byName), changed: changed.sort(byName), removed: removed.sort(byName) };
}

function subjectText(subject: SubjectRef): string {
  return `${subject.type}:${subject.name}`;
}

/** A role together with its policy subjects: YAML writes both in one document, so a plan compares them together. */
function rolesWithSubjects(policy: PolicySet): Map<string, unknown> {
  const roles = new Map<string, unknown>();
  for (const [name, role] of policy.roles) {
    const subjects = policy.assignments
      .filter((a) => a.role === name && a.source === 'policy')
      .map((a) => ({ subject: subjectText(a.subject), assignment: a.assignment, expiresAt: a.expiresAt }))
      .sort((a, b) => byName(a.subject, b.subject));
    roles.set(name, { role, subjects });
  }
  return roles;
}

/** SoD rules by name, without where they were written (moving a rule within its file changes nothing). */
function sodRulesByName(policy: PolicySet): Map<string, unknown> {
  return new Map(policy.sodRules.map(({ position: _position, ...rule }) => [rule.name, rule]));
}

/** Per kind, what the proposal adds, changes and removes compared with the policy files in force. */
export function kindDiffs(filed: PolicySet, proposed: PolicySet): Record<PlanKind, NameChanges> {
  return {
    identities: diffByName(filed.identities, proposed.identities),
    groups: diffByName(filed.groups, proposed.groups),
    roles: diffByName(rolesWithSubjects(filed), rolesWithSubjects(proposed)),
    sodRules: diffByName(sodRulesByName(filed), sodRulesByName(proposed)),
    resources: diffByName(filed.resources, proposed.resources),
    notifiers: diffByName(filed.notifiers, proposed.notifiers),
    contextSources: diffByName(filed.contextSources, proposed.contextSources),
  };
}

export interface ResourceChanges {
  /** Profiles a resource is bound to before or after a resource is added, re-bound, changed or removed. */
  readonly profiles: ReadonlySet<string>;
  /** Resources added, removed, or changed in anything besides their profile: more than a profile move. */
  readonly beyondMoves: readonly string[];
}

function withoutProfile(resource: Resource): string {
  return canonicalJson({ ...resource, profile: '' });
}

/**
 * How the proposal changes resources. `current` is the policy in force with the resources registered through the
 * API (a file naming one takes it over: a re-bind of the registered resource); `filed` is the files in force,
 * whose resources the proposal removes by not naming them (registered resources stay).
 */
export function resourceChanges(current: PolicySet, filed: PolicySet, proposed: PolicySet): ResourceChanges {
  const profiles = new Set<string>();
  const beyondMoves = new Set<string>();
  for (const [name, after] of proposed.resources) {
    const before = current.resources.get(name);
    if (!before) {
      profiles.add(after.profile);
      beyondMoves.add(name);
      continue;
    }
    if (before.profile !== after.profile) {
      profiles.add(before.profile);
      profiles.add(after.profile);
    }
    if (withoutProfile(before) !== withoutProfile(after) || !filed.resources.has(name)) {
      profiles.add(after.profile);
      beyondMoves.add(name);
    }
  }
  for (const [name, resource] of filed.resources) {
    if (proposed.resources.has(name)) continue;
    profiles.add(current.resources.get(name)?.profile ?? resource.profile);
    beyondMoves.add(name);
  }
  return { profiles, beyondMoves: [...beyondMoves].sort(byName) };
}
