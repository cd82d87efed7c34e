/** The policy of issue 13's chat approvals: slack/teams/mattermost notifiers, an identity's Slack id, reminders. */
import { describe, expect, it } from 'vitest';
import { formatProblem, parsePolicySources } from './load.js';

const HEAD = 'apiVersion: countersign.dev/v1';
const BASE = `${HEAD}
kind: Group
metadata: { name: dba }
spec: {}
---
${HEAD}
kind: Group
metadata: { name: security-leads }
spec: {}
---
${HEAD}
kind: Identity
metadata: { name: erin }
spec: { kind: human, groups: [dba], slack: U024BE7LH }
`;

function profile(reminders: string, pendingTimeout = '8h'): string {
  return `${HEAD}
kind: ResourceProfile
metadata: { name: db }
spec:
  classification: internal
  environment: test
  owners: [group:dba]
  provider: { type: noop }
  actions:
    write:
      risk: high
      grant: {}
      maxDuration: 1h
      pendingTimeout: ${pendingTimeout}
      ${reminders}
      approval: [ { steps: [ { from: [group:dba], count: 1 } ] } ]
`;
}

function load(...docs: string[]) {
  return parsePolicySources([{ path: 'p.yaml', text: [BASE, ...docs].join('---\n') }]);
}

function problems(...docs: string[]): string[] {
  return load(...docs).problems.map(formatProblem);
}

describe('chat notifiers', () => {
  it('a slack notifier names its token and signing secret variables, a channel, and sends DMs by default', () => {
    const result = load(`${HEAD}
kind: Notifier
metadata: { name: approvals }
spec: { type: slack, tokenEnv: SLACK_BOT_TOKEN, signingSecretEnv: SLACK_SIGNING_SECRET, channel: C0123ABC, events: [request.approval_needed] }
`);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.policy?.notifiers.get('approvals')).toEqual({
      name: 'approvals',
      type: 'slack',
      tokenEnv: 'SLACK_BOT_TOKEN',
      signingSecretEnv: 'SLACK_SIGNING_SECRET',
      channel: 'C0123ABC',
      directMessages: true,
      events: ['request.approval_needed'],
    });
    expect(result.policy?.identities.get('erin')?.slack).toBe('U024BE7LH');
  });

  it('teams and mattermost notifiers take the URL variable of their incoming webhook', () => {
    const result = load(
      `${HEAD}\nkind: Notifier\nmetadata: { name: teams }\nspec: { type: teams, urlEnv: TEAMS_URL, events: ['*'] }\n`,
      `${HEAD}\nkind: Notifier\nmetadata: { name: mm }\nspec: { type: mattermost, urlEnv: MM_URL, events: [drift.found] }\n`,
    );
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.policy?.notifiers.get('teams')).toEqual({
      name: 'teams',
      type: 'teams',
      urlEnv: 'TEAMS_URL',
      events: ['*'],
    });
  });

  it.each([
    ['a token in the policy', 'token: xoxb-1, signingSecretEnv: S, events: [a.b]'],
    ['no signing secret variable', 'tokenEnv: T, events: [a.b]'],
    ['neither a channel nor direct messages', 'tokenEnv: T, signingSecretEnv: S, directMessages: false, events: [a.b]'],
    [
      'a channel that is neither an id nor a #name',
      'tokenEnv: T, signingSecretEnv: S, channel: "general chat", events: [a.b]',
    ],
  ])('a slack notifier with %s is refused', (_what, spec) => {
    expect(problems(`${HEAD}\nkind: Notifier\nmetadata: { name: n }\nspec: { type: slack, ${spec} }\n`)).not.toEqual(
      [],
    );
  });

  it('a Slack id that is not a member id is refused', () => {
    expect(
      problems(`${HEAD}\nkind: Identity\nmetadata: { name: bob }\nspec: { kind: human, slack: "@bob" }\n`).join('\n'),
    ).toContain('is not a Slack member id');
  });
});

describe('reminders', () => {
  it('an action reminds after a delay and escalates to a group before its pending timeout', () => {
    const result = load(profile('reminders: { after: 2h, escalateAfter: 6h, escalateTo: [group:security-leads] }'));
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.policy?.profiles.get('db')?.actions.get('write')?.reminders).toEqual({
      afterSeconds: 7200,
      escalateAfterSeconds: 21600,
      escalateTo: [{ type: 'group', name: 'security-leads' }],
    });
  });

  it.each([
    [
      'escalation at or after the pending timeout',
      'reminders: { escalateAfter: 8h, escalateTo: [group:dba] }',
      'shorter than pendingTimeout',
    ],
    [
      'a reminder after the escalation',
      'reminders: { after: 3h, escalateAfter: 2h, escalateTo: [group:dba] }',
      'shorter than reminders.escalateAfter',
    ],
    [
      'an escalation with no audience',
      'reminders: { escalateAfter: 2h }',
      "'escalateAfter' and 'escalateTo' go together",
    ],
    ['an audience that does not exist', 'reminders: { escalateAfter: 2h, escalateTo: [group:nobody] }', 'nobody'],
    ['no delay at all', 'reminders: {}', "'reminders' needs"],
  ])('%s is refused', (_what, reminders, message) => {
    expect(problems(profile(reminders)).join('\n')).toContain(message);
  });
});
