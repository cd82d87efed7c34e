/**
 * People and groups from the identity provider (issue 13, part 2): `scim_tokens` holds the bearer credentials
 * of SCIM clients (an IdP such as Okta or Entra ID), stored as SHA-256 only, always expiring, revocable, and
 * separate from API tokens; `scim_resources` holds what SCIM needs beyond the identity and group rows: the
 * stable SCIM `id`, the `userName`/`displayName` as sent (and its lower-case key, unique per resource type,
 * since SCIM compares them case-insensitively), the `externalId`, the attributes shown back, and a version for
 * ETags. The identities, groups and group memberships it provisions live in their usual tables with
 * `source = 'scim'` (memberships fed by OIDC `groups` claims with `source = 'oidc'`); the SCIM verbs bump
 * `overlay_version` themselves, so no trigger is added to the membership table that policy loads rewrite.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scim_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', EPOCH_MS)
    .addColumn('revoked_by', 'text')
    .addColumn('last_used_at', EPOCH_MS)
    .execute();
  await db.schema.createIndex('scim_tokens_client_idx').on('scim_tokens').column('client').execute();

  await db.schema
    .createTable('scim_resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('display_key', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('scim_resources_name_idx')
    .on('scim_resources')
    .columns(['resource_type', 'name'])
    .unique()
    .execute();
  await db.schema
    .createIndex('scim_resources_display_idx')
    .on('scim_resources')
    .columns(['resource_type', 'display_key'])
    .unique()
    .execute();
}

export const scimDirectory: StoreMigration = { name: '0021-scim-directory', up };
