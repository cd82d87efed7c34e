import { describe, expect, it } from 'vitest';
import { formatProblem, loadPolicyDirectory } from './policy-files.js';

const BROKEN = 'test/fixtures/broken-policies';

interface Expected {
  readonly file: string;
  readonly line: number;
  readonly col?: number;
  readonly message: string;
}

/** Each broken fixture folder and exactly the problems it must produce, in report order. */
const CASES: readonly { readonly dir: string; readonly problems: readonly Expected[] }[] = [
  {
    dir: 'yaml-syntax',
    problems: [{ file: 'policy.yaml', line: 4, col: 1, message: 'YAML: Flow map in block collection' }],
  },
  {
    dir: 'unknown-field',
    problems: [{ file: 'policy.yaml', line: 6, col: 3, message: "spec: unknown field 'emial'" }],
  },
  {
    dir: 'typo-duty',
    problems: [
      { file: 'policy.yaml', line: 10, col: 21, message: "spec.duties[1]: 'aprove' is not one of request, approve" },
    ],
  },
  {
    dir: 'cel-type-error',
    problems: [{ file: 'policy.yaml', line: 16, message: 'spec.baseline[0].expr: type error: no such overload' }],
  },
  {
    dir: 'cel-unknown-variable',
    problems: [{ file: 'policy.yaml', line: 22, col: 15, message: "unknown variable 'requestor'" }],
  },
  {
    dir: 'missing-references',
    problems: [
      { file: 'policy.yaml', line: 11, col: 18, message: "profile 'nowhere' is not defined" },
      { file: 'policy.yaml', line: 12, col: 25, message: "group 'nobody' is not defined" },
      { file: 'policy.yaml', line: 12, col: 39, message: "identity 'ghost' is not defined" },
      { file: 'policy.yaml', line: 19, col: 35, message: "role 'writers' is not defined" },
      { file: 'policy.yaml', line: 24, col: 18, message: "profile 'orders' is not defined" },
      { file: 'policy.yaml', line: 24, col: 33, message: "identity 'ghost' is not defined" },
      { file: 'policy.yaml', line: 32, col: 23, message: "group 'owners-team' is not defined" },
      { file: 'policy.yaml', line: 40, col: 40, message: "group 'reviewers' is not defined" },
      { file: 'policy.yaml', line: 40, col: 57, message: "role 'approvers' is not defined" },
      { file: 'policy.yaml', line: 40, col: 73, message: "identity 'ghost' is not defined" },
      { file: 'policy.yaml', line: 41, col: 27, message: "group 'oncall' is not defined" },
      {
        file: 'policy.yaml',
        line: 41,
        col: 58,
        message: "break-glass names action 'write', which profile 'db' does not have",
      },
      { file: 'policy.yaml', line: 42, col: 29, message: "group 'security' is not defined" },
    ],
  },
  {
    dir: 'duplicate-names',
    problems: [
      {
        file: 'b.yaml',
        line: 8,
        col: 19,
        message: "duplicate Group 'dba': first defined at test/fixtures/broken-policies/duplicate-names/a.yaml:3:19",
      },
    ],
  },
  {
    dir: 'extends-cycle',
    problems: [
      { file: 'policy.yaml', line: 4, col: 18, message: "profile 'a' extends itself: a → b → a" },
      { file: 'policy.yaml', line: 9, col: 18, message: "profile 'b' extends itself: b → a → b" },
      { file: 'policy.yaml', line: 14, col: 18, message: "profile 'self' extends itself: self → self" },
    ],
  },
  {
    dir: 'extends-missing-base',
    problems: [
      { file: 'policy.yaml', line: 10, col: 12, message: "profile 'db-prod' extends unknown profile 'db-base'" },
    ],
  },
  {
    dir: 'nhi-human-only-duty',
    problems: [
      {
        file: 'policy.yaml',
        line: 28,
        col: 7,
        message:
          "role 'approvers' gives human-only duty 'approve' to non-human identity 'deploy-bot' through group 'ci'",
      },
      {
        file: 'policy.yaml',
        line: 30,
        col: 7,
        message: "role 'approvers' gives human-only duty 'approve' to non-human identity 'scanner' (service)",
      },
    ],
  },
  {
    dir: 'nhi-owner',
    problems: [
      { file: 'policy.yaml', line: 4, col: 1, message: "non-human identity 'orphan-bot' has no owner" },
      {
        file: 'policy.yaml',
        line: 9,
        col: 32,
        message: "owner 'orphan-bot' of 'bot-of-bot' is a service identity: an owner must be human",
      },
      { file: 'policy.yaml', line: 14, col: 32, message: "owner 'ghost' of 'ghost-owned' is not a defined identity" },
    ],
  },
  {
    dir: 'bad-durations',
    problems: [
      { file: 'policy.yaml', line: 14, col: 38, message: "pendingTimeout: '31d' is longer than the 30d maximum" },
      { file: 'policy.yaml', line: 19, col: 20, message: "maxDuration: '8 hours' is not a duration" },
      { file: 'policy.yaml', line: 20, col: 25, message: "activationWindow: '0s' is not a duration" },
      { file: 'policy.yaml', line: 21, col: 27, message: 'spec.certification.every: expected a string, got number 90' },
    ],
  },
  {
    dir: 'break-glass-too-long',
    problems: [
      {
        file: 'policy.yaml',
        line: 17,
        col: 76,
        message: "break-glass maxDuration 1h is longer than the maxDuration 30m of action 'write'",
      },
    ],
  },
  {
    dir: 'unknown-provider',
    problems: [{ file: 'policy.yaml', line: 13, col: 21, message: "'mysql' is not a provider type" }],
  },
  {
    dir: 'provider-shapes',
    problems: [
      {
        file: 'policy.yaml',
        line: 15,
        col: 53,
        message: "spec.actions.read.grant: unknown field 'database' (provider 'postgres')",
      },
      { file: 'policy.yaml', line: 16, col: 24, message: "spec.actions.run.execute: missing required field 'role'" },
      { file: 'policy.yaml', line: 16, col: 35, message: "spec.actions.run.execute: unknown field 'argv'" },
      { file: 'policy.yaml', line: 25, col: 31, message: "spec.provider: unknown field 'host'" },
      { file: 'policy.yaml', line: 36, col: 85, message: "argv[3]: unknown placeholder '{secret.token}'" },
      {
        file: 'policy.yaml',
        line: 40,
        col: 59,
        message:
          "spec.actions.stop.execute.argv[3]: placeholder '{params.reasn}' names no property of the action's params schema",
      },
      { file: 'policy.yaml', line: 50, col: 3, message: "provider 'webhook' needs setting 'secretEnv'" },
      {
        file: 'policy.yaml',
        line: 57,
        col: 3,
        message:
          "profile 'scripts-as-postgres' inherits action 'restart' from 'scripts', whose execute does not fit provider 'postgres'",
      },
      {
        file: 'policy.yaml',
        line: 57,
        col: 3,
        message: "profile 'scripts-as-postgres' inherits action 'stop' from 'scripts'",
      },
    ],
  },
  {
    dir: 'action-outcomes',
    problems: [
      {
        file: 'policy.yaml',
        line: 15,
        col: 11,
        message: "spec.actions.both: an action has either 'grant' or 'execute', not both",
      },
      { file: 'policy.yaml', line: 16, col: 14, message: "spec.actions.neither: an action needs one of 'grant'" },
      { file: 'policy.yaml', line: 22, col: 11, message: 'approval[0]: an approval rule needs one outcome' },
      {
        file: 'policy.yaml',
        line: 23,
        col: 11,
        message: "approval[1]: an approval rule has exactly one outcome, this one has 'auto' and 'deny'",
      },
    ],
  },
  {
    dir: 'bad-patterns',
    problems: [
      {
        file: 'policy.yaml',
        line: 14,
        col: 37,
        message: 'spec.requestDefaults.ticketPattern: not a valid regular expression',
      },
      {
        file: 'policy.yaml',
        line: 20,
        col: 15,
        message: 'spec.actions.run.params: the schema does not compile: strict mode: unknown keyword: "maxlength"',
      },
    ],
  },
  {
    dir: 'system-names',
    problems: [
      {
        file: 'policy.yaml',
        line: 3,
        col: 19,
        message: "'system:executor': names starting with 'system:' are reserved",
      },
      {
        file: 'policy.yaml',
        line: 17,
        col: 25,
        message: "'identity:system:executor': names starting with 'system:' are reserved",
      },
    ],
  },
  {
    dir: 'envelope',
    problems: [
      { file: 'policy.yaml', line: 1, col: 13, message: "apiVersion: must be 'countersign.dev/v1'" },
      { file: 'policy.yaml', line: 7, col: 7, message: "kind: 'Team' is not one of Identity, Group" },
      { file: 'policy.yaml', line: 11, col: 1, message: "missing required field 'spec'" },
      { file: 'policy.yaml', line: 13, col: 19, message: "metadata.name: 'Ops_Team!' is not a name" },
      { file: 'policy.yaml', line: 13, col: 30, message: "metadata: unknown field 'extra'" },
      { file: 'policy.yaml', line: 15, col: 1, message: 'not a Countersign policy document' },
    ],
  },
  {
    dir: 'incomplete-profile',
    problems: [{ file: 'policy.yaml', line: 13, col: 5, message: "spec.actions.read: missing required field 'risk'" }],
  },
  {
    dir: 'many-problems',
    problems: [
      { file: 'a-broken.yaml', line: 5, col: 1, message: 'YAML: Flow sequence in block collection' },
      { file: 'b-roles.yaml', line: 5, col: 26, message: "spec.duties[2]: 'reed' is not one of" },
      { file: 'b-roles.yaml', line: 13, col: 19, message: "spec.classification: 'secret' is not one of public" },
      { file: 'b-roles.yaml', line: 25, col: 50, message: 'spec.baseline[0].expr: syntax error' },
    ],
  },
];

