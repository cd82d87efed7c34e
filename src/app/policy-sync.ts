/**
 * Loading a policy into the store: the resolved `PolicySet` is written into the tables that mirror it
 * (identities, groups, roles, assignments, SoD rules, notifiers, profiles with every version ever loaded,
 * resources) together with a `policy_loads` row that keeps the exact source documents, so that a restart
 * rebuilds the same model (`restorePolicy`). `loadPolicy` is the audited verb around it.
 */
import type { Transaction } from 'kysely';
import { canonicalDigest } from '../core/canonical-json.js';
import { AppError } from '../core/errors.js';
import { parsePolicySources, formatProblem, type PolicySource } from '../policy/load.js';
import type { PolicySet, RoleAssignment, SubjectRef } from '../policy/model.js';
import { toJsonText, fromJsonText } from '../store/columns.js';
import type { Database } from '../store/database.js';
import type { Schema } from '../store/schema.js';
import { newId } from './clock.js';
import type { AppContext, VerbCall } from './context.js';
import { inTransaction } from './transaction.js';

export interface ProfileChange {
  readonly name: string;
  /** The version in force before this load; absent for a profile loaded for the first time. */
  readonly from?: string;
  readonly to: string;
}

/** What a load wrote: counts of what is now in force and the names that changed. */
export interface PolicyLoadSummary {
  readonly loadId: string;
  readonly policyHash: string;
  readonly counts: {
    readonly identities: number;
    readonly groups: number;
    readonly roles: number;
    readonly assignments: number;
    readonly sodRules: number;
    readonly profiles: number;
    readonly resources: number;
    readonly notifiers: number;
  };
  /** Profiles added or whose version changed, with old → new version. */
  readonly changedProfiles: readonly ProfileChange[];
  readonly removedProfiles: readonly string[];
  /** Policy role assignments ended by this load (`role/subject`). */
  readonly removedAssignments: readonly string[];
  readonly addedAssignments: readonly string[];
  readonly removedResources: readonly string[];
}

export interface SyncOptions {
  readonly now: number;
  readonly actor: string;
  /** The directory path for directory loads. */
  readonly location?: string;
  readonly source: 'directory' | 'change_set';
  readonly changeSetId?: string;
}

/** The hash a policy load is known by: SHA-256 of the canonical source documents. */
export function policyHash(documents: readonly PolicySource[]): string {
  return canonicalDigest(documents.map((document) => ({ path: document.path, text: document.text })));
}

function subjectText(subject: SubjectRef): string {
  return `${subject.type}:${subject.name}`;
}

function assignmentKey(role: string, subject: SubjectRef): string {
  return `${role}/${subjectText(subject)}`;
}

/**
 * Writes `policy` into the store inside `trx`. Invariants: identities are never deleted and an identity disabled
 * in the store stays disabled; policy assignments no longer in the policy are ended (`removed_at`), never
 * deleted; every profile version ever loaded stays in `profile_versions`; API-made rows are left alone.
 */
export async function syncPolicyToStore(
  trx: Transaction<Schema>,
  policy: PolicySet,
  documents: readonly PolicySource[],
  options: SyncOptions,
): Promise<PolicyLoadSummary> {
  const { now, actor } = options;
  const loadId = newId('pld');
  const hash = policyHash(documents);

  await syncIdentities(trx, policy, now);
  await syncGroups(trx, policy, now);
  await syncRoles(trx, policy, now);
  const { added: addedAssignments, removed: removedAssignments } = await syncAssignments(trx, policy, now, actor);
  await syncSodRules(trx, policy, now);
  await syncNotifiers(trx, policy, now);
  const { changed: changedProfiles, removed: removedProfiles } = await syncProfiles(trx, policy, now, loadId);
  const removedResources = await syncResources(trx, policy, now);

  const summary: PolicyLoadSummary = {
    loadId,
    policyHash: hash,
    counts: {
      identities: policy.identities.size,
      groups: policy.groups.size,
      roles: policy.roles.size,
      assignments: policy.assignments.length,
      sodRules: policy.sodRules.length,
      profiles: policy.profiles.size,
      resources: policy.resources.size,
      notifiers: policy.notifiers.size,
    },
    changedProfiles,
    removedProfiles,
    removedAssignments,
    addedAssignments,
    removedResources,
  };
  await trx
    .insertInto('policy_loads')
    .values({
      id: loadId,
      loaded_at: now,
      loaded_by: actor,
      source: options.source,
      location: options.location ?? null,
      policy_hash: hash,
      change_set_id: options.changeSetId ?? null,
      documents: toJsonText(documents.map((document) => ({ path: document.path, text: document.text }))),
      summary: toJsonText(summary),
    })
    .execute();
  return summary;
}

