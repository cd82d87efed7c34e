import { describe, expect, it } from 'vitest';
import { gatewayCondition as when } from '../../test/factories/profile.factory.js';
import type { GatewayPolicy, GatewayRule } from '../policy/model.js';
import {
  decideStatement,
  decideStatements,
  refusalMessage,
  type StatementContext,
  type StatementFacts,
} from './gateway-statement.decide.js';

function policy(rules: GatewayRule[], extra: Partial<GatewayPolicy> = {}): GatewayPolicy {
  return { rules, otherwise: 'deny', masks: [], ...extra };
}

const CONTEXT: StatementContext = {
  requester: { name: 'alice', kind: 'human', groups: ['analysts'], attributes: { team: 'data' }, disabled: false },
  resource: { name: 'orders-db', profile: 'pg', labels: { env: 'prod' }, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'confidential', environment: 'prod' },
  now: Date.parse('2027-03-01T10:00:00Z'),
};

function facts(overrides: Partial<StatementFacts> = {}): StatementFacts {
  return {
    kind: 'select',
    command: 'SELECT',
    readOnly: true,
    tables: ['t'],
    schemas: [],
    functions: [],
    settings: [],
    fingerprint: 'abc',
    ...overrides,
  };
}

const allowAll = policy([{ name: 'anything', allow: true }], { otherwise: 'allow' });

