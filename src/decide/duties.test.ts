import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { RoleAssignment } from '../policy/model.js';
import { DutyIndex, assignmentHoldings, scopeCovers, scopesOverlap } from './duties.js';

const NOW = 1_800_000_000_000;
const prod = makeProfile({ name: 'pg-prod', labels: { tier: 'data', env: 'prod' } });
const staging = makeProfile({ name: 'pg-staging', labels: { tier: 'data', env: 'staging' } });
const web = makeProfile({ name: 'web-prod', labels: { tier: 'web', env: 'prod' } });

function policyWith(spec: Parameters<typeof makePolicy>[0] = {}) {
  return makePolicy({ profiles: [prod, staging, web], ...spec });
}

describe('DutyIndex', () => {
  it('gives a group member the duties of roles assigned to the group, marked as held through the group', () => {
    const policy = policyWith({
      identities: [human('alice', ['dba'])],
      roles: [{ name: 'dba-approver', duties: ['approve', 'use'], subjects: ['group:dba'] }],
    });
    const holdings = new DutyIndex(policy, NOW).holdingsOf('alice');
    expect(holdings.map((holding) => [holding.duty, holding.role, holding.via])).toEqual([
      ['approve', 'dba-approver', { type: 'group', name: 'dba' }],
      ['use', 'dba-approver', { type: 'group', name: 'dba' }],
    ]);
    expect(holdings.every((holding) => holding.identity === 'alice' && holding.assignment === 'standing')).toBe(true);
  });

  it('lists direct assignments before group ones and a group listed twice only once', () => {
    const policy = policyWith({
      identities: [human('alice', ['dba', 'dba'])],
      roles: [
        { name: 'dba-approver', duties: ['approve'], subjects: ['group:dba'] },
        { name: 'requester', duties: ['request'], subjects: ['identity:alice'] },
      ],
    });
    const holdings = new DutyIndex(policy, NOW).holdingsOf('alice');
    expect(holdings.map((holding) => `${holding.role}<-${holding.via.type}`)).toEqual([
      'requester<-identity',
      'dba-approver<-group',
    ]);
  });

  it('keeps one holding per path when the same role reaches an identity directly and through a group', () => {
    const policy = policyWith({
      identities: [human('alice', ['dba'])],
      roles: [{ name: 'approver', duties: ['approve'], subjects: ['identity:alice', 'group:dba'] }],
    });
    const vias = new DutyIndex(policy, NOW).holdingsOf('alice').map((holding) => holding.via.type);
    expect(vias).toEqual(['identity', 'group']);
  });

  it('counts an eligible holding only once activated, or when eligible holdings are asked for', () => {
    const policy = policyWith({
      identities: [human('alice'), human('bob')],
      roles: [
        { name: 'break-fix', duties: ['use'], subjects: ['identity:alice', 'identity:bob'], assignment: 'eligible' },
      ],
    });
    const index = new DutyIndex(policy, NOW, [], [{ identity: 'bob', role: 'break-fix', expiresAt: NOW + 60_000 }]);
    expect(index.holds('alice', 'use', prod)).toBeUndefined();
    expect(index.holds('alice', 'use', prod, { includeEligible: true })?.assignment).toBe('eligible');
    expect(index.holds('bob', 'use', prod)?.role).toBe('break-fix');
    expect(index.holdingsOf('alice')).toHaveLength(1);
  });

  it.each([
    ['an activation that has expired', NOW - 1],
    ['an activation that expires exactly now', NOW],
  ])('ignores %s', (_label, expiresAt) => {
    const policy = policyWith({
      identities: [human('alice')],
      roles: [{ name: 'break-fix', duties: ['use'], subjects: ['identity:alice'], assignment: 'eligible' }],
    });
    const index = new DutyIndex(policy, NOW, [], [{ identity: 'alice', role: 'break-fix', expiresAt }]);
    expect(index.holds('alice', 'use', prod)).toBeUndefined();
  });

  it.each([
    ['expired before now', NOW - 1, false],
    ['expiring exactly now', NOW, false],
    ['expiring after now', NOW + 1, true],
  ])('treats an assignment %s as held: %s', (_label, expiresAt, held) => {
    const policy = policyWith({
      identities: [human('alice')],
      roles: [{ name: 'reader', duties: ['use'], subjects: ['identity:alice'], expiresAt }],
    });
    const holding = new DutyIndex(policy, NOW).holds('alice', 'use', prod);
    expect(holding !== undefined).toBe(held);
    if (held) expect(holding?.expiresAt).toBe(expiresAt);
  });

  it('gives a disabled identity nothing, even through its groups', () => {
    const policy = policyWith({
      identities: [human('mallory', ['dba'], { disabled: true })],
      roles: [{ name: 'approver', duties: ['approve'], subjects: ['group:dba', 'identity:mallory'] }],
    });
    const index = new DutyIndex(policy, NOW);
    expect(index.holdingsOf('mallory')).toEqual([]);
    expect(index.holdsAnywhere('mallory', 'approve', { includeEligible: true })).toBeUndefined();
    expect(index.membersOf('dba')).toEqual(['mallory']);
  });

  it('gives an unknown identity nothing and ignores assignments of unknown roles', () => {
    const stray: RoleAssignment = {
      id: 'a1',
      role: 'ghost',
      subject: { type: 'identity', name: 'alice' },
      assignment: 'standing',
      source: 'api',
    };
    const policy = policyWith({ identities: [human('alice')], assignments: [stray] });
    const index = new DutyIndex(policy, NOW);
    expect(index.holdingsOf('nobody')).toEqual([]);
    expect(index.holdingsOf('alice')).toEqual([]);
  });

  it('adds extra (API) assignments beside the policy ones', () => {
    const extra: RoleAssignment = {
      id: 'api-1',
      role: 'auditor',
      subject: { type: 'group', name: 'audit' },
      assignment: 'standing',
      source: 'api',
    };
    const policy = policyWith({
      identities: [human('carol', ['audit'])],
      roles: [{ name: 'auditor', duties: ['audit'] }],
    });
    const index = new DutyIndex(policy, NOW, [extra]);
    expect(index.holdsAnywhere('carol', 'audit')?.assignmentId).toBe('api-1');
    expect(new DutyIndex(policy, NOW).holdsAnywhere('carol', 'audit')).toBeUndefined();
  });

  it.each([
    ['a profile list covering it', { profiles: ['pg-prod'] }, 'pg-prod', true],
    ['a profile list not covering it', { profiles: ['pg-staging'] }, 'pg-prod', false],
    ['"*"', { profiles: '*' as const }, 'web-prod', true],
    ['a selector whose labels all match', { selector: { tier: 'data', env: 'prod' } }, 'pg-prod', true],
    ['a selector with one label that differs', { selector: { tier: 'data', env: 'prod' } }, 'pg-staging', false],
    ['a selector naming a label the profile lacks', { selector: { owner: 'payments' } }, 'pg-prod', false],
  ])('holds a duty through %s: %s on %s is %s', (_label, scope, profile, held) => {
    const policy = policyWith({
      identities: [human('alice')],
      roles: [{ name: 'reader', duties: ['use'], subjects: ['identity:alice'], ...scope }],
    });
    const target = policy.profiles.get(profile);
    expect(target).toBeDefined();
    if (target) expect(new DutyIndex(policy, NOW).holds('alice', 'use', target) !== undefined).toBe(held);
  });

  it('answers holdsRole and holdsAnywhere from holdings in force', () => {
    const policy = policyWith({
      identities: [human('alice')],
      roles: [
        { name: 'admin', duties: ['administer'], subjects: ['identity:alice'], assignment: 'eligible' },
        { name: 'reader', duties: ['use'], profiles: ['pg-staging'], subjects: ['identity:alice'] },
      ],
    });
    const index = new DutyIndex(policy, NOW);
    expect(index.holdsRole('alice', 'reader')).toBe(true);
    expect(index.holdsRole('alice', 'admin')).toBe(false);
    expect(index.holdsRole('alice', 'admin', { includeEligible: true })).toBe(true);
    expect(index.holdsAnywhere('alice', 'use')?.role).toBe('reader');
    expect(index.effectiveHoldings('alice').map((holding) => holding.role)).toEqual(['reader']);
  });

  it('lists group members (NHIs and disabled identities included) in policy order', () => {
    const policy = policyWith({
      identities: [human('bob', ['ci']), nhi('deploy-bot', 'bob', ['ci', 'ci']), human('erin', ['web'])],
    });
    const index = new DutyIndex(policy, NOW);
    expect(index.membersOf('ci')).toEqual(['bob', 'deploy-bot']);
    expect(index.membersOf('nobody-here')).toEqual([]);
  });

  it('visits the same assignments as holdingsOf, and assignmentHoldings rebuilds the same holdings', () => {
    const policy = policyWith({
      identities: [human('alice', ['dba', 'payments'])],
      roles: [
        { name: 'approver', duties: ['approve', 'certify'], subjects: ['group:dba'] },
        { name: 'engineer', duties: ['request', 'use'], subjects: ['group:payments', 'identity:alice'] },
        { name: 'old', duties: ['use'], subjects: ['identity:alice'], expiresAt: NOW - 1 },
      ],
    });
    const index = new DutyIndex(policy, NOW);
    const rebuilt: unknown[] = [];
    index.forEachAssignment('alice', (assignment, role) =>
      rebuilt.push(...assignmentHoldings('alice', role, assignment)),
    );
    expect(rebuilt).toEqual(index.holdingsOf('alice'));
    expect(rebuilt).toHaveLength(6);
  });
});

describe('scopes', () => {
  it('overlap only when some profile of the policy is covered by both', () => {
    const profiles = [prod, staging, web];
    expect(
      scopesOverlap({ kind: 'profiles', names: ['pg-prod'] }, { kind: 'selector', labels: { env: 'prod' } }, profiles),
    ).toBe(true);
    expect(
      scopesOverlap(
        { kind: 'profiles', names: ['pg-staging'] },
        { kind: 'selector', labels: { env: 'prod' } },
        profiles,
      ),
    ).toBe(false);
    expect(scopesOverlap({ kind: 'all' }, { kind: 'profiles', names: ['not-in-policy'] }, profiles)).toBe(false);
  });

  it('an empty selector covers every profile (no label to disagree with)', () => {
    expect(scopeCovers({ kind: 'selector', labels: {} }, web)).toBe(true);
  });
});
