import { describe, expect, it } from 'vitest';
import { formatProblem, parsePolicySources } from './load.js';

const PEOPLE = `apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: {}
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: erin }
spec: { kind: human, groups: [dba] }
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: db }
spec:
  classification: internal
  environment: production
  owners: [group:dba]
  provider: { type: noop }
  actions: { read: { risk: low, grant: { role: reader }, maxDuration: 1h, approval: [ { auto: true } ] } }
`;

function load(activation: string) {
  const role = `apiVersion: countersign.dev/v1
kind: Role
metadata: { name: dba-admin }
spec:
  duties: [request]
  profiles: [db]
  subjects: [group:dba]
  assignment: eligible
  activation:
${activation}`;
  return parsePolicySources([
    { path: 'people.yaml', text: PEOPLE },
    { path: 'roles.yaml', text: role },
  ]);
}

describe("a role's activation block", () => {
  it('loads with its rules compiled, its durations in seconds and its defaults filled in', () => {
    const result = load(`    maxDuration: 4h
    approval:
      - { name: short, when: 'request.duration <= duration("30m") && "dba" in requester.groups && role.name == "dba-admin"', auto: true }
      - { steps: [ { from: [group:dba] } ] }
`);
    expect(result.problems.map(formatProblem)).toEqual([]);
    const activation = result.policy?.roles.get('dba-admin')?.activation;
    expect(activation).toMatchObject({
      maxDurationSeconds: 4 * 3600,
      requireJustification: true,
      pendingTimeoutSeconds: 86_400,
    });
    expect(activation?.approval.map((rule) => [rule.name, rule.outcome.type])).toEqual([
      ['short', 'auto'],
      ['rule-2', 'steps'],
    ]);
  });

  it.each([
    [
      'a role has no owners to approve',
      `    approval: [ { steps: [ { from: [owners] } ] } ]\n`,
      "a role has no 'owners'",
    ],
    [
      'a condition sees no resource',
      `    approval: [ { when: 'resource.drift.high == 0', auto: true } ]\n`,
      "unknown variable 'resource'",
    ],
    [
      'an approver group must exist',
      `    approval: [ { steps: [ { from: [group:nobody] } ] } ]\n`,
      "group 'nobody' is not defined",
    ],
    ['a ticket pattern must be a regular expression', `    ticketPattern: '(' \n`, 'not a valid regular expression'],
    [
      'a ticket pattern may not repeat a repeating group',
      `    ticketPattern: '^(a+)+$'\n`,
      'repeats a group that itself repeats',
    ],
  ])('%s is a load error with file and line', (_story, activation, message) => {
    const problems = load(activation).problems.map(formatProblem);
    expect(problems.join('\n')).toContain(message);
    expect(problems.join('\n')).toMatch(/^roles\.yaml:\d+:\d+: /);
  });
});
