import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { Role } from '../policy/model.js';
import {
  exceptionTermProblem,
  MAX_EXCEPTION_MS,
  decideDisableIdentity,
  decideExceptionApproval,
  decideExceptionCreation,
  decideExceptionRevocation,
  decideResourceWrite,
  decideRoleAdministration,
} from './administration.decide.js';
import { DutyIndex } from './duties.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod' });
const staging = makeProfile({ name: 'pg-staging' });
const policy = makePolicy({
  identities: [
    human('root', ['admins']),
    human('root2', ['admins']),
    human('scoped'),
    human('alice', ['eng']),
    human('ops', ['provisioners']),
    nhi('bot', 'alice'),
  ],
  roles: [
    { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
    { name: 'staging-admin', duties: ['administer'], profiles: ['pg-staging'], subjects: ['identity:scoped'] },
    { name: 'prov', duties: ['provision'], profiles: ['pg-prod'], subjects: ['group:provisioners'] },
    { name: 'eng', duties: ['request', 'use'], profiles: ['pg-staging'], subjects: ['group:eng'] },
  ],
  profiles: [prod, staging],
});
const duties = new DutyIndex(policy, NOW);
const role = (name: string): Role => {
  const found = policy.roles.get(name);
  if (!found) throw new Error(name);
  return found;
};

describe('disabling identities', () => {
  it.each([
    ['an administrator of everything disables someone else', 'root', 'alice', true, 'admin.holds_administer'],
    ['nobody disables themselves', 'root', 'root', false, 'sod.self_administration'],
    ['an administrator of one profile may not', 'scoped', 'alice', false, 'admin.not_administrator'],
    ['an unknown identity is named', 'root', 'nobody', false, 'admin.unknown_identity'],
  ])('%s', (_title, actor, target, allowed, code) => {
    const decision = decideDisableIdentity(duties, actor, target);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(code);
  });
});

describe('assigning roles', () => {
  it.each([
    ['an administrator of the role profiles assigns it', 'scoped', 'eng', { type: 'identity', name: 'alice' }, true],
    [
      'an administrator of one profile may not assign a role over another',
      'scoped',
      'prov',
      { type: 'identity', name: 'alice' },
      false,
    ],
    [
      'a role over every profile needs an administrator of everything',
      'scoped',
      'admin',
      { type: 'identity', name: 'alice' },
      false,
    ],
    ['nobody assigns to a group they are in', 'root', 'eng', { type: 'group', name: 'admins' }, false],
    ['nobody assigns to themselves', 'root', 'eng', { type: 'identity', name: 'root' }, false],
  ] as const)('%s', (_title, actor, roleName, subject, allowed) => {
    expect(decideRoleAdministration(duties, actor, role(roleName), subject, 'assign').allowed).toBe(allowed);
  });
});

describe('SoD exceptions', () => {
  const exception = { id: 'exc_1', identity: 'alice', rule: 'r', createdBy: 'root' };
  it.each([
    ['another administrator approves', 'root2', true, 'exception.approve_allowed'],
    ['the beneficiary never approves', 'alice', false, 'sod.own_exception'],
    ['the creator never approves', 'root', false, 'sod.exception_creator'],
    ['a non-administrator never approves', 'ops', false, 'admin.not_administrator'],
  ])('%s', (_title, actor, allowed, code) => {
    const decision = decideExceptionApproval(duties, actor, exception);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(code);
  });

  it('anyone may ask for an exception for themselves, only administrators for others', () => {
    expect(decideExceptionCreation(duties, 'alice', 'alice').allowed).toBe(true);
    expect(decideExceptionCreation(duties, 'alice', 'ops').allowed).toBe(false);
    expect(decideExceptionCreation(duties, 'root', 'ops').allowed).toBe(true);
  });

  it('the beneficiary may give up an exception; others need administer', () => {
    expect(decideExceptionRevocation(duties, 'alice', exception).allowed).toBe(true);
    expect(decideExceptionRevocation(duties, 'ops', exception).allowed).toBe(false);
  });
});

describe('writing resources', () => {
  it.each([
    ['an administrator of the profile registers', 'root', 'register', true],
    ['a provisioner may observe', 'ops', 'observe', true],
    ['a provisioner may not register', 'ops', 'register', false],
    ['Countersign itself observes', 'system:executor', 'observe', true],
    ['an engineer may not observe', 'alice', 'observe', false],
  ] as const)('%s', (_title, actor, what, allowed) => {
    expect(decideResourceWrite(duties, actor, prod, what).allowed).toBe(allowed);
  });
});

describe('SoD exceptions for a non-human identity', () => {
  const ownedPolicy = makePolicy({
    identities: [
      human('root', ['admins']),
      human('root2', ['admins']),
      human('root3', ['admins']),
      nhi('svc', 'root2'),
    ],
    roles: [{ name: 'admin', duties: ['administer'], subjects: ['group:admins'] }],
  });
  const ownedDuties = new DutyIndex(ownedPolicy, NOW);
  const exception = { id: 'exc_2', identity: 'svc', rule: 'r', createdBy: 'root' };

  it("the NHI's owner does not approve an exception for it; another administrator does", () => {
    const byOwner = decideExceptionApproval(ownedDuties, 'root2', exception);
    expect(byOwner.allowed).toBe(false);
    expect(byOwner.reasons[0]?.code).toBe('sod.same_principal');
    expect(byOwner.reasons[0]?.message).toContain("'root2' owns 'svc'");
    expect(decideExceptionApproval(ownedDuties, 'root3', exception).allowed).toBe(true);
  });
});

describe('how long an SoD exception may run', () => {
  it('an exception ending in the future, up to a year away, is fine', () => {
    expect(exceptionTermProblem(NOW + 1, NOW)).toBeUndefined();
    expect(exceptionTermProblem(NOW + MAX_EXCEPTION_MS, NOW)).toBeUndefined();
  });

  it('an exception that ends now or earlier is refused', () => {
    expect(exceptionTermProblem(NOW, NOW)).toBe('an exception must expire in the future');
    expect(exceptionTermProblem(NOW - 1, NOW)).toBe('an exception must expire in the future');
  });

  it('an exception running a moment past a year is refused', () => {
    expect(exceptionTermProblem(NOW + MAX_EXCEPTION_MS + 1, NOW)).toBe('an exception may run for at most one year');
  });
});
