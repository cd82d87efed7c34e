import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_IDENTITIES,
  EXAMPLE_NOW,
  EXAMPLE_ROLES,
  examplePolicy,
  human,
  makeRequestRecord,
  step,
} from '../../test/factories/policy.factory.js';
import { decideApproval } from './approval.decide.js';
import { decideMyApproval, eligibleApprovers, isInInbox } from './approver-eligibility.decide.js';
import { DutyIndex } from './duties.js';
import type { RequestRecord } from './types.js';

const now = EXAMPLE_NOW;
/** Besides the example: sam is in dba and security, and may approve either step of run-sql (once). */
const policy = examplePolicy({
  identities: [...EXAMPLE_IDENTITIES, human('sam', ['dba', 'security'])],
  roles: EXAMPLE_ROLES.map((role) =>
    role.name === 'approver' ? { ...role, subjects: [...(role.subjects ?? []), 'identity:sam'] } : role,
  ),
});
const ctx = { policy, duties: new DutyIndex(policy, now), exceptions: [], now };
const profile = policy.profiles.get('postgres-prod')!;

/** alice's run-sql: an independent DBA, then security. */
function runSql(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return makeRequestRecord(
    {
      action: 'run-sql',
      durationSeconds: 600,
      ticket: 'CHG-1',
      params: { sql: 'select 1' },
      steps: [step(['group:dba'], 1, true), step(['group:security'], 1)],
      ...overrides,
    },
    profile,
  );
}

const afterSam = (request: RequestRecord): RequestRecord => ({
  ...request,
  approvals: [{ approver: 'sam', step: 0, at: now, digest: request.digest }],
});

describe('the inbox of an approver', () => {
  it.each([
    ['bob', runSql(), true, true, 'step.satisfied', 'an independent DBA can approve step 1'],
    [
      'dave',
      runSql(),
      true,
      false,
      'approver.not_independent',
      'a DBA in the payments team is named but not independent',
    ],
    ['carol', runSql(), false, false, undefined, 'security is not named by step 1'],
    ['alice', runSql(), false, false, undefined, 'the requester holds no approve duty'],
    ['erin', runSql(), false, false, undefined, 'a contractor is not an approver'],
    ['carol', afterSam(runSql()), true, true, 'step.satisfied', 'security can approve step 2 once step 1 is done'],
    ['sam', afterSam(runSql()), true, false, 'sod.duplicate_approval', 'the step 1 approver is named by step 2 too'],
    ['bob', runSql({ requester: 'bob' }), true, false, 'sod.own_request', 'a DBA is named on their own request'],
    ['bob', runSql({ status: 'approved' }), false, false, undefined, 'an approved request is in nobody’s inbox'],
    [
      'bob',
      runSql({ principalLinks: [{ identity: 'bob', member: 'alice', link: 'minter' }] }),
      true,
      false,
      'sod.same_principal',
      'an approver acting with a token the requester minted is one principal with them',
    ],
  ])('%s: listed %s, counts %s (%s: %s)', (approver, request, listed, counts, code, _why) => {
    expect(isInInbox(ctx, request, approver)).toBe(listed);
    if (!listed) return;
    const mine = decideMyApproval(ctx, request, approver);
    expect(mine.counts).toBe(counts);
    expect(mine.reason.code).toBe(code);
  });

  it('counts exactly when the approve decision counts, for every identity and stage of the request', () => {
    const stages = [runSql(), afterSam(runSql()), runSql({ requester: 'dave' }), runSql({ digest: 'f'.repeat(64) })];
    for (const request of stages) {
      for (const name of policy.identities.keys()) {
        const listed = isInInbox(ctx, request, name);
        const counted = decideApproval(ctx, request, name).outcome === 'counted';
        // Never counted without being listed: the inbox leaves out only those who can never act.
        if (counted) expect(listed).toBe(true);
        if (listed) expect(decideMyApproval(ctx, request, name).counts).toBe(counted);
      }
    }
  });

  it('a request whose content changed since creation counts for nobody, and says so', () => {
    const mine = decideMyApproval(ctx, runSql({ digest: 'f'.repeat(64) }), 'bob');
    expect(mine).toMatchObject({ counts: false, reason: { code: 'digest.content_changed' } });
  });
});

describe('who could approve each step of a new request', () => {
  const everyone = [...policy.identities.keys()];

  it('names the independent DBAs for step 1 and security for step 2, never the requester', () => {
    expect(eligibleApprovers(ctx, runSql(), 0, everyone)).toEqual(['bob', 'sam']);
    expect(eligibleApprovers(ctx, runSql(), 1, everyone)).toEqual(['carol', 'sam']);
    expect(eligibleApprovers(ctx, runSql({ requester: 'sam' }), 1, everyone)).toEqual(['carol']);
  });

  it('leaves out whoever is one principal with the requester', () => {
    const request = runSql({ principalLinks: [{ identity: 'alice', member: 'bob', link: 'minter' }] });
    expect(eligibleApprovers(ctx, request, 0, everyone)).toEqual(['sam']);
  });
});
