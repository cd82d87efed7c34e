import { describe, expect, it } from 'vitest';
import { makeAction, makeApprovalRule, makeProfile, makeResourceState } from '../../test/factories/profile.factory.js';
import {
  EXAMPLE_IDENTITIES,
  EXAMPLE_NOW,
  exampleProfile,
  examplePolicy,
  human,
  nhi,
  step,
} from '../../test/factories/policy.factory.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import type { PolicySet } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import {
  evaluateRequest,
  matchApprovalRule,
  MAX_JUSTIFICATION_LENGTH,
  type RequestEvaluation,
} from './request.decide.js';
import { requestDigest } from './request-digest.js';
import { NO_DRIFT, type RequestInput, type ResourceState } from './types.js';

const now = EXAMPLE_NOW;

const extraActions = [
  // No rule matches a short vacuum: the request is denied.
  makeAction({
    name: 'vacuum',
    requireJustification: false,
    approval: [makeApprovalRule({ name: 'long-vacuum', when: 'request.duration > duration("1h")' })],
  }),
  // `resource.config.ssl` is absent from an observation without it: a run-time error, then an auto rule.
  makeAction({
    name: 'inspect',
    approval: [
      makeApprovalRule({ name: 'tls-only', when: 'resource.config.ssl == "on"', outcome: { type: 'auto' } }),
      makeApprovalRule({ name: 'anything-goes', outcome: { type: 'auto' } }),
    ],
  }),
];

const policy = examplePolicy({
  identities: [...EXAMPLE_IDENTITIES, nhi('pager-bot', 'olivia', ['oncall'])],
  profiles: [exampleProfile({ extraActions })],
});

const baseInput: RequestInput = {
  requester: 'alice',
  resource: 'payments-db',
  action: 'read',
  durationSeconds: 1800,
  justification: 'investigating INC-1',
  breakGlass: false,
};

function evaluate(input: Partial<RequestInput>, state: ResourceState = { drift: NO_DRIFT }, on: PolicySet = policy) {
  const full: RequestInput = { ...baseInput, ...input };
  return evaluateRequest({ policy: on, duties: new DutyIndex(on, now), state, now }, full);
}

function codes(result: RequestEvaluation): string[] {
  return result.reasons.map((r) => r.code);
}

const runSql = { action: 'run-sql', durationSeconds: 600, ticket: 'CHG-42', params: { sql: 'select 1' } };

