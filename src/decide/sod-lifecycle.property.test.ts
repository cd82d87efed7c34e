import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { human, makePolicy, makeRequestRecord, nhi } from '../../test/factories/policy.factory.js';
import { DUTIES } from '../policy/model.js';
import type { Duty, SodException, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { LIFECYCLE_DUTY, checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { LifecycleRole } from './sod-lifecycle.decide.js';
import { exceptionIsActive } from './sod.decide.js';
import type { RequestRecord } from './types.js';

const NOW = 1_800_000_000_000;
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4'];
const SYSTEM = ['system:policy', 'system:executor', 'system:scheduler'];
const LIFECYCLE_ROLES: readonly LifecycleRole[] = ['requester', 'approver', 'provisioner', 'certifier'];
const ROLES = ['r0', 'r1', 'r2', 'r3'];

const worldArb = fc.record({
  roles: fc.tuple(...ROLES.map(() => fc.uniqueArray(fc.constantFrom(...DUTIES), { minLength: 1, maxLength: 3 }))),
  assignments: fc.array(fc.tuple(fc.constantFrom(...ROLES), fc.constantFrom(...PEOPLE)), { maxLength: 10 }),
  rules: fc.array(
    fc.oneof(
      fc.uniqueArray(fc.constantFrom(...DUTIES), { minLength: 2, maxLength: 3 }).map((duties) => ({ duties })),
      fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 2, maxLength: 2 }).map((roles) => ({ roles })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  exceptions: fc.array(
    fc.record({
      rule: fc.nat(2),
      identity: fc.constantFrom(...PEOPLE),
      approvedBy: fc.constantFrom(undefined, 'p0', 'p1'),
    }),
    { maxLength: 2 },
  ),
  // Earlier deniers/cancellers/revokers: at most one act each, never the requester (p0).
  otherActors: fc.uniqueArray(fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4'), fc.constantFrom<Duty>(...DUTIES)), {
    selector: ([identity]) => identity,
    maxLength: 2,
  }),
  attempts: fc.array(fc.tuple(fc.constantFrom(...PEOPLE, ...SYSTEM), fc.constantFrom(...LIFECYCLE_ROLES)), {
    maxLength: 12,
  }),
});

/** Applies an allowed act to the request the way the lifecycle would record it. */
function record(request: RequestRecord, actor: string, as: LifecycleRole): RequestRecord {
  switch (as) {
    case 'requester':
      return request;
    case 'approver':
      return {
        ...request,
        approvals: [...request.approvals, { approver: actor, step: 0, at: NOW, digest: request.digest }],
      };
    case 'provisioner':
      return { ...request, provisioner: actor };
    case 'certifier':
      return { ...request, certifier: actor };
  }
}

describe('dynamic SoD properties', () => {
  it('no identity acts in two lifecycle roles, or in two duties a request rule separates without an exception', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const sodRules: SodRule[] = world.rules.map((conflicting, index) => ({
          name: `rule-${index}`,
          scope: 'request',
          conflicting,
        }));
        const policy = makePolicy({
          identities: PEOPLE.map((name) => human(name)),
          roles: ROLES.map((name, index) => ({
            name,
            duties: world.roles[index] ?? [],
            subjects: world.assignments.filter(([role]) => role === name).map(([, who]) => `identity:${who}`),
          })),
          sodRules,
        });
        const exceptions: SodException[] = world.exceptions.map((spec, index) => ({
          id: `x${index}`,
          rule: `rule-${spec.rule}`,
          identity: spec.identity,
          justification: 'property test',
          compensatingControl: 'none',
          expiresAt: NOW + 1000,
          ...(spec.approvedBy === undefined ? {} : { approvedBy: spec.approvedBy }),
        }));
        const duties = new DutyIndex(policy, NOW);
        let request = makeRequestRecord({
          requester: 'p0',
          otherActors: world.otherActors.map(([identity, duty]) => ({ identity, duty })),
        });
        for (const [actor, as] of world.attempts) {
          // One provisioner and one certifier per lifecycle; approvals accumulate.
          if ((as === 'provisioner' && request.provisioner) || (as === 'certifier' && request.certifier)) continue;
          const decision = checkLifecycleActor({ request, actor, as, policy, duties, exceptions, now: NOW });
          expect(decision.reasons.length).toBeGreaterThan(0);
          if (decision.allowed) request = record(request, actor, as);
        }

        const acts: [string, LifecycleRole][] = [
          [request.requester, 'requester'],
          ...request.approvals.map((a): [string, LifecycleRole] => [a.approver, 'approver']),
          ...(request.provisioner ? [[request.provisioner, 'provisioner'] as [string, LifecycleRole]] : []),
          ...(request.certifier ? [[request.certifier, 'certifier'] as [string, LifecycleRole]] : []),
        ];
        // Built in: one lifecycle role per identity, one approval per identity, system actors in their place.
        expect(new Set(acts.map(([who]) => who)).size).toBe(acts.length);
        for (const [who, as] of acts) {
          if (who === 'system:policy') expect(as).toBe('approver');
          if (who.startsWith('system:') && who !== 'system:policy')
            expect([who, as]).toEqual(['system:executor', 'provisioner']);
        }
        // Configured duty rules: every identity's exercised duties hold at most one member of each rule it is
        // not exempted from.
        for (const who of new Set(acts.map(([identity]) => identity))) {
          const exercised = new Set<string>([
            ...acts.filter(([identity]) => identity === who).map(([, as]) => LIFECYCLE_DUTY[as]),
            ...(request.otherActors ?? []).filter((other) => other.identity === who).map((other) => other.duty),
          ]);
          for (const rule of sodRules) {
            const members = rule.conflicting.duties;
            if (!members) continue;
            const exempt = exceptions.some(
              (e) => e.rule === rule.name && e.identity === who && exceptionIsActive(e, NOW),
            );
            if (!exempt) expect(members.filter((duty) => exercised.has(duty)).length).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('no principal (an NHI, its owner, the minter of its token) acts in two lifecycle roles or approves twice', () => {
    const humans = ['p0', 'p1', 'p2', 'p3'];
    const bots = ['b0', 'b1'];
    const principalWorld = fc.record({
      owners: fc.tuple(fc.constantFrom(...humans), fc.constantFrom(...humans)),
      requester: fc.constantFrom(...humans, ...bots),
      // Each attempt acts with a token minted by the identity itself (-1) or by one of the humans.
      attempts: fc.array(
        fc.tuple(
          fc.constantFrom(...humans, ...bots),
          fc.constantFrom(...LIFECYCLE_ROLES),
          fc.integer({ min: -1, max: 3 }),
        ),
        { maxLength: 12 },
      ),
    });
    fc.assert(
      fc.property(principalWorld, (world) => {
        const policy = makePolicy({
          identities: [...humans.map((name) => human(name)), nhi('b0', world.owners[0]), nhi('b1', world.owners[1])],
        });
        const duties = new DutyIndex(policy, NOW);
        let request = makeRequestRecord({ requester: world.requester, principalLinks: [] });
        const principals: { who: string; as: LifecycleRole; members: Set<string> }[] = [];
        const principal = (who: string, minter: string | undefined) =>
          new Set([who, policy.identities.get(who)?.owner, minter].filter((m): m is string => m !== undefined));
        principals.push({ who: world.requester, as: 'requester', members: principal(world.requester, undefined) });
        for (const [actor, as, minterIndex] of world.attempts) {
          if ((as === 'provisioner' && request.provisioner) || (as === 'certifier' && request.certifier)) continue;
          const minter = minterIndex < 0 ? undefined : humans[minterIndex];
          const links = minter === undefined ? [] : [{ identity: actor, member: minter, link: 'minter' as const }];
          const acting = { ...request, principalLinks: [...(request.principalLinks ?? []), ...links] };
          const decision = checkLifecycleActor({
            request: acting,
            actor,
            as,
            policy,
            duties,
            exceptions: [],
            now: NOW,
          });
          if (!decision.allowed) continue;
          request = { ...record(request, actor, as), principalLinks: acting.principalLinks };
          principals.push({ who: actor, as, members: principal(actor, minter) });
        }
        for (const a of principals) {
          for (const b of principals) {
            if (a === b || a.who === b.who) continue;
            const conflicting = a.as !== b.as || a.as === 'approver';
            if (!conflicting) continue;
            expect([...a.members].filter((m) => b.members.has(m))).toEqual([]);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
