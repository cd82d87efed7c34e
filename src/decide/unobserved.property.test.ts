/**
 * Property: on a resource never observed, no approval policy auto-approves through a rule that reads drift or
 * configuration, nor after passing over one (SPEC §2.7: unknown, not clean). Rules are drawn from a small
 * vocabulary of conditions, some reading observed state and some not, with every outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeApprovalRule, makeProfile, makeResource } from '../../test/factories/profile.factory.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import type { ApprovalRule } from '../policy/model.js';
import { matchApprovalRule } from './request.decide.js';
import { NO_DRIFT } from './types.js';

const CONDITIONS = [
  { when: 'resource.drift.high == 0', reads: true },
  { when: 'resource.drift.critical > 0', reads: true },
  { when: 'resource.config.?ssl.orValue("on") == "on"', reads: true },
  { when: 'resource.config.size() == 0', reads: true },
  { when: 'resource.labels.size() >= 0', reads: false },
  { when: '!resource.observed', reads: false },
  { when: 'resource.observed', reads: false },
  { when: undefined, reads: false },
] as const;

const OUTCOMES: ApprovalRule['outcome'][] = [
  { type: 'auto' },
  { type: 'deny', message: 'no' },
  { type: 'steps', steps: [{ from: [{ type: 'owners' }], count: 1, independent: false }] },
];

const rulesArb = fc.array(
  fc.record({ condition: fc.constantFrom(...CONDITIONS), outcome: fc.constantFrom(...OUTCOMES) }),
  { minLength: 1, maxLength: 6 },
);

describe('approval rules on a resource never observed', () => {
  it('never auto-approve through, or after, a rule that reads drift or configuration', () => {
    const resource = makeResource();
    const profile = makeProfile();
    fc.assert(
      fc.property(rulesArb, (drawn) => {
        const rules = drawn.map(({ condition, outcome }, index) =>
          makeApprovalRule({
            name: `r${index}`,
            outcome,
            ...(condition.when === undefined ? {} : { when: condition.when }),
          }),
        );
        const match = matchApprovalRule(
          rules,
          () => buildCelVariables({ resource, profile, state: { drift: NO_DRIFT }, now: 0 }),
          { resource: resource.name, observed: false },
        );
        if (match.kind !== 'matched' || match.rule.outcome.type !== 'auto') return;
        const upTo = drawn.slice(0, rules.indexOf(match.rule) + 1);
        expect(upTo.some(({ condition }) => condition.reads)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
