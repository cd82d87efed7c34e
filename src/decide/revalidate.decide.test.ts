import { describe, expect, it } from 'vitest';
import { makeAction, makeApprovalRule, makeResource, makeResourceState } from '../../test/factories/profile.factory.js';
import {
  EXAMPLE_IDENTITIES,
  EXAMPLE_NOW,
  EXAMPLE_ROLES,
  exampleProfile,
  examplePolicy,
  makeRequestRecord,
  step,
  type PolicySpec,
} from '../../test/factories/policy.factory.js';
import type { Identity, PolicySet, ResourceProfile } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { decideExtension, revalidateRequest } from './revalidate.decide.js';
import { NO_DRIFT, type RequestRecord, type ResourceState } from './types.js';

const now = EXAMPLE_NOW;
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;

const postureRead = makeAction({
  name: 'posture-read',
  approval: [
    makeApprovalRule({ name: 'healthy', when: 'resource.drift.critical == 0', outcome: { type: 'auto' } }),
    makeApprovalRule({ name: 'owners-if-critical', outcome: { type: 'steps', steps: [step(['owners'])] } }),
  ],
});
const profile = exampleProfile({ extraActions: [postureRead] });

function policyWith(spec: PolicySpec = {}): PolicySet {
  return examplePolicy({ profiles: [profile], ...spec });
}
const policy = policyWith();

function ctx(on: PolicySet = policy, state: ResourceState = { drift: NO_DRIFT }) {
  return { policy: on, duties: new DutyIndex(on, now), state, now };
}

const RUN_SQL_STEPS = [step(['group:dba'], 1, true), step(['group:security'], 1)];

function approvedRunSql(
  overrides: Partial<RequestRecord> = {},
  on: Pick<ResourceProfile, 'name' | 'version'> = profile,
): RequestRecord {
  const content = { action: 'run-sql', durationSeconds: 600, ticket: 'CHG-1', params: { sql: 'select 1' } };
  const digest = makeRequestRecord(content, on).digest;
  return makeRequestRecord(
    {
      ...content,
      status: 'approved',
      matchedRule: 'dba-then-security',
      steps: RUN_SQL_STEPS,
      approvals: [
        { approver: 'bob', step: 0, at: now - minutes(20), digest },
        { approver: 'carol', step: 1, at: now - minutes(15), digest },
      ],
      approvedAt: now - minutes(15),
      ...overrides,
    },
    on,
  );
}

function withIdentity(name: string, change: Partial<Identity>): PolicySet {
  return policyWith({
    identities: EXAMPLE_IDENTITIES.map((identity) => (identity.name === name ? { ...identity, ...change } : identity)),
  });
}

function codes(result: { reasons: readonly { code: string }[] }): string[] {
  return result.reasons.map((r) => r.code);
}

