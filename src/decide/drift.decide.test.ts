import { describe, expect, it } from 'vitest';
import { makeProfile, makeResource, makeResourceState } from '../../test/factories/profile.factory.js';
import type { BaselineCheckSpec } from '../../test/factories/profile.factory.js';
import { decideObservationTime, driftCounts, evaluateBaseline, MAX_OBSERVATION_SKEW_MS } from './drift.decide.js';
import type { BaselineCheckResult, BaselineStatus } from './drift.decide.js';

const NOW = Date.UTC(2025, 5, 2, 10, 0, 0);

const tlsOn: BaselineCheckSpec = {
  name: 'tls-on',
  expr: 'resource.config.ssl == "on"',
  severity: 'high',
  message: 'TLS must be on',
};

function evaluateOne(check: BaselineCheckSpec, config: Record<string, unknown> | undefined): BaselineCheckResult {
  const evaluation = evaluateBaseline({
    profile: makeProfile({ baseline: [check] }),
    resource: makeResource(),
    state: makeResourceState(config),
    now: NOW,
  });
  const [result] = evaluation.results;
  if (!result || evaluation.results.length !== 1) throw new Error('expected exactly one result');
  return result;
}

describe('evaluateBaseline gives each check one status with a reason', () => {
  const cases: readonly [string, BaselineCheckSpec, Record<string, unknown> | undefined, BaselineStatus, RegExp][] = [
    ['a check that holds is compliant', tlsOn, { ssl: 'on' }, 'compliant', /^'tls-on' holds$/],
    [
      'a check that fails is non-compliant with its message',
      tlsOn,
      { ssl: 'off' },
      'non_compliant',
      /^TLS must be on$/,
    ],
    [
      'a missing field is not applicable by default',
      tlsOn,
      { port: 5432 },
      'not_applicable',
      /^'tls-on' does not apply: 'ssl' is absent from the observed configuration$/,
    ],
    [
      'a missing field fails a check that says whenAbsent: non_compliant',
      { ...tlsOn, whenAbsent: 'non_compliant' },
      { port: 5432 },
      'non_compliant',
      /^TLS must be on \('ssl' is absent from the observed configuration\)$/,
    ],
    [
      'a missing nested field counts as absent too',
      { name: 'tls-version', expr: 'resource.config.tls.min_version == "1.3"' },
      { tls: {} },
      'not_applicable',
      /'min_version' is absent/,
    ],
    [
      'a missing label counts as absent too',
      { name: 'has-region', expr: 'resource.labels.team == "payments"', whenAbsent: 'non_compliant' },
      { ssl: 'on' },
      'non_compliant',
      /'team' is absent/,
    ],
    [
      'a value of the wrong kind is an error, not drift',
      { name: 'conn-limit', expr: 'int(resource.config.max_connections) <= 100' },
      { max_connections: 'lots' },
      'error',
      /^'conn-limit' could not be evaluated: .+/,
    ],
    [
      'a dyn result that is not a bool is an error',
      { name: 'ssl-flag', expr: 'resource.config.ssl' },
      { ssl: 'on' },
      'error',
      /^'ssl-flag' evaluated to the string "on", not a bool$/,
    ],
    [
      'a check with its own default for a missing field does not depend on whenAbsent',
      { name: 'tls-on', expr: 'resource.config.?ssl.orValue("off") == "on"', whenAbsent: 'not_applicable' },
      {},
      'non_compliant',
      /^tls-on must hold$/,
    ],
    [
      'a resource never observed is not applicable, and says why',
      { ...tlsOn, whenAbsent: 'non_compliant' },
      undefined,
      'not_applicable',
      /^'payments-db' has no observed configuration yet, so 'tls-on' was not evaluated$/,
    ],
    [
      'numbers in observed config compare as ints',
      { name: 'max-conn', expr: 'resource.config.max_connections <= 200' },
      { max_connections: 100 },
      'compliant',
      /holds/,
    ],
    [
      'the check can read the clock',
      { name: 'cert-valid', expr: 'timestamp(resource.config.cert_expires) > now' },
      { cert_expires: '2025-01-01T00:00:00Z' },
      'non_compliant',
      /cert-valid must hold/,
    ],
  ];

  it.each(cases)('%s', (_what, check, config, status, message) => {
    const result = evaluateOne(check, config);
    expect(result.status).toBe(status);
    expect(result.message).toMatch(message);
    expect(result.check).toBe(check.name);
  });
});

