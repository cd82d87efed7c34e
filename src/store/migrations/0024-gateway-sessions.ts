/**
 * The access gateway (issue 14): what a gateway login needs and what a gateway session leaves behind.
 * - `gateway_credentials`: one row per grant of a gateway-only action (an action with a `gateway` block), written
 *   at activation and deleted when the grant ends. It holds the provider's credential sealed (AES-256-GCM under
 *   `gateway-credential.key`, never in clear) and the one-time gateway secret handed to the requester, kept only as
 *   a SHA-256 and a SCRAM-SHA-256 verifier (salt, iterations, StoredKey, ServerKey).
 * - `gateway_sessions`: one row per client session a gateway opened, with who, from where, through which grant,
 *   and how it ended (`client`, `revoked`, `expired`, `budget`, `error`, `shutdown`, or `abnormal` when its
 *   gateway died and someone else noticed).
 * - `gateway_statements`: every statement of a session in order: its classification, the decision and rule, its
 *   outcome (command tag, rows, bytes, SQLSTATE, duration) and the audit event that carries its text and
 *   parameters sealed (`audit_seq`); a refused statement has a `refusal_id` a request can be created from. The
 *   text itself is never stored here in clear.
 * Gateways heartbeat through `scheduler_leases` (`gateway:<gatewayId>`), so no table of their own. None of these
 * is part of the policy snapshot: no `overlay_version` trigger.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gateway_credentials')
    .addColumn('grant_id', 'text', (c) => c.primaryKey())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('sealed_credential', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scram_salt', 'text', (c) => c.notNull())
    .addColumn('scram_iterations', 'integer', (c) => c.notNull())
    .addColumn('scram_stored_key', 'text', (c) => c.notNull())
    .addColumn('scram_server_key', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('gateway_credentials_login_idx')
    .on('gateway_credentials')
    .columns(['identity', 'resource'])
    .execute();

  await db.schema
    .createTable('gateway_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('gateway_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('client_address', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text')
    .addColumn('tls', 'integer', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('upstream_user', 'text', (c) => c.notNull())
    .addColumn('opened_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('closed_at', EPOCH_MS)
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('gateway_sessions_identity_idx')
    .on('gateway_sessions')
    .columns(['identity', 'opened_at'])
    .execute();
  await db.schema.createIndex('gateway_sessions_grant_idx').on('gateway_sessions').column('grant_id').execute();
  await db.schema
    .createIndex('gateway_sessions_resource_idx')
    .on('gateway_sessions')
    .columns(['resource', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('gateway_sessions_open_idx')
    .on('gateway_sessions')
    .columns(['gateway_id', 'closed_at'])
    .execute();

  await db.schema
    .createTable('gateway_statements')
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('commands', 'text', (c) => c.notNull())
    .addColumn('tables', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('allowed', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('built_in', 'integer', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('refusal_id', 'text', (c) => c.unique())
    .addColumn('audit_seq', EPOCH_MS)
    .addColumn('command_tag', 'text')
    .addColumn('rows', EPOCH_MS)
    .addColumn('bytes', EPOCH_MS)
    .addColumn('error_code', 'text')
    .addColumn('duration_ms', 'double precision')
    .addPrimaryKeyConstraint('gateway_statements_pk', ['session_id', 'seq'])
    .execute();
}

export const gatewaySessions: StoreMigration = { name: '0024-gateway-sessions', up };
