/**
 * Approvals in chat and reminders (issue 13 part 1):
 * - `chat_messages`: every message Countersign posted to Slack for a delivery (one per recipient: an approver's
 *   DM or a channel), with Slack's `channel` and `ts`, so that a retried delivery sends only what is missing
 *   (unique per delivery and recipient) and the message can be updated with the outcome (`chat.update`);
 * - `slack_interactions`: the signatures of the interaction requests already accepted, kept past Slack's
 *   five-minute window, so that a captured request replayed within that window is refused;
 * - `request_reminders`: the reminder and the escalation of a pending request, at most one of each (primary
 *   key), written with the notification in one transaction, so each goes out once across restarts and replicas.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('notifier', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('interactive', 'integer', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addUniqueConstraint('chat_messages_delivery_recipient_key', ['delivery_id', 'recipient'])
    .execute();
  await db.schema.createIndex('chat_messages_request_idx').on('chat_messages').column('request_id').execute();
  await db.schema.createIndex('chat_messages_channel_ts_idx').on('chat_messages').columns(['channel', 'ts']).execute();

  await db.schema
    .createTable('slack_interactions')
    .addColumn('signature_hash', 'text', (c) => c.primaryKey())
    .addColumn('slack_timestamp', EPOCH_MS, (c) => c.notNull())
    .addColumn('received_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('slack_interactions_received_idx')
    .on('slack_interactions')
    .column('received_at')
    .execute();

  await db.schema
    .createTable('request_reminders')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('sent_at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('request_reminders_pkey', ['request_id', 'kind'])
    .execute();
}

export const chatApprovals: StoreMigration = { name: '0022-chat-approvals', up };
