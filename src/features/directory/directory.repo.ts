/**
 * The only writer of what SCIM provisions: `scim_resources`, and the directory's rows in `identities`, `groups`
 * and `group_memberships` (`source = 'scim'`, memberships from OIDC claims `source = 'oidc'`). A change to groups
 * or memberships bumps `overlay_version` (identities' own triggers do), so every snapshot sees it at once.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { bumpOverlayVersion } from '../../app/directory-overlay.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { MembershipSource, Schema, ScimResourcesTable } from '../../store/schema.js';
import type { StoredResource } from './scim-documents.js';

type Trx = Transaction<Schema>;
export type ScimResourceType = 'User' | 'Group';

function toStored(row: Selectable<ScimResourcesTable>): StoredResource {
  return {
    id: row.id,
    name: row.name,
    display: row.display,
    externalId: row.external_id,
    attributes: fromJsonText<Record<string, unknown>>(row.attributes),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function findResource(trx: Trx, type: ScimResourceType, id: string): Promise<StoredResource | undefined> {
  const row = await trx
    .selectFrom('scim_resources')
    .selectAll()
    .where('resource_type', '=', type)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

export async function findResourceBy(
  trx: Trx,
  type: ScimResourceType,
  by: { readonly name?: string; readonly display?: string },
): Promise<StoredResource | undefined> {
  let query = trx.selectFrom('scim_resources').selectAll().where('resource_type', '=', type);
  if (by.name !== undefined) query = query.where('name', '=', by.name);
  if (by.display !== undefined) query = query.where('display_key', '=', by.display.toLowerCase());
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

/** Every resource of a type, oldest first (list answers page through them in this order). */
export async function allResources(trx: Trx, type: ScimResourceType): Promise<StoredResource[]> {
  const rows = await trx
    .selectFrom('scim_resources')
    .selectAll()
    .where('resource_type', '=', type)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toStored);
}

export async function resourcesByIds(
  trx: Trx,
  type: ScimResourceType,
  ids: readonly string[],
): Promise<StoredResource[]> {
  const found: StoredResource[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom('scim_resources')
      .selectAll()
      .where('resource_type', '=', type)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    found.push(...rows.map(toStored));
  }
  return found;
}

export async function resourcesByNames(
  trx: Trx,
  type: ScimResourceType,
  names: readonly string[],
): Promise<StoredResource[]> {
  const found: StoredResource[] = [];
  for (let i = 0; i < names.length; i += 500) {
    const rows = await trx
      .selectFrom('scim_resources')
      .selectAll()
      .where('resource_type', '=', type)
      .where('name', 'in', names.slice(i, i + 500))
      .execute();
    found.push(...rows.map(toStored));
  }
  return found;
}

