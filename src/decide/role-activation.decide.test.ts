import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi, step } from '../../test/factories/policy.factory.js';
import { compileOrThrow, makeProfile } from '../../test/factories/profile.factory.js';
import type { PolicySet, Role, RoleActivationPolicy } from '../policy/model.js';
import { DutyIndex, type RoleActivation } from './duties.js';
import {
  checkRoleCanceller,
  checkRoleRevoker,
  mayReadAllRoleActivations,
  mayReadRoleActivation,
} from './role-activation-actors.decide.js';
import {
  DEFAULT_ROLE_RULE,
  decideRoleApproval,
  evaluateRoleActivation,
  type RoleActivationInput,
  type RoleActivationRecord,
} from './role-activation.decide.js';

const now = Date.UTC(2026, 0, 15, 9, 0, 0);

const base = makePolicy({
  identities: [
    human('eve', ['platform']),
    human('sam', ['security']),
    human('olga', ['dba']),
    human('dora', ['dba', 'platform']),
    human('gone', ['security'], { disabled: true }),
    nhi('bot', 'sam'),
  ],
  profiles: [makeProfile({ name: 'orders-prod' }), makeProfile({ name: 'billing-prod' })],
  roles: [
    {
      name: 'break-fix',
      duties: ['request', 'administer'],
      profiles: '*',
      subjects: ['identity:eve'],
      assignment: 'eligible',
    },
    {
      name: 'orders-responder',
      duties: ['request'],
      profiles: ['orders-prod'],
      subjects: ['identity:eve', 'identity:bot'],
      assignment: 'eligible',
    },
    { name: 'standing-reader', duties: ['request'], profiles: ['orders-prod'], subjects: ['identity:olga'] },
    { name: 'security-approver', duties: ['approve', 'audit'], profiles: '*', subjects: ['group:security'] },
    { name: 'orders-approver', duties: ['approve'], profiles: ['orders-prod'], subjects: ['group:dba'] },
  ],
});

const ownRules: RoleActivationPolicy = {
  maxDurationSeconds: 2 * 3600,
  requireJustification: false,
  pendingTimeoutSeconds: 3600,
  approval: [
    {
      name: 'humans-short',
      when: compileOrThrow('requester.kind == "human" && request.duration <= duration("15m")', 'role'),
      outcome: { type: 'auto' },
    },
    {
      name: 'not-for-long',
      when: compileOrThrow('request.duration > duration("1h")', 'role'),
      outcome: { type: 'deny', message: 'one hour at most' },
    },
    { name: 'independent-dba', outcome: { type: 'steps', steps: [step(['group:dba'], 1, true)] } },
  ],
};

/** The base policy, with `orders-responder` decided by its own rules. */
const policy: PolicySet = {
  ...base,
  roles: new Map(
    [...base.roles].map(([name, role]): [string, Role] => [
      name,
      name === 'orders-responder' ? { ...role, activation: ownRules } : role,
    ]),
  ),
};

const ctx = (activations: RoleActivation[] = []) => ({
  policy,
  duties: new DutyIndex(policy, now, [], activations),
  now,
});

const ask = (input: Partial<RoleActivationInput>, activations: RoleActivation[] = []) =>
  evaluateRoleActivation(ctx(activations), {
    requester: 'eve',
    role: 'break-fix',
    durationSeconds: 1800,
    justification: 'INC-1',
    ...input,
  });

describe('evaluateRoleActivation', () => {
  it.each([
    ['a role without rules waits for one approver over the whole role', {}, 'pending', DEFAULT_ROLE_RULE],
    ['an unknown role is invalid', { role: 'nope' }, 'invalid', undefined],
    ['an identity not eligible for the role is forbidden', { requester: 'olga' }, 'forbidden', undefined],
    [
      'a role held standing has nothing to activate',
      { requester: 'olga', role: 'standing-reader' },
      'invalid',
      undefined,
    ],
    ['longer than the role allows is invalid', { durationSeconds: 7200 }, 'invalid', undefined],
    ['no justification where the role requires one is invalid', { justification: '' }, 'invalid', undefined],
    [
      "the role's own auto rule for a short human activation",
      { role: 'orders-responder', durationSeconds: 600 },
      'auto_approved',
      'humans-short',
    ],
    ["the role's own deny rule", { role: 'orders-responder', durationSeconds: 5400 }, 'denied', 'not-for-long'],
    ["the role's own steps", { role: 'orders-responder', durationSeconds: 1800 }, 'pending', 'independent-dba'],
    [
      'a non-human never matches the human auto rule',
      { requester: 'bot', role: 'orders-responder', durationSeconds: 600 },
      'pending',
      'independent-dba',
    ],
  ] as const)('%s', (_story, input, outcome, rule) => {
    const result = ask(input);
    expect(result.outcome, JSON.stringify(result.reasons)).toBe(outcome);
    if (rule !== undefined) expect(result).toMatchObject({ rule });
  });

  it('a role that is already active is not activated twice', () => {
    const result = ask({}, [{ identity: 'eve', role: 'break-fix', expiresAt: now + 60_000 }]);
    expect(result.reasons.map((r) => r.code)).toEqual(['role.already_active']);
  });
});

