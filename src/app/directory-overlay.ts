/**
 * People and groups from the identity provider, overlaid on the policy snapshot (issue 13): identities and
 * groups a SCIM client provisioned (`source = 'scim'`) and memberships of those directory groups (from SCIM, or
 * from an OIDC `groups` claim at sign-in). The files win every name clash: a directory identity or group named
 * like one the files define is not added (a policy load takes the row over), and the files' groups keep only
 * the files' members. So a directory group can hold a role only through an assignment made through the API,
 * which takes effect once a second administrator approves it (SPEC §2.4); what SCIM changes is who is in it.
 */
import type { Transaction } from 'kysely';
import type { Group, Identity, PolicySet } from '../policy/model.js';
import type { Schema } from '../store/schema.js';

export interface DirectoryRows {
  readonly identities: readonly { name: string; email: string | null; disabled_at: number | null }[];
  readonly groups: readonly { name: string; description: string | null }[];
  readonly memberships: readonly { identity: string; group_name: string }[];
}

/** The directory's rows, read inside the snapshot's transaction. */
export async function readDirectory(trx: Transaction<Schema>): Promise<DirectoryRows> {
  const identities = await trx
    .selectFrom('identities')
    .select(['name', 'email', 'disabled_at'])
    .where('source', '=', 'scim')
    .execute();
  const groups = await trx.selectFrom('groups').select(['name', 'description']).where('source', '=', 'scim').execute();
  const memberships =
    groups.length === 0
      ? []
      : await trx
          .selectFrom('group_memberships')
          .select(['identity', 'group_name'])
          .where('source', 'in', ['scim', 'oidc'])
          .orderBy('group_name')
          .execute();
  return { identities, groups, memberships };
}

/** Bumps the snapshot's cache key after a directory change the table triggers do not see (groups, memberships). */
export async function bumpOverlayVersion(trx: Transaction<Schema>): Promise<void> {
  await trx
    .updateTable('overlay_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

/** `policy` with the directory's groups, identities and memberships; the same object when there are none. */
export function withDirectory(policy: PolicySet, rows: DirectoryRows): PolicySet {
  if (rows.groups.length === 0 && rows.identities.length === 0) return policy;
  const groups = new Map<string, Group>(policy.groups);
  const directoryGroups = new Set<string>();
  for (const row of rows.groups) {
    if (groups.has(row.name)) continue;
    groups.set(row.name, { name: row.name, ...(row.description !== null ? { description: row.description } : {}) });
    directoryGroups.add(row.name);
  }
  const joined = new Map<string, string[]>();
  for (const row of rows.memberships) {
    if (!directoryGroups.has(row.group_name)) continue;
    const list = joined.get(row.identity) ?? [];
    list.push(row.group_name);
    joined.set(row.identity, list);
  }
  const identities = new Map<string, Identity>();
  for (const [name, identity] of policy.identities) {
    const extra = joined.get(name);
    identities.set(name, extra === undefined ? identity : { ...identity, groups: [...identity.groups, ...extra] });
  }
  for (const row of rows.identities) {
    if (identities.has(row.name)) continue;
    identities.set(row.name, {
      name: row.name,
      kind: 'human',
      ...(row.email !== null ? { email: row.email } : {}),
      // A directory person signs in with OIDC by the e-mail address the IdP verified (no `subject` is known).
      emailLogin: true,
      groups: joined.get(row.name) ?? [],
      attributes: {},
      disabled: row.disabled_at !== null,
    });
  }
  return { ...policy, groups, identities };
}
