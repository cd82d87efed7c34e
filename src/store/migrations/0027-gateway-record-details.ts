/**
 * Two more facts in a gateway session's record (issue 14):
 * - `gateway_sessions.channel_bound`: whether the client's SCRAM proof was bound to its TLS connection
 *   (SCRAM-SHA-256-PLUS), so that a relay with another certificate could not have passed the login on. Sessions
 *   opened before this migration have `null`: it was not recorded then (only logged).
 * - `gateway_statements.error_audit_seq`: the audit event (`gateway.statement_failed`) that carries a failed
 *   statement's error message, DETAIL and HINT sealed (an HMAC in the chain, a copy `audit` holders open); `null`
 *   when the statement did not fail, failed with no text, or failed before this migration (only its SQLSTATE was
 *   kept). The text itself is never stored here.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gateway_sessions').addColumn('channel_bound', 'integer').execute();
  await db.schema.alterTable('gateway_statements').addColumn('error_audit_seq', EPOCH_MS).execute();
}

export const gatewayRecordDetails: StoreMigration = { name: '0027-gateway-record-details', up };
