import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile, makeResource } from '../../test/factories/profile.factory.js';
import type { PolicySet, Resource, ResourceProfile } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import {
  decidePolicyChangeApproval,
  decidePolicyChangeRejection,
  decidePolicyChangeSubmission,
  policyChangeContext,
  policyChangeProgress,
  touchedProfiles,
  type PolicyChangeContext,
} from './policy-change.decide.js';

const NOW = Date.UTC(2026, 0, 15);
const prod = makeProfile({ name: 'pg-prod', governance: { approvers: [{ type: 'group', name: 'security' }] } });
const web = makeProfile({
  name: 'web',
  governance: {
    approvers: [
      { type: 'group', name: 'web-leads' },
      { type: 'group', name: 'security' },
    ],
  },
});
const console_ = makeProfile({ name: 'console', governance: { approvers: [{ type: 'identity', name: 'wendy' }] } });

function policyWith(profiles: readonly ResourceProfile[]): PolicySet {
  return makePolicy({
    identities: [
      human('author', ['admins']),
      human('sam', ['security']),
      human('wendy', ['web-leads']),
      human('gone', ['security'], { disabled: true }),
      nhi('bot', 'author', ['security']),
    ],
    roles: [{ name: 'admin', duties: ['administer'], subjects: ['group:admins'] }],
    profiles,
  });
}

const current = policyWith([prod, web, console_]);

function ctxFor(proposedProfiles: readonly ResourceProfile[]): PolicyChangeContext {
  const proposed = policyWith(proposedProfiles);
  return policyChangeContext(new DutyIndex(current, NOW), proposed);
}

const changedProd = makeProfile({
  name: 'pg-prod',
  classification: 'internal',
  governance: { approvers: [{ type: 'identity', name: 'author' }] },
});

describe('touched profiles', () => {
  it('names profiles added, changed in version, and removed', () => {
    const added = makeProfile({ name: 'new-one' });
    expect(touchedProfiles(current, policyWith([changedProd, web, added]))).toEqual({
      added: ['new-one'],
      changed: ['pg-prod'],
      removed: ['console'],
      resources: [],
      all: ['console', 'new-one', 'pg-prod'],
    });
  });

  it('an identical policy touches nothing', () => {
    expect(touchedProfiles(current, policyWith([prod, web, console_])).all).toEqual([]);
  });
});

describe('approving a policy change', () => {
  it.each([
    [
      'the author never approves their own change',
      'author',
      [changedProd, web, console_],
      false,
      'sod.own_policy_change',
    ],
    [
      'a governance approver of the profile in force approves',
      'sam',
      [changedProd, web, console_],
      true,
      'policy_change.governance_approver',
    ],
    [
      'a change cannot name its own reviewers: governance in force counts',
      'wendy',
      [changedProd, web, console_],
      false,
      'policy_change.not_governance_approver',
    ],
    [
      'an approver who governs some of the touched profiles approves for those',
      'sam',
      [changedProd, web],
      true,
      'policy_change.governance_approver',
    ],
    ['a disabled approver does not count', 'gone', [changedProd, web, console_], false, 'policy_change.disabled'],
    ['a machine never approves a policy change', 'bot', [changedProd, web, console_], false, 'policy_change.not_human'],
    [
      'a change touching no profile needs an administrator of everything',
      'sam',
      [prod, web, console_],
      false,
      'policy_change.not_administrator',
    ],
  ] as const)('%s', (_title, approver, profiles, allowed, code) => {
    const decision = decidePolicyChangeApproval(ctxFor(profiles), 'author', approver);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons[0]?.code).toBe(code);
  });

  it('governance is satisfied by one valid approval and not by invalid ones', () => {
    const ctx = ctxFor([changedProd, web, console_]);
    expect(policyChangeProgress(ctx, 'author', ['author', 'gone']).satisfied).toBe(false);
    expect(policyChangeProgress(ctx, 'author', ['author', 'gone']).waitingFor).toEqual([
      "a governance approver of profile 'pg-prod' in force (group:security)",
    ]);
    expect(policyChangeProgress(ctx, 'author', ['sam']).satisfied).toBe(true);
  });
});

describe('submitting and rejecting a policy change', () => {
  it('only an administrator of every touched profile submits', () => {
    const ctx = ctxFor([changedProd, web, console_]);
    expect(decidePolicyChangeSubmission(ctx, 'author').allowed).toBe(true);
    expect(decidePolicyChangeSubmission(ctx, 'sam').reasons[0]?.code).toBe('policy_change.not_administrator');
  });

  it('the author withdraws; a governance approver rejects; anyone else is refused', () => {
    const ctx = ctxFor([changedProd, web, console_]);
    expect(decidePolicyChangeRejection(ctx, 'author', 'author')).toMatchObject({ allowed: true, as: 'author' });
    expect(decidePolicyChangeRejection(ctx, 'author', 'sam')).toMatchObject({ allowed: true, as: 'reviewer' });
    expect(decidePolicyChangeRejection(ctx, 'author', 'wendy').allowed).toBe(false);
  });
});

