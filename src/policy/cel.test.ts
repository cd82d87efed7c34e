import { describe, expect, it } from 'vitest';
import { makeProfile, makeResource, makeResourceState } from '../../test/factories/profile.factory.js';
import type { RequestInput } from '../decide/types.js';
import { buildCelVariables } from './cel-variables.js';
import {
  compileExpression,
  evaluationErrorMessage,
  isMissingFieldError,
  missingFieldName,
  MAX_EXPRESSION_LENGTH,
} from './cel.js';
import type { CelContext } from './cel.js';
import type { CelVariables, Identity } from './model.js';

const NOW = Date.UTC(2025, 5, 2, 10, 0, 0);

const alice: Identity = {
  name: 'alice',
  kind: 'human',
  groups: ['payments', 'oncall'],
  attributes: { level: 3, costCenter: '42', contractor: false },
  disabled: false,
};

interface Inputs {
  readonly durationSeconds?: number;
  readonly requester?: Partial<Identity>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly drift?: Partial<Record<'low' | 'medium' | 'high' | 'critical', number>>;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly justification?: string;
  readonly ticket?: string;
  readonly breakGlass?: boolean;
  readonly now?: number;
}

function variables(inputs: Inputs = {}): CelVariables {
  const request: RequestInput = {
    requester: 'alice',
    resource: 'payments-db',
    action: 'read',
    durationSeconds: inputs.durationSeconds ?? 1800,
    breakGlass: inputs.breakGlass ?? false,
    ...(inputs.params ? { params: inputs.params } : {}),
    ...(inputs.justification === undefined ? {} : { justification: inputs.justification }),
    ...(inputs.ticket === undefined ? {} : { ticket: inputs.ticket }),
  };
  return buildCelVariables({
    request,
    requestId: 'req-1',
    requester: { ...alice, ...inputs.requester },
    resource: makeResource(),
    state: makeResourceState(inputs.config ?? { ssl: 'on', max_connections: 100 }, inputs.drift),
    profile: makeProfile(),
    now: inputs.now ?? NOW,
  });
}

function evaluate(source: string, context: CelContext, inputs: Inputs = {}): unknown {
  const compiled = compileExpression(source, context);
  if (!compiled.ok) throw new Error(`'${source}' did not compile: ${compiled.message}`);
  return compiled.expression.evaluate(variables(inputs));
}

