import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import { DutyIndex } from './duties.js';
import {
  decideAreaRead,
  decideExceptionRead,
  decideIdentityRead,
  decideProfileRead,
  visibleProfileNames,
  type ReadArea,
} from './visibility.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod', labels: { engine: 'postgres' } });
const staging = makeProfile({ name: 'pg-staging', labels: { engine: 'postgres' } });
const bucket = makeProfile({ name: 'bucket', labels: {} });
const policy = makePolicy({
  profiles: [prod, staging, bucket],
  identities: [
    human('root', ['admins']),
    human('olivia', ['auditors']),
    human('heidi', ['security']),
    human('alice', ['eng']),
    human('erin', ['dba']),
    human('nobody'),
    human('gone', ['admins'], { disabled: true }),
    nhi('bot', 'alice'),
  ],
  roles: [
    { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
    { name: 'auditor', duties: ['audit'], subjects: ['group:auditors'] },
    { name: 'security', duties: ['approve'], subjects: ['group:security'] },
    { name: 'eng', duties: ['request', 'use'], profiles: ['pg-staging'], subjects: ['group:eng', 'identity:bot'] },
    {
      name: 'dba-admin',
      duties: ['request', 'use'],
      selector: { engine: 'postgres' },
      subjects: ['group:dba'],
      assignment: 'eligible',
    },
  ],
});
const duties = new DutyIndex(policy, NOW);

describe('who may read administration records', () => {
  const table: [string, ReadArea, boolean][] = [
    ['root', 'identities', true],
    ['olivia', 'identities', true],
    ['heidi', 'identities', false],
    ['alice', 'assignments', false],
    ['olivia', 'sod', true],
    ['root', 'exceptions', true],
    ['heidi', 'policy_changes', true],
    ['alice', 'policy_changes', false],
    ['gone', 'identities', false],
    ['bot', 'sod', false],
  ];
  it.each(table)("'%s' reading %s is allowed: %s", (actor, area, allowed) => {
    const decision = decideAreaRead(duties, actor, area);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons).toHaveLength(1);
  });

  it('a refusal names the duties that would have allowed it', () => {
    expect(decideAreaRead(duties, 'alice', 'identities').reasons[0]?.message).toBe(
      "'alice' holds none of 'administer' or 'audit' and may not read identities",
    );
  });

  it('an identity may always read itself, and nobody else without a reader duty', () => {
    expect(decideIdentityRead(duties, 'alice', 'alice')).toMatchObject({ allowed: true });
    expect(decideIdentityRead(duties, 'alice', 'root')).toMatchObject({ allowed: false });
    expect(decideIdentityRead(duties, 'olivia', 'alice')).toMatchObject({ allowed: true });
  });

  it('an exception is visible to its beneficiary and its creator, and to readers of exceptions', () => {
    const exception = { identity: 'alice', createdBy: 'heidi' };
    expect(decideExceptionRead(duties, 'alice', exception).allowed).toBe(true);
    expect(decideExceptionRead(duties, 'heidi', exception).allowed).toBe(true);
    expect(decideExceptionRead(duties, 'erin', exception).allowed).toBe(false);
    expect(decideExceptionRead(duties, 'root', exception).allowed).toBe(true);
  });
});

describe('who may see a profile and its resources', () => {
  const table: [string, string[]][] = [
    ['root', ['bucket', 'pg-prod', 'pg-staging']],
    ['olivia', ['bucket', 'pg-prod', 'pg-staging']],
    ['alice', ['pg-staging']],
    ['bot', ['pg-staging']],
    // An eligible role that was never activated still shows what it could be activated on.
    ['erin', ['pg-prod', 'pg-staging']],
    ['nobody', []],
    ['gone', []],
  ];
  it.each(table)("'%s' sees %j", (actor, names) => {
    expect([...visibleProfileNames(duties, actor, policy.profiles.values())].sort()).toEqual(names);
  });

  it('says through which role a profile is visible, or that no duty covers it', () => {
    expect(decideProfileRead(duties, 'alice', staging).reasons[0]?.message).toBe(
      "'alice' holds 'request' on profile 'pg-staging' through role 'eng'",
    );
    expect(decideProfileRead(duties, 'alice', prod).reasons[0]?.message).toBe(
      "'alice' holds no duty on profile 'pg-prod'",
    );
  });
});
