/**
 * Loading a policy into the store: the resolved `PolicySet` is written into the tables that mirror it
 * (identities, groups, roles, assignments, SoD rules, notifiers, profiles with every version ever loaded,
 * resources) together with a `policy_loads` row that keeps the exact source documents, so that a restart
 * rebuilds the same model (`restorePolicy`). `loadPolicy` is the audited verb around it.
 */
import type { Kysely, Transaction } from 'kysely';
import { canonicalDigest } from '../../core/canonical-json.js';
import { AppError } from '../../core/errors.js';
import { parsePolicySources, formatProblem, type PolicySource } from '../../policy/load.js';
import type { PolicySet } from '../../policy/model.js';
import { toJsonText, fromJsonText } from '../../store/columns.js';
import type { Database } from '../../store/database.js';
import type { Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import { offboardIdentityIn, recordOffboarding, type OffboardingResult } from '../access/index.js';
import type { PolicySodDecision } from '../../decide/policy-sod.decide.js';
import { checkPolicySod, sodDetails } from './policy-sod.js';
import { refusalOf } from '../../core/decision.js';
import { refuse } from '../../app/refuse.js';
import {
  syncAssignments,
  syncGroups,
  syncIdentities,
  syncNotifiers,
  syncProfiles,
  syncResources,
  syncRoles,
  syncSodRules,
} from './policy-sync.repo.js';
import type { AppContext, VerbCall } from '../../app/context.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

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
  /** Assignments the files name but a certification revoked: they stay out of force (`role/subject`). */
  readonly suspendedAssignments: readonly string[];
  /** Revoked assignments the files no longer name: a later change may grant them again. */
  readonly unsuspendedAssignments: readonly string[];
  readonly removedResources: readonly string[];
  /**
   * Identities this load disabled (`disabled: true` in the files, enabled before): offboarded as the API disable
   * does; the caller records one `identity.disable` event for each (`recordOffboarding`).
   */
  readonly offboarded: readonly OffboardingResult[];
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

  const disabling = await newlyDisabled(trx, policy);
  await syncIdentities(trx, policy, now);
  await syncGroups(trx, policy, now);
  await syncRoles(trx, policy, now);
  const assignments = await syncAssignments(trx, policy, now, actor);
  await syncSodRules(trx, policy, now);
  await syncNotifiers(trx, policy, now);
  const { changed: changedProfiles, removed: removedProfiles } = await syncProfiles(trx, policy, now, loadId);
  const removedResources = await syncResources(trx, policy, now);
  const offboarded: OffboardingResult[] = [];
  for (const name of disabling) {
    offboarded.push(await offboardIdentityIn(trx, name, now, offboardingReason(name, loadId)));
  }

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
    removedAssignments: assignments.removed,
    addedAssignments: assignments.added,
    suspendedAssignments: assignments.suspended,
    unsuspendedAssignments: assignments.unsuspended,
    removedResources,
    offboarded,
  };
  // Load times strictly increase, so "the latest load" (what a restart rebuilds) is never a tie.
  const latest = await trx
    .selectFrom('policy_loads')
    .select((eb) => eb.fn.max('loaded_at').as('at'))
    .executeTakeFirst();
  const loadedAt = latest?.at == null ? now : Math.max(now, Number(latest.at) + 1);
  await trx
    .insertInto('policy_loads')
    .values({
      id: loadId,
      loaded_at: loadedAt,
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

/** Identities the policy disables that are enabled in the store now: the ones a load offboards, by name. */
async function newlyDisabled(trx: Transaction<Schema>, policy: PolicySet): Promise<string[]> {
  const names = [...policy.identities.values()].filter((identity) => identity.disabled).map((i) => i.name);
  if (names.length === 0) return [];
  const rows = await trx
    .selectFrom('identities')
    .select('name')
    .where('name', 'in', names)
    .where('disabled_at', 'is', null)
    .execute();
  return rows.map((row) => row.name).sort();
}

function offboardingReason(identity: string, loadId: string): string {
  return `identity '${identity}' is disabled in the policy files (policy load '${loadId}')`;
}

/**
 * Records what a load's offboarding did, in the load's transaction: one `identity.disable` event per identity
 * (the API disable's event plus the load id) and the provider teardown of its grants after commit.
 */
export function recordLoadOffboarding(
  app: AppContext,
  scope: Pick<TransactionScope, 'audit' | 'notify' | 'afterCommit' | 'announce'>,
  actor: string,
  summary: PolicyLoadSummary,
): void {
  for (const result of summary.offboarded) {
    recordOffboarding(app, scope, actor, result, offboardingReason(result.identity, summary.loadId), {
      loadId: summary.loadId,
    });
  }
}

export interface LoadPolicyInput {
  readonly policy: PolicySet;
  readonly documents: readonly PolicySource[];
  /** Where the documents came from (a directory path), recorded in the load and the audit event. */
  readonly location?: string;
}

/**
 * Loads a validated policy (GitOps: the repository's review is the four eyes) as one audited change
 * (`policy.load`), then makes it the policy in force. Invariants: the store, the audit log and the runtime agree
 * on which documents are loaded; if the transaction fails, the runtime keeps the previous policy; a policy that
 * would create a static SoD conflict not already in force is refused with `sod_violation` (`policy.load_refused`)
 * and nothing of it is written; identities it disables are offboarded in the same transaction.
 */
export async function loadPolicy({ app, actor, input }: VerbCall<LoadPolicyInput>): Promise<PolicyLoadSummary> {
  type Outcome = { readonly summary: PolicyLoadSummary } | { readonly refused: PolicySodDecision };
  const { value } = await inTransaction(app, async (scope): Promise<Outcome> => {
    const { trx, now, audit } = scope;
    const sod = await checkPolicySod(app, trx, await app.policy.snapshot(trx, now), input.policy, now);
    if (!sod.allowed) return { refused: sod };
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
        suspendedAssignments: summary.suspendedAssignments,
        unsuspendedAssignments: summary.unsuspendedAssignments,
      },
    });
    recordLoadOffboarding(app, scope, actor, summary);
    return { summary };
  });
  if ('refused' in value) {
    throw await refuse(app, {
      actor,
      action: 'policy.load_refused',
      subject: `policy:${policyHash(input.documents)}`,
      refusal: refusalOf(value.refused.reasons),
      otherwise: 'the policy creates a separation-of-duties conflict',
      details: { location: input.location ?? null, ...sodDetails(value.refused) },
    });
  }
  app.policy.replace(input.policy);
  return value.summary;
}