describe('evaluateRequest', () => {
  it.each<{
    name: string;
    input: Partial<RequestInput>;
    state?: ResourceState;
    outcome: string;
    code: string;
    message?: string;
  }>([
    {
      name: 'an unknown requester is forbidden',
      input: { requester: 'nobody' },
      outcome: 'forbidden',
      code: 'requester.unknown',
      message: "identity 'nobody' does not exist",
    },
    {
      name: 'a disabled requester is forbidden',
      input: { requester: 'mallory' },
      outcome: 'forbidden',
      code: 'requester.disabled',
    },
    {
      name: 'an unknown resource is invalid',
      input: { resource: 'ghost-db' },
      outcome: 'invalid',
      code: 'resource.unknown',
      message: "resource 'ghost-db' does not exist",
    },
    {
      name: 'an action the profile does not define is invalid',
      input: { action: 'drop-db' },
      outcome: 'invalid',
      code: 'action.unknown',
      message: "profile 'postgres-prod' has no action 'drop-db'",
    },
    {
      name: 'a requester without request on the profile is forbidden',
      input: { requester: 'bob' },
      outcome: 'forbidden',
      code: 'requester.no_request_duty',
      message: "'bob' does not hold 'request' on profile 'postgres-prod'",
    },
    {
      name: 'a duration of zero is invalid',
      input: { durationSeconds: 0 },
      outcome: 'invalid',
      code: 'duration.invalid',
    },
    {
      name: 'a fractional duration is invalid',
      input: { durationSeconds: 1.5 },
      outcome: 'invalid',
      code: 'duration.invalid',
    },
    {
      name: "a duration beyond the action's maxDuration is invalid",
      input: { durationSeconds: 9 * 3600 },
      outcome: 'invalid',
      code: 'duration.too_long',
      message: "duration 9h exceeds the 8h maximum of action 'read'",
    },
    {
      name: 'a missing justification is invalid when required',
      input: { justification: undefined },
      outcome: 'invalid',
      code: 'justification.missing',
    },
    {
      name: 'a blank justification is invalid when required',
      input: { justification: ' \n\t' },
      outcome: 'invalid',
      code: 'justification.missing',
    },
    {
      name: 'an overlong justification is invalid',
      input: { justification: 'x'.repeat(MAX_JUSTIFICATION_LENGTH + 1) },
      outcome: 'invalid',
      code: 'justification.too_long',
    },
    {
      name: 'a missing ticket is invalid when the action has a ticket pattern',
      input: { ...runSql, ticket: undefined },
      outcome: 'invalid',
      code: 'ticket.missing',
    },
    {
      name: 'a ticket that does not match the pattern is invalid',
      input: { ...runSql, ticket: 'INC-1' },
      outcome: 'invalid',
      code: 'ticket.mismatch',
      message: "ticket 'INC-1' does not match ^CHG-[0-9]+$ required by action 'run-sql'",
    },
    {
      name: "parameters that fail the action's schema are invalid",
      input: { ...runSql, params: {} },
      outcome: 'invalid',
      code: 'params.invalid',
    },
    { name: 'a short human read is approved by policy', input: {}, outcome: 'auto_approved', code: 'rule.matched' },
    {
      name: 'a long read needs an owner',
      input: { durationSeconds: 4 * 3600 },
      outcome: 'pending',
      code: 'rule.not_matched',
    },
    {
      name: 'a short read by a pipeline is not auto-approved',
      input: { requester: 'deploy-bot' },
      outcome: 'pending',
      code: 'requester.holds_request',
    },
    {
      name: 'run-sql on a resource with high drift is denied by the drift rule',
      input: runSql,
      state: makeResourceState({}, { high: 1 }),
      outcome: 'denied',
      code: 'rule.matched',
      message: "approval rule 'no-drift' applies: resource.drift.high > 0 holds",
    },
    { name: 'run-sql without drift needs approval', input: runSql, outcome: 'pending', code: 'rule.matched' },
    {
      name: 'a request no rule matches is denied',
      input: { action: 'vacuum' },
      outcome: 'denied',
      code: 'rule.none_matched',
      message: 'no approval rule matched',
    },
    {
      name: 'a condition that fails at run time denies and later rules are not tried',
      input: { action: 'inspect' },
      state: makeResourceState({ port: 5432 }),
      outcome: 'denied',
      code: 'rule.evaluation_error',
    },
  ])('$name', ({ input, state, outcome, code, message }) => {
    const result = evaluate(input, state);
    expect(result.outcome).toBe(outcome);
    expect(codes(result)).toContain(code);
    if (message !== undefined) expect(result.reasons.map((r) => r.message)).toContain(message);
  });

  it('reports every content problem at once', () => {
    const result = evaluate({ ...runSql, durationSeconds: 3600, justification: '', ticket: 'nope', params: {} });
    expect(result.outcome).toBe('invalid');
    expect(codes(result)).toEqual(['duration.too_long', 'justification.missing', 'ticket.mismatch', 'params.invalid']);
  });

  it('an auto-approved request records the rule, profile version, digest and activation deadline', () => {
    const result = evaluate({});
    expect(result).toMatchObject({
      outcome: 'auto_approved',
      rule: 'short-human-reads',
      profile: 'postgres-prod',
      profileVersion: policy.profiles.get('postgres-prod')?.version,
      digest: requestDigest({ resource: 'payments-db', action: 'read', durationSeconds: 1800 }),
      activateBy: now + 3600 * 1000,
    });
  });

  it('a pending request carries the steps of the matched rule and its timeout', () => {
    const result = evaluate(runSql);
    expect(result).toMatchObject({
      outcome: 'pending',
      rule: 'dba-then-security',
      steps: [step(['group:dba'], 1, true), step(['group:security'], 1)],
      pendingUntil: now + 24 * 3600 * 1000,
    });
  });

  it('a denial by a deny rule carries its message', () => {
    const result = evaluate(runSql, makeResourceState({}, { high: 2 }));
    expect(result).toMatchObject({
      outcome: 'denied',
      rule: 'no-drift',
      message: 'resource has unresolved high-severity drift',
    });
  });

  it('a run-time condition error names the rule and never falls through to a permissive rule', () => {
    const result = evaluate({ action: 'inspect' }, makeResourceState({ port: 5432 }));
    expect(result).toMatchObject({ outcome: 'denied', rule: 'tls-only' });
    if (result.outcome !== 'denied') return;
    expect(result.message).toMatch(/^approval rule 'tls-only' could not be evaluated: /);
    expect(codes(result)).not.toContain('rule.matched');
  });

  it('the same condition matches once the field is observed', () => {
    expect(evaluate({ action: 'inspect' }, makeResourceState({ ssl: 'on' }))).toMatchObject({
      outcome: 'auto_approved',
      rule: 'tls-only',
    });
  });

  it('an eligible role that is not active entitles nobody: a request never switches it on', () => {
    const result = evaluate({ requester: 'erin' });
    expect(result).toMatchObject({ outcome: 'forbidden' });
    expect(result.reasons[0]?.message).toBe(
      "'erin' holds 'request' on profile 'postgres-prod' only through eligible role 'contractor-access', which is not active; ask for role 'contractor-access' to be activated first",
    );
  });

  it('an eligible role entitles once its own activation is active, and not after it expired', () => {
    const full: RequestInput = { ...baseInput, requester: 'erin' };
    const activated = (expiresAt: number) =>
      evaluateRequest(
        {
          policy,
          duties: new DutyIndex(policy, now, [], [{ identity: 'erin', role: 'contractor-access', expiresAt }]),
          state: { drift: NO_DRIFT },
          now,
        },
        full,
      );
    const active = activated(now + 60_000);
    expect(active).toMatchObject({ outcome: 'auto_approved' });
    expect(active.reasons[0]?.message).toBe(
      "'erin' holds 'request' on profile 'postgres-prod' through activated role 'contractor-access'",
    );
    expect(activated(now)).toMatchObject({ outcome: 'forbidden' });
  });

  it('an expired role no longer entitles anyone to request', () => {
    const expired = examplePolicy({
      roles: [{ name: 'payments-engineer', duties: ['request'], subjects: ['group:payments'], expiresAt: now - 1 }],
    });
    expect(evaluate({}, undefined, expired)).toMatchObject({ outcome: 'forbidden' });
  });

  it('a resource bound to a missing profile is invalid', () => {
    const broken = examplePolicy({ profiles: [makeProfile({ name: 'other' })] });
    expect(codes(evaluate({}, undefined, broken))).toEqual(['profile.unknown']);
  });

  it('a steps rule with no steps denies rather than waiting forever', () => {
    const profile = exampleProfile({
      extraActions: [
        makeAction({
          name: 'odd',
          approval: [makeApprovalRule({ name: 'empty', outcome: { type: 'steps', steps: [] } })],
        }),
      ],
    });
    expect(evaluate({ action: 'odd' }, undefined, examplePolicy({ profiles: [profile] }))).toMatchObject({
      outcome: 'denied',
      rule: 'empty',
    });
  });

  it('an NHI may request through its own role and pipeline kind is visible to CEL', () => {
    expect(evaluate({ requester: 'deploy-bot', durationSeconds: 7200 })).toMatchObject({
      outcome: 'pending',
      rule: 'owners-approve',
    });
  });
});

