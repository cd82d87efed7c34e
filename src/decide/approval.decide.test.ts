import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_IDENTITIES,
  EXAMPLE_NOW,
  EXAMPLE_ROLES,
  examplePolicy,
  human,
  makeRequestRecord,
  nhi,
  step,
} from '../../test/factories/policy.factory.js';
import type { ApprovalStep, PolicySet, SodException } from '../policy/model.js';
import { approvalProgress, decideApproval, decideDenial, type ApprovalDecision } from './approval.decide.js';
import { DutyIndex, type RoleActivation } from './duties.js';
import type { ApprovalRecord, RequestRecord } from './types.js';

const now = EXAMPLE_NOW;

/** Besides the example: sam is in both dba and security; eve is in dba without `approve`; frank and gina are
 * eligible approvers (gina activated); paula owns the resource through `payments`; dba-bot is an NHI in dba. */
const identities = [
  ...EXAMPLE_IDENTITIES,
  human('sam', ['dba', 'security']),
  human('eve', ['dba']),
  human('frank', ['dba']),
  human('gina', ['dba']),
  human('paula', ['payments']),
  human('rick', ['ops']),
  nhi('dba-bot', 'bob', ['dba']),
];
const roles = [
  ...EXAMPLE_ROLES.map((role) =>
    role.name === 'approver'
      ? {
          ...role,
          subjects: [
            'group:security',
            'group:data-platform',
            'identity:bob',
            'identity:dave',
            'identity:sam',
            'identity:paula',
            'identity:dba-bot',
          ],
        }
      : role,
  ),
  { name: 'dba-admin', duties: ['approve' as const], subjects: ['identity:rick'] },
  {
    name: 'on-demand-approver',
    duties: ['approve' as const],
    subjects: ['identity:frank', 'identity:gina'],
    assignment: 'eligible' as const,
  },
];
const policy = examplePolicy({ identities, roles });
const activations: RoleActivation[] = [{ identity: 'gina', role: 'on-demand-approver', expiresAt: now + 3600_000 }];

function ctx(on: PolicySet = policy, exceptions: readonly SodException[] = []) {
  return { policy: on, duties: new DutyIndex(on, now, [], activations), exceptions, now };
}

const profile = policy.profiles.get('postgres-prod')!;

function runSqlRequest(
  overrides: Partial<RequestRecord> = {},
  steps: readonly ApprovalStep[] = [step(['group:dba'], 1, true), step(['group:security'], 1)],
) {
  return makeRequestRecord(
    {
      action: 'run-sql',
      durationSeconds: 600,
      ticket: 'CHG-1',
      params: { sql: 'select 1' },
      matchedRule: 'dba-then-security',
      steps,
      ...overrides,
    },
    profile,
  );
}

function approval(approver: string, stepIndex: number, request: RequestRecord): ApprovalRecord {
  return { approver, step: stepIndex, at: now - 1000, digest: request.digest };
}

function codes(decision: ApprovalDecision | ReturnType<typeof decideDenial>): string[] {
  return decision.reasons.map((r) => r.code);
}

