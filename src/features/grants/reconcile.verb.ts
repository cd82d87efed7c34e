/**
 * `reconcileResource` (SPEC §2.11): compares the credentials a resource's provider reports as Countersign's
 * (`listManaged`) with the handles of the resource's live grants, removes the orphans through the provider, and
 * reports what it did: one `resource.reconcile` audit event listing the removed, failed and kept handles, and a
 * `grant.orphan_removed` notification per removal. Works for every provider; one that cannot list what it made
 * (`cannotList`, e.g. `exec` without a `list` command) is not asked, and the result and event say so.
 *
 * Order matters: the provider is listed first and the grants read afterwards, so a grant recorded in between is
 * seen; a credential whose grant is still being recorded is protected by the grace period of
 * `findOrphanCredentials`. Provider calls run outside any transaction.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { JsonObject } from '../../audit/audit-event.js';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError, isAppError } from '../../core/errors.js';
import { decideReconcile, findOrphanCredentials } from '../../decide/reconcile.decide.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import type { ManagedCredential } from '../../providers/provider.js';
import { fromJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { findResource } from '../resources/index.js';
import { inTransaction } from '../../app/transaction.js';

/**
 * Grants whose privilege may still exist on the target: their credentials are never orphans. A `provisioning`
 * grant is an activation's intent: the activation or the scheduler (grant-intents.ts) completes or compensates it.
 */
const LIVE_GRANT_STATUSES = ['provisioning', 'active', 'revoking', 'revoke_failed'] as const;
/** At most this many handles of each kind go into the audit event; the counts are always complete. */
const MAX_LISTED = 100;

export const reconcileResourceSchema = z.strictObject({
  resource: z.string().min(1).max(63),
  /** How young a credential of no grant may be and still be left alone (default 5 minutes). */
  graceSeconds: z.number().int().min(0).max(86_400).optional(),
});
export type ReconcileResourceInput = z.input<typeof reconcileResourceSchema>;

export interface ReconcileResult {
  readonly resource: string;
  readonly provider: string;
  /** Handles of the orphan credentials removed. */
  readonly removed: readonly JsonObject[];
  /** Orphans the provider could not remove, with why in product words. */
  readonly failed: readonly { readonly handle: JsonObject; readonly message: string }[];
  /** Credentials left in place, with the reason (owned by a live grant, too young, in use). */
  readonly kept: readonly { readonly handle: JsonObject; readonly reason: Reason }[];
  /** Set when the provider cannot list what it made for this resource: nothing was compared or removed. */
  readonly notListed?: string;
}

type Located =
  { readonly resource: Resource; readonly profile: ResourceProfile } | { readonly refused: readonly Reason[] };

/**
 * Removes the orphan credentials of one resource. Invariants: only a `system:` identity or an `administer`
 * holder on the profile reconciles (a refusal is recorded and touches no target); a credential owned by an
 * active, revoking or revoke-failed grant is never removed; one failed removal does not stop the others, and
 * every outcome lands in one audit event.
 */
export async function reconcileResource({
  app,
  actor,
  input,
}: VerbCall<ReconcileResourceInput>): Promise<ReconcileResult> {
  const parsed = parseInput(reconcileResourceSchema, input);
  const { value: located } = await inTransaction(app, async ({ trx, now }): Promise<Located> => {
    const snapshot = await app.policy.snapshot(trx, now);
    const resource = await findResource(trx, snapshot.policy, parsed.resource);
    if (!resource) throw new AppError('not_found', `resource '${parsed.resource}' does not exist`);
    const profile = snapshot.policy.profiles.get(resource.profile);
    if (!profile) {
      throw new AppError(
        'conflict',
        `resource '${resource.name}' names profile '${resource.profile}', which is not loaded`,
      );
    }
    const decision = decideReconcile(snapshot.duties, actor, profile);
    return decision.allowed ? { resource, profile } : { refused: decision.reasons };
  });
  if ('refused' in located) {
    throw await refuse(app, {
      actor,
      action: 'resource.reconcile_refused',
      subject: `resource:${parsed.resource}`,
      refusal: refusalOf(located.refused),
      otherwise: `'${actor}' may not reconcile '${parsed.resource}'`,
    });
  }
  const { resource, profile } = located;
  const provider = app.providers.get(profile.provider.type);
  if (!provider) {
    throw new AppError(
      'provider_failed',
      `no '${profile.provider.type}' provider is configured to reconcile '${resource.name}'`,
    );
  }

  const cannotList = provider.cannotList?.(resource, profile);
  const notListed =
    cannotList === undefined
      ? undefined
      : `the ${provider.type} provider cannot list what it made on resource '${resource.name}': ${cannotList}`;
  const listed: readonly ManagedCredential[] =
    notListed === undefined ? await provider.listManaged(resource, profile) : [];
  const liveHandles = await readLiveHandles(app.database.db, resource.name);
  const comparison = findOrphanCredentials(listed, liveHandles, {
    now: app.clock.now(),
    ...(parsed.graceSeconds === undefined ? {} : { graceMs: parsed.graceSeconds * 1000 }),
  });

  const removed: JsonObject[] = [];
  const failed: { handle: JsonObject; message: string }[] = [];
  for (const orphan of comparison.orphans) {
    try {
      await provider.revoke(orphan.handle, resource, profile);
      removed.push(orphan.handle);
    } catch (error) {
      // Only our own AppError messages are product words; driver or network text stays out of the log.
      const detail = isAppError(error) ? `: ${error.message}` : '';
      failed.push({ handle: orphan.handle, message: `the ${provider.type} provider could not remove it${detail}` });
    }
  }
  const kept = comparison.kept.map(({ credential, reason }) => ({ handle: credential.handle, reason }));

  await inTransaction(app, async ({ audit, notify }) => {
    audit({
      actor,
      action: 'resource.reconcile',
      subject: `resource:${resource.name}`,
      details: {
        profile: profile.name,
        provider: provider.type,
        listed: listed.length,
        removedCount: removed.length,
        failedCount: failed.length,
        keptCount: kept.length,
        removed: removed.slice(0, MAX_LISTED),
        failed: failed.slice(0, MAX_LISTED).map((item) => ({ ...item })),
        kept: kept.slice(0, MAX_LISTED).map(({ handle, reason }) => ({ handle, reason: reason.code })),
        ...(notListed === undefined ? {} : { notListed }),
      },
    });
    for (const handle of removed) {
      notify('grant.orphan_removed', {
        resource: resource.name,
        profile: profile.name,
        provider: provider.type,
        handle,
      });
    }
    for (const item of failed) {
      notify(
        'grant.orphan_remove_failed',
        { resource: resource.name, profile: profile.name, provider: provider.type, ...item },
        { urgent: true },
      );
    }
  });
  return {
    resource: resource.name,
    provider: provider.type,
    removed,
    failed,
    kept,
    ...(notListed === undefined ? {} : { notListed }),
  };
}

/** The handles of the resource's live grants, read after listing (see the module header). */
async function readLiveHandles(db: Kysely<Schema>, resource: string): Promise<JsonObject[]> {
  const rows = await db
    .selectFrom('grants')
    .select('handle')
    .where('resource', '=', resource)
    .where('status', 'in', [...LIVE_GRANT_STATUSES])
    .execute();
  return rows.flatMap((row) => (row.handle === null ? [] : [fromJsonText<JsonObject>(row.handle)]));
}
