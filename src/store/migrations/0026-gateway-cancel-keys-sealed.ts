/**
 * `gateway_cancel_keys` without keys in clear (issue 14). Migration 0025 stored each session's client key and its
 * upstream server's key as they are, so whoever could read the table (a read-only DBA, a backup, a replica) could
 * cancel any session's running query through any gateway, or straight at the upstream server, with no login.
 * The table now holds, for a session:
 * - `process_id`: the process id of the client's key, in clear (a CancelRequest carries it; it finds the row);
 * - `key_digest`: an HMAC-SHA256 of the client's process id and secret key under a key derived from
 *   `gateway-credential.key`, which only the gateways hold — the client's secret itself is never stored;
 * - `upstream_sealed`: the upstream server's host, port, process id and secret key, AES-256-GCM sealed under
 *   another key derived from it, bound to the session id and the row's `key_digest`.
 * Rows live only as long as their session, so the old table is dropped rather than converted (it cannot be: the
 * digest needs the gateway key, which migrations do not have). Sessions open during the upgrade can be cancelled
 * only through the gateway holding them until they end.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gateway_cancel_keys').execute();
  await db.schema
    .createTable('gateway_cancel_keys')
    .addColumn('process_id', 'integer', (c) => c.notNull())
    .addColumn('key_digest', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('upstream_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('gateway_cancel_keys_pk', ['process_id', 'key_digest'])
    .execute();
  await db.schema
    .createIndex('gateway_cancel_keys_session_idx')
    .on('gateway_cancel_keys')
    .column('session_id')
    .execute();
}

export const gatewayCancelKeysSealed: StoreMigration = { name: '0026-gateway-cancel-keys-sealed', up };