describe('decideApproval', () => {
  const fresh = runSqlRequest();
  const afterStep1 = runSqlRequest({ approvals: [approval('bob', 0, fresh)] });

  it.each<{ name: string; request: RequestRecord; approver: string; code: string }>([
    {
      name: 'the requester cannot approve their own request',
      request: fresh,
      approver: 'alice',
      code: 'sod.own_request',
    },
    { name: 'an unknown identity cannot approve', request: fresh, approver: 'nobody', code: 'approver.unknown' },
    { name: 'a disabled identity cannot approve', request: fresh, approver: 'mallory', code: 'approver.disabled' },
    {
      name: 'a non-human in the approver group never counts',
      request: fresh,
      approver: 'dba-bot',
      code: 'approver.not_human',
    },
    { name: 'a dba without approve does not count', request: fresh, approver: 'eve', code: 'approver.no_approve_duty' },
    {
      name: 'an eligible approver who has not activated the role does not count',
      request: fresh,
      approver: 'frank',
      code: 'approver.no_approve_duty',
    },
    {
      name: 'a dba who shares a group with the requester is not independent',
      request: fresh,
      approver: 'dave',
      code: 'approver.not_independent',
    },
    {
      name: 'a security approver cannot approve while the dba step is open',
      request: fresh,
      approver: 'carol',
      code: 'approver.not_in_step',
    },
    {
      name: 'an identity that approved step 1 cannot approve step 2',
      request: runSqlRequest({ approvals: [approval('sam', 0, fresh)] }),
      approver: 'sam',
      code: 'sod.duplicate_approval',
    },
    {
      name: 'an approved request cannot be approved again',
      request: runSqlRequest({ status: 'approved' }),
      approver: 'bob',
      code: 'request.not_pending',
    },
    {
      name: 'a request whose content changed after creation cannot be approved',
      request: { ...fresh, durationSeconds: 900 },
      approver: 'bob',
      code: 'digest.content_changed',
    },
  ])('$name', ({ request, approver, code }) => {
    const decision = decideApproval(ctx(), request, approver);
    expect(decision.outcome).toBe('refused');
    expect(codes(decision)).toContain(code);
  });

  it('an independent dba approval satisfies step 1 and leaves the request pending', () => {
    const decision = decideApproval(ctx(), fresh, 'bob');
    expect(decision).toMatchObject({
      outcome: 'counted',
      step: 0,
      stepSatisfied: true,
      nextState: 'pending',
      approval: { approver: 'bob', step: 0, at: now, digest: fresh.digest },
    });
    expect(codes(decision)).toEqual(
      expect.arrayContaining(['approver.holds_approve', 'approver.in_step', 'approver.independent', 'step.satisfied']),
    );
  });

  it('the security approval after step 1 fully approves the request', () => {
    const decision = decideApproval(ctx(), afterStep1, 'carol');
    expect(decision).toMatchObject({ outcome: 'counted', step: 1, stepSatisfied: true, nextState: 'approved' });
    expect(codes(decision)).toContain('request.approved');
  });

  it('an activated eligible approver counts', () => {
    expect(decideApproval(ctx(), fresh, 'gina')).toMatchObject({ outcome: 'counted', step: 0 });
  });

  it('an approver who is in both approver groups counts once', () => {
    const both = [step(['group:dba', 'group:security'], 2)];
    const first = decideApproval(ctx(), runSqlRequest({}, both), 'sam');
    expect(first).toMatchObject({ outcome: 'counted', stepSatisfied: false, nextState: 'pending' });
    const again = runSqlRequest({ approvals: [approval('sam', 0, runSqlRequest({}, both))] }, both);
    expect(codes(decideApproval(ctx(), again, 'sam'))).toContain('sod.duplicate_approval');
    expect(decideApproval(ctx(), again, 'carol')).toMatchObject({ outcome: 'counted', nextState: 'approved' });
  });

  it.each([
    { name: 'a role reference admits holders of that role', from: ['role:dba-admin'], approver: 'rick', counted: true },
    {
      name: 'a role reference does not admit holders of other roles',
      from: ['role:dba-admin'],
      approver: 'bob',
      counted: false,
    },
    { name: 'an identity reference admits that identity', from: ['identity:carol'], approver: 'carol', counted: true },
    { name: "owners admits the profile's owners", from: ['owners'], approver: 'pat', counted: true },
    { name: "owners admits the resource's owner", from: ['owners'], approver: 'paula', counted: true },
    { name: 'owners does not admit others', from: ['owners'], approver: 'carol', counted: false },
  ])('$name', ({ from, approver, counted }) => {
    const request = makeRequestRecord({ requester: 'deploy-bot', steps: [step(from)] }, profile);
    expect(decideApproval(ctx(), request, approver).outcome).toBe(counted ? 'counted' : 'refused');
  });

  it('an approval for content other than the request is refused', () => {
    expect(codes(decideApproval(ctx(), fresh, 'bob', 'f'.repeat(64)))).toEqual(['digest.mismatch']);
    expect(decideApproval(ctx(), fresh, 'bob', fresh.digest).outcome).toBe('counted');
  });

  it('a configured request-scoped SoD rule refuses an approver who already provisioned', () => {
    const withRule = examplePolicy({
      identities,
      roles,
      sodRules: [
        { name: 'approvers-do-not-provision', scope: 'request', conflicting: { duties: ['approve', 'provision'] } },
      ],
    });
    const request = runSqlRequest({ otherActors: [{ identity: 'bob', duty: 'provision' }] });
    const decision = decideApproval(ctx(withRule), request, 'bob');
    expect(decision.outcome).toBe('refused');
    expect(decision.reasons.map((r) => r.message).join('\n')).toContain('approvers-do-not-provision');
  });

  it('lists every reason an approval is refused, not just the first', () => {
    expect(codes(decideApproval(ctx(), fresh, 'mallory'))).toEqual([
      'approver.disabled',
      'approver.no_approve_duty',
      'approver.not_in_step',
      'approver.not_independent',
    ]);
  });
});

