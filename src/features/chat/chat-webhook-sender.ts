/**
 * Delivers outbox rows to Microsoft Teams and Mattermost incoming webhooks (issue 13). Both URLs are secrets in
 * themselves (whoever holds one can post), so they come from the environment (`urlEnv`) and never appear in an
 * error. Teams receives an Adaptive Card (`{"type":"message","attachments":[{"contentType":
 * "application/vnd.microsoft.card.adaptive","content":{…}}]}`); Mattermost receives Slack's incoming-webhook
 * format (`text` and `attachments` with fields), which it speaks. Each carries the event's facts and a link to the
 * request's page in the console when the public URL is known (`serve --public-url`). Text that comes from people
 * is escaped for the receiver's markdown, so it cannot forge a link. Redirects are not followed.
 */
import type { ChatWebhookNotifier } from '../../policy/model.js';
import type { NotificationSender, OutboxMessage } from '../notifications/index.js';
import { eventTitle } from '../notifications/index.js';
import { requestPageUrl } from './slack-client.js';

export interface ChatWebhookSettings {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly publicUrl?: string;
  readonly timeoutMs?: number;
}

const LEADING = ['request', 'requester', 'resource', 'action', 'status', 'step', 'audience', 'reason', 'grantId'];
const MAX_FACTS = 10;

/** Markdown (Teams' TextBlock and Mattermost alike) escaped so that a value cannot make a link, an image or emphasis. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]()<>~|]/g, (char) => `\\${char}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value) ?? String(value);
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function facts(message: OutboxMessage): { title: string; value: string }[] {
  const keys = Object.keys(message.data).filter((key) => message.data[key] !== undefined && message.data[key] !== null);
  const ordered = [...LEADING.filter((key) => keys.includes(key)), ...keys.filter((key) => !LEADING.includes(key))];
  return ordered
    .slice(0, MAX_FACTS)
    .map((key) => ({ title: key, value: escapeMarkdown(clip(show(message.data[key]), 300)) }));
}

function title(message: OutboxMessage): string {
  return `${message.urgent ? 'URGENT: ' : ''}${eventTitle(message.event)}`;
}

function linkOf(message: OutboxMessage, publicUrl: string | undefined): string | undefined {
  const id = message.data.request ?? message.data.requestId;
  if (typeof id === 'string') return requestPageUrl(publicUrl, id);
  return publicUrl;
}

/** The Teams body: one Adaptive Card with a title, the facts, the event line and a button to the console. */
export function teamsBody(message: OutboxMessage, link: string | undefined): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              text: escapeMarkdown(title(message)),
              ...(message.urgent ? { color: 'Attention' } : {}),
            },
            { type: 'FactSet', facts: facts(message) },
            {
              type: 'TextBlock',
              isSubtle: true,
              wrap: true,
              size: 'Small',
              text: escapeMarkdown(
                `${message.event} · ${new Date(message.time).toISOString()} · delivery ${message.id}`,
              ),
            },
          ],
          ...(link !== undefined
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Countersign', url: link }] }
            : {}),
        },
      },
    ],
  };
}

/** The Mattermost body: Slack's incoming-webhook format with an attachment of fields and a title link. */
export function mattermostBody(message: OutboxMessage, link: string | undefined): Record<string, unknown> {
  const heading = escapeMarkdown(title(message));
  return {
    text: link !== undefined ? `#### ${heading}\n[Open in Countersign](${link})` : `#### ${heading}`,
    attachments: [
      {
        fallback: heading,
        color: message.urgent ? '#d00000' : '#2f6fde',
        title: heading,
        ...(link !== undefined ? { title_link: link } : {}),
        fields: facts(message).map((fact) => ({ short: fact.value.length < 40, title: fact.title, value: fact.value })),
        footer: `${message.event} · delivery ${message.id}`,
        ts: Math.floor(message.time / 1000),
      },
    ],
  };
}

/** The sender of `teams` and `mattermost` notifiers, for `OutboxDelivery`'s `senders`. */
export function chatWebhookSender(settings: ChatWebhookSettings): NotificationSender<ChatWebhookNotifier> {
  return async (message, notifier) => {
    const env = settings.env ?? process.env;
    let url: URL;
    try {
      url = new URL(env[notifier.urlEnv] ?? '');
    } catch {
      return { ok: false, error: `environment variable '${notifier.urlEnv}' does not hold an http(s) URL` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { ok: false, error: `environment variable '${notifier.urlEnv}' does not hold an http(s) URL` };
    const link = linkOf(message, settings.publicUrl);
    const body = notifier.type === 'teams' ? teamsBody(message, link) : mattermostBody(message, link);
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
        headers: { 'content-type': 'application/json', 'user-agent': 'countersign' },
        body: JSON.stringify(body),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { ok: false, error: timedOut ? 'timed out' : 'network error' };
    }
  };
}
