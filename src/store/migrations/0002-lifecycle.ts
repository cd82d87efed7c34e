/**
 * The first schema, part 2: the request lifecycle (requests, approvals, grants), the notification outbox and
 * named scheduler leases, with the indexes the scheduler scans by (status + due time).
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema;

  await schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('ticket', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('break_glass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('profile_version', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('matched_rule', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('approved_at', EPOCH_MS)
    .addColumn('activated_at', EPOCH_MS)
    .addColumn('expires_at', EPOCH_MS)
    .addColumn('first_activated_at', EPOCH_MS)
    .addColumn('extends_request', 'text')
    .addColumn('provisioner', 'text')
    .addColumn('certifier', 'text')
    .addColumn('other_actors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('review_by', EPOCH_MS)
    .addColumn('reviewed_at', EPOCH_MS)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await schema.createIndex('requests_status_expires_idx').on('requests').columns(['status', 'expires_at']).execute();
  await schema.createIndex('requests_requester_idx').on('requests').columns(['requester', 'created_at']).execute();
  await schema.createIndex('requests_resource_idx').on('requests').columns(['resource', 'status']).execute();
  await schema.createIndex('requests_created_idx').on('requests').column('created_at').execute();

  await schema
    .createTable('approvals')
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('approver', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    // An approval counts once per identity, however the application counts: the database refuses a second.
    .addPrimaryKeyConstraint('approvals_pk', ['request_id', 'approver'])
    .execute();
  await schema.createIndex('approvals_approver_idx').on('approvals').column('approver').execute();

  await schema
    .createTable('grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().unique().references('requests.id'))
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('handle', 'text')
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('revoke_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', EPOCH_MS)
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', EPOCH_MS)
    .addColumn('revoked_at', EPOCH_MS)
    .addColumn('revoked_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await schema.createIndex('grants_status_expires_idx').on('grants').columns(['status', 'expires_at']).execute();
  await schema
    .createIndex('grants_status_next_attempt_idx')
    .on('grants')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await schema.createIndex('grants_identity_idx').on('grants').columns(['identity', 'status']).execute();
  await schema.createIndex('grants_resource_idx').on('grants').columns(['resource', 'status']).execute();

  await schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('notifier', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('delivered_at', EPOCH_MS)
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', EPOCH_MS)
    .execute();
  await schema
    .createIndex('outbox_status_next_attempt_idx')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await schema
    .createTable('scheduler_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', EPOCH_MS, (c) => c.notNull())
    .execute();
}

export const lifecycle: StoreMigration = { name: '0002-lifecycle', up };
