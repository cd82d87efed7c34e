import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import type { RoleSpec } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { Identity, RoleAssignment, SodException, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { checkEvidenceExporter, checkProposedAssignment, exceptionIsActive, scanSod } from './sod.decide.js';

const NOW = 1_800_000_000_000;
const PROFILES = [
  makeProfile({ name: 'pg-prod', labels: { tier: 'data', env: 'prod' } }),
  makeProfile({ name: 'pg-staging', labels: { tier: 'data', env: 'staging' } }),
  makeProfile({ name: 'web-prod', labels: { tier: 'web', env: 'prod' } }),
];

const approveVsProvision = (scope: SodRule['scope']): SodRule => ({
  name: `approvers-do-not-provision-${scope}`,
  scope,
  conflicting: { duties: ['approve', 'provision'] },
});

function policy(roles: readonly RoleSpec[], sodRules: readonly SodRule[], identities?: readonly Identity[]) {
  return makePolicy({
    identities: identities ?? [human('alice', ['dba']), human('bob', ['dba']), human('carol', ['security'])],
    roles,
    sodRules,
    profiles: PROFILES,
  });
}

function exception(overrides: Partial<SodException> = {}): SodException {
  return {
    id: 'exc-1',
    rule: 'approvers-do-not-provision-profile',
    identity: 'alice',
    justification: 'two-person team',
    compensatingControl: 'weekly review of provisioning logs',
    expiresAt: NOW + 86_400_000,
    approvedBy: 'carol',
    ...overrides,
  };
}

describe('scanSod', () => {
  it('finds a profile conflict through a group, naming the holdings that collide', () => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'dba-approver', duties: ['approve'], profiles: ['pg-prod'], subjects: ['group:dba'] },
          { name: 'manual-provisioner', duties: ['provision'], profiles: ['pg-prod'], subjects: ['identity:alice'] },
        ],
        [approveVsProvision('profile')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.unsuppressed).toBe(1);
    const [conflict] = result.conflicts;
    expect(conflict).toMatchObject({
      rule: 'approvers-do-not-provision-profile',
      identity: 'alice',
      profile: 'pg-prod',
    });
    expect(conflict?.holdings.map((holding) => [holding.role, holding.via.type, holding.assignment])).toEqual([
      ['manual-provisioner', 'identity', 'standing'],
      ['dba-approver', 'group', 'standing'],
    ]);
    expect(conflict?.reason.message).toContain("rule 'approvers-do-not-provision-profile'");
  });

  it.each([
    ['profile', 0],
    ['global', 1],
  ] as const)('duties held on different profiles conflict under a %s rule %i time(s)', (scope, count) => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'approver', duties: ['approve'], profiles: ['pg-prod'], subjects: ['identity:alice'] },
          { name: 'provisioner', duties: ['provision'], profiles: ['pg-staging'], subjects: ['identity:alice'] },
        ],
        [approveVsProvision(scope)],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts).toHaveLength(count);
    if (count > 0) expect(result.conflicts[0]?.profile).toBeUndefined();
  });

  it('reports one conflict per profile on which selector and list scopes overlap, in profile order', () => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'approver', duties: ['approve'], selector: { env: 'prod' }, subjects: ['identity:alice'] },
          { name: 'provisioner', duties: ['provision'], subjects: ['identity:alice'] },
        ],
        [approveVsProvision('profile')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts.map((conflict) => conflict.profile)).toEqual(['pg-prod', 'web-prod']);
  });

  it('counts an eligible role as a latent conflict', () => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'approver', duties: ['approve'], subjects: ['identity:alice'] },
          { name: 'jit-provisioner', duties: ['provision'], subjects: ['identity:alice'], assignment: 'eligible' },
        ],
        [approveVsProvision('global')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts[0]?.holdings.map((holding) => holding.assignment)).toEqual(['standing', 'eligible']);
  });

  it('flags a single role that carries two conflicting duties', () => {
    const result = scanSod({
      policy: policy(
        [{ name: 'god', duties: ['approve', 'provision'], subjects: ['identity:bob'] }],
        [approveVsProvision('global')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts.map((conflict) => [conflict.identity, conflict.holdings.length])).toEqual([['bob', 2]]);
  });

  it.each([
    ['an expired assignment', { expiresAt: NOW - 1 }, []],
    ['a disabled identity', {}, [human('alice', ['dba'], { disabled: true })]],
  ])('ignores %s', (_label, extra, identities) => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'approver', duties: ['approve'], subjects: ['identity:alice'] },
          { name: 'provisioner', duties: ['provision'], subjects: ['identity:alice'], ...extra },
        ],
        [approveVsProvision('global')],
        identities.length > 0 ? identities : undefined,
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts).toEqual([]);
  });

  it.each([
    ['overlapping scopes under a profile rule', 'profile', ['pg-prod'], ['pg-prod', 'web-prod'], ['pg-prod']],
    ['disjoint scopes under a profile rule', 'profile', ['pg-prod'], ['web-prod'], []],
    ['disjoint scopes under a global rule', 'global', ['pg-prod'], ['web-prod'], [undefined]],
  ] as const)('checks role pairs with %s', (_label, scope, dbaProfiles, auditorProfiles, expected) => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'dba-admin', duties: ['use'], profiles: dbaProfiles, subjects: ['group:dba'] },
          { name: 'auditor', duties: ['audit', 'use'], profiles: auditorProfiles, subjects: ['identity:alice'] },
        ],
        [{ name: 'dba-not-auditor', scope, conflicting: { roles: ['dba-admin', 'auditor'] } }],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts.map((conflict) => conflict.profile)).toEqual(expected);
    // One holding per assignment, not one per duty of the role.
    if (expected.length > 0) expect(result.conflicts[0]?.holdings).toHaveLength(2);
  });

  it('does not treat one role reaching an identity twice as a role-pair conflict', () => {
    const result = scanSod({
      policy: policy(
        [{ name: 'dba-admin', duties: ['use'], subjects: ['group:dba', 'identity:alice'] }],
        [{ name: 'dba-not-auditor', scope: 'global', conflicting: { roles: ['dba-admin', 'auditor'] } }],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.conflicts).toEqual([]);
  });

  it('leaves request-scoped rules to the lifecycle check', () => {
    const result = scanSod({
      policy: policy(
        [{ name: 'god', duties: ['approve', 'provision'], subjects: ['identity:bob'] }],
        [approveVsProvision('request')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result).toMatchObject({ conflicts: [], rules: 0 });
  });

  it.each([
    ['approved by someone else and unexpired', {}, 'exc-1'],
    ['awaiting approval', { approvedBy: undefined }, undefined],
    ['approved by its own beneficiary', { approvedBy: 'alice' }, undefined],
    ['expired', { expiresAt: NOW - 1 }, undefined],
    ['expiring exactly now', { expiresAt: NOW }, undefined],
    ['for another identity', { identity: 'bob' }, undefined],
    ['for another rule', { rule: 'something-else' }, undefined],
  ])('an exception %s suppresses: %s', (_label, overrides, suppressedBy) => {
    const result = scanSod({
      policy: policy(
        [
          { name: 'approver', duties: ['approve'], subjects: ['identity:alice'] },
          { name: 'provisioner', duties: ['provision'], profiles: ['pg-prod'], subjects: ['identity:alice'] },
        ],
        [approveVsProvision('profile')],
      ),
      exceptions: [exception(overrides)],
      now: NOW,
    });
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]?.suppressedBy).toBe(suppressedBy);
    expect([result.suppressed, result.unsuppressed]).toEqual(suppressedBy ? [1, 0] : [0, 1]);
    expect(result.conflicts[0]?.reason.code).toBe(suppressedBy ? 'sod.conflict_suppressed' : 'sod.rule_conflict');
  });

  it('orders conflicts by rule, identity and profile whatever the policy order', () => {
    const identities = [human('zed', ['dba']), human('amy', ['dba'])];
    const roles: RoleSpec[] = [
      { name: 'approver', duties: ['approve', 'certify'], subjects: ['group:dba'] },
      { name: 'provisioner', duties: ['provision', 'administer'], subjects: ['group:dba'] },
    ];
    const rules: SodRule[] = [
      { name: 'b-rule', scope: 'profile', conflicting: { duties: ['approve', 'provision'] } },
      { name: 'a-rule', scope: 'global', conflicting: { duties: ['certify', 'administer'] } },
    ];
    const result = scanSod({ policy: policy(roles, rules, identities), exceptions: [], now: NOW });
    expect(result.conflicts.map((c) => `${c.rule}/${c.identity}/${c.profile ?? '-'}`)).toEqual([
      'a-rule/amy/-',
      'a-rule/zed/-',
      'b-rule/amy/pg-prod',
      'b-rule/amy/pg-staging',
      'b-rule/amy/web-prod',
      'b-rule/zed/pg-prod',
      'b-rule/zed/pg-staging',
      'b-rule/zed/web-prod',
    ]);
  });

  it('reports a non-human identity that holds a human-only duty', () => {
    const result = scanSod({
      policy: policy(
        [{ name: 'approver', duties: ['approve', 'use'], subjects: ['group:ci'] }],
        [],
        [human('alice'), nhi('deploy-bot', 'alice', ['ci'], 'pipeline')],
      ),
      exceptions: [],
      now: NOW,
    });
    expect(result.humanOnly.map((violation) => [violation.identity, violation.holding.duty])).toEqual([
      ['deploy-bot', 'approve'],
    ]);
  });
});

describe('checkProposedAssignment', () => {
  const base = policy(
    [
      { name: 'approver', duties: ['approve'], profiles: ['pg-prod'], subjects: ['identity:alice'] },
      { name: 'provisioner', duties: ['provision'], profiles: ['pg-prod'] },
      { name: 'staging-provisioner', duties: ['provision'], profiles: ['pg-staging'] },
      { name: 'reviewer', duties: ['certify'] },
    ],
    [approveVsProvision('profile')],
    [human('alice', ['dba']), human('bob', ['dba']), nhi('deploy-bot', 'alice', ['ci'])],
  );
  const assign = (
    role: string,
    subject: RoleAssignment['subject'],
    extra: Partial<RoleAssignment> = {},
  ): RoleAssignment => ({
    id: 'new-1',
    role,
    subject,
    assignment: 'standing',
    source: 'api',
    ...extra,
  });

  it('refuses a group assignment that would give one member conflicting duties, naming the rule', () => {
    const result = checkProposedAssignment(
      { policy: base, exceptions: [], now: NOW },
      assign('provisioner', { type: 'group', name: 'dba' }),
    );
    expect(result.allowed).toBe(false);
    expect(result.violatedRules).toEqual(['approvers-do-not-provision-profile']);
    expect(result.conflicts.map((conflict) => conflict.identity)).toEqual(['alice']);
    expect(result.reasons[0]?.message).toBe(
      "assigning role 'provisioner' to group 'dba': 'alice' holds conflicting duties 'approve' and 'provision' on profile 'pg-prod', which rule 'approvers-do-not-provision-profile' forbids",
    );
  });

  it.each([
    [
      'an eligible assignment',
      assign('provisioner', { type: 'identity', name: 'alice' }, { assignment: 'eligible' }),
      false,
    ],
    ['a role on another profile', assign('staging-provisioner', { type: 'identity', name: 'alice' }), true],
    ['an identity with no conflicting duty', assign('provisioner', { type: 'identity', name: 'bob' }), true],
    [
      'an assignment that has already expired',
      assign('provisioner', { type: 'identity', name: 'alice' }, { expiresAt: NOW }),
      true,
    ],
  ])('decides %s: allowed %s', (_label, proposed, allowed) => {
    expect(checkProposedAssignment({ policy: base, exceptions: [], now: NOW }, proposed).allowed).toBe(allowed);
  });

  it('allows a conflict an active exception suppresses, and says so', () => {
    const result = checkProposedAssignment(
      { policy: base, exceptions: [exception()], now: NOW },
      assign('provisioner', { type: 'identity', name: 'alice' }),
    );
    expect(result.allowed).toBe(true);
    expect(result.conflicts[0]?.suppressedBy).toBe('exc-1');
    expect(result.reasons.map((r) => r.code)).toEqual(['sod.conflict_suppressed', 'sod.no_conflict']);
  });

  it('refuses a human-only duty reaching a non-human identity through a group', () => {
    const result = checkProposedAssignment(
      { policy: base, exceptions: [], now: NOW },
      assign('reviewer', { type: 'group', name: 'ci' }),
    );
    expect(result.allowed).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual(['sod.human_only_duty']);
  });

  it('counts API assignments kept beside the policy', () => {
    const api = assign('provisioner', { type: 'identity', name: 'bob' }, { id: 'api-7' });
    const proposed = assign('approver', { type: 'identity', name: 'bob' });
    const ctx = { policy: base, exceptions: [], now: NOW };
    expect(checkProposedAssignment(ctx, proposed).allowed).toBe(true);
    const refused = checkProposedAssignment({ ...ctx, extraAssignments: [api] }, proposed);
    expect(refused.conflicts[0]?.holdings.map((holding) => holding.assignmentId)).toEqual(['api-7', 'new-1']);
  });

  it('refuses an unknown role', () => {
    const result = checkProposedAssignment(
      { policy: base, exceptions: [], now: NOW },
      assign('ghost', { type: 'identity', name: 'bob' }),
    );
    expect(result).toMatchObject({ allowed: false, reasons: [{ code: 'sod.unknown_role' }] });
  });

  it('does not blame an assignment for a conflict it takes no part in', () => {
    const conflicted = makePolicy({
      identities: [human('alice')],
      roles: [
        { name: 'god', duties: ['approve', 'provision'], subjects: ['identity:alice'] },
        { name: 'reader', duties: ['use'] },
      ],
      sodRules: [approveVsProvision('global')],
      profiles: PROFILES,
    });
    const ctx = { policy: conflicted, duties: new DutyIndex(conflicted, NOW), exceptions: [], now: NOW };
    expect(checkProposedAssignment(ctx, assign('reader', { type: 'identity', name: 'alice' })).allowed).toBe(true);
    expect(
      checkProposedAssignment(ctx, assign('god', { type: 'identity', name: 'alice' }, { id: 'again' })).allowed,
    ).toBe(false);
  });
});

describe('checkEvidenceExporter', () => {
  const exporters = policy(
    [
      { name: 'auditor', duties: ['audit'], subjects: ['identity:alice', 'identity:bob', 'identity:carol'] },
      { name: 'admin', duties: ['administer'], subjects: ['identity:bob'] },
      { name: 'jit-admin', duties: ['administer'], subjects: ['identity:carol'], assignment: 'eligible' },
      { name: 'prod-auditor', duties: ['audit'], profiles: ['pg-prod'], subjects: ['identity:erin'] },
    ],
    [],
    [human('alice'), human('bob'), human('carol'), human('dave'), human('erin')],
  );
  const duties = new DutyIndex(exporters, NOW);

  it.each([
    ['alice', true, ['sod.exporter_ok']],
    ['bob', false, ['sod.exporter_administers']],
    ['carol', false, ['sod.exporter_administers']],
    ['dave', false, ['sod.exporter_not_auditor']],
    ['erin', false, ['sod.exporter_scoped_auditor']],
  ])('%s may export evidence: %s', (identity, allowed, codes) => {
    const result = checkEvidenceExporter(duties, identity);
    expect(result.allowed).toBe(allowed);
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });
});

describe('exceptionIsActive', () => {
  it('needs an approver other than the beneficiary and an expiry in the future', () => {
    expect(exceptionIsActive(exception(), NOW)).toBe(true);
    expect(exceptionIsActive(exception({ approvedBy: 'alice' }), NOW)).toBe(false);
    expect(exceptionIsActive(exception({ expiresAt: NOW }), NOW)).toBe(false);
  });
});