describe('drift counts', () => {
  const profile = makeProfile({
    baseline: [
      tlsOn,
      { name: 'no-superuser-logins', expr: 'resource.config.superuser_logins == 0', severity: 'critical' },
      {
        name: 'log-connections',
        expr: 'resource.config.log_connections == "on"',
        severity: 'low',
        whenAbsent: 'non_compliant',
      },
      { name: 'max-conn', expr: 'resource.config.max_connections <= 200', severity: 'medium' },
      { name: 'password-encryption', expr: 'resource.config.password_encryption == "scram-sha-256"', severity: 'high' },
    ],
  });

  it('counts only non-compliant checks, by severity, in profile order', () => {
    const evaluation = evaluateBaseline({
      profile,
      resource: makeResource(),
      // tls off (high), superuser logins (critical), log_connections absent (low), max-conn absent (n/a), scram ok
      state: makeResourceState({ ssl: 'off', superuser_logins: 2, password_encryption: 'scram-sha-256' }),
      now: NOW,
    });
    expect(evaluation.results.map((r) => [r.check, r.status])).toEqual([
      ['tls-on', 'non_compliant'],
      ['no-superuser-logins', 'non_compliant'],
      ['log-connections', 'non_compliant'],
      ['max-conn', 'not_applicable'],
      ['password-encryption', 'compliant'],
    ]);
    expect(evaluation.drift).toEqual({ low: 1, medium: 0, high: 1, critical: 1 });
    expect(evaluation).toMatchObject({
      resource: 'payments-db',
      profile: 'postgres-prod',
      profileVersion: profile.version,
    });
  });

  it('a compliant resource has no drift', () => {
    const evaluation = evaluateBaseline({
      profile,
      resource: makeResource(),
      state: makeResourceState({
        ssl: 'on',
        superuser_logins: 0,
        log_connections: 'on',
        max_connections: 100,
        password_encryption: 'scram-sha-256',
      }),
      now: NOW,
    });
    expect(evaluation.results.every((r) => r.status === 'compliant')).toBe(true);
    expect(evaluation.drift).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
  });

  it('a resource never observed has no drift', () => {
    const evaluation = evaluateBaseline({ profile, resource: makeResource(), state: makeResourceState(), now: NOW });
    expect(evaluation.results.map((r) => r.status)).toEqual(Array(5).fill('not_applicable'));
    expect(evaluation.drift).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
  });

  it('driftCounts ignores errors and not-applicable checks', () => {
    const results: BaselineCheckResult[] = [
      { check: 'a', severity: 'high', status: 'non_compliant', message: 'a' },
      { check: 'b', severity: 'high', status: 'non_compliant', message: 'b' },
      { check: 'c', severity: 'critical', status: 'error', message: 'c' },
      { check: 'd', severity: 'low', status: 'not_applicable', message: 'd' },
      { check: 'e', severity: 'medium', status: 'compliant', message: 'e' },
    ];
    expect(driftCounts(results)).toEqual({ low: 0, medium: 0, high: 2, critical: 0 });
  });

  it('a profile without baseline checks yields no results', () => {
    const evaluation = evaluateBaseline({
      profile: makeProfile(),
      resource: makeResource(),
      state: makeResourceState({ ssl: 'off' }),
      now: NOW,
    });
    expect(evaluation.results).toEqual([]);
    expect(evaluation.drift).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
  });
});

describe('decideObservationTime', () => {
  it.each([
    ['an hour ago', NOW - 3_600_000, true],
    ['now', NOW, true],
    ['within the clock skew', NOW + MAX_OBSERVATION_SKEW_MS, true],
    ['just beyond the clock skew', NOW + MAX_OBSERVATION_SKEW_MS + 1, false],
    ['in 2099', Date.UTC(2099, 0, 1), false],
    ['at the largest safe integer', Number.MAX_SAFE_INTEGER, false],
  ])('an observation dated %s is allowed: %s', (_when, observedAt, allowed) => {
    const verdict = decideObservationTime('payments-db', observedAt, NOW);
    expect(verdict.allowed).toBe(allowed);
    if (!allowed) expect(verdict.reasons[0]).toMatchObject({ code: 'observation.in_future' });
  });
});
