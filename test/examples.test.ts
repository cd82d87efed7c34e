/**
 * The example policy (examples/policy) is documentation that runs: it must load without a single problem, show
 * every feature the policy format has, obey its own separation-of-duties rules, and decide the company's
 * everyday stories the way its comments say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateBaseline } from '../src/decide/drift.decide.js';
import { DutyIndex } from '../src/decide/duties.js';
import { evaluateRequest } from '../src/decide/request.decide.js';
import { scanSod } from '../src/decide/sod.decide.js';
import { NO_DRIFT, type RequestInput, type ResourceState } from '../src/decide/types.js';
import { parsePolicySources } from '../src/policy/load.js';
import type { PolicySet, ResourceProfile } from '../src/policy/model.js';
import { loadPolicyDirectory } from '../src/policy/policy-files.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../examples/policy', import.meta.url));
const NOW = Date.parse('2026-12-01T09:00:00Z');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

let policy: PolicySet;

function profile(name: string): ResourceProfile {
  const found = policy.profiles.get(name);
  if (!found) throw new Error(`the example has no profile '${name}'`);
  return found;
}

beforeAll(async () => {
  const result = await loadPolicyDirectory(EXAMPLE_DIR);
  expect(result.problems).toEqual([]);
  if (!result.policy) throw new Error('the example policy did not load');
  policy = result.policy;
});

describe('the example policy loads', () => {
  it('loads every YAML file of examples/policy with zero problems', () => {
    const files = yamlFiles(EXAMPLE_DIR);
    expect(files.map((file) => relative(EXAMPLE_DIR, file)).sort()).toEqual([
      'groups.yaml',
      'identities.yaml',
      'notifiers.yaml',
      'profiles/kubernetes.yaml',
      'profiles/object-storage.yaml',
      'profiles/postgres.yaml',
      'profiles/processor-console.yaml',
      'resources.yaml',
      'roles.yaml',
      'sod.yaml',
    ]);
    const result = parsePolicySources(files.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
    expect(result.problems).toEqual([]);
    expect(result.policy?.profiles.size).toBe(6);
  });

  it('has the six teams and the platform admins, each team that approves with at least two people', () => {
    expect([...policy.groups.keys()].sort()).toEqual(
      ['auditors', 'data-platform', 'dba', 'oncall-sre', 'payments', 'platform-admins', 'security'].sort(),
    );
    for (const team of ['payments', 'data-platform', 'dba', 'security', 'oncall-sre', 'platform-admins']) {
      const members = [...policy.identities.values()].filter(
        (i) => i.kind === 'human' && !i.disabled && i.groups.includes(team),
      );
      expect(members.length, team).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('the example policy exercises every feature', () => {
  it('has a profile that extends a base and merges its baseline by name', () => {
    const prod = profile('postgres-prod');
    expect(prod.extends).toBe('postgres-base');
    expect(profile('postgres-staging').extends).toBe('postgres-base');
    expect(prod.baseline.map((check) => check.name)).toEqual([
      'tls-on',
      'scram-passwords',
      'log-connections',
      'no-unexpected-superusers',
      'log-changes',
    ]);
    expect(prod.baseline.find((check) => check.name === 'log-connections')?.severity).toBe('high');
    expect(prod.labels).toMatchObject({ engine: 'postgres', tier: 'data' });
    expect(profile('postgres-staging').actions.get('read')?.approval[0]?.outcome).toEqual({ type: 'auto' });
  });

  it('has multi-step approvals, one of them needing two approvals in a step, and independent steps', () => {
    const admin = profile('postgres-prod').actions.get('admin');
    const steps = admin?.approval.find((rule) => rule.outcome.type === 'steps')?.outcome;
    expect(steps).toEqual({
      type: 'steps',
      steps: [
        { from: [{ type: 'group', name: 'dba' }], count: 2, independent: false },
        { from: [{ type: 'group', name: 'security' }], count: 1, independent: true },
      ],
    });
    expect(profile('pii-bucket').actions.get('delete-object')?.approval[0]?.outcome).toMatchObject({
      type: 'steps',
      steps: [{ from: [{ type: 'owners' }] }, { from: [{ type: 'group', name: 'security' }], independent: true }],
    });
  });

  it('has auto, deny and steps outcomes, actions of every risk, params schemas and ticket patterns', () => {
    const actions = [...policy.profiles.values()].flatMap((p) => [...p.actions.values()]);
    const outcomes = new Set(actions.flatMap((action) => action.approval.map((rule) => rule.outcome.type)));
    expect([...outcomes].sort()).toEqual(['auto', 'deny', 'steps']);
    expect(new Set(actions.map((action) => action.risk))).toEqual(new Set(['low', 'medium', 'high', 'critical']));
    expect(profile('postgres-prod').actions.get('run-sql')?.paramsSchema).toMatchObject({ required: ['sql'] });
    expect(profile('pii-bucket').actions.get('read-object')?.ticketPattern?.test('SUP-123')).toBe(true);
  });

  it('offers break-glass to on-call SREs, certification and governance', () => {
    expect(profile('postgres-prod').breakGlass).toEqual({
      allowed: [{ type: 'group', name: 'oncall-sre' }],
      actions: ['read', 'write'],
      maxDurationSeconds: 3600,
      reviewWithinSeconds: 86_400,
    });
    expect(profile('postgres-prod').certification).toEqual({ everySeconds: 90 * 86_400 });
    expect(profile('postgres-prod').governance.approvers).toEqual([{ type: 'group', name: 'security' }]);
    expect(profile('pii-bucket').breakGlass).toBeUndefined();
  });

  it('uses the postgres, exec, webhook and manual providers, with exec argv templates', () => {
    const providers = Object.fromEntries([...policy.profiles.values()].map((p) => [p.name, p.provider.type]));
    expect(providers).toMatchObject({
      'postgres-prod': 'postgres',
      'k8s-prod': 'exec',
      'pii-bucket': 'webhook',
      'processor-console': 'manual',
    });
    const restart = profile('k8s-prod').actions.get('restart-deployment');
    expect(restart?.execute?.['argv']).toEqual(
      expect.arrayContaining(['{params.namespace}', '{resource.attributes.context}']),
    );
  });

  it('assigns roles both standing and eligible, with an expiring one', () => {
    const dbaAdmin = policy.assignments.filter((a) => a.role === 'dba-admin');
    expect(dbaAdmin).toEqual([
      expect.objectContaining({ subject: { type: 'group', name: 'dba' }, assignment: 'eligible' }),
    ]);
    expect(policy.assignments.some((a) => a.assignment === 'standing')).toBe(true);
    expect(policy.assignments.find((a) => a.role === 'warehouse-migration')?.expiresAt).toBe(
      Date.parse('2027-12-31T00:00:00Z'),
    );
    expect(policy.roles.get('dba')?.scope).toEqual({ kind: 'selector', labels: { engine: 'postgres' } });
  });

  it('has SoD rules of each scope, with duties and with roles', () => {
    const byScope = Object.fromEntries(policy.sodRules.map((rule) => [rule.name, rule.scope]));
    expect(byScope).toMatchObject({
      'approver-is-not-reviewer': 'request',
      'approvers-do-not-provision': 'profile',
      'admins-are-not-auditors': 'global',
    });
    expect(policy.sodRules.find((rule) => rule.scope === 'profile')?.conflicting.duties).toEqual([
      'approve',
      'provision',
    ]);
    expect(policy.sodRules.find((rule) => rule.scope === 'global')?.conflicting.roles).toEqual([
      'platform-admin',
      'auditor',
    ]);
  });

  it('has a pipeline and a service, each owned by a human, holding only request (their grants are their access)', () => {
    const duties = new DutyIndex(policy, NOW);
    for (const [name, kind, owner] of [
      ['deploy-bot', 'pipeline', 'judy'],
      ['backup-service', 'service', 'erin'],
    ] as const) {
      const nhi = policy.identities.get(name);
      expect(nhi).toMatchObject({ kind, owner });
      expect(policy.identities.get(owner)?.kind).toBe('human');
      const held = new Set(duties.effectiveHoldings(name, { includeEligible: true }).map((h) => h.duty));
      expect([...held].sort()).toEqual(['request']);
    }
  });

  it('has resources that name their secrets by reference, and a JSON and a Slack notifier', () => {
    expect(policy.resources.get('payments-db')).toMatchObject({
      profile: 'postgres-prod',
      connection: { dsnEnv: 'PAYMENTS_DB_DSN' },
      attributes: { database: 'payments' },
    });
    expect(policy.resources.get('prod-eu-cluster')?.attributes['context']).toBe('prod-eu-1');
    expect(policy.notifiers.get('security-webhook')).toMatchObject({
      format: 'json',
      events: ['break_glass.used', 'grant.revoke_failed'],
    });
    expect(policy.notifiers.get('oncall-slack')).toMatchObject({ type: 'webhook', format: 'slack' });
  });
});

describe('the example company follows its own rules', () => {
  it('has no static SoD conflict and no non-human identity holding a human-only duty', () => {
    const scan = scanSod({ policy, exceptions: [], now: NOW });
    expect(scan.conflicts).toEqual([]);
    expect(scan.humanOnly).toEqual([]);
  });

  const healthyPostgres = {
    ssl: 'on',
    password_encryption: 'scram-sha-256',
    log_connections: 'on',
    log_statement: 'ddl',
    superusers: ['postgres'],
  };

  it.each([
    ['a healthy production database passes every check', healthyPostgres, []],
    [
      'MD5 passwords and an extra superuser are drift',
      { ...healthyPostgres, password_encryption: 'md5', superusers: ['postgres', 'mallory'] },
      ['scram-passwords', 'no-unexpected-superusers'],
    ],
    [
      'unknown superusers count as drift, not as none',
      { ssl: 'on', password_encryption: 'scram-sha-256', log_connections: 'on', log_statement: 'all' },
      ['no-unexpected-superusers'],
    ],
  ])('%s', (_story, config, failing) => {
    const evaluation = evaluateBaseline({
      profile: profile('postgres-prod'),
      resource: policy.resources.get('payments-db')!,
      state: { config, drift: NO_DRIFT },
      now: NOW,
    });
    expect(evaluation.results.filter((r) => r.status === 'error')).toEqual([]);
    expect(evaluation.results.filter((r) => r.status === 'non_compliant').map((r) => r.check)).toEqual(failing);
  });

  const drifted: ResourceState = { config: {}, drift: { ...NO_DRIFT, high: 1 } };
  const base = { justification: 'incident follow-up', breakGlass: false } as const;
  const stories: [string, RequestInput, ResourceState, string, string?][] = [
    [
      'alice reads payments-db for half an hour without asking anyone',
      { ...base, requester: 'alice', resource: 'payments-db', action: 'read', durationSeconds: 1800 },
      { drift: NO_DRIFT },
      'auto_approved',
      'short-human-reads',
    ],
    [
      'alice reading for four hours needs data platform',
      { ...base, requester: 'alice', resource: 'payments-db', action: 'read', durationSeconds: 4 * 3600 },
      { drift: NO_DRIFT },
      'pending',
      'data-platform-review',
    ],
    [
      'the backup service reads at night without a human',
      { ...base, requester: 'backup-service', resource: 'payments-db', action: 'read', durationSeconds: 7200 },
      { drift: NO_DRIFT },
      'auto_approved',
      'nightly-backup',
    ],
    [
      'bob running SQL waits for a DBA and security',
      {
        ...base,
        requester: 'bob',
        resource: 'payments-db',
        action: 'run-sql',
        durationSeconds: 600,
        ticket: 'CHG-42',
        params: { sql: 'select 1' },
      },
      { drift: NO_DRIFT },
      'pending',
      'dba-then-security',
    ],
    [
      'nobody runs SQL on a drifted database',
      {
        ...base,
        requester: 'bob',
        resource: 'payments-db',
        action: 'run-sql',
        durationSeconds: 600,
        ticket: 'CHG-42',
        params: { sql: 'select 1' },
      },
      drifted,
      'denied',
      'no-sql-on-drifted-db',
    ],
    [
      'the backup service never gets admin',
      {
        ...base,
        requester: 'backup-service',
        resource: 'payments-db',
        action: 'admin',
        durationSeconds: 600,
        ticket: 'CHG-1',
      },
      { drift: NO_DRIFT },
      'denied',
      'people-only',
    ],
    [
      'the deploy pipeline restarts the payments service by itself',
      {
        ...base,
        requester: 'deploy-bot',
        resource: 'prod-eu-cluster',
        action: 'restart-deployment',
        durationSeconds: 600,
        params: { namespace: 'payments', deployment: 'payments-api' },
      },
      { drift: NO_DRIFT },
      'auto_approved',
      'pipeline-restarts-own-services',
    ],
    [
      'a contractor never gets admin on staging',
      { ...base, requester: 'quinn', resource: 'analytics-db', action: 'admin', durationSeconds: 600 },
      { drift: NO_DRIFT },
      'denied',
      'no-contractor-admins',
    ],
    [
      'on-call breaks glass on payments-db for writes',
      { ...base, requester: 'judy', resource: 'payments-db', action: 'write', durationSeconds: 1800, breakGlass: true },
      { drift: NO_DRIFT },
      'break_glass',
    ],
    [
      'a payments engineer may not break glass',
      {
        ...base,
        requester: 'alice',
        resource: 'payments-db',
        action: 'write',
        durationSeconds: 1800,
        breakGlass: true,
      },
      { drift: NO_DRIFT },
      'forbidden',
    ],
    [
      'the pipeline may not touch the KYC documents',
      {
        ...base,
        requester: 'deploy-bot',
        resource: 'kyc-documents',
        action: 'read-object',
        durationSeconds: 600,
        ticket: 'SUP-1',
        params: { prefix: 'customers/00000000-0000-0000-0000-000000000000/' },
      },
      { drift: NO_DRIFT },
      'forbidden',
    ],
  ];

  it.each(stories)('%s', (_story, input, state, outcome, rule) => {
    const evaluation = evaluateRequest({ policy, duties: new DutyIndex(policy, NOW), state, now: NOW }, input);
    expect(evaluation.outcome, JSON.stringify(evaluation.reasons)).toBe(outcome);
    if (rule !== undefined) expect(evaluation).toMatchObject({ rule });
  });

  it('a DBA asking for production write access is refused until the eligible dba-admin role was activated', () => {
    const input: RequestInput = {
      ...base,
      requester: 'erin',
      resource: 'payments-db',
      action: 'write',
      durationSeconds: 3600,
    };
    const evaluation = evaluateRequest(
      { policy, duties: new DutyIndex(policy, NOW), state: { drift: NO_DRIFT }, now: NOW },
      input,
    );
    expect(evaluation).toMatchObject({ outcome: 'forbidden' });
    expect(evaluation.reasons.map((r) => r.code)).toEqual(['requester.role_not_activated']);
    const activated = new DutyIndex(policy, NOW, [], [{ identity: 'erin', role: 'dba-admin', expiresAt: NOW + 1 }]);
    const after = evaluateRequest({ policy, duties: activated, state: { drift: NO_DRIFT }, now: NOW }, input);
    expect(after).toMatchObject({ outcome: 'pending', rule: 'independent-dba' });
  });
});
