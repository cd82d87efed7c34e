/**
 * The Slack messages of an approval (Block Kit, issue 13): a request with its profile's context — resource,
 * classification and environment, action and risk, justification, ticket, drift, the steps and who approved —
 * and, on an interactive message, Approve and Deny buttons whose value carries the request id and the digest the
 * message shows (an approval binds to exactly that content, as through the API). Every value that comes from a
 * person is escaped, so a justification cannot forge a link or a mention.
 */
import type { ApprovalCard } from './approval-context.queries.js';

export const APPROVE_ACTION = 'countersign_approve';
export const DENY_ACTION = 'countersign_deny';

export interface Block {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

/** What the message is: the first ask, a reminder, an escalation, or the state after someone acted. */
export type MessagePurpose = 'approval_needed' | 'reminder' | 'escalation' | 'update';

const HEADERS: Readonly<Record<MessagePurpose, string>> = {
  approval_needed: 'Approval needed',
  reminder: 'Reminder: approval still needed',
  escalation: 'Escalated: approval still pending',
  update: 'Access request',
};

/** Slack's mrkdwn needs `&`, `<` and `>` escaped, or a value could forge a link or a mention. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function field(label: string, value: string): Block {
  return { type: 'mrkdwn', text: `*${label}*\n${clip(escapeMrkdwn(value), 1900)}` };
}

export function driftText(drift: ApprovalCard['drift']): string {
  if (drift === undefined) return 'never observed: state unknown';
  const open = (['critical', 'high', 'medium', 'low'] as const)
    .filter((severity) => (drift[severity] ?? 0) > 0)
    .map((severity) => `${drift[severity]} ${severity}`);
  return open.length === 0 ? 'no open findings' : `open findings: ${open.join(', ')}`;
}

function stepLines(card: ApprovalCard): string {
  const { view } = card;
  if (view.steps.length === 0) return view.approvals.map((a) => `approved by ${a.approver}`).join('\n') || 'none';
  return view.steps
    .map((step) => {
      const mark = step.satisfied ? '✅' : view.currentStep === step.step ? '⏳' : '▫️';
      const who = step.approvers.length > 0 ? ` — approved by ${step.approvers.join(', ')}` : '';
      const independent = step.independent ? ', independent of the requester' : '';
      return `${mark} Step ${step.step}: ${step.required} of ${step.from.join(', ')}${independent}${who}`;
    })
    .map(escapeMrkdwn)
    .join('\n');
}

/** The button value: request id and the digest shown, so a changed request is refused on press. */
export function buttonValue(card: ApprovalCard): string {
  return JSON.stringify({ request: card.view.id, digest: card.view.digest });
}

/**
 * The message for `card`. `interactive` adds the buttons (only while the request is pending); `outcome` is a line
 * saying what just happened (`erin approved`), shown above the context.
 */
export function approvalMessage(
  card: ApprovalCard,
  options: {
    readonly purpose: MessagePurpose;
    readonly interactive: boolean;
    readonly outcome?: string;
    readonly note?: string;
    readonly link?: string;
  },
): SlackMessage {
  const { view } = card;
  const title = `${HEADERS[options.purpose]}: ${view.action} on ${view.resource}`;
  const risk = card.risk !== undefined ? ` (risk ${card.risk})` : '';
  const where = [card.classification, card.environment].filter((v) => v !== undefined).join(', ');
  const fields = [
    field('Requester', view.requester),
    field('Resource', view.resource),
    field('Action', `${view.action}${risk}`),
    field('Duration', view.duration),
    ...(where !== '' ? [field('Classification', where)] : []),
    field('Ticket', view.ticket ?? '—'),
    field('Drift', driftText(card.drift)),
    field('Status', view.status),
  ];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
    { type: 'section', fields: fields.slice(0, 10) },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Justification*\n${clip(escapeMrkdwn(view.justification ?? '—'), 2900)}` },
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Approval steps*\n${clip(stepLines(card), 2900)}` } },
  ];
  if (options.note !== undefined) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(options.note), 2900) }] });
  }
  if (options.outcome !== undefined) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(options.outcome), 2900) } });
  }
  if (options.interactive && view.status === 'pending') {
    const value = buttonValue(card);
    blocks.push({
      type: 'actions',
      block_id: 'countersign_decision',
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value,
        },
        {
          type: 'button',
          action_id: DENY_ACTION,
          style: 'danger',
          text: { type: 'plain_text', text: 'Deny' },
          value,
          confirm: {
            title: { type: 'plain_text', text: 'Deny this request?' },
            text: {
              type: 'plain_text',
              text: `Deny ${clip(view.requester, 100)}'s request for ${clip(view.action, 100)}?`,
            },
            confirm: { type: 'plain_text', text: 'Deny' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
      ],
    });
  }
  const link = options.link !== undefined ? ` · <${options.link}|open in Countersign>` : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `request \`${escapeMrkdwn(view.id)}\` · digest \`${view.digest.slice(0, 12)}\`${link}`,
      },
    ],
  });
  const text = `${title} — requested by ${view.requester}${options.outcome !== undefined ? `. ${options.outcome}` : ''}`;
  return { text: escapeMrkdwn(clip(text, 3000)), blocks };
}
