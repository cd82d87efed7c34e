import { describe, expect, it } from 'vitest';
import type { ResourceProfile } from './model.js';
import { formatProblem, parsePolicySources } from './load.js';

const CONTEXT = `apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: {}
---
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: security }
spec: {}
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: base, labels: { team: data } }
spec:
  classification: confidential
  environment: staging
  owners: [group:dba]
  labels: { tier: data, region: eu }
  provider: { type: postgres, database: app }
  requestDefaults: { requireJustification: false, pendingTimeout: 12h }
  baseline:
    - { name: tls, expr: 'resource.config.ssl == "on"', severity: high, message: TLS on }
    - { name: logs, expr: 'resource.config.log_connections == "on"', severity: low, message: log connections }
  actions:
    read:
      risk: low
      grant: { role: reader }
      maxDuration: 8h
      approval: [ { auto: true } ]
    write: { risk: high, grant: { role: writer }, maxDuration: 1h, approval: [ { steps: [ { from: [owners] } ] } ] }
  breakGlass: { allowed: [group:dba], actions: [read], maxDuration: 1h, reviewWithin: 24h }
  certification: { every: 90d }
  governance: { approvers: [group:security] }
`;

function resolve(derivedSpec: string, name = 'derived', extra = ''): ResourceProfile {
  const derived = `---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: ${name} }
spec:
  extends: base
${derivedSpec
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
`;
  const result = parsePolicySources([{ path: 'p.yaml', text: CONTEXT + derived + extra }]);
  expect(result.problems.map(formatProblem)).toEqual([]);
  const profile = result.policy?.profiles.get(name);
  if (!profile) throw new Error(`profile '${name}' did not load`);
  return profile;
}

describe('how extends merges', () => {
  it('a derived profile that sets nothing inherits everything from its base', () => {
    const profile = resolve('');
    expect(profile).toMatchObject({
      extends: 'base',
      classification: 'confidential',
      environment: 'staging',
      owners: [{ type: 'group', name: 'dba' }],
      certification: { everySeconds: 90 * 86_400 },
      governance: { approvers: [{ type: 'group', name: 'security' }] },
      breakGlass: { actions: ['read'], maxDurationSeconds: 3600 },
    });
    expect([...profile.actions.keys()]).toEqual(['read', 'write']);
  });

  it('plain values, owners, governance, breakGlass and certification are replaced when the derived profile sets them', () => {
    const profile = resolve(
      [
        'classification: restricted',
        'environment: production',
        'owners: [group:security]',
        'governance: { approvers: [group:dba] }',
        'breakGlass: { allowed: [group:security], actions: [write], maxDuration: 30m, reviewWithin: 8h }',
        'certification: { every: 30d }',
      ].join('\n'),
    );
    expect(profile).toMatchObject({
      classification: 'restricted',
      environment: 'production',
      owners: [{ type: 'group', name: 'security' }],
      governance: { approvers: [{ type: 'group', name: 'dba' }] },
      breakGlass: {
        allowed: [{ type: 'group', name: 'security' }],
        actions: ['write'],
        maxDurationSeconds: 1800,
        reviewWithinSeconds: 8 * 3600,
      },
      certification: { everySeconds: 30 * 86_400 },
    });
  });

  it('labels are merged key by key and the derived profile wins', () => {
    expect(resolve('labels: { region: us, env: prod }').labels).toEqual({
      team: 'data',
      tier: 'data',
      region: 'us',
      env: 'prod',
    });
  });

  it('requestDefaults are merged key by key and the derived profile wins', () => {
    const read = resolve("requestDefaults: { pendingTimeout: 2h, ticketPattern: '^CHG-[0-9]+$' }").actions.get('read');
    expect(read).toMatchObject({
      requireJustification: false,
      pendingTimeoutSeconds: 7200,
      ticketPattern: /^CHG-[0-9]+$/,
    });
  });

  it('a provider of the same type merges its settings key by key', () => {
    expect(resolve('provider: { type: postgres }').provider).toEqual({
      type: 'postgres',
      settings: { database: 'app' },
    });
    expect(resolve('provider: { type: postgres, database: orders }').provider).toEqual({
      type: 'postgres',
      settings: { database: 'orders' },
    });
  });

  it('a provider of another type replaces the base provider whole', () => {
    const profile = resolve(
      [
        'provider: { type: noop }',
        'actions:',
        '  read: { risk: low, grant: {}, maxDuration: 1h }',
        '  write: { risk: high, grant: {}, maxDuration: 1h }',
      ].join('\n'),
    );
    expect(profile.provider).toEqual({ type: 'noop', settings: {} });
  });

  it('baseline checks are merged by name: a same-named check is replaced in place, a new one is appended', () => {
    const profile = resolve(
      [
        'baseline:',
        '  - { name: audit, expr: \'resource.config.audit == "on"\', severity: medium, message: audit on }',
        '  - { name: tls, expr: \'resource.config.ssl == "on"\', severity: critical, message: TLS on in production }',
      ].join('\n'),
    );
    expect(profile.baseline.map((check) => [check.name, check.severity])).toEqual([
      ['tls', 'critical'],
      ['logs', 'low'],
      ['audit', 'medium'],
    ]);
  });

  it('a same-named action replaces the base action whole, and new actions are added', () => {
    const profile = resolve(
      [
        'actions:',
        '  write: { risk: critical, grant: { role: writer }, maxDuration: 15m }',
        '  admin: { risk: critical, grant: { role: admin }, maxDuration: 15m }',
      ].join('\n'),
    );
    expect([...profile.actions.keys()]).toEqual(['read', 'write', 'admin']);
    // Nothing of the base action's approval policy survives: the derived action has none, so it denies everything.
    expect(profile.actions.get('write')).toMatchObject({ risk: 'critical', maxDurationSeconds: 900, approval: [] });
    expect(profile.actions.get('read')?.approval.map((rule) => rule.outcome)).toEqual([{ type: 'auto' }]);
  });

  it('chains are resolved base first', () => {
    const grandchild = `---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: grandchild }
spec: { extends: derived, classification: restricted }
`;
    const result = parsePolicySources([
      {
        path: 'p.yaml',
        text: `${grandchild}---\n${CONTEXT}---\napiVersion: countersign.dev/v1\nkind: ResourceProfile\nmetadata: { name: derived }\nspec: { extends: base, environment: production }\n`,
      },
    ]);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.policy?.profiles.get('grandchild')).toMatchObject({
      extends: 'derived',
      classification: 'restricted',
      environment: 'production',
      provider: { type: 'postgres', settings: { database: 'app' } },
    });
    expect([...(result.policy?.profiles.keys() ?? [])]).toEqual(['grandchild', 'base', 'derived']);
  });

  it('the definition is the resolved spec as written, with durations as strings', () => {
    const definition = resolve('environment: production').definition;
    expect(definition).toMatchObject({
      name: 'derived',
      extends: 'base',
      environment: 'production',
      classification: 'confidential',
      certification: { every: '90d' },
      actions: { read: { maxDuration: '8h' } },
    });
  });
});
