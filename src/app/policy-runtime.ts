/**
 * The policy in force at run time. The YAML policy lives in memory (it is loaded at start and on each
 * applied change); what the API changes lives in the database and is overlaid on every snapshot, read inside
 * the verb's transaction so that decisions see committed state even with several replicas: disabled
 * identities, role assignments made through the API, activated eligible roles, SoD exceptions, file
 * assignments that a certification revoked (suspended until the files stop naming them), resources
 * registered through the API or discovered, and the people and groups a SCIM client provisioned with their
 * directory-group memberships (`directory-overlay.ts`).
 *
 * Building that overlay costs six queries and a duty index, on every verb. So the last snapshot is kept and
 * reused while it provably still holds: the same loaded policy, the same `overlay_version` (a counter that
 * database triggers bump on any change to the overlaid tables, by any replica), and no overlaid assignment,
 * activation or exception expiring in between. The counter is read first, so a snapshot is never labelled
 * with a version newer than the rows it was built from.
 *
 * Within one HTTP call (`policy-call.ts`) the loaded policy is pinned: the guard, every verb and every read of
 * the call see the policy that was in force when the call began, and the first snapshot of the call again
 * while it still holds, even if a reload lands in between. Only the call that itself applies a new policy sees
 * it at once. The database's overlays are still re-checked on every snapshot: a change committed since the
 * guard's snapshot (an identity disabled, an exception revoked, by any replica) is seen by the verb, so pinning
 * never lets a call act on a right an API change took away before its transaction began. A right a reload took
 * away counts for the calls already under way, as if they had finished just before it; the guard begins a
 * call again if the reload came while its body was still arriving (`http/guard.ts`).
 */
import type { Transaction } from 'kysely';
import { DutyIndex, type RoleActivation } from '../decide/duties.js';
import type { Identity, Notifier, PolicySet, Resource, RoleAssignment, SodException } from '../policy/model.js';
import type { Schema } from '../store/schema.js';
import type { PolicyRuntime, PolicySnapshot } from './context.js';
import { policyCallInProgress, type PolicyCall } from './policy-call.js';
import { readDirectory, withDirectory } from './directory-overlay.js';
import { rowToResource } from '../store/resource-row.js';
import { rowToSodException, toPolicyException } from '../store/sod-exception-row.js';

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

/** What one HTTP call keeps of this runtime: the loaded policy it began under, and its latest snapshot. */
interface CallPin {
  base: PolicySet;
  held: CachedSnapshot | undefined;
}

export class StorePolicyRuntime implements PolicyRuntime {
  #policy: PolicySet;
  #cached: CachedSnapshot | undefined;
  /** Per call in progress; a call's entry goes with the call. */
  readonly #pins = new WeakMap<PolicyCall, CallPin>();

  constructor(policy: PolicySet) {
    this.#policy = policy;
  }

  /** The loaded YAML policy without database overlays (within an HTTP call, the one the call began under). */
  get loaded(): PolicySet {
    return this.#pin()?.base ?? this.#policy;
  }

  /**
   * Swaps in a newly loaded policy; snapshots taken from now on see it. Calls in progress keep the policy they
   * began under, except the call that applies the new one, which sees its own change at once.
   */
  replace(policy: PolicySet): void {
    this.#policy = policy;
    const pin = this.#pin();
    if (pin !== undefined) {
      pin.base = policy;
      pin.held = undefined;
    }
  }

  notifiers(): readonly Notifier[] {
    return [...this.loaded.notifiers.values()];
  }

  async snapshot(trx: Transaction<Schema>, now: number): Promise<PolicySnapshot> {
    const pin = this.#pin();
    const base = pin?.base ?? this.#policy;
    const overlayVersion = await readOverlayVersion(trx);
    const reusable = [pin?.held, this.#cached].find((entry) => holds(entry, base, overlayVersion, now));
    if (reusable !== undefined) {
      if (pin !== undefined) pin.held = reusable;
      return reusable.snapshot;
    }
    const snapshot = await this.#build(trx, base, now);
    const entry =
      overlayVersion === undefined
        ? undefined
        : { base, overlayVersion, builtAt: now, validUntil: nextExpiry(snapshot, now), snapshot };
    // A call still under a policy since replaced keeps its snapshot to itself; the shared one follows the policy.
    if (base === this.#policy) this.#cached = entry;
    if (pin !== undefined) pin.held = entry;
    return snapshot;
  }

  /** The pin of the HTTP call in progress, made on its first use with the policy in force; none outside a call. */
  #pin(): CallPin | undefined {
    const call = policyCallInProgress();
    if (call === undefined) return undefined;
    let pin = this.#pins.get(call);
    if (pin === undefined) {
      pin = { base: this.#policy, held: undefined };
      this.#pins.set(call, pin);
    }
    return pin;
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
    const directory = await readDirectory(trx);
    const suspended = new Set(suspendedRows.map((row) => suspensionKey(row.role, row.subject_type, row.subject_name)));
    const policy = withRegisteredResources(
      withoutSuspendedAssignments(
        withDisabledIdentities(withDirectory(base, directory), new Set(disabledRows.map((row) => row.name))),
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
    const exceptions: SodException[] = exceptionRows.map((row) => toPolicyException(rowToSodException(row)));
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

/**
 * Whether `entry` may be given again at `now`: built from `base`, under the overlay counter the database shows
 * now, and with nothing in it expired since (nor built in the future of a caller with an earlier clock).
 */
function holds(
  entry: CachedSnapshot | undefined,
  base: PolicySet,
  overlayVersion: number | undefined,
  now: number,
): entry is CachedSnapshot {
  return (
    entry !== undefined &&
    overlayVersion !== undefined &&
    entry.base === base &&
    entry.overlayVersion === overlayVersion &&
    now >= entry.builtAt &&
    now < entry.validUntil
  );
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