describe('compileExpression accepts and evaluates the conditions of the policy format', () => {
  const cases: readonly [string, CelContext, Inputs, boolean][] = [
    // SPEC §3's examples
    ['resource.config.ssl == "on"', 'baseline', { config: { ssl: 'on' } }, true],
    ['resource.config.ssl == "on"', 'baseline', { config: { ssl: 'off' } }, false],
    ['request.duration <= duration("1h") && requester.kind == "human"', 'approval', { durationSeconds: 1800 }, true],
    ['request.duration <= duration("1h") && requester.kind == "human"', 'approval', { durationSeconds: 3600 }, true],
    ['request.duration <= duration("1h") && requester.kind == "human"', 'approval', { durationSeconds: 7200 }, false],
    [
      'request.duration <= duration("1h") && requester.kind == "human"',
      'approval',
      { requester: { kind: 'pipeline' } },
      false,
    ],
    ['resource.drift.high > 0', 'approval', { drift: { high: 1 } }, true],
    ['resource.drift.high > 0', 'approval', { drift: { critical: 2 } }, false],
    ['resource.drift.critical + resource.drift.high >= 2', 'baseline', { drift: { critical: 1, high: 1 } }, true],
    // durations and timestamps
    ['request.duration == duration("1h30m")', 'approval', { durationSeconds: 5400 }, true],
    ['request.duration > duration("15m")', 'approval', { durationSeconds: 900 }, false],
    ['now > timestamp("2025-01-01T00:00:00Z")', 'baseline', {}, true],
    ['now < timestamp("2025-01-01T00:00:00Z")', 'baseline', {}, false],
    ['now.getHours() >= 9 && now.getHours() < 17', 'approval', {}, true],
    ['now.getHours() >= 9 && now.getHours() < 17', 'approval', { now: Date.UTC(2025, 5, 2, 22) }, false],
    ['now + request.duration < timestamp("2025-06-02T10:31:00Z")', 'approval', { durationSeconds: 1800 }, true],
    ['now + request.duration < timestamp("2025-06-02T10:31:00Z")', 'approval', { durationSeconds: 3600 }, false],
    // the other variables and fields
    ['"oncall" in requester.groups && requester.id == "alice"', 'approval', {}, true],
    ['requester.attributes.level >= 3 && requester.attributes.costCenter == "42"', 'approval', {}, true],
    ['!requester.attributes.contractor', 'approval', {}, true],
    ['resource.id == "payments-db" && resource.owner == "group:payments"', 'baseline', {}, true],
    ['resource.labels.region == "eu"', 'baseline', {}, true],
    ['profile.classification == "restricted" && profile.environment == "production"', 'baseline', {}, true],
    ['profile.name == "postgres-prod"', 'approval', {}, true],
    ['request.action == "read" && request.id == "req-1" && !request.breakGlass', 'approval', {}, true],
    ['request.breakGlass', 'approval', { breakGlass: true }, true],
    ['request.params.sql.size() < 100', 'approval', { params: { sql: 'select 1' } }, true],
    [
      'request.justification != "" && request.ticket.matches("^INC-[0-9]+$")',
      'approval',
      { justification: 'incident', ticket: 'INC-42' },
      true,
    ],
    ['request.justification == "" && request.ticket == ""', 'approval', {}, true],
    // observed config: whole numbers are ints, fractions doubles, lists and nested maps work
    ['resource.config.max_connections + 10 <= 200', 'baseline', { config: { max_connections: 100 } }, true],
    ['resource.config.max_connections <= 100', 'baseline', { config: { max_connections: 500 } }, false],
    ['resource.config.ratio > 0.5', 'baseline', { config: { ratio: 0.75 } }, true],
    ['resource.config.ports.exists(p, p == 5432)', 'baseline', { config: { ports: [5432, 6432] } }, true],
    [
      'resource.config.tls.min_version in ["1.2", "1.3"]',
      'baseline',
      { config: { tls: { min_version: '1.3' } } },
      true,
    ],
    ['has(resource.config.ssl)', 'baseline', { config: {} }, false],
    ['resource.config.?ssl.orValue("off") == "on"', 'baseline', { config: {} }, false],
    ['resource.config.ssl', 'baseline', { config: { ssl: true } }, true],
  ];

  it.each(cases)('%s (%s) with %o is %s', (source, context, inputs, expected) => {
    expect(evaluate(source, context, inputs)).toBe(expected);
  });

  it('keeps the source and position of a compiled expression', () => {
    const position = { file: 'profiles.yaml', line: 12, col: 15 };
    const compiled = compileExpression('resource.drift.high > 0', 'approval', position);
    expect(compiled.ok && compiled.expression.source).toBe('resource.drift.high > 0');
    expect(compiled.ok && compiled.expression.position).toEqual(position);
  });
});

