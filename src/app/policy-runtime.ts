/**
 * The policy in force at run time. The YAML policy lives in memory (it is loaded at start and on each
 * applied change); what the API changes lives in the database and is overlaid on every snapshot, read inside
 * the verb's transaction so that decisions see committed state even with several replicas: disabled
 * identities, role assignments made through the API, activated eligible roles and SoD exceptions.
 */
import type { Transaction } from 'kysely';
import { DutyIndex, type RoleActivation } from '../decide/duties.js';
import type { Identity, Notifier, PolicySet, RoleAssignment, SodException } from '../policy/model.js';
import type { Schema } from '../store/schema.js';
import type { PolicyRuntime, PolicySnapshot } from './context.js';

export class StorePolicyRuntime implements PolicyRuntime {
  #policy: PolicySet;

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

    const policy = withDisabledIdentities(base, new Set(disabledRows.map((row) => row.name)));
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
    return { policy, duties: new DutyIndex(policy, now, apiAssignments, activations), exceptions };
  }
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
