/**
 * Eligible roles activate only through an approval of that role (issue #9 item 3): a role activation is a request
 * of its own, named by role, with its own lifecycle (`pending` → `active` → `expired` | `revoked`, or `denied`,
 * `cancelled`, `timed_out`). Once active it writes the `role_activations` row the policy snapshot overlays
 * (that table already bumps `overlay_version`), so this table needs no trigger of its own.
 */
import { sql, type Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('role_activation_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('ticket', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('matched_rule', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('approvals', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('pending_until', EPOCH_MS)
    .addColumn('activated_at', EPOCH_MS)
    .addColumn('expires_at', EPOCH_MS)
    .addColumn('ended_at', EPOCH_MS)
    .addColumn('ended_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('role_activation_requests_status_idx')
    .on('role_activation_requests')
    .columns(['status', 'pending_until'])
    .execute();
  // One pending request per requester and role, even when two replicas take the same request at once.
  await db.schema
    .createIndex('role_activation_requests_one_pending')
    .on('role_activation_requests')
    .columns(['requester', 'role'])
    .unique()
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await db.schema
    .createIndex('role_activation_requests_requester_idx')
    .on('role_activation_requests')
    .columns(['requester', 'created_at'])
    .execute();
}

export const roleActivationRequests: StoreMigration = { name: '0014-role-activation-requests', up };