describe('deciding a gateway statement', () => {
  it('tries the rules in order and the first match decides', () => {
    const rules = policy([
      { name: 'no-secret', when: when('"secret" in statement.tables'), deny: 'the secret table is off limits' },
      { name: 'reads', when: when('statement.kind == "select"'), allow: true },
    ]);
    expect(decideStatement(rules, facts(), CONTEXT)).toEqual({
      allowed: true,
      rule: 'reads',
      builtIn: false,
      message: '',
    });
    expect(decideStatement(rules, facts({ tables: ['secret'] }), CONTEXT)).toEqual({
      allowed: false,
      rule: 'no-secret',
      builtIn: false,
      message: "refused by gateway rule 'no-secret': the secret table is off limits",
    });
  });

  it('falls to the default: deny unless written, allow when written so', () => {
    const none = policy([{ name: 'reads', when: when('statement.kind == "select"'), allow: true }]);
    expect(decideStatement(none, facts({ kind: 'delete', command: 'DELETE' }), CONTEXT)).toEqual({
      allowed: false,
      builtIn: false,
      message: 'refused: no gateway rule allows this DELETE (the default is deny)',
    });
    expect(decideStatement({ ...none, otherwise: 'allow' }, facts({ kind: 'delete' }), CONTEXT).allowed).toBe(true);
  });

  it('gives rules the requester, the resource, the profile and now', () => {
    const rules = policy([
      {
        name: 'analysts-in-office-hours',
        when: when(
          '"analysts" in requester.groups && resource.labels.env == "prod" && profile.classification == "confidential"' +
            ' && now.getHours("UTC") >= 8 && now.getHours("UTC") < 18',
        ),
        allow: true,
      },
    ]);
    expect(decideStatement(rules, facts(), CONTEXT).allowed).toBe(true);
    expect(decideStatement(rules, facts(), { ...CONTEXT, now: Date.parse('2027-03-01T22:00:00Z') }).allowed).toBe(
      false,
    );
  });

  it('refuses when a rule cannot be evaluated, rather than skipping it', () => {
    const rules = policy(
      [
        { name: 'needs-config', when: when('resource.config.ssl == "on"'), deny: 'no' },
        { name: 'rest', allow: true },
      ],
      { otherwise: 'allow' },
    );
    const decision = decideStatement(rules, facts(), CONTEXT);
    expect(decision.allowed).toBe(false);
    expect(decision.rule).toBe('needs-config');
    expect(decision.message).toMatch(/^rule 'needs-config' could not be evaluated/);
  });

  it.each<[string, Partial<StatementFacts>, string]>([
    ['an unknown statement', { kind: 'unknown', command: 'FROBNICATE' }, 'unknown-statement'],
    ['SET ROLE', { kind: 'role', command: 'SET ROLE', settings: ['role'] }, 'role-change'],
    ['set_config of the role', { settings: ['role'] }, 'role-change'],
    ['set_config of the session authorization', { settings: ['session_authorization'] }, 'role-change'],
    ['RESET ALL', { kind: 'session', command: 'RESET ALL', settings: ['*'] }, 'gateway-settings'],
    ['ALTER SYSTEM', { kind: 'utility', command: 'ALTER SYSTEM' }, 'alter-system'],
    ['LOAD', { kind: 'utility', command: 'LOAD' }, 'load'],
    ['CREATE EXTENSION', { kind: 'ddl', command: 'CREATE EXTENSION' }, 'extension'],
    ['CREATE USER MAPPING', { kind: 'privilege', command: 'CREATE USER MAPPING' }, 'foreign-server'],
    [
      'COPY TO PROGRAM',
      { kind: 'copy', command: 'COPY', copy: { direction: 'to', program: true, file: false } },
      'copy-program',
    ],
    [
      'COPY FROM a server file',
      { kind: 'copy', command: 'COPY', copy: { direction: 'from', program: false, file: true } },
      'copy-file',
    ],
    ['a DO block', { kind: 'call', command: 'DO', opaqueCode: true }, 'opaque-code'],
    ['SECURITY DEFINER', { kind: 'ddl', command: 'CREATE FUNCTION', securityDefiner: true }, 'security-definer'],
    ['pg_read_file', { functions: ['pg_read_file', 'pg_catalog.pg_read_file'] }, 'outside-function'],
    ['dblink', { functions: ['dblink_exec'] }, 'outside-function'],
    ['query_to_xml', { functions: ['query_to_xml'] }, 'outside-function'],
  ])('refuses %s whatever the rules say', (_name, overrides, rule) => {
    const decision = decideStatement(allowAll, facts(overrides), CONTEXT);
    expect(decision).toMatchObject({ allowed: false, rule, builtIn: true });
    expect(decision.message).toMatch(new RegExp(`^refused by the gateway's built-in rule '${rule}': .+never allowed`));
  });

  it("refuses changing the statement timeout only when the profile sets it (the gateway's own setting)", () => {
    const timeout = facts({ kind: 'session', command: 'SET', settings: ['statement_timeout'] });
    expect(decideStatement(allowAll, timeout, CONTEXT).allowed).toBe(true);
    expect(decideStatement({ ...allowAll, statementTimeoutSeconds: 30 }, timeout, CONTEXT)).toMatchObject({
      allowed: false,
      rule: 'gateway-settings',
    });
  });

  it('decides every statement of a message and the first refusal refuses it all', () => {
    const reads = policy([{ name: 'reads', when: when('statement.readOnly'), allow: true }]);
    const message = { statements: [facts(), facts({ kind: 'delete', command: 'DELETE', readOnly: false })] };
    expect(decideStatements(reads, message, CONTEXT)).toEqual({
      allowed: false,
      builtIn: false,
      message: 'statement 2 of 2: refused: no gateway rule allows this DELETE (the default is deny)',
    });
    expect(decideStatements(reads, { statements: [facts(), facts()] }, CONTEXT)).toEqual({
      allowed: true,
      rule: 'reads',
      builtIn: false,
      message: '',
    });
  });

  it('refuses what the parser could not read, and lets an empty query through', () => {
    expect(decideStatements(allowAll, { error: 'syntax error at end of input' }, CONTEXT)).toEqual({
      allowed: false,
      rule: 'unparsable',
      builtIn: true,
      message:
        "refused by the gateway's built-in rule 'unparsable': the statement could not be parsed (syntax error at end of input)",
    });
    expect(decideStatements(policy([]), { statements: [] }, CONTEXT).allowed).toBe(true);
  });

  it('tells the client how to ask for approval once the refusal is recorded', () => {
    const decision = decideStatement(policy([]), facts({ command: 'DELETE', kind: 'delete' }), CONTEXT);
    expect(refusalMessage(decision, 'ref_123')).toBe(
      'refused: no gateway rule allows this DELETE (the default is deny). To ask for approval: ' +
        'countersign request create --from-refusal ref_123',
    );
  });
});