async function syncIdentities(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
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

async function syncGroups(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  for (const group of policy.groups.values()) {
    const description = group.description ?? null;
    await trx
      .insertInto('groups')
      .values({ name: group.name, description, source: 'policy', created_at: now, updated_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ description, source: 'policy', updated_at: now }))
      .execute();
  }
}

async function syncRoles(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
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

async function syncAssignments(
  trx: Transaction<Schema>,
  policy: PolicySet,
  now: number,
  actor: string,
): Promise<{ added: string[]; removed: string[] }> {
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
  const added: string[] = [];
  for (const [key, assignment] of wanted) {
    if (kept.has(key)) continue;
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
  return { added: added.sort(), removed: removed.sort() };
}

async function syncSodRules(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
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

async function syncNotifiers(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<void> {
  await trx.deleteFrom('notifiers').execute();
  for (const notifier of policy.notifiers.values()) {
    await trx
      .insertInto('notifiers')
      .values({
        name: notifier.name,
        type: notifier.type,
        url_env: notifier.urlEnv,
        secret_env: notifier.secretEnv,
        events: toJsonText(notifier.events),
        format: notifier.format,
        updated_at: now,
      })
      .execute();
  }
}

async function syncProfiles(
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

async function syncResources(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<string[]> {
  for (const resource of policy.resources.values()) {
    const values = {
      profile: resource.profile,
      labels: toJsonText(resource.labels),
      owner: resource.owner ? subjectText(resource.owner) : null,
      connection: toJsonText(resource.connection),
      attributes: toJsonText(resource.attributes),
      source: 'policy' as const,
      updated_at: now,
      removed_at: null,
    };
    await trx
      .insertInto('resources')
      .values({ name: resource.name, ...values, created_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
      .execute();
  }
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
  if (removed.length > 0) {
    await trx.updateTable('resources').set({ removed_at: now, updated_at: now }).where('name', 'in', removed).execute();
  }
  return removed;
}

export interface LoadPolicyInput {
  readonly policy: PolicySet;
  readonly documents: readonly PolicySource[];
  /** Where the documents came from (a directory path), recorded in the load and the audit event. */
  readonly location?: string;
}

/**
 * Loads a validated policy (GitOps: the repository's review is the four eyes) as one audited change
 * (`policy.load`), then makes it the policy in force. Invariant: the store, the audit log and the runtime agree
 * on which documents are loaded; if the transaction fails, the runtime keeps the previous policy.
 */
export async function loadPolicy({ app, actor, input }: VerbCall<LoadPolicyInput>): Promise<PolicyLoadSummary> {
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const summary = await syncPolicyToStore(trx, input.policy, input.documents, {
      now,
      actor,
      source: 'directory',
      ...(input.location !== undefined ? { location: input.location } : {}),
    });
    audit({
      actor,
      action: 'policy.load',
      subject: `policy:${summary.policyHash}`,
      details: {
        loadId: summary.loadId,
        policyHash: summary.policyHash,
        location: input.location ?? null,
        counts: summary.counts,
        changedProfiles: summary.changedProfiles.map((change) => ({
          name: change.name,
          from: change.from ?? null,
          to: change.to,
        })),
        removedProfiles: summary.removedProfiles,
        addedAssignments: summary.addedAssignments,
        removedAssignments: summary.removedAssignments,
      },
    });
    return summary;
  });
  app.policy.replace(input.policy);
  return value;
}

export interface RestoredPolicy {
  readonly policy: PolicySet;
  readonly documents: readonly PolicySource[];
  readonly loadId: string;
  readonly policyHash: string;
  readonly loadedAt: number;
}

/**
 * Rebuilds the policy in force from the latest `policy_loads` row, or undefined when nothing was ever loaded.
 * Fails with `internal` when the stored documents no longer load (a loader change that rejects an old policy
 * must be noticed, not papered over).
 */
export async function restorePolicy(database: Database | AppContext['database']): Promise<RestoredPolicy | undefined> {
  const row = await database.db
    .selectFrom('policy_loads')
    .select(['id', 'documents', 'policy_hash', 'loaded_at'])
    .orderBy('loaded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const documents = fromJsonText<PolicySource[]>(row.documents);
  const loaded = parsePolicySources(documents);
  if (!loaded.policy) {
    throw new AppError('internal', `the policy loaded as '${row.id}' no longer loads`, {
      problems: loaded.problems.slice(0, 20).map(formatProblem),
    });
  }
  return { policy: loaded.policy, documents, loadId: row.id, policyHash: row.policy_hash, loadedAt: row.loaded_at };
}
