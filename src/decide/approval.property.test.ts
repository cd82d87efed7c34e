import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeProfile, makeResource } from '../../test/factories/profile.factory.js';
import {
  approverRef,
  human,
  makePolicy,
  makeRequestRecord,
  nhi,
  subject,
} from '../../test/factories/policy.factory.js';
import type { ApprovalStep, Identity } from '../policy/model.js';
import { approvalProgress, decideApproval } from './approval.decide.js';
import { DutyIndex } from './duties.js';
import { transition } from './lifecycle.decide.js';
import type { RequestRecord } from './types.js';

const now = 1_760_000_000_000;
const GROUPS = ['g0', 'g1', 'g2', 'g3'];
const HUMANS = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];
const NHIS = ['n0', 'n1'];
const NAMES = [...HUMANS, ...NHIS];
const SUBJECTS = [...GROUPS.map((g) => `group:${g}`), ...NAMES.map((n) => `identity:${n}`)];
const APPROVER_REFS = [...SUBJECTS, 'role:approver', 'role:on-call-approver', 'owners'];

const identitiesArb = fc
  .tuple(
    fc.array(fc.record({ groups: fc.subarray(GROUPS), disabled: fc.boolean() }), {
      minLength: HUMANS.length,
      maxLength: HUMANS.length,
    }),
    fc.array(fc.subarray(GROUPS), { minLength: NHIS.length, maxLength: NHIS.length }),
  )
  .map(([humans, nhis]): Identity[] => [
    ...humans.map((h, i) => human(HUMANS[i]!, h.groups, { disabled: h.disabled && i % 3 === 0 })),
    ...nhis.map((groups, i) => nhi(NHIS[i]!, 'h0', groups)),
  ]);

const stepArb: fc.Arbitrary<ApprovalStep> = fc.record({
  from: fc.subarray(APPROVER_REFS, { minLength: 1, maxLength: 4 }).map((refs) => refs.map(approverRef)),
  count: fc.integer({ min: 1, max: 3 }),
  independent: fc.boolean(),
});

/**
 * Random small policies: who holds `approve` (standing, or eligible and maybe activated) is random and may
 * include NHIs (a policy the loader would refuse, but the decision must not rely on the loader), who owns the
 * profile and resource is random, and so are the steps and the requester.
 */
const scenarioArb = fc.record({
  identities: identitiesArb,
  approvers: fc.subarray(SUBJECTS, { minLength: 1 }),
  eligibleApprovers: fc.subarray(SUBJECTS),
  activated: fc.subarray(NAMES),
  owners: fc.subarray(GROUPS, { minLength: 1, maxLength: 2 }),
  resourceOwner: fc.option(fc.constantFrom(...SUBJECTS), { nil: undefined }),
  requester: fc.constantFrom(...NAMES),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }),
  attempts: fc.array(fc.constantFrom(...NAMES, 'ghost'), { maxLength: 30 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Plays the attempts the way the application layer does: append each counted approval, advance the state. */
function play(scenario: Scenario): { record: RequestRecord; counted: number; identities: Identity[] } {
  const profile = makeProfile({ owners: scenario.owners.map((g) => subject(`group:${g}`)) });
  const policy = makePolicy({
    identities: scenario.identities,
    roles: [
      { name: 'requester', duties: ['request'], subjects: SUBJECTS },
      { name: 'approver', duties: ['approve'], subjects: scenario.approvers },
      { name: 'on-call-approver', duties: ['approve'], subjects: scenario.eligibleApprovers, assignment: 'eligible' },
    ],
    profiles: [profile],
    resources: [
      makeResource(
        scenario.resourceOwner === undefined ? { owner: undefined } : { owner: subject(scenario.resourceOwner) },
      ),
    ],
  });
  const activations = scenario.activated.map((identity) => ({
    identity,
    role: 'on-call-approver',
    expiresAt: now + 60_000,
  }));
  const ctx = { policy, duties: new DutyIndex(policy, now, [], activations), exceptions: [], now };
  let record = makeRequestRecord({ requester: scenario.requester, steps: scenario.steps }, profile);
  let counted = 0;
  for (const actor of scenario.attempts) {
    const decision = decideApproval(ctx, record, actor);
    if (decision.outcome !== 'counted') continue;
    counted++;
    const moved = transition(record.status, decision.nextState === 'approved' ? 'approve_final' : 'approve_step');
    if (!moved.ok) throw new Error(moved.reason.message);
    record = {
      ...record,
      status: moved.to,
      approvals: [...record.approvals, decision.approval],
      ...(moved.to === 'approved' ? { approvedAt: now } : {}),
    };
  }
  return { record, counted, identities: scenario.identities };
}

describe('approval counting over random policies and approval attempts', () => {
  it('no request is approved with fewer distinct approving identities than the sum of its step counts', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { record } = play(scenario);
        const distinct = new Set(record.approvals.map((a) => a.approver)).size;
        const required = record.steps.reduce((sum, s) => sum + s.count, 0);
        if (record.status === 'approved') expect(distinct).toBeGreaterThanOrEqual(required);
        expect(record.status === 'approved').toBe(approvalProgress(record).complete);
      }),
      { numRuns: 400 },
    );
  });

  it('the requester never counts as an approver', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { record } = play(scenario);
        expect(record.approvals.map((a) => a.approver)).not.toContain(record.requester);
      }),
      { numRuns: 400 },
    );
  });

  it('no non-human identity ever counts', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { record, identities } = play(scenario);
        const kinds = new Map(identities.map((i) => [i.name, i.kind]));
        for (const a of record.approvals) expect(kinds.get(a.approver)).toBe('human');
      }),
      { numRuns: 400 },
    );
  });

  it('no identity counts twice, in the same step or across steps', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { record } = play(scenario);
        const approvers = record.approvals.map((a) => a.approver);
        expect(new Set(approvers).size).toBe(approvers.length);
      }),
      { numRuns: 400 },
    );
  });

  it('approvals are counted step by step, never toward a step after an unsatisfied one', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { record } = play(scenario);
        const perStep = record.steps.map((_, i) => record.approvals.filter((a) => a.step === i).length);
        for (let i = 1; i < perStep.length; i++) {
          if ((perStep[i] ?? 0) > 0) expect(perStep[i - 1]).toBeGreaterThanOrEqual(record.steps[i - 1]!.count);
        }
        for (let i = 0; i < perStep.length; i++) expect(perStep[i]).toBeLessThanOrEqual(record.steps[i]!.count);
      }),
      { numRuns: 400 },
    );
  });

  it('the random scenarios do reach approval often enough to mean something', () => {
    const samples = fc.sample(scenarioArb, { numRuns: 400, seed: 42 });
    const approved = samples.filter((s) => play(s).record.status === 'approved').length;
    const someCounted = samples.filter((s) => play(s).counted > 0).length;
    expect(approved).toBeGreaterThan(20);
    expect(someCounted).toBeGreaterThan(100);
  });
});
