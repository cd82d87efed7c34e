/**
 * Intent before every provider call (SPEC §2.8, issue #9 item 12): a provider operation is recorded as a
 * `pending` intent, with an idempotency key (its id) and a deadline after which it is surely over, in the same
 * transaction that claims the request — before the provider is called. The outcome transaction marks it
 * `succeeded` or `failed`; an intent whose outcome could not be recorded is `unknown`, and a `pending` one whose
 * deadline passed is found by the scheduler and flagged for review. `execute` uses it; activation can later.
 * Not part of the policy snapshot, so no `overlay_version` trigger.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('deadline_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('finished_at', EPOCH_MS)
    .execute();
  // One intent per request and operation: an approval is for one run, and a retry reuses nothing.
  await db.schema
    .createIndex('provider_intents_request_idx')
    .on('provider_intents')
    .columns(['request_id', 'operation'])
    .unique()
    .execute();
  await db.schema
    .createIndex('provider_intents_status_idx')
    .on('provider_intents')
    .columns(['status', 'deadline_at'])
    .execute();
}

export const providerIntents: StoreMigration = { name: '0017-provider-intents', up };
