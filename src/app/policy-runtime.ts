/**
 * The policy in force at run time. The YAML policy lives in memory (it is loaded at start and on each
 * applied change); what the API changes lives in the database and is overlaid on every snapshot, read inside
 * the verb's transaction so that decisions see committed state even with several replicas: disabled
 * identities, role assignments made through the API, activated eligible roles, SoD exceptions, file
 * assignments that a certification revoked (suspended until the files stop naming them), and resources
 * registered through the API or discovered.
 *
 * Building that overlay costs six queries and a duty index, on every verb. So the last snapshot is kept and
 * reused while it provably still holds: the same loaded policy, the same `overlay_version` (a counter that
 * database triggers bump on any change to the overlaid tables, by any replica), and no overlaid assignment,
 * activation or exception expiring in between. The counter is read first, so a snapshot is never labelled
 * with a version newer than the rows it was built from.
 */
import type { Transaction } from 'kysely';
import { DutyIndex, type RoleActivation } from '../decide/duties.js';
import type { Identity, Notifier, PolicySet, Resource, RoleAssignment, SodException } from '../policy/model.js';
import type { Schema } from '../store/schema.js';
import type { PolicyRuntime, PolicySnapshot } from './context.js';
import { rowToResource } from '../store/resource-row.js';

/** A snapshot with the expiry instants of what it filtered by time (kept out of the decisions' view). */
interface BuiltSnapshot extends PolicySnapshot {
  readonly expiries: readonly (number | undefined)[];
}

interface CachedSnapshot {
  readonly base: PolicySet;
  readonly overlayVersion: number;
  readonly builtAt: number;
  /** The first instant at which something in the snapshot expires and it must be rebuilt. */
  readonly validUntil: number;
  readonly snapshot: PolicySnapshot;
}

export class StorePolicyRuntime implements PolicyRuntime {
  #policy: PolicySet;
  #cached: CachedSnapshot | undefined;

  constructor(policy: PolicySet) {
    this.#policy = policy;
  }

  /** The loaded YAML policy without database overlays. */
  get loaded(): PolicySet {
    return this.#policy;
  }

  /** Swaps in a newly loaded policy; snapshots taken from now on see it. */
  replace(policy: PolicySet): void {
    this.#policy = policy;
  }

