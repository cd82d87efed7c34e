import { describe, expect, it } from 'vitest';
import type { PolicySet } from './model.js';
import { formatProblem, parsePolicySources } from './load.js';
import { loadPolicyDirectory } from './policy-files.js';

async function validPolicy(): Promise<PolicySet> {
  const result = await loadPolicyDirectory('test/fixtures/valid-policy');
  expect(result.problems.map(formatProblem)).toEqual([]);
  if (!result.policy) throw new Error('the valid fixture did not load');
  return result.policy;
}

describe('loading the valid fixture', () => {
  it('builds identities with their defaults', async () => {
    const policy = await validPolicy();
    expect([...policy.identities.values()]).toEqual([
      {
        name: 'alice',
        kind: 'human',
        email: 'alice@example.com',
        groups: ['payments', 'data-platform'],
        attributes: {},
        disabled: false,
      },
      {
        name: 'bob',
        kind: 'human',
        email: 'bob@example.com',
        groups: ['dba', 'oncall'],
        attributes: { costCenter: '42', level: 3, contractor: false },
        disabled: false,
      },
      { name: 'carol', kind: 'human', subject: '00u1abc', groups: ['security'], attributes: {}, disabled: true },
      { name: 'deploy-bot', kind: 'pipeline', owner: 'alice', groups: ['ci'], attributes: {}, disabled: false },
    ]);
    expect(policy.groups.get('payments')).toEqual({ name: 'payments', description: 'Payments engineering' });
    expect(policy.groups.get('data-platform')).toEqual({ name: 'data-platform', description: 'Owns the databases' });
    expect([...policy.groups.keys()]).toEqual(['payments', 'data-platform', 'dba', 'security', 'oncall', 'ci']);
  });

  it('builds roles with their scopes and one assignment per subject', async () => {
    const policy = await validPolicy();
    expect([...policy.roles.values()]).toEqual([
      { name: 'payments-engineer', duties: ['request', 'use'], scope: { kind: 'profiles', names: ['postgres-prod'] } },
      { name: 'dba-approver', duties: ['approve'], scope: { kind: 'selector', labels: { tier: 'data' } } },
      { name: 'auditor', duties: ['audit', 'certify'], scope: { kind: 'all' } },
    ]);
    expect(policy.assignments).toEqual([
      {
        id: 'policy:payments-engineer:group:payments',
        role: 'payments-engineer',
        subject: { type: 'group', name: 'payments' },
        assignment: 'standing',
        source: 'policy',
      },
      {
        id: 'policy:payments-engineer:identity:deploy-bot',
        role: 'payments-engineer',
        subject: { type: 'identity', name: 'deploy-bot' },
        assignment: 'standing',
        source: 'policy',
      },
      {
        id: 'policy:dba-approver:group:dba',
        role: 'dba-approver',
        subject: { type: 'group', name: 'dba' },
        assignment: 'eligible',
        expiresAt: Date.UTC(2027, 0, 1),
        source: 'policy',
      },
      {
        id: 'policy:auditor:identity:carol',
        role: 'auditor',
        subject: { type: 'identity', name: 'carol' },
        assignment: 'standing',
        source: 'policy',
      },
    ]);
  });

  it('builds SoD rules, resources and notifiers', async () => {
    const policy = await validPolicy();
    expect(policy.sodRules).toEqual([
      {
        name: 'approvers-do-not-provision',
        scope: 'profile',
        conflicting: { duties: ['approve', 'provision'] },
        position: expect.objectContaining({ file: expect.stringMatching(/\.yaml$/) }),
      },
      {
        name: 'auditors-are-not-engineers',
        scope: 'global',
        conflicting: { roles: ['auditor', 'payments-engineer'] },
        description: 'Auditors review; they do not operate.',
        position: expect.objectContaining({ file: expect.stringMatching(/\.yaml$/) }),
      },
    ]);
    expect(policy.resources.get('payments-db')).toEqual({
      name: 'payments-db',
      profile: 'postgres-prod',
      labels: { region: 'eu' },
      owner: { type: 'group', name: 'payments' },
      connection: { dsnEnv: 'PAYMENTS_DB_DSN' },
      attributes: { database: 'payments', port: 5432 },
    });
    expect(policy.notifiers.get('security-webhook')).toEqual({
      name: 'security-webhook',
      type: 'webhook',
      urlEnv: 'SEC_WEBHOOK_URL',
      secretEnv: 'SEC_WEBHOOK_SECRET',
      events: ['break_glass.used', 'grant.revoke_failed'],
      format: 'json',
    });
  });

  it('resolves the derived profile and fills in request defaults', async () => {
    const policy = await validPolicy();
    const prod = policy.profiles.get('postgres-prod');
    expect(prod).toMatchObject({
      name: 'postgres-prod',
      extends: 'postgres-base',
      classification: 'restricted',
      environment: 'production',
      owners: [{ type: 'group', name: 'data-platform' }],
      labels: { tier: 'data', env: 'prod' },
      provider: { type: 'postgres', settings: { database: 'app' } },
      breakGlass: {
        allowed: [{ type: 'group', name: 'oncall' }],
        actions: ['read', 'run-sql'],
        maxDurationSeconds: 900,
        reviewWithinSeconds: 86_400,
      },
      certification: { everySeconds: 90 * 86_400 },
      governance: { approvers: [{ type: 'group', name: 'security' }] },
      position: { file: 'test/fixtures/valid-policy/profiles/prod.yaml', line: 3, col: 19 },
    });
    expect(prod?.baseline.map((check) => [check.name, check.severity, check.whenAbsent, check.expr.source])).toEqual([
      ['tls-on', 'critical', 'not_applicable', 'resource.config.ssl == "on"'],
      [
        'no-superuser-apps',
        'critical',
        'not_applicable',
        '!has(resource.config.superuser) || resource.config.superuser == false',
      ],
    ]);
    const read = prod?.actions.get('read');
    expect(read).toMatchObject({
      name: 'read',
      risk: 'low',
      grant: { role: 'analytics_ro' },
      maxDurationSeconds: 8 * 3600,
      requireJustification: true,
      ticketPattern: /^(INC|CHG)-[0-9]+$/,
      pendingTimeoutSeconds: 12 * 3600,
      activationWindowSeconds: 3600,
    });
    expect(read?.approval.map((rule) => [rule.name, rule.when?.source, rule.outcome])).toEqual([
      ['short-human-reads', 'request.duration <= duration("1h") && requester.kind == "human"', { type: 'auto' }],
      [
        'rule-2',
        undefined,
        { type: 'steps', steps: [{ from: [{ type: 'group', name: 'data-platform' }], count: 1, independent: false }] },
      ],
    ]);
    const runSql = prod?.actions.get('run-sql');
    expect(runSql?.ticketPattern).toEqual(/^CHG-[0-9]+$/);
    expect(runSql?.execute).toEqual({ role: 'app_rw', statementTimeout: '30s', maxRows: 1000 });
    expect(runSql?.approval[0]?.outcome).toEqual({
      type: 'deny',
      message: 'resource has unresolved high-severity drift',
    });
    expect(runSql?.approval[1]?.outcome).toEqual({
      type: 'steps',
      steps: [
        { from: [{ type: 'group', name: 'dba' }], count: 1, independent: true },
        {
          from: [{ type: 'role', name: 'auditor' }, { type: 'owners' }, { type: 'identity', name: 'bob' }],
          count: 2,
          independent: false,
        },
      ],
    });
  });

  it('governance approvers default to the owners', async () => {
    const policy = await validPolicy();
    expect(policy.profiles.get('postgres-base')?.governance).toEqual({
      approvers: [{ type: 'group', name: 'data-platform' }],
    });
  });

  it.each([
    [{ sql: 'select 1' }, []],
    [{}, ["params: must have required property 'sql'"]],
    [{ sql: 42 }, ['params.sql: must be string']],
    [{ sql: 'select 1', limit: 3 }, ["params: must NOT have additional properties 'limit'"]],
  ])('run-sql parameters %j are checked against the action schema', async (params, problems) => {
    const policy = await validPolicy();
    expect(policy.profiles.get('postgres-prod')?.actions.get('run-sql')?.validateParams(params)).toEqual(problems);
  });

  it('an action without a params schema takes no parameters', async () => {
    const read = (await validPolicy()).profiles.get('postgres-prod')?.actions.get('read');
    expect(read?.validateParams(undefined)).toEqual([]);
    expect(read?.validateParams({ sql: 'x' })).toEqual(['params: this action takes no parameters']);
  });
});

