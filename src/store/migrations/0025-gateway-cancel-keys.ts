/**
 * `gateway_cancel_keys` (issue 14): the backend key each gateway gave a client session, with where its query runs
 * upstream. A client's CancelRequest arrives on a new connection, which a load balancer may send to any gateway
 * of the installation; the gateway that does not hold the session finds it here and forwards the cancel to the
 * upstream server with the server's own key. A row lives as long as its session; the upstream key in it can only
 * cancel that session's running query.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gateway_cancel_keys')
    .addColumn('process_id', 'integer', (c) => c.notNull())
    .addColumn('secret_key', 'integer', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('upstream_host', 'text', (c) => c.notNull())
    .addColumn('upstream_port', 'integer', (c) => c.notNull())
    .addColumn('upstream_process_id', 'integer', (c) => c.notNull())
    .addColumn('upstream_secret_key', 'integer', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('gateway_cancel_keys_pk', ['process_id', 'secret_key'])
    .execute();
  await db.schema
    .createIndex('gateway_cancel_keys_session_idx')
    .on('gateway_cancel_keys')
    .column('session_id')
    .execute();
}

export const gatewayCancelKeys: StoreMigration = { name: '0025-gateway-cancel-keys', up };
