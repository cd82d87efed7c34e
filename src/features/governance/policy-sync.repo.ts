/**
 * The table writes of a policy load, one function per kind of policy object (see `policy-sync.ts`, which runs
 * them in order inside one transaction). Rows that came from the API are left alone.
 */
import type { Transaction } from 'kysely';
import type { PolicySet, RoleAssignment, SubjectRef } from '../../policy/model.js';
import { toJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { ProfileChange } from './policy-sync.js';
import { markResourcesRemoved, upsertResource } from '../resources/index.js';

export function subjectText(subject: SubjectRef): string {
  return `${subject.type}:${subject.name}`;
}

function assignmentKey(role: string, subject: SubjectRef): string {
  return `${role}/${subjectText(subject)}`;
}

export async function syncIdentities(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  for (const identity of policy.identities.values()) {
    const values = {
      kind: identity.kind,
      email: identity.email ?? null,
      subject: identity.subject ?? null,
      owner: identity.owner ?? null,
      attributes: toJsonText(identity.attributes),
      updated_at: now,
    };
    await trx
      .insertInto('identities')
      .values({
        name: identity.name,
        ...values,
        source: 'policy',
        created_at: now,
        disabled_at: identity.disabled ? now : null,
        disabled_by: identity.disabled ? 'system:policy' : null,
        flagged_at: null,
        flagged_reason: null,
      })
      // `disabled_at` is not in the update set: offboarding through the API outlives a policy reload.
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ ...values, source: 'policy' }))
      .execute();
    if (identity.disabled) {
      await trx
        .updateTable('identities')
        .set({ disabled_at: now, disabled_by: 'system:policy' })
        .where('name', '=', identity.name)
        .where('disabled_at', 'is', null)
        .execute();
    }
  }
  await trx.deleteFrom('group_memberships').where('source', '=', 'policy').execute();
  await yieldDirectoryClashes(trx, policy);
  const memberships = [...policy.identities.values()].flatMap((identity) =>
    [...new Set(identity.groups)].map((group) => ({
      identity: identity.name,
      group_name: group,
      source: 'policy' as const,
      created_at: now,
    })),
  );
  for (let i = 0; i < memberships.length; i += 200) {
    await trx
      .insertInto('group_memberships')
      .values(memberships.slice(i, i + 200))
      .execute();
  }
}

/**
 * The files win a name clash with the directory (SCIM, OIDC groups claims; `app/directory-overlay.ts`): a group
 * the files define keeps only the files' members, and SCIM no longer places an identity the files define.
 */
async function yieldDirectoryClashes(trx: Transaction<Schema>, policy: PolicySet): Promise<void> {
  const any = await trx.selectFrom('group_memberships').select('identity').where('source', '<>', 'policy').limit(1);
  if ((await any.executeTakeFirst()) === undefined) return;
  const groups = [...policy.groups.keys()];
  for (let i = 0; i < groups.length; i += 500) {
    const chunk = groups.slice(i, i + 500);
    await trx
      .deleteFrom('group_memberships')
      .where('source', '<>', 'policy')
      .where('group_name', 'in', chunk)
      .execute();
  }
  const identities = [...policy.identities.keys()];
  for (let i = 0; i < identities.length; i += 500) {
    const chunk = identities.slice(i, i + 500);
    await trx.deleteFrom('group_memberships').where('source', '=', 'scim').where('identity', 'in', chunk).execute();
  }
}

export async function syncGroups(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  for (const group of policy.groups.values()) {
    const description = group.description ?? null;
    await trx
      .insertInto('groups')
      .values({ name: group.name, description, source: 'policy', created_at: now, updated_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ description, source: 'policy', updated_at: now }))
      .execute();
  }
}

export async function syncRoles(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  const names = [...policy.roles.keys()];
  let stale = trx.deleteFrom('roles').where('source', '=', 'policy');
  if (names.length > 0) stale = stale.where('name', 'not in', names);
  await stale.execute();
  for (const role of policy.roles.values()) {
    const values = { duties: toJsonText(role.duties), scope: toJsonText(role.scope), updated_at: now };
    await trx
      .insertInto('roles')
      .values({ name: role.name, ...values, description: null, source: 'policy', created_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ ...values, source: 'policy' }))
      .execute();
  }
}

function sameAssignment(row: { assignment: string; expires_at: number | null }, assignment: RoleAssignment): boolean {
  return row.assignment === assignment.assignment && row.expires_at === (assignment.expiresAt ?? null);
}