const GROUP = 'apiVersion: countersign.dev/v1\nkind: Group\nmetadata: { name: dba }\nspec: {}\n';

function profileVersion(profileYaml: string, name = 'db'): string {
  const result = parsePolicySources([{ path: 'p.yaml', text: `${GROUP}---\n${profileYaml}` }]);
  expect(result.problems.map(formatProblem)).toEqual([]);
  const version = result.policy?.profiles.get(name)?.version;
  if (version === undefined) throw new Error(`profile '${name}' did not load`);
  return version;
}

const PROFILE = `apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: db }
spec:
  classification: internal
  environment: test
  owners: [group:dba]
  provider: { type: noop }
  actions:
    read: { risk: low, grant: {}, maxDuration: 1h }
`;

describe('profile versions', () => {
  it('are the same when only formatting and key order change', () => {
    const reformatted = `# the same profile, written differently
kind: ResourceProfile
apiVersion: countersign.dev/v1
metadata:
  name: "db"
spec:
  provider:
    type: noop
  actions:
    read:
      maxDuration: 1h
      grant: {}
      risk: 'low'
  owners:
    - group:dba
  environment: test
  classification: internal
`;
    expect(profileVersion(reformatted)).toBe(profileVersion(PROFILE));
  });

  it('change when the content changes', () => {
    expect(profileVersion(PROFILE.replace('maxDuration: 1h', 'maxDuration: 2h'))).not.toBe(profileVersion(PROFILE));
    expect(profileVersion(PROFILE.replace('environment: test', 'environment: staging'))).not.toBe(
      profileVersion(PROFILE),
    );
  });

  it('include the profile name', () => {
    expect(profileVersion(PROFILE.replace('name: db', 'name: db2'), 'db2')).not.toBe(profileVersion(PROFILE));
  });

  it('of a derived profile change when its base changes', () => {
    const derived =
      '---\napiVersion: countersign.dev/v1\nkind: ResourceProfile\nmetadata: { name: db-prod }\nspec: { extends: db }\n';
    expect(profileVersion(PROFILE.replace('risk: low', 'risk: high') + derived, 'db-prod')).not.toBe(
      profileVersion(PROFILE + derived, 'db-prod'),
    );
  });
});