  notifiers(): readonly Notifier[] {
    return [...this.#policy.notifiers.values()];
  }

  async snapshot(trx: Transaction<Schema>, now: number): Promise<PolicySnapshot> {
    const base = this.#policy;
    const overlayVersion = await readOverlayVersion(trx);
    const cached = this.#cached;
    if (
      cached !== undefined &&
      overlayVersion !== undefined &&
      cached.base === base &&
      cached.overlayVersion === overlayVersion &&
      now >= cached.builtAt &&
      now < cached.validUntil
    ) {
      return cached.snapshot;
    }
    const snapshot = await this.#build(trx, base, now);
    this.#cached =
      overlayVersion === undefined
        ? undefined
        : { base, overlayVersion, builtAt: now, validUntil: nextExpiry(snapshot, now), snapshot };
    return snapshot;
  }

  /**
   * The snapshot `policy` would give if it were the policy in force: the same database overlays, read inside
   * `trx`, never cached. What a load or change set is checked against before it is applied.
   */
  async preview(trx: Transaction<Schema>, policy: PolicySet, now: number): Promise<PolicySnapshot> {
    const { expiries: _expiries, ...snapshot } = await this.#build(trx, policy, now);
    return snapshot;
  }

  async #build(trx: Transaction<Schema>, base: PolicySet, now: number): Promise<BuiltSnapshot> {
    const disabledRows = await trx
      .selectFrom('identities')
      .select('name')
      .where('disabled_at', 'is not', null)
      .execute();
    const assignmentRows = await trx
      .selectFrom('role_assignments')
      .selectAll()
      .where('source', '=', 'api')
      .where('removed_at', 'is', null)
      .execute();
    const activationRows = await trx
      .selectFrom('role_activations')
      .select(['identity', 'role', 'expires_at'])
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const exceptionRows = await trx
      .selectFrom('sod_exceptions')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();

    const suspendedRows = await trx
      .selectFrom('role_assignments')
      .select(['role', 'subject_type', 'subject_name'])
      .where('source', '=', 'policy')
      .where('revoked_by_certification', 'is not', null)
      .execute();
    const registeredRows = await trx
      .selectFrom('resources')
      .selectAll()
      .where('source', '<>', 'policy')
      .where('removed_at', 'is', null)
      .execute();
    const suspended = new Set(suspendedRows.map((row) => suspensionKey(row.role, row.subject_type, row.subject_name)));
    const policy = withRegisteredResources(
      withoutSuspendedAssignments(
        withDisabledIdentities(base, new Set(disabledRows.map((row) => row.name))),
        suspended,
      ),
      registeredRows.map(rowToResource),
    );
    const apiAssignments: RoleAssignment[] = assignmentRows.map((row) => ({
      id: row.id,
      role: row.role,
      subject: { type: row.subject_type, name: row.subject_name },
      assignment: row.assignment,
      ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
      source: 'api',
    }));
    const activations: RoleActivation[] = activationRows.map((row) => ({
      identity: row.identity,
      role: row.role,
      expiresAt: row.expires_at,
    }));
    const exceptions: SodException[] = exceptionRows.map((row) => ({
      id: row.id,
      rule: row.rule,
      identity: row.identity,
      justification: row.justification,
      compensatingControl: row.compensating_control,
      expiresAt: row.expires_at,
      ...(row.approved_by !== null ? { approvedBy: row.approved_by } : {}),
    }));
    return {
      policy,
      duties: new DutyIndex(policy, now, apiAssignments, activations),
      exceptions,
      expiries: [
        ...policy.assignments.map((a) => a.expiresAt),
        ...apiAssignments.map((a) => a.expiresAt),
        ...activations.map((a) => a.expiresAt),
        ...exceptions.map((e) => e.expiresAt),
      ],
    };
  }
}

/** The overlay counter, or undefined if its row is missing (then nothing is cached). */
async function readOverlayVersion(trx: Transaction<Schema>): Promise<number | undefined> {
  const row = await trx.selectFrom('overlay_version').select('version').where('id', '=', 1).executeTakeFirst();
  return row === undefined ? undefined : Number(row.version);
}

/** The earliest expiry after `now` among everything the snapshot filtered by time; +∞ when nothing expires. */
function nextExpiry(snapshot: BuiltSnapshot, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const at of snapshot.expiries) if (at !== undefined && at > now && at < next) next = at;
  return next;
}

function suspensionKey(role: string, subjectType: string, subjectName: string): string {
  return `${role}\u0000${subjectType}\u0000${subjectName}`;
}

/** The policy with the resources registered through the API or discovered; the files' own win a name clash. */
function withRegisteredResources(policy: PolicySet, registered: readonly Resource[]): PolicySet {
  if (registered.length === 0) return policy;
  const resources = new Map(policy.resources);
  for (const resource of registered) if (!resources.has(resource.name)) resources.set(resource.name, resource);
  return { ...policy, resources };
}

/** The policy without the file assignments a certification revoked; the same object when there are none. */
function withoutSuspendedAssignments(policy: PolicySet, suspended: ReadonlySet<string>): PolicySet {
  if (suspended.size === 0) return policy;
  const assignments = policy.assignments.filter(
    (a) => !suspended.has(suspensionKey(a.role, a.subject.type, a.subject.name)),
  );
  return { ...policy, assignments };
}

/** The policy with the given identities marked disabled; the same object when there are none. */
function withDisabledIdentities(policy: PolicySet, disabled: ReadonlySet<string>): PolicySet {
  if (disabled.size === 0) return policy;
  const identities = new Map<string, Identity>();
  for (const [name, identity] of policy.identities) {
    identities.set(name, disabled.has(name) ? { ...identity, disabled: true } : identity);
  }
  return { ...policy, identities };
}