describe('compileExpression refuses conditions that cannot be right', () => {
  const cases: readonly [string, string, CelContext, RegExp, number | undefined][] = [
    ['a syntax error', '1 +', 'approval', /^syntax error: Unexpected token: EOF$/, 3],
    ['an unterminated string', 'resource.config.ssl == "on', 'baseline', /^syntax error: /, undefined],
    ['an unknown variable', 'foo == 1', 'approval', /^unknown variable 'foo' \(available: request, requester/, 0],
    [
      'an unknown field of request',
      'request.durationx > duration("1h")',
      'approval',
      /^'request' has no field 'durationx' \(fields: .*duration/,
      8,
    ],
    [
      'an unknown drift severity',
      'resource.drift.severe > 0',
      'baseline',
      /^'resource.drift' has no field 'severe'/,
      15,
    ],
    [
      'arithmetic that cannot equal a string',
      'resource.config.ssl + 1 == "on"',
      'baseline',
      /^type error: no such overload: int == string$/,
      0,
    ],
    ['a duration compared with an int', 'request.duration < 3600', 'approval', /^type error: .*Duration < int/, 0],
    [
      'a label compared with an int',
      'resource.labels.region == 1',
      'baseline',
      /^type error: no such overload: string == int$/,
      0,
    ],
    ['a drift count compared with a string', 'resource.drift.high > "0"', 'baseline', /^type error: /, 0],
    ['an int result', 'resource.drift.high', 'approval', /^condition must evaluate to a bool, got int$/, 0],
    ['a duration result', 'request.duration', 'approval', /^condition must evaluate to a bool, got duration$/, 0],
    ['a map result', 'resource.labels', 'baseline', /^condition must evaluate to a bool, got map<string, string>$/, 0],
    [
      'a baseline check using request',
      'request.action == "read"',
      'baseline',
      /^'request' is not available in a baseline check, which sees only resource, profile, now$/,
      0,
    ],
    [
      'a baseline check using requester',
      'resource.config.ssl == "on" && requester.kind == "human"',
      'baseline',
      /^'requester' is not available in a baseline check/,
      31,
    ],
    ['an empty condition', '  ', 'approval', /^condition is empty$/, undefined],
    [
      'an overlong condition',
      `${'true && '.repeat(MAX_EXPRESSION_LENGTH / 8)}true`,
      'approval',
      /^condition is longer than 4096 characters$/,
      undefined,
    ],
  ];

  it.each(cases)('%s: %s', (_what, source, context, message, offset) => {
    const compiled = compileExpression(source, context);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.message).toMatch(message);
    expect(compiled.message).not.toContain('\n');
    if (offset !== undefined) expect(compiled.offset).toBe(offset);
  });
});

describe('evaluation errors', () => {
  it('a field absent from the observed config raises a missing-field error naming it', () => {
    const thrown = catchError(() => evaluate('resource.config.ssl == "on"', 'baseline', { config: { port: 5432 } }));
    expect(isMissingFieldError(thrown)).toBe(true);
    expect(missingFieldName(thrown)).toBe('ssl');
  });

  it('a value of the wrong kind is an error that is not a missing field, with a one-line message', () => {
    const thrown = catchError(() => evaluate('int(resource.config.ssl) > 1', 'baseline', { config: { ssl: 'on' } }));
    expect(isMissingFieldError(thrown)).toBe(false);
    expect(evaluationErrorMessage(thrown)).not.toContain('\n');
    expect(evaluationErrorMessage(thrown).length).toBeGreaterThan(0);
  });

  it('an approval condition evaluated without request variables fails instead of guessing', () => {
    const compiled = compileExpression('request.action == "read"', 'approval');
    if (!compiled.ok) throw new Error(compiled.message);
    const baselineOnly = buildCelVariables({
      resource: makeResource(),
      state: makeResourceState({}),
      profile: makeProfile(),
      now: NOW,
    });
    expect(() => compiled.expression.evaluate(baselineOnly)).toThrow(/Unknown variable: request/);
  });
});

describe('buildCelVariables', () => {
  it('gives a baseline evaluation only resource, profile and now', () => {
    const built = buildCelVariables({
      resource: makeResource(),
      state: makeResourceState(),
      profile: makeProfile(),
      now: NOW,
    });
    expect(Object.keys(built).sort()).toEqual(['now', 'profile', 'resource']);
  });

  it('turns a resource without owner or observed config into an empty owner and an empty config', () => {
    const compiled = compileExpression('resource.owner == "" && size(resource.config) == 0', 'baseline');
    if (!compiled.ok) throw new Error(compiled.message);
    const built = buildCelVariables({
      resource: makeResource({ owner: undefined }),
      state: makeResourceState(),
      profile: makeProfile(),
      now: NOW,
    });
    expect(compiled.expression.evaluate(built)).toBe(true);
  });

  it('treats a __proto__ key in observed config as an ordinary key', () => {
    const config = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(evaluate('resource.config["__proto__"].polluted == 1', 'baseline', { config })).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('which conditions read observed state', () => {
  it.each([
    ['resource.drift.high == 0', true],
    ['resource.config.ssl == "on"', true],
    ['resource.config.?ssl.orValue("off") == "on"', true],
    ['has(resource.config.ssl)', true],
    ['resource["config"].size() == 0', true],
    ['[resource].size() == 1', true],
    ['resource.observed && resource.drift.critical == 0', true],
    ['resource.observed', false],
    ['!resource.observed', false],
    ['resource.labels.team == "payments" && resource.owner != ""', false],
    ['resource.id.startsWith("payments")', false],
    ['request.duration <= duration("1h") && requester.kind == "human"', false],
  ])('%s reads observed state: %s', (source, reads) => {
    const compiled = compileExpression(source, 'approval');
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.expression.readsObservedState).toBe(reads);
  });

  it('resource.observed is false for a resource never observed and true once it is', () => {
    const compiled = compileExpression('resource.observed', 'approval');
    if (!compiled.ok) throw new Error(compiled.message);
    const base = { resource: makeResource(), profile: makeProfile(), now: NOW };
    expect(compiled.expression.evaluate(buildCelVariables({ ...base, state: makeResourceState() }))).toBe(false);
    expect(compiled.expression.evaluate(buildCelVariables({ ...base, state: makeResourceState({}) }))).toBe(true);
  });
});
