import { describe, expect, it } from 'vitest';
import { parsePolicySources } from '../policy/load.js';
import type { ContextLookup, ContextValue, ContextValues } from '../policy/context-sources.js';
import type { PolicySet } from '../policy/model.js';
import {
  contextReasons,
  contextRecord,
  contextVariables,
  sourcesConsulted,
  unknownSourcesRead,
} from './context.decide.js';
import { changeRequirements, touchedProfiles } from './policy-change.decide.js';
import { kindDiffs } from './policy-diff.decide.js';
import { matchApprovalRule } from './request.decide.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import { NO_DRIFT } from './types.js';

const POLICY = `
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: {}
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: alice }
spec: { kind: human, email: Alice@Example.com, groups: [] }
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: pd }
spec: { type: pagerduty, baseUrl: 'https://pd', tokenEnv: PD, schedules: [P1] }
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: jira }
spec: { type: jira, baseUrl: 'https://jira', tokenEnv: JIRA, tickets: true }
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: p }
spec:
  classification: internal
  environment: production
  owners: [group:dba]
  provider: { type: noop }
  actions:
    read:
      risk: low
      grant: { role: ro }
      maxDuration: 1h
      approval:
        - { name: closed, when: 'ticket.status == "Done"', deny: closed ticket }
        - { name: on-call, when: 'context.pd.contains(requester.id)', auto: true }
        - { name: plain, when: 'requester.kind == "human"', auto: true }
        - { name: humans, steps: [ { from: [group:dba] } ] }
---
apiVersion: countersign.dev/v1
kind: Resource
metadata: { name: r }
spec: { profile: p }
`;

function policy(): PolicySet {
  const loaded = parsePolicySources([{ path: 'p.yaml', text: POLICY }]);
  if (!loaded.policy) throw new Error(JSON.stringify(loaded.problems));
  return loaded.policy;
}

const known = (value: ContextValue): ContextLookup => ({
  status: 'known',
  value,
  fetchedAt: 0,
  cached: false,
});
const OPEN_TICKET = known({ kind: 'ticket', key: 'OPS-1', exists: true, status: 'In Progress' });
const ALICE_ON_CALL = known({ kind: 'oncall', users: [{ id: 'PU1', email: 'alice@example.com' }] });

function match(values: ContextValues) {
  const p = policy();
  const rules = p.profiles.get('p')?.actions.get('read')?.approval ?? [];
  const requester = p.identities.get('alice');
  const resource = p.resources.get('r');
  const profile = p.profiles.get('p');
  if (!requester || !resource || !profile) throw new Error('fixture');
  const variables = () => ({
    ...buildCelVariables({
      request: {
        requester: 'alice',
        resource: 'r',
        action: 'read',
        durationSeconds: 60,
        breakGlass: false,
        ticket: 'OPS-1',
      },
      requester,
      resource,
      state: { drift: NO_DRIFT, config: {} },
      profile,
      now: 0,
    }),
    ...contextVariables(p, values),
  });
  return matchApprovalRule(rules, variables, { resource: 'r', observed: true }, values);
}

describe('context sources in approval rules (fail closed)', () => {
  it('with every source known, rules decide as written: the on-call requester is approved by policy', () => {
    const result = match(
      new Map([
        ['jira', OPEN_TICKET],
        ['pd', ALICE_ON_CALL],
      ]),
    );
    expect(result).toMatchObject({ kind: 'matched', rule: { name: 'on-call' } });
  });

  it('an unknown on-call source: the on-call rule does not apply, nor any later auto rule; humans decide', () => {
    const result = match(
      new Map([
        ['jira', OPEN_TICKET],
        ['pd', { status: 'unknown', reason: 'timed out' }],
      ]),
    );
    expect(result).toMatchObject({ kind: 'matched', rule: { name: 'humans' } });
    const codes = result.reasons.map((r) => r.code);
    expect(codes.filter((c) => c === 'rule.context_unknown')).toHaveLength(2);
    expect(result.reasons.map((r) => r.message)).toContain(
      "approval rule 'plain' would approve automatically, but rule 'on-call' could not be decided because context source 'pd' is unknown (timed out): no automatic approval",
    );
  });

  it('a source never consulted is unknown too', () => {
    expect(match(new Map([['jira', OPEN_TICKET]]))).toMatchObject({ kind: 'matched', rule: { name: 'humans' } });
  });

  it('a deny rule reading an unknown source applies, saying why', () => {
    const result = match(new Map([['jira', { status: 'unknown', reason: 'answered HTTP 500' }]]));
    expect(result).toMatchObject({
      kind: 'matched',
      rule: { name: 'closed' },
      unknownContext: "context source 'jira' is unknown (answered HTTP 500)",
    });
  });

  it('only the sources the decision reads are consulted', () => {
    const p = policy();
    const profile = p.profiles.get('p');
    if (!profile) throw new Error('fixture');
    expect(sourcesConsulted(p, profile, 'read', false).map((s) => s.name)).toEqual(['jira', 'pd']);
    expect(sourcesConsulted(p, profile, 'read', true)).toEqual([]);
    expect(unknownSourcesRead(undefined, new Map())).toEqual([]);
  });

  it('the record of a decision names identities (e-mail matched case-insensitively), not the service users', () => {
    const p = policy();
    const values = new Map([
      [
        'pd',
        known({
          kind: 'oncall',
          users: [
            { id: 'PU1', email: 'alice@example.com' },
            { id: 'PU2', email: 'x@y' },
          ],
        }),
      ],
      ['jira', { status: 'unknown', reason: 'timed out' } as const],
    ]);
    expect(contextRecord(p, values)).toEqual({
      jira: { status: 'unknown', reason: 'timed out' },
      pd: { status: 'known', fetchedAt: 0, cached: false, onCall: ['alice'], unmatchedUsers: 1 },
    });
    expect(contextReasons(p, values).map((r) => r.message)).toEqual([
      "context source 'jira' is unknown: timed out",
      "context source 'pd': on call: alice",
    ]);
  });
});

describe('a change to a context source in a policy change', () => {
  it('is listed by the plan and needs an administrator of every profile, like a role', () => {
    const current = policy();
    const loaded = parsePolicySources([{ path: 'p.yaml', text: POLICY.replace('schedules: [P1]', 'schedules: [P2]') }]);
    if (!loaded.policy) throw new Error(JSON.stringify(loaded.problems));
    const proposed = loaded.policy;
    expect(kindDiffs(current, proposed).contextSources).toEqual({ added: [], changed: ['pd'], removed: [] });
    const requirements = changeRequirements(current, current, proposed, touchedProfiles(current, proposed));
    expect(requirements.map((r) => r.description)).toContain(
      "an administrator of every profile, for the change to context sources 'pd'",
    );
  });
});
