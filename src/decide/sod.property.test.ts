import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import { DUTIES, SOD_SCOPES } from '../policy/model.js';
import type { Identity, PolicySet, RoleAssignment, RoleScope, SodException, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { SodEvaluator, checkProposedAssignment, scanSod } from './sod.decide.js';
import type { SodConflict } from './sod.decide.js';

const NOW = 1_800_000_000_000;
const PROFILES = [
  makeProfile({ name: 'p-data-prod', labels: { tier: 'data', env: 'prod' } }),
  makeProfile({ name: 'p-data-dev', labels: { tier: 'data', env: 'dev' } }),
  makeProfile({ name: 'p-web-prod', labels: { tier: 'web', env: 'prod' } }),
];
const GROUPS = ['g0', 'g1', 'g2'];
const IDENTITIES = ['i0', 'i1', 'i2', 'i3', 'i4', 'i5'];
const ROLES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];

const scopeArb: fc.Arbitrary<RoleScope> = fc.oneof(
  fc.constant<RoleScope>({ kind: 'all' }),
  fc.subarray(PROFILES.map((profile) => profile.name)).map((names): RoleScope => ({ kind: 'profiles', names })),
  fc.constantFrom<RoleScope>(
    { kind: 'selector', labels: { tier: 'data' } },
    { kind: 'selector', labels: { env: 'prod' } },
  ),
);

const identityArb = (name: string): fc.Arbitrary<Identity> =>
  fc
    .record({
      kind: fc.constantFrom('human', 'human', 'service' as const),
      groups: fc.subarray(GROUPS),
      disabled: fc.boolean(),
    })
    .map(({ kind, groups, disabled }) => ({
      name,
      kind: kind as Identity['kind'],
      ...(kind === 'human' ? {} : { owner: 'i0' }),
      groups,
      attributes: {},
      disabled: disabled && name === 'i5',
    }));

const assignmentArb = fc.record({
  role: fc.constantFrom(...ROLES),
  subject: fc.oneof(
    fc.constantFrom(...IDENTITIES).map((name) => ({ type: 'identity' as const, name })),
    fc.constantFrom(...GROUPS).map((name) => ({ type: 'group' as const, name })),
  ),
  assignment: fc.constantFrom('standing', 'standing', 'eligible' as const),
  expiry: fc.constantFrom('none', 'none', 'none', 'past', 'future'),
});

const ruleArb = (index: number): fc.Arbitrary<SodRule> =>
  fc
    .record({
      scope: fc.constantFrom(...SOD_SCOPES),
      conflicting: fc.oneof(
        fc.uniqueArray(fc.constantFrom(...DUTIES), { minLength: 2, maxLength: 3 }).map((duties) => ({ duties })),
        fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 2, maxLength: 3 }).map((roles) => ({ roles })),
      ),
    })
    .map(({ scope, conflicting }) => ({ name: `rule-${index}`, scope, conflicting }));

const worldArb = fc
  .record({
    identities: fc.tuple(...IDENTITIES.map(identityArb)),
    roles: fc.tuple(
      ...ROLES.map((name) =>
        fc
          .record({
            duties: fc.uniqueArray(fc.constantFrom(...DUTIES), { minLength: 1, maxLength: 3 }),
            scope: scopeArb,
          })
          .map(({ duties, scope }) => ({ name, duties, scope })),
      ),
    ),
    assignments: fc.array(assignmentArb, { maxLength: 14 }),
    rules: fc
      .tuple(ruleArb(0), ruleArb(1), ruleArb(2), ruleArb(3))
      .chain((rules) => fc.subarray(rules, { minLength: 1 })),
    exceptions: fc.array(
      fc.record({
        rule: fc.constantFrom('rule-0', 'rule-1', 'rule-2', 'rule-3'),
        identity: fc.constantFrom(...IDENTITIES),
        approvedBy: fc.constantFrom(undefined, 'i0', 'i1'),
        expired: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  })
  .map((world) => {
    const assignments: RoleAssignment[] = world.assignments.map((spec, index) => ({
      id: `a${index}`,
      role: spec.role,
      subject: spec.subject,
      assignment: spec.assignment,
      ...(spec.expiry === 'past' ? { expiresAt: NOW - 1 } : spec.expiry === 'future' ? { expiresAt: NOW + 1000 } : {}),
      source: 'api' as const,
    }));
    const exceptions: SodException[] = world.exceptions.map((spec, index) => ({
      id: `x${index}`,
      rule: spec.rule,
      identity: spec.identity,
      justification: 'property test',
      compensatingControl: 'none',
      expiresAt: spec.expired ? NOW : NOW + 1000,
      ...(spec.approvedBy === undefined ? {} : { approvedBy: spec.approvedBy }),
    }));
    return { identities: world.identities, roles: world.roles, rules: world.rules, assignments, exceptions };
  });

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function policyOf(world: World, assignments: readonly RoleAssignment[]): PolicySet {
  const base = makePolicy({ identities: world.identities, groups: GROUPS, sodRules: world.rules, profiles: PROFILES });
  return { ...base, roles: new Map(world.roles.map((role) => [role.name, role])), assignments };
}

const RUNS = { numRuns: 300 };

describe('static SoD properties', () => {
  it('a policy built only from assignments the preventive check allows has no unsuppressed conflict', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const kept: RoleAssignment[] = [];
        for (const proposed of world.assignments) {
          const ctx = { policy: policyOf(world, kept), exceptions: world.exceptions, now: NOW };
          if (checkProposedAssignment(ctx, proposed).allowed) kept.push(proposed);
        }
        const scan = scanSod({ policy: policyOf(world, kept), exceptions: world.exceptions, now: NOW });
        expect(scan.conflicts.filter((conflict) => conflict.suppressedBy === undefined)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('removing any assignment of a detected conflict and proposing it again is refused under the same rule', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const scan = scanSod({ policy: policyOf(world, world.assignments), exceptions: world.exceptions, now: NOW });
        for (const conflict of scan.conflicts.filter((found) => found.suppressedBy === undefined)) {
          for (const id of new Set(conflict.holdings.map((holding) => holding.assignmentId))) {
            const removed = world.assignments.find((assignment) => assignment.id === id);
            expect(removed).toBeDefined();
            if (!removed) continue;
            const without = world.assignments.filter((assignment) => assignment.id !== id);
            const ctx = { policy: policyOf(world, without), exceptions: world.exceptions, now: NOW };
            const check = checkProposedAssignment(ctx, removed);
            expect(check.allowed).toBe(false);
            expect(check.violatedRules).toContain(conflict.rule);
          }
        }
      }),
      RUNS,
    );
  });

  it('the scan reports exactly what the shared evaluator finds over each identity’s full holdings', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const policy = policyOf(world, world.assignments);
        const duties = new DutyIndex(policy, NOW);
        const evaluator = new SodEvaluator(policy, world.exceptions, NOW);
        const direct = [...policy.identities.keys()].flatMap((name) =>
          evaluator.conflictsOf(name, duties.holdingsOf(name)),
        );
        const key = (c: SodConflict): string => `${c.rule}|${c.identity}|${c.profile ?? ''}|${c.suppressedBy ?? ''}`;
        const byKey = (a: SodConflict, b: SodConflict): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
        const scanned = [...scanSod({ policy, exceptions: world.exceptions, now: NOW }).conflicts].sort(byKey);
        expect(scanned).toEqual(direct.sort(byKey));
      }),
      RUNS,
    );
  });
});
