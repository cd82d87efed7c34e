/**
 * Delivers outbox rows to a `slack` notifier (issue 13; called by the outbox delivery outside any transaction):
 * - an approval request (`request.approval_needed`, `request.reminder`) goes, as an interactive message, by DM to
 *   each identity whose approval would count now (found by its `slack` id, or by its e-mail through
 *   `users.lookupByEmail` when Slack confirmed that address), and to the notifier's channel;
 * - an escalation (`request.escalated`) goes to the humans of the action's `escalateTo`, with buttons only for
 *   those whose approval would count (escalation tells more people, it makes no one an approver);
 * - an outcome (`request.approved`, `denied`, `cancelled`, `timeout`) rewrites the messages already posted about
 *   the request, and every other event is posted to the channel in the Slack-compatible notification format.
 * Each message posted is recorded per (delivery, recipient) at once, so a retry after a partial failure sends only
 * what is missing. A request no longer pending is not asked about.
 */
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app/context.js';
import type { SlackNotifier } from '../../policy/model.js';
import type { Attempt, NotificationSender, OutboxMessage } from '../notifications/index.js';
import { slackBody } from '../notifications/index.js';
import { loadApprovalAudience, type AudienceKind } from './approval-context.queries.js';
import { postedRecipients, recordPosted } from './chat-messages.repo.js';
import { approvalMessage, type MessagePurpose, type SlackMessage } from './slack-blocks.js';
import { requestPageUrl, slackClient, slackFailure, type SlackSettings } from './slack-client.js';
import { refreshRequestMessages } from './slack-updates.js';

const ASKS: Readonly<Record<string, { purpose: MessagePurpose; audience: AudienceKind }>> = {
  'request.approval_needed': { purpose: 'approval_needed', audience: 'approvers' },
  'request.reminder': { purpose: 'reminder', audience: 'approvers' },
  'request.escalated': { purpose: 'escalation', audience: 'escalation' },
};

const OUTCOMES: Readonly<Record<string, (data: OutboxMessage['data']) => string>> = {
  'request.approved': (data) => (typeof data.rule === 'string' ? '✅ Approved by policy' : '✅ Approved'),
  'request.denied': (data) => `⛔ Denied${typeof data.reason === 'string' ? `: ${data.reason}` : ''}`,
  'request.cancelled': () => '↩️ Cancelled by the requester',
  'request.timeout': () => '⌛ Timed out without a decision',
};

const ESCALATED_NOTE =
  'You are told because this request was escalated to you. Your approval would not count toward its steps.';

/** The sender of `slack` notifiers, for `OutboxDelivery`'s `senders`. */
export function slackSender(app: AppContext, settings: SlackSettings): NotificationSender<SlackNotifier> {
  return async (message, notifier) => {
    const client = slackClient(settings, notifier);
    if ('error' in client) return { ok: false, error: client.error };
    // Request events name it `request`; the expiry job's `request.timeout` names it `requestId`.
    const named = message.data.request ?? message.data.requestId;
    const requestId = typeof named === 'string' ? named : undefined;
    const ask = ASKS[message.event];
    if (ask !== undefined && requestId !== undefined) {
      return sendAsk(app, settings, client, notifier, message, requestId, ask);
    }
    const outcome = OUTCOMES[message.event];
    const failures: string[] = [];
    if (outcome !== undefined && requestId !== undefined) {
      const text = outcome(message.data);
      const refreshed = await refreshRequestMessages(app, client, notifier, requestId, text, settings.publicUrl);
      failures.push(...refreshed.failures);
      // The request's own messages now say how it ended: the channel is not told twice.
      if (refreshed.updated + refreshed.failures.length > 0) {
        return failures.length === 0 ? { ok: true } : { ok: false, error: failures.join('; ') };
      }
    }
    if (notifier.channel !== undefined) {
      const body = slackBody(message) as unknown as SlackMessage;
      const posted = await postOnce(app, client, notifier, message, `channel:${notifier.channel}`, notifier.channel, {
        body,
        requestId: requestId ?? null,
        interactive: false,
      });
      if (posted !== undefined) failures.push(posted);
    }
    return failures.length === 0 ? { ok: true } : { ok: false, error: failures.join('; ') };
  };
}

