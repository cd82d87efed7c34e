import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { Role } from '../policy/model.js';
import {
  adminChangeLapsed,
  decideAdminChangeApproval,
  decideAdminChangeRejection,
  decideApiConnection,
  resourceChangeWidens,
  type AdminChangeTarget,
  type ResourceBinding,
} from './admin-change.decide.js';
import { DutyIndex } from './duties.js';
import type { PrincipalLink } from './principal.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod' });
const staging = makeProfile({ name: 'pg-staging' });
const policy = makePolicy({
  identities: [
    human('ada', ['admins']),
    human('bea', ['admins']),
    human('cy', ['admins']),
    human('scoped'),
    human('gone', ['admins'], { disabled: true }),
    human('owner'),
    nhi('bot', 'bea'),
    human('eng', ['eng']),
  ],
  roles: [
    { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
    { name: 'staging-admin', duties: ['administer'], profiles: ['pg-staging'], subjects: ['identity:scoped'] },
    { name: 'eng', duties: ['request', 'use'], profiles: ['pg-staging'] },
  ],
  profiles: [prod, staging],
});
const duties = new DutyIndex(policy, NOW);
const eng = policy.roles.get('eng') as Role;
const toEng: AdminChangeTarget = { kind: 'role_assignment', role: eng, subject: { type: 'identity', name: 'eng' } };
const toBot: AdminChangeTarget = { kind: 'role_assignment', role: eng, subject: { type: 'identity', name: 'bot' } };
const resource = (profiles = [staging], owner?: string): AdminChangeTarget => ({
  kind: 'resource',
  name: 'db',
  profiles,
  ...(owner ? { owner: { type: 'identity' as const, name: owner } } : {}),
});
const minted = (identity: string, member: string): PrincipalLink[] => [{ identity, member, link: 'minter' }];

describe('approving an administrative change', () => {
  it.each([
    ['a second administrator approves', 'ada', 'bea', [], toEng, true, 'admin_change.approve_allowed'],
    ['the author may not', 'ada', 'ada', [], toEng, false, 'sod.own_admin_change'],
    [
      'one principal with the author through a minted token may not',
      'ada',
      'bea',
      minted('bea', 'ada'),
      toEng,
      false,
      'sod.own_admin_change',
    ],
    ['the owner of an NHI subject may not', 'ada', 'bea', [], toBot, false, 'sod.self_administration'],
    ['a disabled administrator may not', 'ada', 'gone', [], toEng, false, 'admin.not_administrator'],
    ['someone without administer may not', 'ada', 'eng', [], toBot, false, 'admin.not_administrator'],
    [
      'an administrator of staging only approves a staging resource',
      'ada',
      'scoped',
      [],
      resource(),
      true,
      'admin_change.approve_allowed',
    ],
    [
      'but not one moving from production',
      'ada',
      'scoped',
      [],
      resource([staging, prod]),
      false,
      'admin.not_administrator',
    ],
    [
      'a non-administrator named as its owner may not',
      'ada',
      'owner',
      [],
      resource([staging], 'owner'),
      false,
      'admin.not_administrator',
    ],
    [
      'an administrator named as its owner may not',
      'ada',
      'cy',
      [],
      resource([staging], 'cy'),
      false,
      'sod.self_administration',
    ],
  ] as const)('%s', (_title, author, actor, actorLinks, target, allowed, code) => {
    const decision = decideAdminChangeApproval(duties, { author, authorLinks: [], actor, actorLinks }, target);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(code);
  });

  it('an author who lost administer since proposing blocks the approval', () => {
    const decision = decideAdminChangeApproval(
      duties,
      { author: 'gone', authorLinks: [], actor: 'ada', actorLinks: [] },
      toEng,
    );
    expect(decision).toMatchObject({ allowed: false, reasons: [{ code: 'admin.author_not_administrator' }] });
  });
});

describe('rejecting an administrative change', () => {
  it.each([
    ['its author withdraws it', 'ada', 'ada', true, 'author'],
    ['another administrator rejects it', 'ada', 'bea', true, 'reviewer'],
    ['someone without administer may not', 'ada', 'owner', false, undefined],
  ] as const)('%s', (_title, author, actor, allowed, as) => {
    const decision = decideAdminChangeRejection(duties, author, actor, toEng);
    expect(decision.allowed).toBe(allowed);
    expect(decision.as).toBe(as);
  });
});

describe('which resource updates widen access', () => {
  const base: ResourceBinding = { profile: 'pg-staging', labels: { team: 'a' }, owner: null, connection: null };
  it.each([
    ['registering', undefined, base, true],
    ['the same binding again', base, { ...base }, false],
    ['another profile', base, { ...base, profile: 'pg-prod' }, true],
    ['another owner', base, { ...base, owner: 'group:x' }, true],
    ['a connection', base, { ...base, connection: 'primary' }, true],
    ['a changed label', base, { ...base, labels: { team: 'b' } }, true],
    ['a removed label', base, { ...base, labels: {} }, true],
    ['an added label', base, { ...base, labels: { team: 'a', tier: 'data' } }, true],
  ] as const)('%s: %s', (_title, before, after, widens) => {
    expect(resourceChangeWidens(before, after)).toBe(widens);
  });
});

describe('connections of resources registered through the API', () => {
  const allowed = new Map([['primary', { dsnEnv: 'PAYMENTS_DB_DSN' }]]);
  it.each([
    ['none', {}, true, 'none'],
    ['an allow-listed name', { name: 'primary' }, true, 'primary'],
    ['an unknown name', { name: 'replica' }, false, 'resource.connection_not_allowed'],
    ['an environment variable', { dsnEnv: 'PAYMENTS_DB_DSN' }, false, 'resource.connection_free_form'],
    ['a file', { dsnFile: '/etc/shadow' }, false, 'resource.connection_free_form'],
    ['a name and a file', { name: 'primary', dsnFile: '/x' }, false, 'resource.connection_free_form'],
  ] as const)('%s', (_title, requested, ok, what) => {
    const decision = decideApiConnection(allowed, requested);
    expect(decision.allowed).toBe(ok);
    if (decision.allowed) expect(decision.name ?? 'none').toBe(what);
    else expect(decision.reasons[0]?.code).toBe(what);
  });

  it('an allowed name resolves to what the operator configured, kept under its name', () => {
    expect(decideApiConnection(allowed, { name: 'primary' })).toEqual({
      allowed: true,
      name: 'primary',
      connection: { dsnEnv: 'PAYMENTS_DB_DSN', name: 'primary' },
    });
  });
});

describe('when an administrative change lapses', () => {
  const expiresAt = Date.UTC(2026, 0, 22, 9, 0, 0);

  it('a pending change can be decided until the instant before its expiry, and not from its expiry on', () => {
    expect(adminChangeLapsed({ status: 'pending', expiresAt }, expiresAt - 1)).toBe(false);
    expect(adminChangeLapsed({ status: 'pending', expiresAt }, expiresAt)).toBe(true);
  });

  it('a change already decided never lapses, whatever the time', () => {
    for (const status of ['applied', 'rejected', 'cancelled', 'expired']) {
      expect(adminChangeLapsed({ status, expiresAt }, expiresAt + 1)).toBe(false);
    }
  });
});
