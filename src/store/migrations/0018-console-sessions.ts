/**
 * Browser sign-in for the web console (issue 12): `console_sessions` holds one row per signed-in browser, keyed
 * by the SHA-256 of the secret in its `cs_session` cookie (the secret itself is never stored) and shown to people
 * by a short public id; `login_links` holds the one-time sign-in links `countersign login-link` prints (hash only,
 * consumed by setting `used_at`); `oidc_logins` holds the pending OIDC logins between the redirect to the issuer
 * and its callback (state, nonce, PKCE verifier, where to return), keyed by the hash of the `cs_oidc` cookie, so
 * any replica can finish a login another one began. None is part of the policy snapshot: no `overlay_version`.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text')
    .addColumn('minted_by', 'text')
    .addColumn('client_address', 'text')
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('last_seen_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('ended_at', EPOCH_MS)
    .addColumn('ended_reason', 'text')
    .execute();
  await db.schema
    .createIndex('console_sessions_identity_idx')
    .on('console_sessions')
    .columns(['identity', 'ended_at'])
    .execute();

  await db.schema
    .createTable('login_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('used_at', EPOCH_MS)
    .execute();

  await db.schema
    .createTable('oidc_logins')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_logins_expires_idx').on('oidc_logins').column('expires_at').execute();
}

export const consoleSessions: StoreMigration = { name: '0018-console-sessions', up };