describe('loading a broken policy directory', () => {
  it.each(CASES)('$dir reports exactly its problems at their file, line and column', async ({ dir, problems }) => {
    const result = await loadPolicyDirectory(`${BROKEN}/${dir}`);
    expect(result.policy).toBeUndefined();
    const reported = result.problems.map(formatProblem);
    expect(reported, reported.join('\n')).toHaveLength(problems.length);
    for (const [i, expected] of problems.entries()) {
      const actual = result.problems[i];
      expect(actual?.file).toBe(`${BROKEN}/${dir}/${expected.file}`);
      expect(actual?.line, reported[i]).toBe(expected.line);
      if (expected.col !== undefined) expect(actual?.col, reported[i]).toBe(expected.col);
      expect(actual?.message).toContain(expected.message);
    }
  });

  it('a directory without YAML files is a problem, not an exception', async () => {
    const result = await loadPolicyDirectory(`${BROKEN}/no-yaml`);
    expect(result.problems.map(formatProblem)).toEqual([
      `${BROKEN}/no-yaml:1:1: policy directory '${BROKEN}/no-yaml' holds no *.yaml or *.yml files`,
    ]);
  });

  it('a missing directory is a problem, not an exception', async () => {
    const result = await loadPolicyDirectory(`${BROKEN}/does-not-exist`);
    expect(result.policy).toBeUndefined();
    expect(result.problems[0]?.message).toBe(`policy directory '${BROKEN}/does-not-exist' does not exist`);
  });
});
