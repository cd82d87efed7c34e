import { describe, expect, it } from 'vitest';
import { human, makePolicy, type RoleSpec } from '../../test/factories/policy.factory.js';
import type { PolicySet, SodException, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { decidePolicySod, policySodProblems } from './policy-sod.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const rule: SodRule = {
  name: 'approvers-do-not-provision',
  scope: 'profile',
  conflicting: { duties: ['approve', 'provision'] },
  position: { file: 'sod.yaml', line: 3, col: 17 },
};
const approver: RoleSpec = { name: 'approver', duties: ['approve'], subjects: ['group:ops'] };
const provisioner = (subjects: readonly string[]): RoleSpec => ({
  name: 'provisioner',
  duties: ['provision'],
  subjects,
});

function world(provisioners: readonly string[]): PolicySet {
  return makePolicy({
    identities: [human('ann', ['ops']), human('bo', ['ops']), human('cy')],
    roles: [approver, provisioner(provisioners)],
    sodRules: [rule],
  });
}
const indexed = (policy: PolicySet) => ({ policy, duties: new DutyIndex(policy, NOW) });
const exceptionFor = (identity: string, overrides: Partial<SodException> = {}): SodException => ({
  id: `exc-${identity}`,
  rule: rule.name,
  identity,
  justification: 'small team',
  compensatingControl: 'weekly review',
  expiresAt: NOW + 86_400_000,
  approvedBy: 'cy',
  ...overrides,
});

describe('static SoD on a whole proposed policy', () => {
  it.each([
    ['a policy without conflicts passes', ['identity:cy'], [], [], true, []],
    [
      'a new conflict is refused, naming the rule and the identity',
      ['identity:cy'],
      ['identity:ann'],
      [],
      false,
      ['ann'],
    ],
    ['a conflict already in force is left to the detective scan', ['identity:ann'], ['identity:ann'], [], true, []],
    ['only the new one of several conflicts is refused', ['identity:ann'], ['group:ops'], [], false, ['bo']],
    [
      'an approved, unexpired exception suppresses it',
      ['identity:cy'],
      ['identity:ann'],
      [exceptionFor('ann')],
      true,
      [],
    ],
    [
      'an exception the beneficiary approved suppresses nothing',
      ['identity:cy'],
      ['identity:ann'],
      [exceptionFor('ann', { approvedBy: 'ann' })],
      false,
      ['ann'],
    ],
    [
      'an expired exception suppresses nothing',
      ['identity:cy'],
      ['identity:ann'],
      [exceptionFor('ann', { expiresAt: NOW })],
      false,
      ['ann'],
    ],
  ] as const)('%s', (_title, before, after, exceptions, allowed, identities) => {
    const decision = decidePolicySod({
      inForce: indexed(world(before)),
      proposed: indexed(world(after)),
      exceptions,
      now: NOW,
    });
    expect(decision.allowed).toBe(allowed);
    expect(decision.conflicts.map((c) => c.identity)).toEqual(identities);
    if (!allowed) {
      expect(decision.reasons[0]?.code).toBe('sod.rule_conflict');
      expect(decision.reasons[0]?.message).toContain(`rule '${rule.name}'`);
    }
  });

  it('with nothing in force, every conflict is new', () => {
    expect(decidePolicySod({ proposed: indexed(world(['identity:ann'])), exceptions: [], now: NOW }).allowed).toBe(
      false,
    );
  });

  it('offline, each conflict is a problem at the rule that forbids it', () => {
    expect(policySodProblems(world(['identity:ann']), NOW)).toEqual([
      {
        file: 'sod.yaml',
        line: 3,
        col: 17,
        message: expect.stringMatching(/^'ann' holds conflicting duties 'approve' and 'provision'/),
      },
    ]);
    expect(policySodProblems(world(['identity:cy']), NOW)).toEqual([]);
  });
});