describe('loading sources', () => {
  it('reports problems from several files sorted by file and position, and loads no policy', () => {
    const result = parsePolicySources([
      {
        path: 'b.yaml',
        text: 'apiVersion: countersign.dev/v1\nkind: Group\nmetadata: { name: ops }\nspec: { size: 3 }\n',
      },
      {
        path: 'a.yaml',
        text: 'apiVersion: countersign.dev/v1\nkind: Group\nmetadata: { name: dev }\nspec: { colour: red }\n',
      },
    ]);
    expect(result.policy).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([
      "a.yaml:4:9: spec: unknown field 'colour'",
      "b.yaml:4:9: spec: unknown field 'size'",
    ]);
  });

  it('an empty set of sources loads an empty policy', () => {
    const result = parsePolicySources([]);
    expect(result.problems).toEqual([]);
    expect(result.policy?.profiles.size).toBe(0);
  });

  it('skips empty documents between separators', () => {
    const result = parsePolicySources([{ path: 'a.yaml', text: `---\n---\n${GROUP}---\n` }]);
    expect(result.problems).toEqual([]);
    expect([...(result.policy?.groups.keys() ?? [])]).toEqual(['dba']);
  });

  it('bounds strings even inside free-form provider settings', () => {
    const profile = PROFILE.replace(
      'provider: { type: noop }',
      'provider: { type: webhook, urlEnv: U, secretEnv: S }',
    ).replace('grant: {}', `grant: { note: "${'x'.repeat(20_001)}" }`);
    const result = parsePolicySources([{ path: 'p.yaml', text: `${GROUP}---\n${profile}` }]);
    expect(result.problems.map(formatProblem)).toEqual([
      'p.yaml:15:39: spec.actions.read.grant.note: must be at most 20000 characters long',
    ]);
  });

  it('reports a CEL error inside a block scalar at the line and column of the offending token', () => {
    const profile = PROFILE.replace(
      'read: { risk: low, grant: {}, maxDuration: 1h }',
      'read:\n      risk: low\n      grant: {}\n      maxDuration: 1h\n      approval:\n        - auto: true\n          when: >-\n            requester.kind == "human" &&\n            request.durationx < duration("1h")',
    );
    const result = parsePolicySources([{ path: 'p.yaml', text: `${GROUP}---\n${profile}` }]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'p.yaml', line: 23 });
    expect(result.problems[0]?.message).toContain('spec.actions.read.approval[0].when:');
  });
});
