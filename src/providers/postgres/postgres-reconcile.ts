/**
 * Reconciliation for the PostgreSQL provider: roles Countersign created on a server that belong to no active
 * grant are orphans (a revoke that failed, a crash between creating a role and recording the grant) and are
 * dropped. `findOrphans` applies the provider-independent comparison of decide/reconcile.decide.ts to the roles;
 * `reconcileRoles` lists, compares, revokes and reports. The application layer reconciles every provider the
 * same way through `reconcileResource` (app/reconcile.verb.ts).
 */
import type { JsonObject } from '../../audit/audit-event.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import type { PostgresProvider } from './postgres-provider.js';
import type { ManagedRole } from './postgres-roles.js';
import {
  DEFAULT_RECONCILE_GRACE_MS,
  findOrphanCredentials,
  type ListedCredential,
} from '../../decide/reconcile.decide.js';

export { DEFAULT_RECONCILE_GRACE_MS };

export interface ReconcileOptions {
  /** Epoch ms. */
  readonly now: number;
  readonly graceMs?: number;
}

export interface ReconcileReport {
  /** Handles of the roles dropped. */
  readonly removed: readonly JsonObject[];
  /** Orphans that could not be dropped, with the reason in product words. */
  readonly failed: readonly { readonly handle: JsonObject; readonly message: string }[];
  /** Managed roles left in place: owned by an active grant, too young, or a statement still running. */
  readonly kept: number;
}

/** A managed role as reconciliation compares it: its handle, creation time and, for a statement login, VALID UNTIL. */
export function listedCredentialOf(
  role: ManagedRole,
): ListedCredential & { readonly role: ManagedRole; readonly handle: JsonObject } {
  return {
    role,
    handle: { role: role.role, resource: role.resource },
    createdAt: role.createdAt,
    ...(role.kind === 'execute' && role.validUntil !== undefined ? { busyUntil: role.validUntil } : {}),
  };
}

/**
 * The managed roles that no active grant owns (`findOrphanCredentials` over the roles' handles). Keeps a role
 * created within `graceMs` of `now` (its grant may not be recorded yet) and a statement login whose VALID
 * UNTIL has not passed (its statement may still run).
 */
export function findOrphans(
  managed: readonly ManagedRole[],
  activeHandles: readonly JsonObject[],
  options: ReconcileOptions,
): ManagedRole[] {
  return findOrphanCredentials(managed.map(listedCredentialOf), activeHandles, options).orphans.map(
    (listed) => listed.role,
  );
}

/** Drops the orphans of one resource and reports what it removed; one failure does not stop the others. */
export async function reconcileRoles(
  provider: PostgresProvider,
  resource: Resource,
  profile: ResourceProfile,
  activeHandles: readonly JsonObject[],
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const managed = await provider.listManagedRoles(resource);
  const orphans = findOrphans(managed, activeHandles, options);
  const removed: JsonObject[] = [];
  const failed: { handle: JsonObject; message: string }[] = [];
  for (const orphan of orphans) {
    const handle: JsonObject = { role: orphan.role, resource: resource.name };
    try {
      await provider.revoke(handle, resource, profile);
      removed.push(handle);
    } catch (error) {
      failed.push({ handle, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { removed, failed, kept: managed.length - orphans.length };
}
