/**
 * Certification campaigns (SPEC §2.9): a campaign reviews the items generated when it was created (standing
 * role assignments, active grants, break-glass uses and high-risk requests of a period); each item is kept or
 * revoked by a certifier, or revoked or escalated by the scheduler once the deadline passes.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema;
  await schema
    .createTable('certification_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('period_from', EPOCH_MS, (c) => c.notNull())
    .addColumn('period_to', EPOCH_MS, (c) => c.notNull())
    .addColumn('deadline', EPOCH_MS, (c) => c.notNull())
    .addColumn('on_missed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('closed_at', EPOCH_MS)
    .execute();
  await schema
    .createIndex('certification_campaigns_due_idx')
    .on('certification_campaigns')
    .columns(['status', 'deadline'])
    .execute();

  await schema
    .createTable('certification_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('certification_campaigns.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('profile', 'text')
    .addColumn('role', 'text')
    .addColumn('request_id', 'text')
    .addColumn('holders', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', EPOCH_MS)
    .addColumn('comment', 'text')
    .addColumn('enforcement', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await schema
    .createIndex('certification_items_campaign_idx')
    .on('certification_items')
    .columns(['campaign_id', 'status'])
    .execute();
  await schema.createIndex('certification_items_decided_idx').on('certification_items').column('decided_at').execute();
}

export const certifications: StoreMigration = { name: '0004-certifications', up };
