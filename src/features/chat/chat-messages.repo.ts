/**
 * The chat feature's tables (migration 0022): `chat_messages`, every Slack message posted for an outbox delivery
 * (one per recipient, so a retried delivery posts only what is missing, and the outcome can be written into each
 * later), and `slack_interactions`, the signatures of interaction requests already accepted (a replay is refused).
 * This module is the only writer of both.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../../core/clock.js';
import { fromFlag, toFlag } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';

export interface ChatMessage {
  readonly id: string;
  readonly deliveryId: string;
  readonly notifier: string;
  readonly requestId: string | null;
  /** `identity:NAME` (a direct message) or `channel:ID`. */
  readonly recipient: string;
  readonly channel: string;
  readonly ts: string;
  readonly interactive: boolean;
}

function toMessage(row: {
  id: string;
  delivery_id: string;
  notifier: string;
  request_id: string | null;
  recipient: string;
  channel: string;
  ts: string;
  interactive: 0 | 1;
}): ChatMessage {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    notifier: row.notifier,
    requestId: row.request_id,
    recipient: row.recipient,
    channel: row.channel,
    ts: row.ts,
    interactive: fromFlag(row.interactive),
  };
}

/** Recipients already posted to for `deliveryId` (a retry skips them). */
export async function postedRecipients(db: Kysely<Schema>, deliveryId: string): Promise<ReadonlySet<string>> {
  const rows = await db.selectFrom('chat_messages').select('recipient').where('delivery_id', '=', deliveryId).execute();
  return new Set(rows.map((row) => row.recipient));
}

export async function recordPosted(db: Kysely<Schema>, message: Omit<ChatMessage, 'id'>, now: number): Promise<void> {
  await db
    .insertInto('chat_messages')
    .values({
      id: newId('chm'),
      delivery_id: message.deliveryId,
      notifier: message.notifier,
      request_id: message.requestId,
      recipient: message.recipient,
      channel: message.channel,
      ts: message.ts,
      interactive: toFlag(message.interactive),
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['delivery_id', 'recipient']).doNothing())
    .execute();
}

/** Every message posted about `requestId` by `notifier`, oldest first. */
export async function messagesOfRequest(
  db: Kysely<Schema>,
  notifier: string,
  requestId: string,
): Promise<ChatMessage[]> {
  const rows = await db
    .selectFrom('chat_messages')
    .selectAll()
    .where('notifier', '=', notifier)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .execute();
  return rows.map(toMessage);
}

/** The message Countersign posted at (`channel`, `ts`), if it is one of ours. */
export async function findMessage(db: Kysely<Schema>, channel: string, ts: string): Promise<ChatMessage | undefined> {
  const row = await db
    .selectFrom('chat_messages')
    .selectAll()
    .where('channel', '=', channel)
    .where('ts', '=', ts)
    .executeTakeFirst();
  return row === undefined ? undefined : toMessage(row);
}

export async function markUpdated(db: Kysely<Schema>, id: string, interactive: boolean, now: number): Promise<void> {
  await db
    .updateTable('chat_messages')
    .set({ interactive: toFlag(interactive), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** How long an accepted signature is remembered: past Slack's five-minute window, with room for clock skew. */
export const SIGNATURE_MEMORY_MS = 15 * 60_000;

/**
 * Remembers an accepted interaction request by the SHA-256 of its signature. Returns false when the same
 * signature was accepted before: a replay. Signatures older than `SIGNATURE_MEMORY_MS` are forgotten here too
 * (their timestamp is refused anyway).
 */
export async function rememberSignature(
  db: Kysely<Schema>,
  signature: string,
  slackTimestampMs: number,
  now: number,
): Promise<boolean> {
  await db
    .deleteFrom('slack_interactions')
    .where('received_at', '<', now - SIGNATURE_MEMORY_MS)
    .execute();
  const hash = createHash('sha256').update(signature).digest('hex');
  const inserted = await db
    .insertInto('slack_interactions')
    .values({ signature_hash: hash, slack_timestamp: slackTimestampMs, received_at: now })
    .onConflict((conflict) => conflict.column('signature_hash').doNothing())
    .returning('signature_hash')
    .executeTakeFirst();
  return inserted !== undefined;
}
