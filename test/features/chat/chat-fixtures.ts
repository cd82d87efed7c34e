/**
 * The example company wired to a (simulated) Slack workspace for the chat tests: Slack ids on some identities, a
 * `slack` notifier for approval events posting to a channel and by DM, and an outbox pass that delivers through the
 * chat senders against the local fake of Slack's Web API (`fake-slack.ts`; Slack itself is simulated).
 */
import type { AppContext } from '../../../src/app/context.js';
import { slackSender, type SlackSettings } from '../../../src/features/chat/index.js';
import { OutboxDelivery, type DeliveryRun } from '../../../src/features/notifications/outbox-delivery.job.js';
import type { Identity, PolicySet, SlackNotifier } from '../../../src/policy/model.js';
import type { FakeSlackUser } from './fake-slack.js';

export const SLACK_TOKEN = 'xoxb-test-0000-countersign';
export const SIGNING_SECRET = 'slack-signing-secret-3f9a1c';
export const APPROVALS_CHANNEL = 'C0APPROVALS';
export const SLACK_ENV = { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

/** Declared Slack ids (`spec.slack`). grace has none: she is found by her confirmed e-mail. */
export const SLACK_IDS: Readonly<Record<string, string>> = {
  alice: 'UALICE',
  bob: 'UBOB',
  erin: 'UERIN',
  frank: 'UFRANK',
  heidi: 'UHEIDI',
  ivan: 'UIVAN',
  'deploy-bot': 'UDEPLOYBOT',
  mallory: 'UMALLORY',
};

/** The workspace's members as Slack knows them. */
export const SLACK_USERS: readonly FakeSlackUser[] = [
  ...Object.values(SLACK_IDS).map((id) => ({ id })),
  { id: 'UGRACE', email: 'grace@acmepay.example', emailConfirmed: true },
  // dan's address is in Slack but unconfirmed: Slack does not vouch for it, so it maps to no one.
  { id: 'UDAN', email: 'dan@acmepay.example', emailConfirmed: false },
  { id: 'USTRANGER', email: 'stranger@elsewhere.example', emailConfirmed: true },
];

export const SLACK_NOTIFIER: SlackNotifier = {
  name: 'approvals-slack',
  type: 'slack',
  tokenEnv: 'SLACK_BOT_TOKEN',
  signingSecretEnv: 'SLACK_SIGNING_SECRET',
  channel: APPROVALS_CHANNEL,
  directMessages: true,
  events: [
    'request.approval_needed',
    'request.reminder',
    'request.escalated',
    'request.approved',
    'request.denied',
    'request.cancelled',
  ],
};

/** `policy` with the Slack ids declared and the slack notifier; `notifier` replaces the default one. */
export function withSlack(policy: PolicySet, notifier: SlackNotifier = SLACK_NOTIFIER): PolicySet {
  const identities = new Map<string, Identity>();
  for (const [name, identity] of policy.identities) {
    const slack = SLACK_IDS[name];
    identities.set(name, slack === undefined ? identity : { ...identity, slack });
  }
  // Only the slack notifier: the example's webhooks have no receivers here.
  return { ...policy, identities, notifiers: new Map([[notifier.name, notifier]]) };
}

export function slackSettings(apiUrl: string): SlackSettings {
  return { apiUrl, env: SLACK_ENV, publicUrl: 'https://countersign.acmepay.example/' };
}

/** One outbox pass through the chat senders. */
export function deliverOnce(app: AppContext, apiUrl: string): Promise<DeliveryRun> {
  return new OutboxDelivery({
    database: app.database,
    notifiers: () => app.policy.notifiers(),
    clock: app.clock,
    env: SLACK_ENV,
    backoffBaseMs: 1,
    maxAttempts: 5,
    logger: { warn: () => undefined, error: () => undefined },
    senders: { slack: slackSender(app, slackSettings(apiUrl)) },
  }).deliverDue();
}
