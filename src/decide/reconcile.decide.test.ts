import { describe, expect, it } from 'vitest';
import { human, makePolicy } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import { DutyIndex } from './duties.js';
import { decideReconcile, findOrphanCredentials, type ListedCredential } from './reconcile.decide.js';

const NOW = Date.UTC(2026, 0, 15, 9);
const HOUR = 3600_000;

describe('finding orphan credentials', () => {
  const live = [{ role: 'cs_live', resource: 'db', extra: 'kept by the grant only' }];
  const credential = (
    handle: Record<string, unknown>,
    overrides: Partial<ListedCredential> = {},
  ): ListedCredential => ({
    handle,
    createdAt: NOW - HOUR,
    ...overrides,
  });
  it.each([
    [
      'a credential whose fields a live grant handle carries is kept',
      credential({ role: 'cs_live', resource: 'db' }),
      'reconcile.owned',
    ],
    [
      'the same role on another resource is not owned by that grant',
      credential({ role: 'cs_live', resource: 'other' }),
      undefined,
    ],
    ['an old credential of no grant is an orphan', credential({ role: 'cs_old', resource: 'db' }), undefined],
    [
      'a credential created within the grace period is kept',
      credential({ role: 'cs_new', resource: 'db' }, { createdAt: NOW - 1000 }),
      'reconcile.too_young',
    ],
    [
      'a credential whose age the provider cannot tell is kept',
      { handle: { role: 'cs_ageless', resource: 'db' } },
      'reconcile.age_unknown',
    ],
    [
      'a credential still in use is kept',
      credential({ role: 'csx_running', resource: 'db' }, { busyUntil: NOW + 60_000 }),
      'reconcile.in_use',
    ],
    [
      'a credential past its in-use time is an orphan',
      credential({ role: 'csx_done', resource: 'db' }, { busyUntil: NOW - 1 }),
      undefined,
    ],
  ])('%s', (_title, listed, keptCode) => {
    const found = findOrphanCredentials([listed], live, { now: NOW, graceMs: 60_000 });
    if (keptCode === undefined) {
      expect(found.orphans).toEqual([listed]);
      expect(found.kept).toEqual([]);
    } else {
      expect(found.orphans).toEqual([]);
      expect(found.kept.map((k) => k.reason.code)).toEqual([keptCode]);
      expect(found.kept[0]?.reason.message).toContain(String(listed.handle.role));
    }
  });

  it('the grace period defaults to five minutes', () => {
    const fourMinutes = credential({ role: 'a' }, { createdAt: NOW - 4 * 60_000 });
    const sixMinutes = credential({ role: 'b' }, { createdAt: NOW - 6 * 60_000 });
    const found = findOrphanCredentials([fourMinutes, sixMinutes], [], { now: NOW });
    expect(found.orphans).toEqual([sixMinutes]);
    expect(found.kept.map((k) => k.credential)).toEqual([fourMinutes]);
  });

  it('every listed credential is either an orphan or kept, never both', () => {
    const listed = [
      credential({ role: 'cs_live', resource: 'db' }),
      credential({ role: 'x' }),
      credential({ role: 'y' }, { createdAt: NOW }),
    ];
    const found = findOrphanCredentials(listed, live, { now: NOW });
    expect(found.orphans.length + found.kept.length).toBe(listed.length);
    expect(new Set([...found.orphans, ...found.kept.map((k) => k.credential)]).size).toBe(listed.length);
  });
});

describe('who may reconcile', () => {
  const profile = makeProfile({ name: 'pg-prod' });
  const other = makeProfile({ name: 'pg-staging' });
  const policy = makePolicy({
    identities: [human('root', ['admins']), human('scoped'), human('alice', ['eng'])],
    roles: [
      { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
      { name: 'staging-admin', duties: ['administer'], profiles: ['pg-staging'], subjects: ['identity:scoped'] },
      { name: 'eng', duties: ['request', 'use', 'approve'], profiles: ['pg-prod'], subjects: ['group:eng'] },
    ],
    profiles: [profile, other],
  });
  const duties = new DutyIndex(policy, NOW);
  it.each([
    ['the observation worker may', 'system:observer', profile, true, 'reconcile.system'],
    ['an administrator of the profile may', 'root', profile, true, 'reconcile.administrator'],
    ['an administrator of the profile only may on that profile', 'scoped', other, true, 'reconcile.administrator'],
    ['an administrator of another profile may not', 'scoped', profile, false, 'admin.not_administrator'],
    ['a requester and approver of the profile may not', 'alice', profile, false, 'admin.not_administrator'],
    ['an unknown identity may not', 'mallory', profile, false, 'admin.not_administrator'],
  ])('%s', (_title, actor, target, allowed, code) => {
    const decision = decideReconcile(duties, actor, target);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(code);
    expect(decision.reasons[0]?.message).toContain(actor);
  });
});
