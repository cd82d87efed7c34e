/**
 * Reconciliation (SPEC §2.11): which credentials that a provider reports as its own on a target belong to no
 * live grant (orphans: a revoke that failed unseen, a crash between creating a credential and recording its
 * grant), and who may have Countersign remove them. Provider-independent: a credential is compared with the
 * grants' handles, the same JSON objects the provider returned when it granted.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { reason, type Reason } from '../core/decision.js';
import type { ResourceProfile } from '../policy/model.js';
import type { DutyIndex } from './duties.js';

/** A credential younger than this may belong to a grant being recorded right now; it waits for the next run. */
export const DEFAULT_RECONCILE_GRACE_MS = 5 * 60_000;

/** A credential as a provider lists it (the shape of `ManagedCredential` in providers/provider.ts). */
export interface ListedCredential {
  readonly handle: Readonly<Record<string, unknown>>;
  /** Epoch ms at which the provider created it, when the provider knows. */
  readonly createdAt?: number;
  /**
   * Epoch ms until which it may legitimately exist without a grant (e.g. the one-statement login of an
   * `execute`, which lives only while its statement runs).
   */
  readonly busyUntil?: number;
}

export interface OrphanOptions {
  /** Epoch ms. */
  readonly now: number;
  readonly graceMs?: number;
}

export interface OrphanComparison<T extends ListedCredential> {
  readonly orphans: readonly T[];
  /** Every credential left in place, with why. */
  readonly kept: readonly { readonly credential: T; readonly reason: Reason }[];
}

/** Does the grant handle carry every field of the listed handle, with the same value? */
function handleOwns(
  grantHandle: Readonly<Record<string, unknown>>,
  listed: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(listed).every(
    ([key, value]) => key in grantHandle && canonicalJson(grantHandle[key]) === canonicalJson(value),
  );
}

function describe(handle: Readonly<Record<string, unknown>>): string {
  return canonicalJson(handle);
}

/**
 * Splits listed credentials into orphans and kept ones. Invariant: a credential is an orphan only when no live
 * grant's handle owns it (carries all of its handle's fields), it is provably older than the grace period (a
 * credential whose age the provider cannot tell is never removed) and nothing says it is still in use.
 */
export function findOrphanCredentials<T extends ListedCredential>(
  listed: readonly T[],
  liveHandles: readonly Readonly<Record<string, unknown>>[],
  options: OrphanOptions,
): OrphanComparison<T> {
  const graceMs = options.graceMs ?? DEFAULT_RECONCILE_GRACE_MS;
  const orphans: T[] = [];
  const kept: { credential: T; reason: Reason }[] = [];
  for (const credential of listed) {
    const what = `credential ${describe(credential.handle)}`;
    if (liveHandles.some((handle) => handleOwns(handle, credential.handle))) {
      kept.push({ credential, reason: reason('reconcile.owned', `${what} belongs to a live grant`) });
    } else if (credential.createdAt === undefined) {
      kept.push({
        credential,
        reason: reason('reconcile.age_unknown', `${what} has no creation time, so it may belong to a grant in flight`),
      });
    } else if (credential.createdAt > options.now - graceMs) {
      kept.push({
        credential,
        reason: reason('reconcile.too_young', `${what} is younger than the ${graceMs / 1000}s grace period`),
      });
    } else if (credential.busyUntil !== undefined && credential.busyUntil > options.now) {
      kept.push({ credential, reason: reason('reconcile.in_use', `${what} may still be in use`) });
    } else {
      orphans.push(credential);
    }
  }
  return { orphans, kept };
}

export interface ReconcileDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/**
 * Who may have Countersign remove orphan credentials of a profile's resources. Invariant: only Countersign's own
 * `system:` identities (the observation worker) or a human holding `administer` on the profile; removal takes
 * privilege away, but it still changes a target, so nobody unentitled triggers it.
 */
export function decideReconcile(duties: DutyIndex, actor: string, profile: ResourceProfile): ReconcileDecision {
  if (actor.startsWith('system:')) {
    return { allowed: true, reasons: [reason('reconcile.system', `'${actor}' reconciles on Countersign's behalf`)] };
  }
  const administer = duties.holds(actor, 'administer', profile);
  if (administer) {
    return {
      allowed: true,
      reasons: [
        reason(
          'reconcile.administrator',
          `'${actor}' holds 'administer' on profile '${profile.name}' through role '${administer.role}'`,
        ),
      ],
    };
  }
  return {
    allowed: false,
    reasons: [
      reason(
        'admin.not_administrator',
        `'${actor}' does not hold 'administer' on profile '${profile.name}' and may not reconcile its resources`,
      ),
    ],
  };
}