export async function syncAssignments(
  trx: Transaction<Schema>,
  policy: PolicySet,
  now: number,
  actor: string,
): Promise<{ added: string[]; removed: string[]; suspended: string[]; unsuspended: string[] }> {
  const suspensions = await trx
    .selectFrom('role_assignments')
    .select(['id', 'role', 'subject_type', 'subject_name'])
    .where('source', '=', 'policy')
    .where('revoked_by_certification', 'is not', null)
    .execute();
  const live = await trx
    .selectFrom('role_assignments')
    .select(['id', 'role', 'subject_type', 'subject_name', 'assignment', 'expires_at'])
    .where('source', '=', 'policy')
    .where('removed_at', 'is', null)
    .execute();
  const wanted = new Map<string, RoleAssignment>();
  for (const assignment of policy.assignments) {
    if (assignment.source === 'policy') wanted.set(assignmentKey(assignment.role, assignment.subject), assignment);
  }
  const kept = new Set<string>();
  const removed: string[] = [];
  for (const row of live) {
    const key = assignmentKey(row.role, { type: row.subject_type, name: row.subject_name });
    const assignment = wanted.get(key);
    if (assignment && sameAssignment(row, assignment)) {
      kept.add(key);
      continue;
    }
    await trx
      .updateTable('role_assignments')
      .set({ removed_at: now, removed_by: actor })
      .where('id', '=', row.id)
      .execute();
    // A changed assignment is ended and inserted again; only a vanished one counts as removed.
    if (!assignment) removed.push(key);
  }
  // A certification revoked these: they stay out of force while the files name them, and the mark ends
  // once a load no longer does, so that a later reviewed change may grant them again.
  const suspendedKeys = new Set<string>();
  const unsuspended: string[] = [];
  for (const row of suspensions) {
    const key = assignmentKey(row.role, { type: row.subject_type, name: row.subject_name });
    if (wanted.has(key)) {
      suspendedKeys.add(key);
      continue;
    }
    await trx
      .updateTable('role_assignments')
      .set({ revoked_by_certification: null })
      .where('id', '=', row.id)
      .execute();
    unsuspended.push(key);
  }
  const added: string[] = [];
  for (const [key, assignment] of wanted) {
    if (kept.has(key) || suspendedKeys.has(key)) continue;
    if (!live.some((row) => assignmentKey(row.role, { type: row.subject_type, name: row.subject_name }) === key)) {
      added.push(key);
    }
    await trx
      .insertInto('role_assignments')
      .values({
        id: newId('ras'),
        role: assignment.role,
        subject_type: assignment.subject.type,
        subject_name: assignment.subject.name,
        assignment: assignment.assignment,
        expires_at: assignment.expiresAt ?? null,
        source: 'policy',
        created_by: actor,
        created_at: now,
        removed_at: null,
        removed_by: null,
      })
      .execute();
  }
  return {
    added: added.sort(),
    removed: removed.sort(),
    suspended: [...suspendedKeys].sort(),
    unsuspended: unsuspended.sort(),
  };
}

export async function syncSodRules(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  await trx.deleteFrom('sod_rules').where('source', '=', 'policy').execute();
  for (const rule of policy.sodRules) {
    const values = {
      scope: rule.scope,
      conflicting: toJsonText(rule.conflicting),
      description: rule.description ?? null,
      source: 'policy' as const,
      updated_at: now,
    };
    await trx
      .insertInto('sod_rules')
      .values({ name: rule.name, ...values })
      .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
      .execute();
  }
}

export async function syncNotifiers(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  await trx.deleteFrom('notifiers').execute();
  for (const notifier of policy.notifiers.values()) {
    await trx
      .insertInto('notifiers')
      .values({
        name: notifier.name,
        type: notifier.type,
        url_env: notifier.type === 'slack' ? notifier.tokenEnv : notifier.urlEnv,
        secret_env:
          notifier.type === 'slack' ? notifier.signingSecretEnv : notifier.type === 'webhook' ? notifier.secretEnv : '',
        events: toJsonText(notifier.events),
        format: notifier.type === 'webhook' ? notifier.format : notifier.type,
        updated_at: now,
      })
      .execute();
  }
}

export async function syncProfiles(
  trx: Transaction<Schema>,
  policy: PolicySet,
  now: number,
  loadId: string,
): Promise<{ changed: ProfileChange[]; removed: string[] }> {
  const existing = await trx.selectFrom('profiles').select(['name', 'current_version', 'removed_at']).execute();
  const before = new Map(existing.map((row) => [row.name, row]));
  const changed: ProfileChange[] = [];
  for (const profile of policy.profiles.values()) {
    const previous = before.get(profile.name);
    const unchanged = previous && previous.removed_at === null && previous.current_version === profile.version;
    if (unchanged) continue;
    changed.push({
      name: profile.name,
      ...(previous && previous.removed_at === null ? { from: previous.current_version } : {}),
      to: profile.version,
    });
    await trx
      .insertInto('profiles')
      .values({ name: profile.name, current_version: profile.version, loaded_at: now, removed_at: null })
      .onConflict((conflict) =>
        conflict.column('name').doUpdateSet({ current_version: profile.version, loaded_at: now, removed_at: null }),
      )
      .execute();
    await trx
      .insertInto('profile_versions')
      .values({
        profile: profile.name,
        version: profile.version,
        definition: toJsonText(profile.definition),
        first_loaded_at: now,
        policy_load_id: loadId,
      })
      .onConflict((conflict) => conflict.columns(['profile', 'version']).doNothing())
      .execute();
  }
  const removed = existing
    .filter((row) => row.removed_at === null && !policy.profiles.has(row.name))
    .map((row) => row.name)
    .sort();
  if (removed.length > 0) {
    await trx.updateTable('profiles').set({ removed_at: now }).where('name', 'in', removed).execute();
  }
  return { changed: changed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), removed };
}

export async function syncResources(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<string[]> {
  for (const resource of policy.resources.values()) await upsertResource(trx, resource, 'policy', now);
  const gone = await trx
    .selectFrom('resources')
    .select('name')
    .where('source', '=', 'policy')
    .where('removed_at', 'is', null)
    .execute();
  const removed = gone
    .map((row) => row.name)
    .filter((name) => !policy.resources.has(name))
    .sort();
  await markResourcesRemoved(trx, removed, now);
  return removed;
}
