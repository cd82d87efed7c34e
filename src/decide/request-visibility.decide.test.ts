import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile, makeResource } from '../../test/factories/profile.factory.js';
import { DutyIndex } from './duties.js';
import {
  decideAuditVisibility,
  decideCheckAccess,
  eventProfile,
  decideGrantVisibility,
  decideRequestVisibility,
  mayExplainOwnDenial,
  mayView,
} from './request-visibility.decide.js';

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);

const policy = makePolicy({
  identities: [
    human('alice', ['payments']),
    human('dan', ['dba']),
    human('olivia', ['auditors']),
    human('peggy', ['platform-admins']),
    human('quinn'),
    human('mallory', ['auditors'], { disabled: true }),
    nhi('edge-gateway', 'peggy', [], 'workload'),
    nhi('stale-gateway', 'peggy', [], 'workload'),
  ],
  roles: [
    { name: 'payments-engineer', duties: ['request', 'use'], subjects: ['group:payments'] },
    { name: 'dba', duties: ['approve'], profiles: ['postgres-prod'], subjects: ['group:dba'] },
    { name: 'auditor', duties: ['audit'], subjects: ['group:auditors'] },
    {
      name: 'console-provisioner',
      duties: ['provision'],
      profiles: ['processor-console'],
      subjects: ['group:platform-admins'],
    },
    { name: 'gateway', duties: ['provision'], profiles: ['postgres-prod'], subjects: ['identity:edge-gateway'] },
    {
      name: 'old-gateway',
      duties: ['provision'],
      subjects: ['identity:stale-gateway'],
      expiresAt: NOW - 1,
    },
  ],
  profiles: [makeProfile(), makeProfile({ name: 'processor-console' })],
  resources: [makeResource(), makeResource({ name: 'merchant-console', profile: 'processor-console' })],
});
const duties = new DutyIndex(policy, NOW);

describe('decideRequestVisibility', () => {
  it.each([
    ['an approver of one profile sees the requests on it', 'dan', 'profiles', 'visibility.approve'],
    ['an auditor sees every request', 'olivia', 'all', 'visibility.audit'],
    ['a requester sees only its own', 'alice', 'own', 'visibility.own'],
    ['a provision holder without approve or audit sees only its own', 'peggy', 'own', 'visibility.own'],
    ['a disabled auditor sees only its own', 'mallory', 'own', 'visibility.own'],
    ['an unknown identity sees only its own', 'nobody', 'own', 'visibility.own'],
  ] as const)('%s', (_name, viewer, scope, code) => {
    const decision = decideRequestVisibility(duties, viewer);
    expect(decision.scope).toBe(scope);
    expect(decision.reasons.map((r) => r.code)).toEqual([code]);
    expect(decision.reasons[0]?.message).toContain(`'${viewer}'`);
  });
});

describe('decideGrantVisibility', () => {
  it.each([
    ['an auditor sees every grant', 'olivia', 'all', 'visibility.audit'],
    ['a provision holder sees the grants on its profile', 'peggy', 'profiles', 'visibility.provision'],
    ['a gateway holding provision sees the grants on its profile', 'edge-gateway', 'profiles', 'visibility.provision'],
    ['an approver sees only the grants it holds', 'dan', 'own', 'visibility.own'],
    ['a gateway whose role expired sees only its own', 'stale-gateway', 'own', 'visibility.own'],
  ] as const)('%s', (_name, viewer, scope, code) => {
    const decision = decideGrantVisibility(duties, viewer);
    expect(decision.scope).toBe(scope);
    expect(decision.reasons.map((r) => r.code)).toEqual([code]);
  });
});

describe('mayView', () => {
  it('shows a record to its owner even under the narrow scope, and to nobody else', () => {
    const own = decideRequestVisibility(duties, 'alice');
    expect(mayView(own, 'alice', 'alice', 'postgres-prod')).toBe(true);
    expect(mayView(own, 'alice', 'quinn', 'postgres-prod')).toBe(false);
  });

  it('shows an approver the records on the profiles it approves, and only those', () => {
    const dan = decideRequestVisibility(duties, 'dan');
    expect([...dan.profiles]).toEqual(['postgres-prod']);
    expect(mayView(dan, 'dan', 'quinn', 'postgres-prod')).toBe(true);
    expect(mayView(dan, 'dan', 'quinn', 'processor-console')).toBe(false);
    expect(mayView(dan, 'dan', 'dan', 'processor-console')).toBe(true);
  });

  it('shows a holder over every profile everything, profiles removed since included', () => {
    expect(mayView(decideRequestVisibility(duties, 'olivia'), 'olivia', 'quinn', 'retired-profile')).toBe(true);
  });
});

