import { describe, expect, it } from 'vitest';
import { human, makePolicy, makeRequestRecord, nhi } from '../../test/factories/policy.factory.js';
import { DutyIndex } from './duties.js';
import {
  decideCampaignCreation,
  decideCertification,
  decideCertificationRead,
  decideReviewWindow,
  missedDeadlineOutcome,
  type CertificationSubject,
} from './certification.decide.js';

const NOW = 1_800_000_000_000;

const policy = makePolicy({
  identities: [
    human('alice', ['payments']),
    human('bob'),
    human('carol', ['security']),
    human('dave', ['security']),
    human('erin'),
    human('gone', ['security'], { disabled: true }),
    nhi('bot', 'alice'),
  ],
  roles: [
    { name: 'engineer', duties: ['request', 'use'], profiles: ['postgres-prod'], subjects: ['group:payments'] },
    { name: 'reviewer', duties: ['certify'], subjects: ['group:security'] },
    { name: 'narrow-reviewer', duties: ['certify'], profiles: ['other'], subjects: ['identity:erin'] },
    { name: 'approver', duties: ['approve'], subjects: ['identity:bob', 'group:security'] },
  ],
  sodRules: [{ name: 'approver-is-not-reviewer', scope: 'request', conflicting: { duties: ['approve', 'certify'] } }],
});
const duties = new DutyIndex(policy, NOW);

function decide(item: CertificationSubject, certifier: string) {
  return decideCertification({ item, certifier, policy, duties, exceptions: [], now: NOW });
}

const assignmentItem: CertificationSubject = {
  id: 'cit_1',
  kind: 'role_assignment',
  status: 'pending',
  holders: ['alice'],
  role: 'engineer',
  roleScope: { kind: 'profiles', names: ['postgres-prod'] },
  group: 'payments',
  assignedBy: 'dave',
};

const requestItem = (approvers: readonly string[]): CertificationSubject => ({
  id: 'cit_2',
  kind: 'grant',
  status: 'pending',
  holders: ['alice'],
  request: makeRequestRecord({
    requester: 'alice',
    approvals: approvers.map((approver) => ({ approver, step: 0, at: NOW - 1000, digest: 'd' })),
  }),
});

describe('decideCertification', () => {
  it.each([
    ['a certifier on the role’s profiles', assignmentItem, 'carol', true, 'certification.certifier_ok'],
    [
      'the holder of the assignment',
      { ...assignmentItem, holders: ['carol'] },
      'carol',
      false,
      'sod.certifier_is_holder',
    ],
    [
      'a member of the assigned group who joined later',
      { ...assignmentItem, group: 'security' },
      'carol',
      false,
      'sod.certifier_is_holder',
    ],
    ['whoever made the assignment', assignmentItem, 'dave', false, 'sod.certifier_assigned'],
    ['someone without certify on those profiles', assignmentItem, 'erin', false, 'certification.no_certify_duty'],
    ['someone holding no certify at all', assignmentItem, 'bob', false, 'certification.no_certify_duty'],
    ['a disabled certifier', assignmentItem, 'gone', false, 'certification.not_human'],
    ['a non-human identity', assignmentItem, 'bot', false, 'certification.not_human'],
    ['an independent certifier of a grant', requestItem(['bob']), 'carol', true, 'certification.certifier_ok'],
    ['the requester of a grant', requestItem(['bob']), 'alice', false, 'sod.own_request'],
    ['an approver of a grant', requestItem(['carol']), 'carol', false, 'sod.lifecycle_roles'],
    [
      'an item already decided',
      { ...assignmentItem, status: 'kept' as const },
      'carol',
      false,
      'certification.already_decided',
    ],
  ])('%s: allowed=%s', (_name, item, certifier, allowed, code) => {
    const verdict = decide(item, certifier);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.reasons.map((r) => r.code)).toContain(code);
  });

  it('a role reaching no profile may only be reviewed by a certifier over everything', () => {
    const orphan = { ...assignmentItem, roleScope: { kind: 'profiles' as const, names: ['gone'] } };
    expect(decide(orphan, 'carol').allowed).toBe(true);
    expect(decide(orphan, 'erin').allowed).toBe(false);
  });
});

