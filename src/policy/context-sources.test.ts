import { describe, expect, it } from 'vitest';
import { formatProblem, parsePolicySources } from './load.js';

const HEAD = `
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: {}
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: pd }
spec: { type: pagerduty, baseUrl: 'https://api.pagerduty.com', tokenEnv: PD_TOKEN, schedules: [P1] }
---
apiVersion: countersign.dev/v1
kind: ContextSource
metadata: { name: cmdb }
spec: { type: http, baseUrl: 'https://cmdb.example', path: '/services/{resource}', fields: { owner: '$.owner' } }
`;

function profile(when: string, extra = ''): string {
  return `---
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
        - { when: '${when}', auto: true }
        - steps: [ { from: [group:dba] } ]
${extra}`;
}

function load(text: string) {
  return parsePolicySources([{ path: 'p.yaml', text }]);
}

function problems(text: string): string[] {
  return load(text).problems.map(formatProblem);
}

describe('ContextSource documents', () => {
  it('load into the policy with their defaults, and rules know which sources they read', () => {
    const loaded = load(HEAD + profile('context.pd.contains(requester.id) && context.cmdb.owner == requester.id'));
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.policy?.contextSources.get('pd')).toEqual({
      name: 'pd',
      type: 'pagerduty',
      baseUrl: 'https://api.pagerduty.com',
      timeoutSeconds: 2,
      cacheTtlSeconds: 30,
      tokenEnv: 'PD_TOKEN',
      schedules: ['P1'],
      escalationPolicies: [],
      identities: { match: 'email' },
    });
    const rule = loaded.policy?.profiles.get('p')?.actions.get('read')?.approval[0];
    expect(rule?.when?.readsContext).toEqual(['cmdb', 'pd']);
  });

  it('a condition naming a source that does not exist is a load error at its line', () => {
    expect(problems(HEAD + profile('context.oncall.contains(requester.id)'))).toEqual([
      expect.stringMatching(
        /^p\.yaml:31:\d+: spec\.actions\.read\.approval\[0\]\.when: no ContextSource named 'oncall' \(defined: cmdb, pd\)$/,
      ),
    ]);
  });

  it('a field an http source does not declare is a load error', () => {
    expect(problems(HEAD + profile('context.cmdb.team == "x"'))).toEqual([
      expect.stringContaining("context source 'cmdb' has no field 'team' (fields: owner)"),
    ]);
  });

  it("'context' used whole or indexed is refused, so that what a rule depends on is always known", () => {
    expect(problems(HEAD + profile('context["pd"].contains(requester.id)'))).toEqual([
      expect.stringContaining("write 'context.NAME' with the name of a ContextSource"),
    ]);
  });

  it("'ticket' without a ticket source is a load error that says what to add", () => {
    expect(problems(HEAD + profile('ticket.exists'))).toEqual([
      expect.stringContaining("'ticket' needs a ContextSource of type 'jira' with 'tickets: true'"),
    ]);
  });

  it('a field of an on-call source that does not exist is a type error', () => {
    expect(problems(HEAD + profile('context.pd.members.size() > 0'))).toEqual([
      expect.stringContaining("'context.pd' has no field 'members' (fields: identities, emails)"),
    ]);
  });

  it('baseline checks cannot read context', () => {
    const text =
      HEAD.replace('', '') +
      profile('true', `  baseline:\n    - { name: b, expr: 'context.pd.contains("x")', severity: low, message: m }\n`);
    expect(problems(text)).toEqual([expect.stringContaining("'context' is available only in approval rules")]);
  });

  it('a break-glass condition is compiled with the approval variables, and its errors are positioned', () => {
    const breakGlass = (when: string) =>
      `  breakGlass: { allowed: [group:dba], actions: [read], maxDuration: 1h, reviewWithin: 1d, when: '${when}' }\n`;
    const ok = load(HEAD + profile('true', breakGlass('context.pd.contains(requester.id)')));
    expect(ok.problems).toEqual([]);
    expect(ok.policy?.profiles.get('p')?.breakGlass?.when?.readsContext).toEqual(['pd']);
    expect(problems(HEAD + profile('true', breakGlass('context.nope.contains(requester.id)')))).toEqual([
      expect.stringMatching(/^p\.yaml:33:\d+: spec\.breakGlass\.when: no ContextSource named 'nope'/),
    ]);
  });

  it('bad source definitions are positioned errors: URL, placeholders, JSON paths, auth and credentials', () => {
    const source = (name: string, spec: string) =>
      `---\napiVersion: countersign.dev/v1\nkind: ContextSource\nmetadata: { name: ${name} }\nspec: ${spec}\n`;
    const text =
      source('a', "{ type: pagerduty, baseUrl: 'ftp://x', tokenEnv: T1, schedules: [P1] }") +
      source('b', "{ type: pagerduty, baseUrl: 'https://x', tokenEnv: T2 }") +
      source('c', "{ type: http, baseUrl: 'https://x', path: '/a/{user}', fields: { o: '$.o' } }") +
      source('d', "{ type: http, baseUrl: 'https://x', path: '/a', fields: { o: 'o..' } }") +
      source('e', "{ type: jira, baseUrl: 'https://j', auth: basic, tokenEnv: T3 }") +
      source('f', "{ type: jira, baseUrl: 'https://j', tokenEnv: T4 }") +
      source('g', "{ type: opsgenie, baseUrl: 'https://o', tokenEnv: T4, schedule: s }") +
      source('h', "{ type: jira, baseUrl: 'https://j', tokenEnv: T5, tickets: true }") +
      source('i', "{ type: jira, baseUrl: 'https://j', tokenEnv: T6, tickets: true }") +
      source('j', "{ type: opsgenie, baseUrl: 'https://o', tokenEnv: T7, schedule: s, timeout: 2m }") +
      source('k', "{ type: opsgenie, baseUrl: 'https://o', tokenEnv: T8, schedule: s, token: secret }");
    const found = problems(text);
    expect(found).toEqual([
      expect.stringContaining("'ftp://x' is not an http(s) base URL"),
      expect.stringContaining("a pagerduty source needs 'schedules' or 'escalationPolicies'"),
      expect.stringContaining("'{user}' is not a placeholder"),
      expect.stringContaining("'o..' is not a JSON path"),
      expect.stringContaining("'auth: basic' needs 'userEnv'"),
      expect.stringContaining("tokenEnv 'T4' is already the credential of 'f'"),
      expect.stringContaining("only one ContextSource may answer 'ticket': 'h' already has 'tickets: true'"),
      expect.stringContaining("'2m' is longer than the 30s maximum"),
      expect.stringContaining("'token'"),
    ]);
  });
});
