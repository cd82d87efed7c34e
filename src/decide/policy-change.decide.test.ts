import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { PolicySet, ResourceProfile } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import {
  decidePolicyChangeApproval,
  decidePolicyChangeRejection,
  decidePolicyChangeSubmission,
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
  return { duties: new DutyIndex(current, NOW), proposed, touched: touchedProfiles(current, proposed) };
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
      'an approver must govern every touched profile',
      'sam',
      [changedProd, web],
      false,
      'policy_change.not_governance_approver',
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
    expect(policyChangeProgress(ctx, 'author', ['author', 'gone']).waitingFor).toEqual(['pg-prod']);
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
