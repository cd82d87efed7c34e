import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { human, makePolicy, subject, type RoleSpec } from '../../test/factories/policy.factory.js';
import { makeProfile, makeResource } from '../../test/factories/profile.factory.js';
import type { PolicySet, ResourceProfile } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { policyChangeContext, policyChangeProgress } from './policy-change.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const PEOPLE = ['author', 'p1', 'p2', 'p3', 'p4'];
const GROUPS = ['g0', 'g1', 'g2'];
const SUBJECTS = [...GROUPS.map((g) => `group:${g}`), ...PEOPLE.map((p) => `identity:${p}`)];
const PROFILES = ['a', 'b', 'c'];

const profile = (name: string, approvers: readonly string[], classification: 'internal' | 'restricted') =>
  makeProfile({ name, classification, governance: { approvers: approvers.map(subject) } });

interface World {
  readonly groups: readonly (readonly string[])[];
  readonly adminSubjects: readonly string[];
  readonly governance: readonly (readonly string[])[];
}

function build(world: World, profiles: readonly ResourceProfile[], resourceProfile: string): PolicySet {
  const roles: RoleSpec[] = [{ name: 'admin', duties: ['administer'], subjects: world.adminSubjects }];
  return makePolicy({
    identities: PEOPLE.map((name, i) => human(name, world.groups[i] ?? [])),
    roles,
    profiles,
    resources: [makeResource({ name: 'db', profile: resourceProfile })],
  });
}

const worldArb = fc.record({
  groups: fc.array(fc.subarray(GROUPS), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  adminSubjects: fc.subarray(SUBJECTS),
  governance: fc.array(fc.subarray(SUBJECTS, { minLength: 1 }), {
    minLength: PROFILES.length,
    maxLength: PROFILES.length,
  }),
});

/** A proposal: some profiles changed or removed, one added, the resource perhaps moved, governance rewritten. */
const proposalArb = fc.record({
  changed: fc.subarray(PROFILES),
  removed: fc.constantFrom(undefined, ...PROFILES),
  added: fc.boolean(),
  moveTo: fc.constantFrom(...PROFILES),
  governance: fc.subarray(SUBJECTS, { minLength: 1 }),
  roleChange: fc.boolean(),
  approvers: fc.subarray(PEOPLE),
});

describe('policy change governance, for any policy and proposal', () => {
  it('is satisfied only by approvals the policy in force allows, however the proposal rewrites governance and roles', () => {
    let satisfied = 0;
    fc.assert(
      fc.property(worldArb, proposalArb, (world, proposal) => {
        const inForceProfiles = PROFILES.map((name, i) => profile(name, world.governance[i] ?? [], 'internal'));
        const current = build(world, inForceProfiles, 'a');
        const kept = PROFILES.filter((name) => name !== proposal.removed || name === proposal.moveTo);
        const proposedProfiles = [
          ...kept.map((name) =>
            profile(name, proposal.governance, proposal.changed.includes(name) ? 'restricted' : 'internal'),
          ),
          ...(proposal.added ? [profile('new', proposal.governance, 'internal')] : []),
        ];
        const rewritten = build(
          { ...world, adminSubjects: proposal.roleChange ? SUBJECTS : world.adminSubjects },
          proposedProfiles,
          proposal.moveTo,
        );
        const ctx = policyChangeContext(new DutyIndex(current, NOW), rewritten);
        const progress = policyChangeProgress(ctx, 'author', proposal.approvers);
        if (!progress.satisfied) return;
        satisfied += 1;

        const valid = proposal.approvers.filter((name) => name !== 'author');
        const groupsOf = (name: string) => world.groups[PEOPLE.indexOf(name)] ?? [];
        const namedBy = (name: string, refs: readonly string[]) =>
          refs.some((ref) => ref === `identity:${name}` || groupsOf(name).some((g) => ref === `group:${g}`));
        // Every profile touched in force was approved by one of its governance approvers in force.
        for (const [i, name] of PROFILES.entries()) {
          if (!ctx.touched.all.includes(name)) continue;
          expect(valid.some((approver) => namedBy(approver, world.governance[i] ?? []))).toBe(true);
        }
        // An added profile, a role change or a resource beyond a move was approved by an administrator in force.
        if (proposal.added || proposal.roleChange) {
          expect(valid.some((approver) => namedBy(approver, world.adminSubjects))).toBe(true);
        }
        // A moved resource touches its old and new profile.
        if (proposal.moveTo !== 'a') expect(ctx.touched.all).toEqual(expect.arrayContaining(['a', proposal.moveTo]));
      }),
      { numRuns: 300 },
    );
    expect(satisfied).toBeGreaterThan(10);
  });
});
