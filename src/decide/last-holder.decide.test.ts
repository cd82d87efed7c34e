import { describe, expect, it } from 'vitest';
import { human, makePolicy } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { RoleAssignment } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { decideLastHolders, membershipKey } from './last-holder.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod' });
const staging = makeProfile({ name: 'pg-staging' });
const policy = makePolicy({
  identities: [
    human('root', ['admins']),
    human('scoped'),
    human('carol'),
    human('dave'),
    human('gone', [], { disabled: true }),
    human('erin'),
  ],
  roles: [
    { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
    { name: 'staging-admin', duties: ['administer'], profiles: ['pg-staging'], subjects: ['identity:scoped'] },
    { name: 'auditor', duties: ['audit'], subjects: ['identity:carol', 'identity:gone'] },
    { name: 'auditor-eligible', duties: ['audit'], subjects: ['identity:erin'], assignment: 'eligible' },
    { name: 'eng', duties: ['request', 'use'], subjects: ['identity:dave'] },
  ],
  profiles: [prod, staging],
});
const apiAuditor: RoleAssignment = {
  id: 'ras_dave_audit',
  role: 'auditor',
  subject: { type: 'identity', name: 'dave' },
  assignment: 'standing',
  source: 'api',
};
const duties = new DutyIndex(policy, NOW);
const withDave = new DutyIndex(policy, NOW, [apiAuditor]);

describe('the last holder of administer or audit', () => {
  it.each([
    ['removing an assignment of no guarded duty', duties, { assignments: new Set(['eng/identity:dave']) }, true],
    ['removing the only auditor', duties, { assignments: new Set(['auditor/identity:carol']) }, false],
    ['disabling the only auditor', duties, { identities: new Set(['carol']) }, false],
    ['removing one of two auditors', withDave, { assignments: new Set(['auditor/identity:carol']) }, true],
    ['removing both auditors at once', withDave, { identities: new Set(['carol', 'dave']) }, false],
    [
      'removing the only administrator of everything, leaving one profile without one',
      duties,
      { assignments: new Set(['admin/group:admins']) },
      false,
    ],
    [
      'removing a scoped administrator while an administrator of everything remains',
      duties,
      { assignments: new Set(['staging-admin/identity:scoped']) },
      true,
    ],
    ['disabling someone who holds nothing guarded', duties, { identities: new Set(['dave']) }, true],
  ] as const)('%s: allowed %s', (_title, index, removal, allowed) => {
    const decision = decideLastHolders(index, removal);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(allowed ? 'admin.holders_remain' : 'admin.last_holder');
  });

  it('names the duty and the profiles a removal would orphan', () => {
    const decision = decideLastHolders(duties, { identities: new Set(['root']) });
    expect(decision.allowed).toBe(false);
    expect(decision.reasons.map((r) => r.message)).toEqual([
      "this would leave profile 'pg-prod' with no holder of 'administer'; assign it to someone else first",
    ]);
  });

  it('names the last holders when a duty would be left with none', () => {
    const decision = decideLastHolders(duties, { identities: new Set(['carol']) });
    expect(decision.reasons[0]?.message).toBe(
      "this would remove the last holder of 'audit' ('carol'); assign it to someone else first",
    );
  });

  it('an eligible role and a disabled identity do not count as holders', () => {
    // erin is only eligible for audit and gone is disabled: carol is the last standing holder.
    expect(decideLastHolders(duties, { assignments: new Set(['auditor/identity:carol']) }).allowed).toBe(false);
  });

  it('a duty nobody holds cannot be orphaned', () => {
    const none = new DutyIndex(makePolicy({ identities: [human('x')], roles: [], profiles: [prod] }), NOW);
    expect(decideLastHolders(none, { identities: new Set(['x']) }).allowed).toBe(true);
  });
});

describe('ending a group membership (a directory group, through SCIM)', () => {
  it('refuses to end the membership through which the last holder of administer holds it', () => {
    const decision = decideLastHolders(duties, { memberships: new Set([membershipKey('root', 'admins')]) });
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]?.message).toContain('administer');
  });

  it('allows ending a membership that gives no guarded duty', () => {
    expect(decideLastHolders(duties, { memberships: new Set([membershipKey('dave', 'admins')]) }).allowed).toBe(true);
  });
});
