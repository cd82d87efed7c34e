import { describe, expect, it } from 'vitest';
import { human, makePolicy, makeRequestRecord, nhi } from '../../test/factories/policy.factory.js';
import type { RoleSpec } from '../../test/factories/policy.factory.js';
import type { SodException, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { LifecycleRole } from './sod-lifecycle.decide.js';
import type { RequestRecord } from './types.js';

const NOW = 1_800_000_000_000;

function approval(approver: string) {
  return { approver, step: 0, at: NOW - 1000, digest: 'd' };
}

function check(
  request: RequestRecord,
  actor: string,
  as: LifecycleRole,
  setup: { roles?: readonly RoleSpec[]; sodRules?: readonly SodRule[]; exceptions?: readonly SodException[] } = {},
) {
  const policy = makePolicy({
    identities: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => human(name)),
    roles: setup.roles ?? [],
    sodRules: setup.sodRules ?? [],
  });
  const duties = new DutyIndex(policy, NOW);
  return checkLifecycleActor({ request, actor, as, policy, duties, exceptions: setup.exceptions ?? [], now: NOW });
}

const approved = makeRequestRecord({ requester: 'alice', approvals: [approval('bob')], provisioner: 'erin' });

describe('checkLifecycleActor built-in rules', () => {
  it.each([
    ['the requester as requester', 'alice', 'requester', 'sod.lifecycle_ok'],
    ['someone else as requester', 'dave', 'requester', 'sod.not_requester'],
    ['the requester as approver', 'alice', 'approver', 'sod.own_request'],
    ['the requester as provisioner', 'alice', 'provisioner', 'sod.own_request'],
    ['the requester as certifier', 'alice', 'certifier', 'sod.own_request'],
    ['an approver approving again', 'bob', 'approver', 'sod.duplicate_approval'],
    ['an approver as provisioner', 'bob', 'provisioner', 'sod.lifecycle_roles'],
    ['an approver as certifier', 'bob', 'certifier', 'sod.lifecycle_roles'],
    ['the provisioner as approver', 'erin', 'approver', 'sod.lifecycle_roles'],
    ['the provisioner as certifier', 'erin', 'certifier', 'sod.lifecycle_roles'],
    ['the provisioner provisioning again', 'erin', 'provisioner', 'sod.lifecycle_ok'],
    ['a fresh identity as second approver', 'carol', 'approver', 'sod.lifecycle_ok'],
    ['a fresh identity as certifier', 'dave', 'certifier', 'sod.lifecycle_ok'],
    ['system:executor as provisioner', 'system:executor', 'provisioner', 'sod.lifecycle_ok'],
    ['system:policy as approver', 'system:policy', 'approver', 'sod.lifecycle_ok'],
    ['system:executor as approver', 'system:executor', 'approver', 'sod.system_actor'],
    ['system:policy as certifier', 'system:policy', 'certifier', 'sod.system_actor'],
    ['system:scheduler as provisioner', 'system:scheduler', 'provisioner', 'sod.system_actor'],
  ] as const)('%s: %s as %s gives %s', (_label, actor, as, code) => {
    const result = check(approved, actor, as);
    expect(result.allowed).toBe(code === 'sod.lifecycle_ok');
    expect(result.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('names the request and both lifecycle roles in the refusal', () => {
    const result = check(approved, 'bob', 'certifier');
    expect(result.reasons[0]?.message).toBe(
      "'bob' already acted as approver of request 'req-1' and may not also act as its certifier",
    );
  });

  it('cannot be suppressed by an exception', () => {
    const exception: SodException = {
      id: 'exc-1',
      rule: 'anything',
      identity: 'bob',
      justification: 'tiny team',
      compensatingControl: 'none',
      expiresAt: NOW + 1000,
      approvedBy: 'carol',
    };
    expect(check(approved, 'bob', 'certifier', { exceptions: [exception] }).allowed).toBe(false);
  });
});

describe('checkLifecycleActor configured request rules', () => {
  const denied = makeRequestRecord({
    requester: 'alice',
    otherActors: [
      { identity: 'dave', duty: 'approve' },
      { identity: 'carol', duty: 'revoke' },
    ],
  });
  const rule: SodRule = {
    name: 'deciders-do-not-certify',
    scope: 'request',
    conflicting: { duties: ['approve', 'certify'] },
  };
  const exception: SodException = {
    id: 'exc-7',
    rule: 'deciders-do-not-certify',
    identity: 'dave',
    justification: 'sole reviewer on call',
    compensatingControl: 'second look next morning',
    expiresAt: NOW + 1000,
    approvedBy: 'carol',
  };

  it('refuses a duty that a request rule separates from one the actor already exercised, naming the rule', () => {
    const result = check(denied, 'dave', 'certifier', { sodRules: [rule] });
    expect(result.allowed).toBe(false);
    expect(result.reasons).toEqual([
      {
        code: 'sod.rule_conflict',
        message:
          "'dave' already exercised 'approve' in the lifecycle of request 'req-1' and may not also exercise 'certify', which rule 'deciders-do-not-certify' forbids",
      },
    ]);
  });

  it.each([
    ['an active exception for that rule and actor', exception, true],
    ['an exception approved by its beneficiary', { ...exception, approvedBy: 'dave' }, false],
    ['an expired exception', { ...exception, expiresAt: NOW }, false],
  ])('lets %s through: %s', (_label, given, allowed) => {
    const result = check(denied, 'dave', 'certifier', { sodRules: [rule], exceptions: [given] });
    expect(result.allowed).toBe(allowed);
    if (allowed) expect(result.reasons.map((r) => r.code)).toEqual(['sod.conflict_suppressed', 'sod.lifecycle_ok']);
  });

  it('ignores duties outside the rule, actions outside the vocabulary, and static rules', () => {
    const staticRule: SodRule = { ...rule, name: 'static', scope: 'global' };
    expect(check(denied, 'dave', 'provisioner', { sodRules: [rule, staticRule] }).allowed).toBe(true);
    expect(check(denied, 'carol', 'certifier', { sodRules: [rule] }).allowed).toBe(true);
    expect(check(denied, 'dave', 'certifier', { sodRules: [staticRule] }).allowed).toBe(true);
  });

  describe('role pairs', () => {
    const provisioned = makeRequestRecord({
      requester: 'alice',
      otherActors: [{ identity: 'dave', duty: 'provision' }],
    });
    const roleRule: SodRule = {
      name: 'ops-not-reviewer',
      scope: 'request',
      conflicting: { roles: ['ops', 'reviewer'] },
    };

    it.each([
      [
        'through one role after exercising a duty through the other',
        [
          { name: 'ops', duties: ['provision'], subjects: ['identity:dave'] },
          { name: 'reviewer', duties: ['certify'], subjects: ['identity:dave'] },
        ],
        false,
      ],
      [
        'through the same role that gave the earlier duty',
        [{ name: 'ops', duties: ['provision', 'certify'], subjects: ['identity:dave'] }],
        true,
      ],
      [
        'through a role outside the rule',
        [
          { name: 'ops', duties: ['provision'], subjects: ['identity:dave'] },
          { name: 'qa', duties: ['certify'], subjects: ['identity:dave'] },
        ],
        true,
      ],
    ] satisfies [string, RoleSpec[], boolean][])('acting %s is allowed: %s', (_label, roles, allowed) => {
      const result = check(provisioned, 'dave', 'certifier', { roles, sodRules: [roleRule] });
      expect(result.allowed).toBe(allowed);
      if (!allowed) expect(result.reasons[0]?.message).toContain("rule 'ops-not-reviewer'");
    });
  });
});

describe('checkLifecycleActor: an NHI, its owner and its token minter are one principal', () => {
  // bot is a service owned by olga; pat minted a token bot acted with when it requested (a recorded link).
  const policy = makePolicy({
    identities: [...['olga', 'pat', 'quin', 'ruth'].map((name) => human(name)), nhi('bot', 'olga')],
  });
  const duties = new DutyIndex(policy, NOW);
  const botRequest = makeRequestRecord({
    requester: 'bot',
    approvals: [approval('quin')],
    principalLinks: [{ identity: 'bot', member: 'pat', link: 'minter' }],
  });
  const principalCheck = (
    request: RequestRecord,
    actor: string,
    as: LifecycleRole,
    extra: { narrowing?: boolean } = {},
  ) => checkLifecycleActor({ request, actor, as, policy, duties, exceptions: [], now: NOW, ...extra });

  it.each([
    ["the NHI's owner as approver", 'olga', 'approver', false],
    ["the NHI's owner as provisioner", 'olga', 'provisioner', false],
    ["the NHI's owner as certifier", 'olga', 'certifier', false],
    ["the minter of the NHI's token as approver", 'pat', 'approver', false],
    ["the minter of the NHI's token as certifier", 'pat', 'certifier', false],
    ['an unrelated human as certifier', 'ruth', 'certifier', true],
    ['an unrelated human as second approver', 'ruth', 'approver', true],
    ['the NHI using its own grant', 'bot', 'requester', true],
  ] as const)('%s: %s as %s', (_label, actor, as, allowed) => {
    const result = principalCheck(botRequest, actor, as);
    expect(result.allowed).toBe(allowed);
    if (!allowed) expect(result.reasons.map((r) => r.code)).toContain('sod.same_principal');
  });

  it('an NHI acting with a token minted by its approver may not use the grant, but may give it up', () => {
    const withApproverToken = {
      ...botRequest,
      principalLinks: [
        ...(botRequest.principalLinks ?? []),
        { identity: 'bot', member: 'quin', link: 'minter' as const },
      ],
    };
    const use = principalCheck(withApproverToken, 'bot', 'requester');
    expect(use.allowed).toBe(false);
    expect(use.reasons[0]?.message).toBe(
      "'bot' and 'quin' count as one principal ('quin' minted the token 'bot' acts with): 'quin' acted as approver of request 'req-1', so 'bot' may not act as its requester",
    );
    expect(principalCheck(withApproverToken, 'bot', 'requester', { narrowing: true }).allowed).toBe(true);
  });

  it('a human whose token was minted by an earlier approver counts as that approver: an approval per principal', () => {
    const request = makeRequestRecord({
      requester: 'ruth',
      approvals: [approval('quin')],
      principalLinks: [{ identity: 'pat', member: 'quin', link: 'minter' }],
    });
    expect(principalCheck(request, 'pat', 'approver').allowed).toBe(false);
    expect(principalCheck(request, 'olga', 'approver').allowed).toBe(true);
  });

  it("the NHI's owner when it acted still counts after the owner changed", () => {
    const request = makeRequestRecord({
      requester: 'bot',
      principalLinks: [{ identity: 'bot', member: 'ruth', link: 'owner' }],
    });
    const result = principalCheck(request, 'ruth', 'approver');
    expect(result.allowed).toBe(false);
    expect(result.reasons[0]?.message).toContain("'ruth' owned 'bot' when it acted");
  });
});
