/**
 * The first schema, part 1: who (identities, groups, roles, assignments), what (profiles and every version,
 * resources, observations, drift), and the policy records (SoD rules and exceptions, notifiers, tokens, policy
 * loads and change sets). See `schema.ts` for what each column means.
 */
import { sql, type Kysely } from 'kysely';
import { EPOCH_MS, type StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema;

  await schema
    .createTable('identities')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('subject', 'text', (c) => c.unique())
    .addColumn('owner', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('disabled_at', EPOCH_MS)
    .addColumn('disabled_by', 'text')
    .addColumn('flagged_at', EPOCH_MS)
    .addColumn('flagged_reason', 'text')
    .execute();
  await schema.createIndex('identities_owner_idx').on('identities').column('owner').execute();
  await schema.createIndex('identities_email_idx').on('identities').column('email').execute();

  await schema
    .createTable('groups')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();

  await schema
    .createTable('group_memberships')
    .addColumn('identity', 'text', (c) => c.notNull().references('identities.name').onDelete('cascade'))
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('group_memberships_pk', ['identity', 'group_name'])
    .execute();
  await schema.createIndex('group_memberships_group_idx').on('group_memberships').column('group_name').execute();

  await schema
    .createTable('roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('duties', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();

  await schema
    .createTable('role_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('assignment', 'text', (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('removed_at', EPOCH_MS)
    .addColumn('removed_by', 'text')
    .execute();
  // One live assignment of a role to a subject per source.
  await schema
    .createIndex('role_assignments_live_unique')
    .on('role_assignments')
    .columns(['role', 'subject_type', 'subject_name', 'source'])
    .unique()
    .where(sql.ref('removed_at'), 'is', null)
    .execute();
  await schema
    .createIndex('role_assignments_subject_idx')
    .on('role_assignments')
    .columns(['subject_type', 'subject_name'])
    .execute();

  await schema
    .createTable('role_activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('ended_at', EPOCH_MS)
    .execute();
  await schema
    .createIndex('role_activations_identity_idx')
    .on('role_activations')
    .columns(['identity', 'expires_at'])
    .execute();

  await schema
    .createTable('sod_rules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('conflicting', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();

  await schema
    .createTable('sod_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('justification', 'text', (c) => c.notNull())
    .addColumn('compensating_control', 'text', (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', EPOCH_MS)
    .addColumn('revoked_at', EPOCH_MS)
    .addColumn('revoked_by', 'text')
    .execute();
  await schema.createIndex('sod_exceptions_identity_idx').on('sod_exceptions').columns(['identity', 'rule']).execute();

  await schema
    .createTable('notifiers')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url_env', 'text', (c) => c.notNull())
    .addColumn('secret_env', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .execute();

  await schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', EPOCH_MS)
    .addColumn('last_used_at', EPOCH_MS)
    .execute();
  await schema.createIndex('api_tokens_identity_idx').on('api_tokens').column('identity').execute();

  await schema
    .createTable('profiles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('current_version', 'text', (c) => c.notNull())
    .addColumn('loaded_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('removed_at', EPOCH_MS)
    .execute();

  await schema
    .createTable('profile_versions')
    .addColumn('profile', 'text', (c) => c.notNull().references('profiles.name'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('first_loaded_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('policy_load_id', 'text')
    .addPrimaryKeyConstraint('profile_versions_pk', ['profile', 'version'])
    .execute();

  await schema
    .createTable('resources')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('owner', 'text')
    .addColumn('connection', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('removed_at', EPOCH_MS)
    .execute();
  await schema.createIndex('resources_profile_idx').on('resources').column('profile').execute();

  await schema
    .createTable('observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource', 'text', (c) => c.notNull().references('resources.name'))
    .addColumn('observed_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await schema
    .createIndex('observations_resource_idx')
    .on('observations')
    .columns(['resource', 'observed_at'])
    .execute();

  await schema
    .createTable('drift_findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource', 'text', (c) => c.notNull().references('resources.name'))
    .addColumn('check_name', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('profile_version', 'text')
    .addColumn('first_seen', EPOCH_MS, (c) => c.notNull())
    .addColumn('last_seen', EPOCH_MS, (c) => c.notNull())
    .addColumn('resolved_at', EPOCH_MS)
    .execute();
  // At most one open finding per resource and check; resolved ones are history.
  await schema
    .createIndex('drift_findings_open_unique')
    .on('drift_findings')
    .columns(['resource', 'check_name'])
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await schema.createIndex('drift_findings_status_idx').on('drift_findings').columns(['status', 'severity']).execute();

  await schema
    .createTable('policy_loads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loaded_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('loaded_by', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('policy_hash', 'text', (c) => c.notNull())
    .addColumn('change_set_id', 'text')
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await schema.createIndex('policy_loads_loaded_at_idx').on('policy_loads').column('loaded_at').execute();

  await schema
    .createTable('policy_change_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('base_policy_hash', 'text')
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('touched_profiles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('decided_at', EPOCH_MS)
    .addColumn('decided_by', 'text')
    .addColumn('applied_at', EPOCH_MS)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await schema.createIndex('policy_change_sets_status_idx').on('policy_change_sets').column('status').execute();

  await schema
    .createTable('policy_change_approvals')
    .addColumn('change_set_id', 'text', (c) => c.notNull().references('policy_change_sets.id'))
    .addColumn('approver', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_change_approvals_pk', ['change_set_id', 'approver'])
    .execute();
}

export const initial: StoreMigration = { name: '0001-initial', up };