async function sendAsk(
  app: AppContext,
  settings: SlackSettings,
  client: WebClient,
  notifier: SlackNotifier,
  message: OutboxMessage,
  requestId: string,
  ask: { purpose: MessagePurpose; audience: AudienceKind },
): Promise<Attempt> {
  const audience = await loadApprovalAudience(app, requestId, ask.audience);
  if (audience === undefined || audience.card.view.status !== 'pending') return { ok: true };
  const link = requestPageUrl(settings.publicUrl, requestId);
  const build = (interactive: boolean, note?: string) =>
    approvalMessage(audience.card, {
      purpose: ask.purpose,
      interactive,
      ...(note !== undefined ? { note } : {}),
      ...(link !== undefined ? { link } : {}),
    });
  const failures: string[] = [];
  if (notifier.directMessages) {
    const byEmail = new Map<string, string | undefined>();
    for (const listener of audience.listeners) {
      const slackId = listener.person.slack ?? (await lookupByEmail(client, listener.person.email, byEmail));
      // Nobody to write to: the person is asked in the console and through any other notifier.
      if (slackId === undefined) continue;
      const note = ask.audience === 'escalation' && !listener.canApprove ? ESCALATED_NOTE : undefined;
      const failed = await postOnce(app, client, notifier, message, `identity:${listener.identity}`, slackId, {
        body: build(listener.canApprove, note),
        requestId,
        interactive: listener.canApprove,
      });
      if (failed !== undefined) failures.push(`identity '${listener.identity}': ${failed}`);
    }
  }
  if (notifier.channel !== undefined) {
    const failed = await postOnce(app, client, notifier, message, `channel:${notifier.channel}`, notifier.channel, {
      body: build(true),
      requestId,
      interactive: true,
    });
    if (failed !== undefined) failures.push(`channel '${notifier.channel}': ${failed}`);
  }
  return failures.length === 0 ? { ok: true } : { ok: false, error: failures.join('; ') };
}

/** Posts unless this delivery already reached `recipient`; records what was posted. Returns our error text. */
async function postOnce(
  app: AppContext,
  client: WebClient,
  notifier: SlackNotifier,
  message: OutboxMessage,
  recipient: string,
  channel: string,
  post: { body: SlackMessage; requestId: string | null; interactive: boolean },
): Promise<string | undefined> {
  const done = await postedRecipients(app.database.db, message.id);
  if (done.has(recipient)) return undefined;
  let answer;
  try {
    answer = await client.chat.postMessage({ channel, text: post.body.text, blocks: [...post.body.blocks] });
  } catch (error) {
    return slackFailure('chat.postMessage', error);
  }
  if (typeof answer.channel !== 'string' || typeof answer.ts !== 'string') return 'chat.postMessage: no ts in answer';
  await recordPosted(
    app.database.db,
    {
      deliveryId: message.id,
      notifier: notifier.name,
      requestId: post.requestId,
      recipient,
      channel: answer.channel,
      ts: answer.ts,
      interactive: post.interactive,
    },
    app.clock.now(),
  );
  return undefined;
}

/** The Slack id of the person with `email`, only when Slack says the address is confirmed; cached per delivery. */
async function lookupByEmail(
  client: WebClient,
  email: string | undefined,
  cache: Map<string, string | undefined>,
): Promise<string | undefined> {
  if (email === undefined) return undefined;
  if (cache.has(email)) return cache.get(email);
  let id: string | undefined;
  try {
    const answer = await client.users.lookupByEmail({ email });
    const user = answer.user;
    if (user?.id !== undefined && user.is_email_confirmed === true && user.deleted !== true && user.is_bot !== true)
      id = user.id;
  } catch {
    // `users_not_found` and any failure alike: this person is not reached in Slack.
    id = undefined;
  }
  cache.set(email, id);
  return id;
}