const pendingRecord = (overrides: Partial<RoleActivationRecord> = {}): RoleActivationRecord => ({
  id: 'rol_1',
  requester: 'eve',
  role: 'break-fix',
  durationSeconds: 1800,
  status: 'pending',
  matchedRule: DEFAULT_ROLE_RULE,
  steps: [{ from: [], count: 1, independent: false }],
  approvals: [],
  createdAt: now,
  pendingUntil: now + 3600_000,
  ...overrides,
});

const responder = pendingRecord({
  role: 'orders-responder',
  matchedRule: 'independent-dba',
  steps: [step(['group:dba'], 1, true)],
});

describe('decideRoleApproval', () => {
  it.each([
    ['an approver over every profile activates a default-rule role', pendingRecord(), 'sam', 'active', undefined],
    ['the requester never approves her own activation', pendingRecord(), 'eve', 'refused', 'sod.own_request'],
    [
      "an NHI's owner never approves its activation",
      pendingRecord({ requester: 'bot', role: 'orders-responder' }),
      'sam',
      'refused',
      'sod.own_request',
    ],
    [
      'approve on one profile does not cover a role over every profile',
      pendingRecord(),
      'olga',
      'refused',
      'approver.does_not_cover_role',
    ],
    ['a disabled approver does not count', pendingRecord(), 'gone', 'refused', 'approver.disabled'],
    ["a step's group and independence apply", responder, 'olga', 'active', undefined],
    [
      'an approver sharing a group with the requester is not independent',
      responder,
      'dora',
      'refused',
      'approver.not_independent',
    ],
    [
      'an approver outside the step is refused even with approve over the role',
      responder,
      'sam',
      'refused',
      'approver.not_in_step',
    ],
    [
      'a decided activation is not approved again',
      pendingRecord({ status: 'active' }),
      'sam',
      'refused',
      'role_activation.not_pending',
    ],
  ] as const)('%s', (_story, record, approver, outcome, code) => {
    const result = decideRoleApproval(ctx(), record, approver);
    expect(result.outcome === 'counted' ? result.nextState : result.outcome).toBe(outcome);
    if (code !== undefined) expect(result.reasons.map((r) => r.code)).toContain(code);
  });

  it('an identity that is no longer eligible is not activated', () => {
    const noLonger = { ...policy, assignments: policy.assignments.filter((a) => a.role !== 'break-fix') };
    const result = decideRoleApproval(
      { policy: noLonger, duties: new DutyIndex(noLonger, now), now },
      pendingRecord(),
      'sam',
    );
    expect(result.reasons.map((r) => r.code)).toContain('requester.not_eligible');
  });
});

describe('ending and reading role activations', () => {
  it('only the requester cancels a pending activation', () => {
    expect(checkRoleCanceller(pendingRecord(), 'eve')).toEqual([]);
    expect(checkRoleCanceller(pendingRecord(), 'sam').map((r) => r.code)).toEqual(['sod.not_requester']);
  });

  it('the requester or an administrator revokes an active activation', () => {
    const active = pendingRecord({ status: 'active' });
    const withAdmin = ctx([{ identity: 'eve', role: 'break-fix', expiresAt: now + 60_000 }]);
    expect(checkRoleRevoker(ctx(), active, 'eve')).toEqual([]);
    expect(checkRoleRevoker(ctx(), active, 'olga').map((r) => r.code)).toEqual(['role_activation.not_revoker']);
    expect(
      checkRoleRevoker(withAdmin, pendingRecord({ id: 'rol_2', requester: 'dora', status: 'active' }), 'eve'),
    ).toEqual([]);
  });

  it('approvers and auditors read activations of others; an eligible, inactive administrator does not', () => {
    expect(mayReadAllRoleActivations(ctx().duties, 'sam')).toBe(true);
    expect(mayReadAllRoleActivations(ctx().duties, 'eve')).toBe(false);
  });

  it.each([
    ['the requester reads her own', 'eve', 'eve', 'break-fix', true],
    ['an approver over every profile reads a role over every profile', 'sam', 'eve', 'break-fix', true],
    ['an approver over one profile does not read a role over every profile', 'olga', 'eve', 'break-fix', false],
    ['an approver over the profile reads a role over that profile', 'olga', 'eve', 'orders-responder', true],
    ['someone without approve, audit or administer reads none of others', 'eve', 'bot', 'orders-responder', false],
  ] as const)('%s', (_story, viewer, requester, role, allowed) => {
    expect(mayReadRoleActivation(ctx(), viewer, requester, role)).toBe(allowed);
  });
});