describe('decideDenial', () => {
  const fresh = runSqlRequest();

  it.each([
    { name: 'an approver of the current step may deny', denier: 'bob', outcome: 'accepted' },
    { name: 'an approver of a later step may deny before their step is current', denier: 'carol', outcome: 'accepted' },
    { name: 'the requester may not deny their own request', denier: 'alice', outcome: 'refused' },
    { name: 'someone who could approve no step may not deny', denier: 'pat', outcome: 'refused' },
    { name: 'a non-human may not deny', denier: 'dba-bot', outcome: 'refused' },
    { name: 'a dba who is not independent of the requester may not deny', denier: 'dave', outcome: 'refused' },
  ])('$name', ({ denier, outcome }) => {
    expect(decideDenial(ctx(), fresh, denier).outcome).toBe(outcome);
  });

  it('a request that is no longer pending cannot be denied', () => {
    expect(codes(decideDenial(ctx(), runSqlRequest({ status: 'active' }), 'bob'))).toEqual(['request.not_pending']);
  });
});

describe('approvalProgress', () => {
  const steps = [step(['group:dba'], 2), step(['group:security'], 1)];
  const base = runSqlRequest({}, steps);
  const at = (approver: string, index: number) => approval(approver, index, base);

  it.each([
    {
      name: 'a fresh request is at step 1 with everything remaining',
      approvals: [],
      current: 0,
      remaining: 2,
      total: 3,
    },
    {
      name: 'one of two dba approvals leaves one in step 1',
      approvals: [at('bob', 0)],
      current: 0,
      remaining: 1,
      total: 2,
    },
    {
      name: 'a repeated approver counts once',
      approvals: [at('bob', 0), at('bob', 0)],
      current: 0,
      remaining: 1,
      total: 2,
    },
    {
      name: 'an identity counted in step 1 does not count again in step 2',
      approvals: [at('bob', 0), at('sam', 0), at('sam', 1)],
      current: 1,
      remaining: 1,
      total: 1,
    },
    {
      name: 'every step satisfied means complete',
      approvals: [at('bob', 0), at('sam', 0), at('carol', 1)],
      current: undefined,
      remaining: 0,
      total: 0,
    },
    {
      name: 'an approval for a step that does not exist is ignored',
      approvals: [at('bob', 5)],
      current: 0,
      remaining: 2,
      total: 3,
    },
  ])('$name', ({ approvals, current, remaining, total }) => {
    const progress = approvalProgress({ steps, approvals });
    expect(progress.currentStep).toBe(current);
    expect(progress.remainingInCurrentStep).toBe(remaining);
    expect(progress.remainingTotal).toBe(total);
    expect(progress.complete).toBe(current === undefined);
  });

  it('approvals that no longer count are left out', () => {
    const progress = approvalProgress({ steps, approvals: [at('bob', 0), at('sam', 0)] }, (a) => a.approver !== 'sam');
    expect(progress.steps[0]).toEqual({ step: 0, required: 2, approvers: ['bob'], satisfied: false });
  });
});