export interface RestoredPolicy {
  readonly policy: PolicySet;
  readonly documents: readonly PolicySource[];
  readonly loadId: string;
  readonly policyHash: string;
  readonly loadedAt: number;
  /** The directory the documents were loaded from, for directory loads. */
  readonly location?: string;
}

/**
 * Rebuilds the policy in force from the latest `policy_loads` row, or undefined when nothing was ever loaded.
 * Fails with `internal` when the stored documents no longer load (a loader change that rejects an old policy
 * must be noticed, not papered over).
 */
export async function restorePolicy(database: Database | AppContext['database']): Promise<RestoredPolicy | undefined> {
  const row = await latestLoad(database.db)
    .select(['id', 'documents', 'policy_hash', 'loaded_at', 'location'])
    .executeTakeFirst();
  if (!row) return undefined;
  const documents = fromJsonText<PolicySource[]>(row.documents);
  const loaded = parsePolicySources(documents);
  if (!loaded.policy) {
    throw new AppError('internal', `the policy loaded as '${row.id}' no longer loads`, {
      problems: loaded.problems.slice(0, 20).map(formatProblem),
    });
  }
  return {
    policy: loaded.policy,
    documents,
    loadId: row.id,
    policyHash: row.policy_hash,
    loadedAt: row.loaded_at,
    ...(row.location !== null ? { location: row.location } : {}),
  };
}

/** The id of the policy load in force (what `restorePolicy` would rebuild), or undefined when none was loaded. */
export async function latestPolicyLoadId(database: Database | AppContext['database']): Promise<string | undefined> {
  return (await latestLoad(database.db).select('id').executeTakeFirst())?.id;
}

/** Load times strictly increase (see `loadPolicy`); the id only breaks a tie no load should produce. */
function latestLoad(db: Kysely<Schema>) {
  return db.selectFrom('policy_loads').orderBy('loaded_at', 'desc').orderBy('id', 'desc').limit(1);
}