export interface ResourceWrite {
  readonly display: string;
  readonly externalId: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export async function insertResource(
  trx: Trx,
  values: ResourceWrite & { id: string; type: ScimResourceType; name: string; client: string; now: number },
): Promise<void> {
  await trx
    .insertInto('scim_resources')
    .values({
      id: values.id,
      resource_type: values.type,
      name: values.name,
      display: values.display,
      display_key: values.display.toLowerCase(),
      external_id: values.externalId,
      attributes: toJsonText(values.attributes),
      client: values.client,
      version: 1,
      created_at: values.now,
      updated_at: values.now,
    })
    .execute();
}

export async function updateResource(trx: Trx, id: string, values: ResourceWrite, now: number): Promise<void> {
  await trx
    .updateTable('scim_resources')
    .set((eb) => ({
      display: values.display,
      display_key: values.display.toLowerCase(),
      external_id: values.externalId,
      attributes: toJsonText(values.attributes),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

/** Marks a resource changed (its ETag moves) when only its memberships or its identity's state did. */
export async function touchResource(trx: Trx, id: string, now: number): Promise<void> {
  await trx
    .updateTable('scim_resources')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export async function deleteResource(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('scim_resources').where('id', '=', id).execute();
}

export interface IdentityRow {
  readonly name: string;
  readonly source: string;
  readonly email: string | null;
  readonly disabledAt: number | null;
}

export async function findIdentity(trx: Trx, name: string): Promise<IdentityRow | undefined> {
  const row = await trx
    .selectFrom('identities')
    .select(['name', 'source', 'email', 'disabled_at'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        name: row.name,
        source: row.source,
        email: row.email,
        disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
      };
}

/** Another identity using `email` (compared case-insensitively), if any. */
export async function identityWithEmail(trx: Trx, email: string, except: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('identities')
    .select('name')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('name', '<>', except)
    .executeTakeFirst();
  return row?.name;
}

export async function identityStates(
  trx: Trx,
  names: readonly string[],
): Promise<Map<string, { active: boolean; email: string | null }>> {
  const states = new Map<string, { active: boolean; email: string | null }>();
  for (let i = 0; i < names.length; i += 500) {
    const rows = await trx
      .selectFrom('identities')
      .select(['name', 'email', 'disabled_at'])
      .where('name', 'in', names.slice(i, i + 500))
      .execute();
    for (const row of rows) states.set(row.name, { active: row.disabled_at === null, email: row.email });
  }
  return states;
}

/** Creates a directory identity, or takes back the row of one SCIM deleted before (a re-provisioned person). */
export async function upsertDirectoryIdentity(
  trx: Trx,
  name: string,
  email: string | null,
  now: number,
): Promise<void> {
  await trx
    .insertInto('identities')
    .values({
      name,
      kind: 'human',
      email,
      subject: null,
      owner: null,
      source: 'scim',
      created_at: now,
      updated_at: now,
      disabled_at: null,
      disabled_by: null,
      flagged_at: null,
      flagged_reason: null,
    })
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ email, updated_at: now }))
    .execute();
}

export async function setIdentityEmail(trx: Trx, name: string, email: string | null, now: number): Promise<void> {
  await trx.updateTable('identities').set({ email, updated_at: now }).where('name', '=', name).execute();
}

export async function markIdentityDisabled(trx: Trx, name: string, by: string, now: number): Promise<void> {
  await trx
    .updateTable('identities')
    .set({ disabled_at: now, disabled_by: by, updated_at: now })
    .where('name', '=', name)
    .execute();
}

export async function markIdentityEnabled(trx: Trx, name: string, now: number): Promise<void> {
  await trx
    .updateTable('identities')
    .set({ disabled_at: null, disabled_by: null, updated_at: now })
    .where('name', '=', name)
    .execute();
}

export interface GroupRow {
  readonly name: string;
  readonly source: string;
}

export async function findGroup(trx: Trx, name: string): Promise<GroupRow | undefined> {
  return trx.selectFrom('groups').select(['name', 'source']).where('name', '=', name).executeTakeFirst();
}

export async function upsertDirectoryGroup(trx: Trx, name: string, description: string, now: number): Promise<void> {
  await trx
    .insertInto('groups')
    .values({ name, description, source: 'scim', created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ description, updated_at: now }))
    .execute();
  await bumpOverlayVersion(trx);
}

export async function setGroupDescription(trx: Trx, name: string, description: string, now: number): Promise<void> {
  await trx.updateTable('groups').set({ description, updated_at: now }).where('name', '=', name).execute();
  await bumpOverlayVersion(trx);
}

/** Removes a directory group and every membership of it. */
export async function deleteDirectoryGroup(trx: Trx, name: string): Promise<void> {
  await trx.deleteFrom('group_memberships').where('group_name', '=', name).execute();
  await trx.deleteFrom('groups').where('name', '=', name).where('source', '=', 'scim').execute();
  await bumpOverlayVersion(trx);
}

/** Members of a group from the given sources, by identity name. */
export async function membersOf(
  trx: Trx,
  group: string,
  sources: readonly MembershipSource[] = ['scim'],
): Promise<string[]> {
  const rows = await trx
    .selectFrom('group_memberships')
    .select('identity')
    .where('group_name', '=', group)
    .where('source', 'in', [...sources])
    .orderBy('identity')
    .execute();
  return rows.map((row) => row.identity);
}

/** Groups an identity is in from the given sources. */
export async function groupsOf(
  trx: Kysely<Schema>,
  identity: string,
  sources: readonly MembershipSource[],
): Promise<string[]> {
  const rows = await trx
    .selectFrom('group_memberships')
    .select('group_name')
    .where('identity', '=', identity)
    .where('source', 'in', [...sources])
    .orderBy('group_name')
    .execute();
  return rows.map((row) => row.group_name);
}

/** Adds memberships (an existing one, from any source, stays as it is); returns the identities added. */
export async function addMemberships(
  trx: Trx,
  group: string,
  identities: readonly string[],
  source: MembershipSource,
  now: number,
): Promise<string[]> {
  if (identities.length === 0) return [];
  const present = new Set<string>();
  for (let i = 0; i < identities.length; i += 500) {
    const rows = await trx
      .selectFrom('group_memberships')
      .select('identity')
      .where('group_name', '=', group)
      .where('identity', 'in', identities.slice(i, i + 500))
      .execute();
    for (const row of rows) present.add(row.identity);
  }
  const added = identities.filter((name) => !present.has(name));
  for (let i = 0; i < added.length; i += 200) {
    const values = added
      .slice(i, i + 200)
      .map((identity) => ({ identity, group_name: group, source, created_at: now }));
    await trx.insertInto('group_memberships').values(values).execute();
  }
  if (added.length > 0) await bumpOverlayVersion(trx);
  return added;
}

/** Removes memberships of the given source; returns the identities removed. */
export async function removeMemberships(
  trx: Trx,
  group: string,
  identities: readonly string[],
  source: MembershipSource,
): Promise<string[]> {
  const removed: string[] = [];
  for (let i = 0; i < identities.length; i += 500) {
    const chunk = identities.slice(i, i + 500);
    const rows = await trx
      .selectFrom('group_memberships')
      .select('identity')
      .where('group_name', '=', group)
      .where('source', '=', source)
      .where('identity', 'in', chunk)
      .execute();
    if (rows.length === 0) continue;
    await trx
      .deleteFrom('group_memberships')
      .where('group_name', '=', group)
      .where('source', '=', source)
      .where('identity', 'in', chunk)
      .execute();
    removed.push(...rows.map((row) => row.identity));
  }
  if (removed.length > 0) await bumpOverlayVersion(trx);
  return removed.sort();
}

/** Removes every SCIM membership of an identity (a deleted user); returns the groups it left. */
export async function removeAllMembershipsOf(trx: Trx, identity: string): Promise<string[]> {
  const groups = await groupsOf(trx, identity, ['scim', 'oidc']);
  if (groups.length === 0) return [];
  await trx
    .deleteFrom('group_memberships')
    .where('identity', '=', identity)
    .where('source', 'in', ['scim', 'oidc'])
    .execute();
  await bumpOverlayVersion(trx);
  return groups;
}

/** Live role assignments made through the API to a group (ended when SCIM deletes the group). */
export async function liveGroupAssignments(trx: Trx, group: string): Promise<{ id: string; role: string }[]> {
  return trx
    .selectFrom('role_assignments')
    .select(['id', 'role'])
    .where('subject_type', '=', 'group')
    .where('subject_name', '=', group)
    .where('source', '=', 'api')
    .where('removed_at', 'is', null)
    .execute();
}

export async function endAssignments(trx: Trx, ids: readonly string[], by: string, now: number): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('role_assignments')
    .set({ removed_at: now, removed_by: by })
    .where('id', 'in', [...ids])
    .execute();
}