describe('who opens and sees campaigns', () => {
  it.each([
    ['carol', true],
    ['alice', false],
    ['bot', false],
  ])('%s may open a campaign: %s', (actor, allowed) => {
    expect(decideCampaignCreation(duties, actor).allowed).toBe(allowed);
    expect(decideCertificationRead(duties, actor).allowed).toBe(allowed);
  });
});

describe('missedDeadlineOutcome', () => {
  it.each([
    ['revoke', 'pending', 'revoke'],
    ['revoke', 'escalated', 'revoke'],
    ['escalate', 'pending', 'escalate'],
    ['escalate', 'escalated', 'none'],
    ['revoke', 'kept', 'none'],
    ['escalate', 'revoked', 'none'],
  ] as const)('on %s, a %s item is %s', (onMissed, status, outcome) => {
    expect(missedDeadlineOutcome(onMissed, { id: 'cit_1', status }).outcome).toBe(outcome);
  });
});

describe('missedDeadlineOutcome on items giving administer, audit or certify', () => {
  it.each([
    ['revoke', 'pending', ['administer'], 'escalate'],
    ['revoke', 'pending', ['request', 'audit'], 'escalate'],
    ['revoke', 'pending', ['certify'], 'escalate'],
    ['revoke', 'escalated', ['audit'], 'none'],
    ['revoke', 'pending', ['request', 'use', 'approve'], 'revoke'],
    ['escalate', 'pending', ['administer'], 'escalate'],
    ['revoke', 'kept', ['administer'], 'none'],
  ] as const)('on %s, a %s item giving %j is %s', (onMissed, status, duties, outcome) => {
    const missed = missedDeadlineOutcome(onMissed, { id: 'cit_1', status }, duties);
    expect(missed.outcome).toBe(outcome);
    if (onMissed === 'revoke' && outcome === 'escalate')
      expect(missed.reason.code).toBe('certification.missed_privileged');
  });
});

describe('decideReviewWindow', () => {
  const DAY = 86_400_000;
  it.each([
    [20_000, false],
    [3 * DAY - 1, false],
    [3 * DAY, true],
    [14 * DAY, true],
    [-DAY, false],
  ])('a deadline %i ms away with a 3-day minimum is allowed: %s', (away, allowed) => {
    const verdict = decideReviewWindow(1_000_000 + away, 1_000_000, 3 * DAY);
    expect(verdict.allowed).toBe(allowed);
    if (!allowed) expect(verdict.reasons[0]?.message).toContain('at least 3d');
  });
});

describe('decideCertification: the owner of an NHI is one principal with it', () => {
  const ownerPolicy = makePolicy({
    identities: [human('carol', ['security']), human('dave', ['security']), nhi('scanner', 'carol')],
    roles: [
      { name: 'scanner-read', duties: ['request'], subjects: ['identity:scanner'] },
      { name: 'reviewer', duties: ['certify'], subjects: ['group:security'] },
    ],
  });
  const ownerDuties = new DutyIndex(ownerPolicy, NOW);
  const item: CertificationSubject = {
    id: 'cit_9',
    kind: 'role_assignment',
    status: 'pending',
    holders: ['scanner'],
    role: 'scanner-read',
    roleScope: { kind: 'all' },
  };
  const decideAs = (certifier: string) =>
    decideCertification({ item, certifier, policy: ownerPolicy, duties: ownerDuties, exceptions: [], now: NOW });

  it("the NHI's owner may not certify the NHI's standing access; another certifier may", () => {
    const byOwner = decideAs('carol');
    expect(byOwner.allowed).toBe(false);
    expect(byOwner.reasons.map((r) => r.code)).toContain('sod.same_principal');
    expect(byOwner.reasons.find((r) => r.code === 'sod.same_principal')?.message).toContain("'carol' owns 'scanner'");
    expect(decideAs('dave').allowed).toBe(true);
  });
});
