import { describe, expect, it } from 'vitest';
import { compileExpression } from '../policy/cel.js';
import type { ApprovalRule, ApprovalStep, CompiledExpression } from '../policy/model.js';
import { describeApproval, describeApprovalRule } from '../decide/policy-explain.js';

function when(source: string): CompiledExpression {
  const compiled = compileExpression(source, 'approval');
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.expression;
}

const dba: ApprovalStep = { from: [{ type: 'group', name: 'dba' }], count: 1, independent: true };
const security: ApprovalStep = { from: [{ type: 'group', name: 'security' }], count: 1, independent: false };
const owners: ApprovalStep = {
  from: [{ type: 'owners' }, { type: 'role', name: 'dba-admin' }],
  count: 2,
  independent: false,
};

describe('approval rules in words', () => {
  it.each<[string, ApprovalRule, string]>([
    ['an unconditional auto rule', { name: 'r', outcome: { type: 'auto' } }, 'auto'],
    [
      'a conditional auto rule quotes its condition',
      { name: 'r', when: when('requester.kind == "human"'), outcome: { type: 'auto' } },
      'auto when requester.kind == "human"',
    ],
    [
      'a deny rule gives its message',
      { name: 'r', when: when('resource.drift.high > 0'), outcome: { type: 'deny', message: 'fix the drift first' } },
      'deny when resource.drift.high > 0: fix the drift first',
    ],
    [
      'steps are joined with "then" and independence is spelled out',
      { name: 'r', outcome: { type: 'steps', steps: [dba, security] } },
      '1 approval from group:dba (independent), then 1 from group:security',
    ],
    [
      'a step with several sources and a count of two',
      { name: 'r', outcome: { type: 'steps', steps: [owners] } },
      '2 approvals from owners or role:dba-admin',
    ],
    [
      'conditional steps say when they apply',
      { name: 'r', when: when('request.breakGlass'), outcome: { type: 'steps', steps: [security] } },
      '1 approval from group:security when request.breakGlass',
    ],
  ])('%s', (_what, rule, sentence) => {
    expect(describeApprovalRule(rule)).toBe(sentence);
  });

  it('spells out who the owners are when the profile is known', () => {
    const rule: ApprovalRule = { name: 'r', outcome: { type: 'steps', steps: [owners] } };
    expect(describeApprovalRule(rule, [{ type: 'group', name: 'payments' }])).toBe(
      '2 approvals from owners (group:payments) or role:dba-admin',
    );
  });

  it('names each rule and adds the implicit deny when the last rule is conditional', () => {
    const rules: ApprovalRule[] = [
      { name: 'short-reads', when: when('request.duration <= duration("1h")'), outcome: { type: 'auto' } },
    ];
    expect(describeApproval(rules)).toEqual([
      '[short-reads] auto when request.duration <= duration("1h")',
      'otherwise: deny (no rule matched)',
    ]);
  });

  it('adds no implicit deny when the last rule always applies', () => {
    const rules: ApprovalRule[] = [{ name: 'rule-1', outcome: { type: 'steps', steps: [dba] } }];
    expect(describeApproval(rules)).toEqual(['[rule-1] 1 approval from group:dba (independent)']);
  });
});
