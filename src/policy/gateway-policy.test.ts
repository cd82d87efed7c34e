import { describe, expect, it } from 'vitest';
import { formatProblem, parsePolicySources } from './load.js';
import { parseByteSize } from './gateway-policy.js';
import { policyJsonSchema } from './json-schema.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

const GROUP = 'apiVersion: countersign.dev/v1\nkind: Group\nmetadata: { name: dba }\nspec: {}\n';

function profile(action: string, provider = 'postgres'): string {
  return `apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: db }
spec:
  classification: internal
  environment: test
  owners: [group:dba]
  provider: { type: ${provider} }
  actions:
${action}`;
}

const GATEWAY_ACTION = `    query:
      risk: medium
      grant: { role: analytics_ro }
      maxDuration: 8h
      gateway:
        rules:
          - { name: reads, when: 'statement.kind == "select" && !("pg_catalog" in statement.schemas)', allow: true }
          - { name: no-writes, when: 'statement.kind in ["insert", "update", "delete"]', deny: 'writes need the run-sql action' }
          - { allow: true, when: 'statement.kind == "transaction"' }
        statementTimeout: 30s
        maxRows: 1000000
        maxBytes: 200MB
        masks: [ { column: email, mask: hash } ]
`;

function load(action: string, provider?: string) {
  return parsePolicySources([{ path: 'p.yaml', text: `${GROUP}---\n${profile(action, provider)}` }]);
}

describe("an action's gateway block", () => {
  it('loads into the model with its rules in order, the default deny and the budgets', () => {
    const result = load(GATEWAY_ACTION);
    expect(result.problems.map(formatProblem)).toEqual([]);
    const gateway = result.policy?.profiles.get('db')?.actions.get('query')?.gateway;
    expect(gateway?.rules.map((rule) => [rule.name, rule.allow ?? rule.deny, rule.when?.source])).toEqual([
      ['reads', true, 'statement.kind == "select" && !("pg_catalog" in statement.schemas)'],
      ['no-writes', 'writes need the run-sql action', 'statement.kind in ["insert", "update", "delete"]'],
      ['rule-3', true, 'statement.kind == "transaction"'],
    ]);
    expect(gateway).toMatchObject({
      otherwise: 'deny',
      statementTimeoutSeconds: 30,
      maxRows: 1_000_000,
      maxBytes: 200 * 1024 * 1024,
      masks: [{ column: 'email', mask: 'hash' }],
    });
  });

  it("changes the profile's version, so policy diff, plan and governance see a change of its rules", () => {
    const before = load(GATEWAY_ACTION).policy?.profiles.get('db')?.version;
    const after = load(
      GATEWAY_ACTION.replace('default: deny', 'default: allow').replace('maxRows: 1000000', 'maxRows: 10'),
    ).policy?.profiles.get('db')?.version;
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('is refused on a profile whose provider is not postgres', () => {
    const result = load(GATEWAY_ACTION, 'noop');
    expect(result.problems.map(formatProblem)).toEqual([
      "p.yaml:20:9: spec.actions.query.gateway: 'gateway' needs a postgres provider: the gateway speaks PostgreSQL (this profile's is noop)",
    ]);
  });

  it('is absent from an action without one', () => {
    const result = load('    read: { risk: low, grant: { role: r }, maxDuration: 1h }\n');
    expect(result.policy?.profiles.get('db')?.actions.get('read')?.gateway).toBeUndefined();
  });

  it.each([
    [
      'on an execute action',
      '    run:\n      risk: high\n      execute: {}\n      maxDuration: 1h\n      gateway: { default: allow }\n',
      "p.yaml:19:16: spec.actions.run.gateway: 'gateway' needs an action with 'grant'",
    ],
    [
      'with a field the statement does not have',
      "    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { when: 'statement.tabels == []', allow: true } ] }\n",
      "p.yaml:19:46: spec.actions.q.gateway.rules[0].when: 'statement' has no field 'tabels'",
    ],
    [
      'with a variable statement rules do not see',
      '    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { when: \'request.action == "q"\', deny: no } ] }\n',
      "p.yaml:19:36: spec.actions.q.gateway.rules[0].when: 'request' is not available in a gateway rule",
    ],
    [
      'with a rule that has no outcome',
      "    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { when: 'true' } ] }\n",
      "a gateway rule needs one outcome: 'allow: true' or 'deny: MESSAGE'",
    ],
    [
      'with a rule that has two outcomes',
      '    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { allow: true, deny: no } ] }\n',
      "a gateway rule has exactly one outcome, this one has 'allow' and 'deny'",
    ],
    [
      'with a malformed size',
      '    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { maxBytes: 200 megs }\n',
      "'200 megs' is not a size",
    ],
    [
      'with a rule name used twice',
      '    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { name: a, allow: true }, { name: a, deny: x } ] }\n',
      "rule 'a' is named twice",
    ],
    [
      'with an unknown mask',
      '    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { masks: [ { column: c, mask: scramble } ] }\n',
      "spec.actions.q.gateway.masks[0].mask: 'scramble' is not one of hash, redact, last4",
    ],
    [
      'with a condition that is not a bool',
      "    q:\n      risk: low\n      grant: { role: r }\n      maxDuration: 1h\n      gateway: { rules: [ { when: 'statement.tables', allow: true } ] }\n",
      'condition must evaluate to a bool',
    ],
  ])('is refused at load, at its position, %s', (_what, action, message) => {
    const result = load(action);
    expect(result.policy).toBeUndefined();
    expect(result.problems.map(formatProblem).join('\n')).toContain(message);
  });

  it('passes the published JSON Schema, which rejects an unknown field in it', () => {
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(policyJsonSchema());
    const document = parse(profile(GATEWAY_ACTION)) as { spec: { actions: { query: { gateway: object } } } };
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    document.spec.actions.query.gateway = { rulez: [] };
    expect(validate(document)).toBe(false);
  });
});

describe('gateway byte sizes', () => {
  it.each([
    [1024, 1024],
    ['512kB', 512 * 1024],
    ['200MB', 200 * 1024 ** 2],
    ['2 GB', 2 * 1024 ** 3],
    ['1TB', 1024 ** 4],
    ['0MB', undefined],
    [-1, undefined],
    [1.5, undefined],
    ['200mb', undefined],
    ['2000000TB', undefined],
  ])('%s is %s bytes', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });
});
