/**
 * What a notifier receives for one outbox row (SPEC §2.12). `format: json` sends
 *
 *     { "id": <delivery id>, "event": "request.approved", "time": <epoch ms>, "urgent": false, "data": { … } }
 *
 * where `data` is what the verb recorded with the event. `format: slack` sends a Slack-compatible
 * incoming-webhook body `{ text, blocks }`: a one-line summary as `text` (what notifications and clients
 * without blocks show), then a header, the event's facts as fields, and a context line with the event name,
 * time and delivery id. Urgent events (break-glass use, revoke failures) say so first in both.
 */
import type { WebhookNotifier } from '../../policy/model.js';

export interface OutboxMessage {
  readonly id: string;
  readonly event: string;
  readonly urgent: boolean;
  /** Epoch ms at which the event happened. */
  readonly time: number;
  readonly data: Readonly<Record<string, unknown>>;
}

const TITLES: Readonly<Record<string, string>> = {
  'request.created': 'New access request',
  'request.approval_needed': 'Approval needed',
  'request.approved': 'Request approved',
  'request.denied': 'Request denied',
  'request.cancelled': 'Request cancelled',
  'request.timeout': 'Request timed out',
  'request.activated': 'Access activated',
  'request.needs_review': 'Execution outcome unknown: review needed',
  'request.extended': 'Access extended',
  'grant.expired': 'Access expired',
  'grant.revoked': 'Access revoked',
  'grant.revoke_failed': 'Revoke failed',
  'break_glass.used': 'Break-glass access used',
  'drift.found': 'Drift found',
  'sod.violation': 'Separation-of-duties violation',
  'role_activation.approval_needed': 'Role activation: approval needed',
  'role_activation.denied': 'Role activation denied',
  'role_activation.cancelled': 'Role activation cancelled',
  'role_activation.revoked': 'Role activation revoked',
  'role_activation.timed_out': 'Role activation timed out',
  'role.activated': 'Eligible role activated',
};

/** Facts shown first when present, in this order; the rest follow as they come. */
const LEADING_FIELDS = ['requester', 'identity', 'resource', 'action', 'requestId', 'request', 'grantId', 'status'];
const MAX_FIELDS = 10;
const MAX_FIELD_TEXT = 300;

/** Rebuilds the message from a stored row: the payload `transaction.ts` wrote is `{ event, urgent, time, …data }`. */
export function messageFromRow(row: {
  readonly id: string;
  readonly event: string;
  readonly payload: string;
  readonly priority: number;
  readonly created_at: number;
}): OutboxMessage {
  const parsed = JSON.parse(row.payload) as unknown;
  const payload =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const { event: _event, urgent, time, ...data } = payload;
  return {
    id: row.id,
    event: row.event,
    urgent: urgent === true || row.priority > 0,
    time: typeof time === 'number' ? time : row.created_at,
    data,
  };
}

export function eventTitle(event: string): string {
  return TITLES[event] ?? event;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Slack's mrkdwn needs `&`, `<` and `>` escaped, or a value could forge a link or a mention. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value) ?? String(value);
}

function facts(data: Readonly<Record<string, unknown>>): [string, string][] {
  const keys = Object.keys(data).filter((key) => data[key] !== undefined && data[key] !== null);
  const ordered = [
    ...LEADING_FIELDS.filter((key) => keys.includes(key)),
    ...keys.filter((key) => !LEADING_FIELDS.includes(key)),
  ];
  return ordered.slice(0, MAX_FIELDS).map((key) => [key, clip(show(data[key]), MAX_FIELD_TEXT)]);
}

/** One readable line: `[URGENT] Break-glass access used: requester bob, resource payments-db, action read`. */
export function summaryLine(message: OutboxMessage): string {
  const shown = facts(message.data)
    .slice(0, 3)
    .map(([key, value]) => `${key} ${clip(value, 80)}`);
  return `${message.urgent ? '[URGENT] ' : ''}${eventTitle(message.event)}${shown.length > 0 ? `: ${shown.join(', ')}` : ''}`;
}

export function slackBody(message: OutboxMessage): Record<string, unknown> {
  const fields = facts(message.data).map(([key, value]) => ({
    type: 'mrkdwn',
    text: `*${escapeMrkdwn(key)}*\n${escapeMrkdwn(value)}`,
  }));
  const header = `${message.urgent ? '🚨 URGENT: ' : ''}${eventTitle(message.event)}`;
  return {
    text: escapeMrkdwn(summaryLine(message)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(header, 150), emoji: true } },
      ...(fields.length > 0 ? [{ type: 'section', fields }] : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `\`${escapeMrkdwn(message.event)}\` · ${new Date(message.time).toISOString()} · delivery ${message.id}`,
          },
        ],
      },
    ],
  };
}

/** The body to send to `notifier`, in its format. */
export function notificationBody(
  message: OutboxMessage,
  notifier: Pick<WebhookNotifier, 'format'>,
): Record<string, unknown> {
  if (notifier.format === 'slack') return slackBody(message);
  return { id: message.id, event: message.event, time: message.time, urgent: message.urgent, data: message.data };
}