describe('decideCheckAccess', () => {
  it.each([
    ['anyone may ask about itself', 'quinn', 'quinn', 'payments-db', true, 'check_access.self'],
    [
      'a disabled identity may still ask about itself (the answer says disabled)',
      'mallory',
      'mallory',
      'payments-db',
      true,
      'check_access.self',
    ],
    [
      'an identity without audit or provision may not ask about another',
      'alice',
      'quinn',
      'payments-db',
      false,
      'check_access.not_self',
    ],
    ['an approver may not ask about another', 'dan', 'alice', 'payments-db', false, 'check_access.not_self'],
    ['an auditor may ask about anyone', 'olivia', 'alice', 'payments-db', true, 'check_access.audit'],
    [
      'a gateway holding provision on the profile may ask about anyone',
      'edge-gateway',
      'alice',
      'payments-db',
      true,
      'check_access.provision',
    ],
    [
      'provision on another profile does not reach this resource',
      'edge-gateway',
      'alice',
      'merchant-console',
      false,
      'check_access.not_self',
    ],
    [
      'a console provisioner asks about the console',
      'peggy',
      'alice',
      'merchant-console',
      true,
      'check_access.provision',
    ],
    [
      'a console provisioner may not ask about the database',
      'peggy',
      'alice',
      'payments-db',
      false,
      'check_access.not_self',
    ],
    [
      'provision on some profile is not enough for an unknown resource (an unknown reads as an invisible one)',
      'peggy',
      'alice',
      'no-such-db',
      false,
      'check_access.not_self',
    ],
    [
      'an auditor of every profile may ask about an unknown resource',
      'olivia',
      'alice',
      'no-such-db',
      true,
      'check_access.audit',
    ],
    [
      'an expired provision role counts for nothing',
      'stale-gateway',
      'alice',
      'payments-db',
      false,
      'check_access.not_self',
    ],
    ['a disabled auditor may not ask about another', 'mallory', 'alice', 'payments-db', false, 'check_access.not_self'],
  ] as const)('%s', (_name, caller, subject, resource, allowed, code) => {
    const decision = decideCheckAccess(policy, duties, caller, subject, resource);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('names the duties needed when it refuses, but not the profile, which the caller may not see', () => {
    const decision = decideCheckAccess(policy, duties, 'alice', 'quinn', 'payments-db');
    expect(decision.reasons[0]?.message).toBe(
      "'alice' may ask only about itself: asking about 'quinn' needs 'audit' or 'provision' on the profile of resource 'payments-db'",
    );
  });
});

describe('mayExplainOwnDenial', () => {
  it.each([
    ['a duty on the profile explains the denial', 'alice', 'payments-db', true],
    ['an approver of the profile reads it', 'dan', 'payments-db', true],
    ['no duty on the profile: answered as unknown', 'dan', 'merchant-console', false],
    ['no duty at all: answered as unknown', 'quinn', 'payments-db', false],
    ['an unknown resource is unknown', 'olivia', 'no-such-db', false],
    ['a disabled identity holds nothing', 'mallory', 'payments-db', false],
  ] as const)('%s', (_name, caller, resource, explained) => {
    expect(mayExplainOwnDenial(policy, duties, caller, resource)).toBe(explained);
  });
});

describe('decideAuditVisibility', () => {
  it('gives an auditor of every profile the whole log and others nothing beyond their scope', () => {
    expect(decideAuditVisibility(duties, 'olivia').scope).toBe('all');
    expect(decideAuditVisibility(duties, 'dan')).toMatchObject({ scope: 'own', profiles: new Set() });
  });
});

describe('eventProfile', () => {
  const lookup = {
    requestProfile: new Map([['req_1', 'postgres-prod']]),
    grantProfile: new Map([['grt_1', 'processor-console']]),
    resourceProfile: (name: string) => policy.resources.get(name)?.profile,
  };
  it.each([
    ['a request event is on the request’s profile', 'request:req_1', {}, 'postgres-prod'],
    ['a grant event is on its request’s profile', 'grant:grt_1', {}, 'processor-console'],
    ['a resource event is on the resource’s profile', 'resource:merchant-console', {}, 'processor-console'],
    ['a check denial names its resource', 'identity:alice', { resource: 'payments-db' }, 'postgres-prod'],
    ['details may name the profile', 'policy_change:pcs_1', { profile: 'processor-console' }, 'processor-console'],
    ['an unknown request is on no profile', 'request:req_2', {}, undefined],
    ['an administration event is on no profile', 'identity:alice', { reason: 'left' }, undefined],
  ] as const)('%s', (_name, subject, details, profile) => {
    expect(eventProfile({ subject, details }, lookup)).toBe(profile);
  });
});
