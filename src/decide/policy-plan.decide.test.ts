import { describe, expect, it } from 'vitest';
import { human, makePolicy } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { Identity, PolicySet, ResourceProfile } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { policyChangeContext } from './policy-change.decide.js';
import { planPolicyChange } from './policy-plan.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod', governance: { approvers: [{ type: 'group', name: 'security' }] } });
const web = makeProfile({ name: 'web', governance: { approvers: [{ type: 'identity', name: 'wendy' }] } });
const stricter = makeProfile({ name: 'pg-prod', classification: 'internal' });

const people: readonly Identity[] = [
  human('author', ['admins', 'security']),
  human('admin2', ['admins']),
  human('sam', ['security']),
  human('wendy'),
  human('gone', ['security'], { disabled: true }),
];

function policy(
  profiles: readonly ResourceProfile[],
  options: { identities?: readonly Identity[]; dbaSubjects?: readonly string[] } = {},
): PolicySet {
  return makePolicy({
    identities: options.identities ?? people,
    roles: [
      { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
      { name: 'dba', duties: ['approve'], subjects: options.dbaSubjects ?? ['group:security'] },
    ],
    profiles,
  });
}

const current = policy([prod, web]);

function plan(proposed: PolicySet, author = 'author') {
  return planPolicyChange(policyChangeContext(new DutyIndex(current, NOW), proposed), current, author);
}

describe('planning a policy change', () => {
  it('lists a changed profile with its version before and after and its governance approvers', () => {
    const result = plan(policy([stricter, web]));
    expect(result.profiles).toEqual([
      {
        name: 'pg-prod',
        change: 'changed',
        from: prod.version,
        to: stricter.version,
        approvers: ['group:security'],
      },
    ]);
    expect(stricter.version).not.toBe(prod.version);
    expect(result.touched.all).toEqual(['pg-prod']);
    expect(result.unchanged).toBe(false);
    expect(result.requirements).toEqual([
      {
        kind: 'governance',
        profile: 'pg-prod',
        description: "a governance approver of profile 'pg-prod' in force (group:security)",
        eligible: ['sam'],
      },
    ]);
  });

  it('never offers the author, a disabled identity or a non-governance approver as an approver', () => {
    expect(plan(policy([stricter, web])).eligibleApprovers).toEqual(['sam']);
  });

  it('marks added profiles without an old version and removed ones without a new one', () => {
    const added = makeProfile({ name: 'new-one', governance: { approvers: [{ type: 'group', name: 'security' }] } });
    const result = plan(policy([prod, added]));
    expect(result.profiles.map(({ name, change, from, to }) => ({ name, change, from, to }))).toEqual([
      { name: 'new-one', change: 'added', from: null, to: added.version },
      { name: 'web', change: 'removed', from: web.version, to: null },
    ]);
  });

  it('reports identities and roles (with their subjects) that change, and then needs an administrator', () => {
    const result = plan(
      policy([prod, web], {
        identities: [...people, human('newcomer')],
        dbaSubjects: ['group:security', 'identity:wendy'],
      }),
    );
    expect(result.kinds.identities).toEqual({ added: ['newcomer'], changed: [], removed: [] });
    expect(result.kinds.roles).toEqual({ added: [], changed: ['dba'], removed: [] });
    expect(result.profiles).toEqual([]);
    expect(result.requirements.map((r) => [r.kind, r.profile, r.eligible])).toEqual([
      ['administrator', null, ['admin2']],
    ]);
    expect(result.eligibleApprovers).toEqual(['admin2']);
  });

  it('an identical policy changes nothing', () => {
    const result = plan(policy([prod, web]));
    expect(result.unchanged).toBe(true);
    expect(result.submit.allowed).toBe(true);
  });

  it('says when the author may not submit the change', () => {
    expect(plan(policy([prod]), 'sam').submit).toMatchObject({
      allowed: false,
      reasons: [{ code: 'policy_change.not_administrator' }],
    });
  });
});