describe('evaluateRequest for break-glass', () => {
  const breakGlass = { requester: 'olivia', breakGlass: true, justification: 'payments down, INC-7' };

  it('an on-call human goes straight to break-glass, with a review deadline and the rules skipped', () => {
    const result = evaluate({ ...breakGlass, ...runSql, ticket: undefined });
    expect(result).toMatchObject({
      outcome: 'break_glass',
      reviewBy: now + 24 * 3600 * 1000,
      expiresAt: now + 600 * 1000,
    });
    expect(codes(result)).toEqual(['break_glass.allowed', 'break_glass.rules_skipped']);
  });

  it('break-glass skips a deny rule that would match, and says so', () => {
    const result = evaluate({ ...breakGlass, ...runSql }, makeResourceState({}, { high: 1 }));
    expect(result.outcome).toBe('break_glass');
    expect(result.reasons.find((r) => r.code === 'break_glass.rules_skipped')?.message).toContain(
      "approval rules of action 'run-sql' were skipped",
    );
  });

  it.each<{ name: string; input: Partial<RequestInput>; on?: PolicySet; outcome: string; code: string }>([
    {
      name: 'someone outside the allowed subjects is forbidden',
      input: { requester: 'alice' },
      outcome: 'forbidden',
      code: 'break_glass.not_allowed',
    },
    {
      name: 'a non-human in the allowed group is forbidden',
      input: { requester: 'pager-bot' },
      outcome: 'forbidden',
      code: 'break_glass.not_human',
    },
    {
      name: 'an action break-glass does not list is forbidden',
      input: { action: 'vacuum' },
      outcome: 'forbidden',
      code: 'break_glass.action_not_covered',
    },
    {
      name: 'a duration beyond the break-glass maximum is invalid',
      input: { durationSeconds: 2 * 3600 },
      outcome: 'invalid',
      code: 'duration.too_long',
    },
    {
      name: 'break-glass needs a justification even when the action does not',
      input: { justification: '' },
      outcome: 'invalid',
      code: 'justification.missing',
    },
    {
      name: 'a profile without break-glass refuses it',
      input: {},
      on: examplePolicy({ profiles: [exampleProfile({ breakGlass: undefined })] }),
      outcome: 'forbidden',
      code: 'break_glass.not_offered',
    },
  ])('$name', ({ input, on, outcome, code }) => {
    const result = evaluate({ ...breakGlass, ...input }, undefined, on);
    expect(result.outcome).toBe(outcome);
    expect(codes(result)).toContain(code);
  });

  it('an identity named directly in allowed may use break-glass', () => {
    const profile = exampleProfile({
      breakGlass: {
        allowed: [{ type: 'identity', name: 'carol' }],
        actions: ['read'],
        maxDurationSeconds: 3600,
        reviewWithinSeconds: 3600,
      },
    });
    const on = examplePolicy({ profiles: [profile], identities: [...EXAMPLE_IDENTITIES, human('zed', [])] });
    expect(evaluate({ ...breakGlass, requester: 'carol' }, undefined, on).outcome).toBe('break_glass');
    expect(evaluate({ ...breakGlass, requester: 'zed' }, undefined, on).outcome).toBe('forbidden');
  });
});

