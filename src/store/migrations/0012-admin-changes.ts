/**
 * Pending administrative changes (SPEC §2.4, four eyes on widening access): a role assignment or a resource
 * registration proposed through the API waits here until a second administrator approves it (then it is applied
 * in the approving transaction), its author withdraws it, someone rejects it, or it expires. The table is not
 * overlaid on the policy: only what an approval applies (role assignments, resources) is, and those bump
 * `overlay_version` already.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../database-url.js';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('admin_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_links', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('decided_at', EPOCH_MS)
    .addColumn('decided_by', 'text')
    .addColumn('applied_at', EPOCH_MS)
    .addColumn('result', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('admin_changes_status_idx')
    .on('admin_changes')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema.createIndex('admin_changes_target_idx').on('admin_changes').columns(['target', 'status']).execute();
}

export const adminChanges: StoreMigration = { name: '0012-admin-changes', up };
