/**
 * Keeping Slack in step with a request (issue 13): once someone acts — in Slack, through the API or the console —
 * every message Countersign posted about the request is rewritten (`chat.update`) with its state and what
 * happened; buttons stay only on channel messages while the request is still pending. Failures are returned as our
 * own text, never thrown: the state in Countersign is what counts, the messages follow it.
 */
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app/context.js';
import type { SlackNotifier } from '../../policy/model.js';
import { loadApprovalCard } from './approval-context.queries.js';
import { markUpdated, messagesOfRequest } from './chat-messages.repo.js';
import { approvalMessage } from './slack-blocks.js';
import { requestPageUrl, slackFailure } from './slack-client.js';

/** Rewrites every message of `notifier` about `requestId`: how many were updated, and our text for each failure. */
export async function refreshRequestMessages(
  app: AppContext,
  client: WebClient,
  notifier: SlackNotifier,
  requestId: string,
  outcome: string,
  publicUrl?: string,
): Promise<{ readonly updated: number; readonly failures: readonly string[] }> {
  const messages = await messagesOfRequest(app.database.db, notifier.name, requestId);
  const card = messages.length === 0 ? undefined : await loadApprovalCard(app, requestId);
  if (card === undefined) return { updated: 0, failures: [] };
  const failures: string[] = [];
  let updated = 0;
  const link = requestPageUrl(publicUrl, requestId);
  for (const message of messages) {
    // Only a channel message keeps its buttons while others may still approve; a DM that was acted on, or any
    // message of a decided request, becomes a record.
    const interactive =
      message.interactive && card.view.status === 'pending' && message.recipient.startsWith('channel:');
    const body = approvalMessage(card, {
      purpose: 'update',
      interactive,
      outcome,
      ...(link !== undefined ? { link } : {}),
    });
    try {
      await client.chat.update({ channel: message.channel, ts: message.ts, text: body.text, blocks: [...body.blocks] });
      await markUpdated(app.database.db, message.id, interactive, app.clock.now());
      updated += 1;
    } catch (error) {
      failures.push(slackFailure('chat.update', error));
    }
  }
  return { updated, failures };
}