describe('matchApprovalRule on a resource never observed', () => {
  const auto = { type: 'auto' } as const;
  const deny = { type: 'deny', message: 'drifted' } as const;
  const resource = policy.resources.get('payments-db')!;
  const profile = policy.profiles.get('postgres-prod')!;
  it.each([
    {
      name: 'an auto rule reading drift does not match',
      rules: [makeApprovalRule({ name: 'clean', when: 'resource.drift.high == 0', outcome: auto })],
      unobserved: undefined,
      observed: 'clean',
    },
    {
      name: 'an auto rule reading config through optional chaining does not match',
      rules: [makeApprovalRule({ name: 'tls', when: 'resource.config.?ssl.orValue("on") == "on"', outcome: auto })],
      unobserved: undefined,
      observed: 'tls',
    },
    {
      name: 'an auto rule reading only labels and resource.observed still applies',
      rules: [
        makeApprovalRule({
          name: 'unknown-ok',
          when: '!resource.observed && resource.labels.size() >= 0',
          outcome: auto,
        }),
      ],
      unobserved: 'unknown-ok',
      observed: undefined,
    },
    {
      name: 'a deny reading drift that does not fire keeps every later auto rule from matching',
      rules: [
        makeApprovalRule({ name: 'no-drift', when: 'resource.drift.high > 0', outcome: deny }),
        makeApprovalRule({ name: 'anyone', outcome: auto }),
        makeApprovalRule({ name: 'owners' }),
      ],
      unobserved: 'owners',
      observed: 'anyone',
    },
    {
      name: 'a deny reading config that fires on the empty configuration still denies',
      rules: [
        makeApprovalRule({ name: 'tls-off', when: 'resource.config.?ssl.orValue("off") != "on"', outcome: deny }),
        makeApprovalRule({ name: 'anyone', outcome: auto }),
      ],
      unobserved: 'tls-off',
      observed: 'anyone',
    },
    {
      name: 'a lighter steps rule that needs a clean resource gives way to the next rule',
      rules: [
        makeApprovalRule({ name: 'light', when: 'resource.drift.critical == 0' }),
        makeApprovalRule({ name: 'heavy' }),
      ],
      unobserved: 'heavy',
      observed: 'light',
    },
  ])('$name', ({ rules, unobserved, observed }) => {
    const match = (state: ResourceState) =>
      matchApprovalRule(rules, () => buildCelVariables({ resource, profile, state, now }), {
        resource: resource.name,
        observed: state.config !== undefined,
      });
    const never = match({ drift: NO_DRIFT });
    expect(never.kind === 'matched' ? never.rule.name : undefined).toBe(unobserved);
    if (unobserved !== 'tls-off' && unobserved !== 'unknown-ok') {
      expect(never.reasons.map((r) => r.code)).toContain('rule.state_unknown');
    }
    const seen = match(makeResourceState({ ssl: 'on' }));
    expect(seen.kind === 'matched' ? seen.rule.name : undefined).toBe(observed);
  });
});