describe('revalidateRequest', () => {
  it('an approved request whose policy, duties and resource are unchanged may activate', () => {
    const result = revalidateRequest(ctx(), approvedRunSql(), 'activate');
    expect(result).toMatchObject({ outcome: 'valid', profileChanged: false });
    expect(codes(result)).toEqual(
      expect.arrayContaining(['requester.holds_request', 'approval.still_satisfied', 'revalidation.holds']),
    );
  });

  const withoutDbaApprovers = policyWith({
    roles: EXAMPLE_ROLES.map((role) =>
      role.name === 'approver' ? { ...role, subjects: ['group:security', 'group:data-platform'] } : role,
    ),
  });
  const bobApprovesDirectly = policyWith({
    identities: EXAMPLE_IDENTITIES.map((identity) =>
      identity.name === 'bob' ? { ...identity, groups: ['ops'] } : identity,
    ),
    roles: EXAMPLE_ROLES.map((role) =>
      role.name === 'approver' ? { ...role, subjects: [...(role.subjects ?? []), 'identity:bob'] } : role,
    ),
  });
  const withoutRequesters = policyWith({ roles: EXAMPLE_ROLES.filter((role) => role.name !== 'payments-engineer') });
  const reboundResource = policyWith({ resources: [makeResource({ profile: 'other' })] });

  it.each<{
    name: string;
    request?: RequestRecord;
    on?: PolicySet;
    state?: ResourceState;
    phase?: 'activate' | 'execute';
    code: string;
  }>([
    {
      name: 'new high drift makes the deny rule match',
      state: makeResourceState({}, { high: 1 }),
      code: 'rule.now_denies',
    },
    {
      name: 'an approver whose role was removed no longer counts',
      on: withoutDbaApprovers,
      code: 'approval.no_longer_counts',
    },
    {
      name: "an approver who left the step's group no longer counts",
      on: bobApprovesDirectly,
      code: 'approver.not_in_step',
    },
    {
      name: 'an approver who joined the requester’s team is no longer independent',
      on: withIdentity('bob', { groups: ['dba', 'payments'] }),
      code: 'approver.not_independent',
    },
    {
      name: 'a disabled approver no longer counts',
      on: withIdentity('carol', { disabled: true }),
      code: 'approver.disabled',
    },
    { name: "a requester who lost 'request' is refused", on: withoutRequesters, code: 'requester.no_request_duty' },
    {
      name: 'a disabled requester is refused',
      on: withIdentity('alice', { disabled: true }),
      code: 'requester.disabled',
    },
    {
      name: 'a request past its activation window is refused',
      request: approvedRunSql({ approvedAt: now - hours(2) }),
      code: 'activation.window_passed',
    },
    {
      name: 'a pending request cannot activate',
      request: approvedRunSql({ status: 'pending' }),
      code: 'request.wrong_status',
    },
    {
      name: 'an active request cannot activate again',
      request: approvedRunSql({ status: 'active', expiresAt: now + hours(1) }),
      code: 'request.wrong_status',
    },
    {
      name: 'an expired grant cannot execute',
      request: approvedRunSql({ status: 'active', expiresAt: now - 1 }),
      phase: 'execute',
      code: 'grant.expired',
    },
    {
      name: 'content changed after approval is refused',
      request: { ...approvedRunSql(), params: { sql: 'drop table payments' } },
      code: 'digest.content_changed',
    },
    { name: 'a resource bound to another profile is refused', on: reboundResource, code: 'profile.rebound' },
  ])('$name', ({ request, on, state, phase, code }) => {
    const result = revalidateRequest(ctx(on, state), request ?? approvedRunSql(), phase ?? 'activate');
    expect(result.outcome).toBe('refused');
    expect(codes(result)).toContain(code);
  });

  it('names the approver that no longer counts and the step left short', () => {
    const result = revalidateRequest(ctx(withoutDbaApprovers), approvedRunSql(), 'activate');
    const messages = result.reasons.map((r) => r.message);
    expect(messages).toContain("the approval by 'bob' no longer counts");
    expect(messages).toContain('step 1 now has 0 of 1 approvals that still count');
  });

  it('an approval recorded for other content does not count', () => {
    const request = approvedRunSql();
    const tampered = {
      ...request,
      approvals: request.approvals.map((a) => (a.approver === 'carol' ? { ...a, digest: '0'.repeat(64) } : a)),
    };
    expect(codes(revalidateRequest(ctx(), tampered, 'activate'))).toContain('digest.mismatch');
  });

  it('an active grant within its time may execute', () => {
    expect(
      revalidateRequest(ctx(), approvedRunSql({ status: 'active', expiresAt: now + minutes(5) }), 'execute').outcome,
    ).toBe('valid');
  });

  it('a changed profile with the same approval policy is reported but holds', () => {
    const relabelled = exampleProfile({ extraActions: [postureRead], labels: { tier: 'data' }, version: 'v2' });
    const result = revalidateRequest(ctx(policyWith({ profiles: [relabelled] })), approvedRunSql(), 'activate');
    expect(result).toMatchObject({ outcome: 'valid', profileChanged: true });
    expect(codes(result)).toContain('profile.version_changed');
  });

  it('a changed profile that now needs more approvals is refused', () => {
    const stricter = exampleProfile({
      version: 'v3',
      extraActions: [
        postureRead,
        makeAction({
          name: 'run-sql',
          maxDurationSeconds: 900,
          approval: [
            makeApprovalRule({
              name: 'dba-then-security',
              outcome: { type: 'steps', steps: [...RUN_SQL_STEPS, step(['owners'])] },
            }),
          ],
        }),
      ],
    });
    const result = revalidateRequest(ctx(policyWith({ profiles: [stricter] })), approvedRunSql(), 'activate');
    expect(result.outcome).toBe('refused');
    expect(codes(result)).toEqual(expect.arrayContaining(['profile.version_changed', 'rule.changed']));
  });

  describe('an auto-approved request', () => {
    const auto = makeRequestRecord(
      { action: 'posture-read', status: 'approved', matchedRule: 'healthy', approvedAt: now - minutes(1) },
      profile,
    );

    it('still holds while the auto rule applies', () => {
      const result = revalidateRequest(ctx(policy, makeResourceState({})), auto, 'activate');
      expect(result.outcome).toBe('valid');
      expect(codes(result)).toContain('rule.still_auto');
    });

    it('is refused while the resource has never been observed: its drift is unknown, not zero', () => {
      const result = revalidateRequest(ctx(), auto, 'activate');
      expect(result.outcome).toBe('refused');
      expect(codes(result)).toContain('rule.state_unknown');
    });

    it('is refused once the resource state makes it need approval', () => {
      const result = revalidateRequest(ctx(policy, makeResourceState({}, { critical: 1 })), auto, 'activate');
      expect(result.outcome).toBe('refused');
      expect(codes(result)).toContain('rule.changed');
    });
  });

  describe('a break-glass request', () => {
    const glass = makeRequestRecord(
      {
        requester: 'olivia',
        action: 'run-sql',
        durationSeconds: 600,
        params: { sql: 'select 1' },
        breakGlass: true,
        status: 'active',
        expiresAt: now + minutes(5),
      },
      profile,
    );

    it('may execute while its requester is still allowed, even with drift a rule would deny', () => {
      expect(revalidateRequest(ctx(policy, makeResourceState({}, { high: 3 })), glass, 'execute').outcome).toBe(
        'valid',
      );
    });

    it('is refused once its requester left on-call', () => {
      const result = revalidateRequest(ctx(withIdentity('olivia', { groups: [] })), glass, 'execute');
      expect(codes(result)).toContain('break_glass.no_longer_allowed');
    });
  });
});