describe('governance requirements come from the policy in force', () => {
  const db = makeResource({ name: 'db', profile: 'pg-prod' });
  function world(profiles: readonly ResourceProfile[], resources: readonly Resource[], admins = ['group:admins']) {
    return makePolicy({
      identities: [
        human('author', ['admins']),
        human('admin2', ['admins']),
        human('sam', ['security']),
        human('wendy', ['web-leads']),
        human('friend'),
      ],
      roles: [{ name: 'admin', duties: ['administer'], subjects: admins }],
      profiles,
      resources,
    });
  }
  const inForce = world([prod, web, console_], [db]);
  const ctxOf = (proposed: PolicySet) => policyChangeContext(new DutyIndex(inForce, NOW), proposed);
  const approvals = (proposed: PolicySet, approvers: readonly string[]) =>
    policyChangeProgress(ctxOf(proposed), 'author', approvers);

  it("an added profile's own governance approvers count for nothing: an administrator other than the author approves", () => {
    const dummy = makeProfile({ name: 'dummy', governance: { approvers: [{ type: 'identity', name: 'friend' }] } });
    const proposed = world([prod, web, console_, dummy], [db]);
    expect(ctxOf(proposed).requirements).toEqual([
      { kind: 'administrator', profile: 'dummy', description: "an administrator of the added profile 'dummy'" },
    ]);
    expect(decidePolicyChangeApproval(ctxOf(proposed), 'author', 'friend')).toMatchObject({
      allowed: false,
      reasons: [{ code: 'policy_change.not_administrator' }],
    });
    expect(approvals(proposed, ['friend']).satisfied).toBe(false);
    expect(approvals(proposed, ['admin2']).satisfied).toBe(true);
  });

  it('a resource moved between profiles needs the governance approvers in force of both', () => {
    const proposed = world([prod, web, console_], [{ ...db, profile: 'web' }]);
    const ctx = ctxOf(proposed);
    expect(ctx.touched).toMatchObject({ changed: [], resources: ['pg-prod', 'web'], all: ['pg-prod', 'web'] });
    expect(ctx.requirements.map((r) => [r.kind, r.profile])).toEqual([
      ['governance', 'pg-prod'],
      ['governance', 'web'],
    ]);
    expect(approvals(proposed, ['wendy'])).toMatchObject({
      satisfied: false,
      waitingFor: ["a governance approver of profile 'pg-prod' in force (group:security)"],
    });
    // sam is in security, which governs both profiles: one approval meets both requirements.
    expect(approvals(proposed, ['sam']).satisfied).toBe(true);
  });

  it('a resource changed in more than its profile, added or removed also needs an administrator', () => {
    for (const resources of [[{ ...db, connection: { dsnEnv: 'OTHER' } }], [], [db, { ...db, name: 'db2' }]]) {
      const ctx = ctxOf(world([prod, web, console_], resources));
      expect(ctx.requirements.map((r) => [r.kind, r.profile ?? null])).toEqual([
        ['governance', 'pg-prod'],
        ['administrator', null],
      ]);
      expect(approvals(world([prod, web, console_], resources), ['sam']).satisfied).toBe(false);
      expect(approvals(world([prod, web, console_], resources), ['sam', 'admin2']).satisfied).toBe(true);
    }
  });

  it('a role change needs an administrator other than the author, even inside a profile change', () => {
    const proposed = world([changedProd, web, console_], [db], ['group:admins', 'identity:friend']);
    const ctx = ctxOf(proposed);
    expect(ctx.requirements.map((r) => r.kind)).toEqual(['governance', 'administrator']);
    expect(ctx.requirements[1]?.description).toBe("an administrator of every profile, for the change to roles 'admin'");
    expect(approvals(proposed, ['sam']).satisfied).toBe(false);
    expect(approvals(proposed, ['sam', 'author']).satisfied).toBe(false);
    expect(approvals(proposed, ['sam', 'admin2']).satisfied).toBe(true);
  });

  it('nobody satisfies an administrator requirement when no profile is in force and nobody administers', () => {
    const empty = makePolicy({ identities: [human('author'), human('other')], profiles: [], resources: [] });
    const ctx = policyChangeContext(new DutyIndex(empty, NOW), { ...empty, groups: new Map([['g', { name: 'g' }]]) });
    expect(decidePolicyChangeApproval(ctx, 'author', 'other').allowed).toBe(false);
  });
});