describe('decideExtension', () => {
  const extensionContent = { requester: 'alice', action: 'read', durationSeconds: 7200 };
  const active = makeRequestRecord(
    {
      ...extensionContent,
      id: 'req-1',
      status: 'active',
      activatedAt: now - hours(1),
      firstActivatedAt: now - hours(1),
      expiresAt: now + hours(1),
    },
    profile,
  );
  const digest = makeRequestRecord(extensionContent, profile).digest;
  const extension = makeRequestRecord(
    {
      ...extensionContent,
      id: 'req-2',
      status: 'approved',
      approvedAt: now - minutes(1),
      matchedRule: 'owners-approve',
      steps: [step(['owners'])],
      approvals: [{ approver: 'pat', step: 0, at: now - minutes(1), digest }],
    },
    profile,
  );

  it('a new approval under the same policy extends the grant from now', () => {
    const result = decideExtension(ctx(), active, extension);
    expect(result).toMatchObject({ outcome: 'extended', expiresAt: now + hours(2), firstActivatedAt: now - hours(1) });
  });

  it.each<{ name: string; grant?: RequestRecord; ext?: RequestRecord; code: string }>([
    {
      name: 'an extension past maxDuration counted from the first activation is refused',
      grant: { ...active, firstActivatedAt: now - hours(7) },
      code: 'extension.past_max_duration',
    },
    {
      name: 'an extension for other parameters is refused',
      ext: { ...extension, params: { schema: 'x' } },
      code: 'extension.different_request',
    },
    {
      name: 'an extension by someone else is refused',
      ext: { ...extension, requester: 'deploy-bot' },
      code: 'extension.different_request',
    },
    {
      name: 'an extension evaluated under another profile version is refused',
      ext: { ...extension, profileVersion: 'old' },
      code: 'extension.different_policy',
    },
    {
      name: 'an extension that is not approved yet is refused',
      ext: { ...extension, status: 'pending' },
      code: 'request.wrong_status',
    },
    {
      name: 'break-glass cannot extend a grant',
      ext: { ...extension, breakGlass: true },
      code: 'extension.break_glass',
    },
    {
      name: 'a grant that already expired cannot be extended',
      grant: { ...active, expiresAt: now - 1 },
      code: 'grant.not_active',
    },
    {
      name: 'an extension that ends before the grant does is refused',
      grant: { ...active, expiresAt: now + hours(3) },
      code: 'extension.not_later',
    },
  ])('$name', ({ grant, ext, code }) => {
    const result = decideExtension(ctx(), grant ?? active, ext ?? extension);
    expect(result.outcome).toBe('refused');
    expect(codes(result)).toContain(code);
  });

  it('says how far past the limit an extension would run', () => {
    const result = decideExtension(ctx(), { ...active, firstActivatedAt: now - hours(7) }, extension);
    expect(result.reasons.map((r) => r.message)).toContain(
      "the extension would run 1h past the 8h maximum of action 'read', counted from the first activation",
    );
  });
});
