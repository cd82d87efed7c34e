/**
 * Taking a grant's privilege away, exactly once: the shared end of early revocation (a person, offboarding,
 * certification) and of expiry (the scheduler). Three steps, so that no network I/O runs inside a transaction:
 *
 * 1. a short transaction claims the grant (`active` or `revoke_failed` → `revoking`, with a lease and a version
 *    check), or reports that it is already gone or that another worker holds it — without calling the provider;
 * 2. the provider's `revoke(handle)` runs outside any transaction;
 * 3. a second transaction records the outcome with its audit event: `revoked`/`expired` on the grant and the
 *    request, or `revoke_failed` with a backoff for the next attempt, an urgent notification and the error in
 *    product words. A failed revoke stays visible and is retried by the scheduler; it is never dropped.
 *
 * A worker that dies between steps leaves its lease to lapse; the grant is then claimed again and the
 * provider's revoke (idempotent by contract) runs once more. Leases are short (`DEFAULT_TEARDOWN_LEASE_MS`)
 * and renewed by a heartbeat while the provider works, so a dead worker's claims are taken over within
 * seconds rather than after a minute, and outcomes are recorded as revokes finish, a few at a time, so a
 * worker killed mid-batch loses little.
 *
 * Removing privilege never waits for the store (SPEC §2.8): when step 1 or step 3 is refused
 * (`database_unavailable`, `audit_unavailable`), the provider's revoke still runs and its outcome goes to the
 * revocation journal, recorded by the scheduler once the store takes writes (`revoke-without-store.ts`).
 */
import { AppError } from '../../core/errors.js';
import { FINAL_GRANT_STATUSES } from '../../decide/grant-lifecycle.decide.js';
import { renewLeases } from '../../store/lease.js';
import type { GrantStatus, Row } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { AppContext } from '../../app/context.js';
import { inReadTransaction } from '../../app/snapshot.queries.js';
import { revokeOnProvider } from './grant-provider-revoke.js';
import { recordTeardowns, type Revoked } from './grant-teardown-record.js';
import { claimGrantsForTeardown, grantRows, rememberRevoker } from './grants.repo.js';
import { isWriteRefused, journalRevoked, revokeGrantWithoutStore } from './revoke-without-store.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

import type { TeardownKind } from '../../core/domain.js';

export type { TeardownKind };

export interface TeardownInput {
  readonly grantId: string;
  /** Who takes the privilege away: a person, or `system:scheduler` for expiry. */
  readonly actor: string;
  /** Why, in words (recorded on the request and in the audit event). */
  readonly reason: string;
  readonly kind: TeardownKind;
  /** The claiming worker; a lease it already holds (from `claimDue`) counts as its own. Default: a fresh id. */
  readonly owner?: string;
  /** How long the claim holds while the provider works. Default 60 s. */
  readonly leaseMs?: number;
  /** When the provider's revoke already happened (an outcome replayed from the revocation journal). */
  readonly revokedAt?: number;
}

export type TeardownOutcome =
  | { readonly outcome: 'revoked' | 'expired'; readonly grantId: string; readonly requestId: string }
  | {
      readonly outcome: 'revoke_failed';
      readonly grantId: string;
      readonly requestId: string;
      readonly attempts: number;
      readonly nextAttemptAt: number;
      readonly error: string;
    }
  | { readonly outcome: 'already_done'; readonly grantId: string; readonly status: GrantStatus }
  | { readonly outcome: 'in_progress'; readonly grantId: string };

/** A claim's lease: short, renewed every third of it while the provider works (see `withHeartbeat`). */
export const DEFAULT_TEARDOWN_LEASE_MS = 5_000;
/** Outcomes are recorded once this many revokes have finished (and at the end of a batch). */
const RECORD_EVERY = 16;
export { revokeBackoffMs } from './grant-teardown-record.js';
type Claim =
  | { readonly claimed: true; readonly grant: Row<'grants'> }
  | { readonly claimed: false; readonly outcome: TeardownOutcome };

/**
 * Revokes a grant on its provider and records the outcome. Invariant: however many callers race (the
 * scheduler on several replicas, a person revoking, offboarding), the provider's revoke runs once per claim
 * and only one caller holds the claim; the losers get `already_done` or `in_progress` without touching the
 * provider. A provider failure leaves the grant `revoke_failed` with a next attempt scheduled, never dropped.
 */
export async function teardownGrant(app: AppContext, input: TeardownInput): Promise<TeardownOutcome> {
  let begun: BegunTeardown;
  try {
    ({ value: begun } = await inTransaction(app, (scope) => beginTeardownIn(scope, input)));
  } catch (error) {
    // Removing privilege never waits for the store: revoke on the provider, journal, answer 503 (SPEC §2.8).
    if (isWriteRefused(error)) return revokeGrantWithoutStore(app, input, error);
    throw error;
  }
  return (await finishTeardown(app, begun, async () => undefined)).outcome;
}

/** A teardown whose claim (step 1) was made in a verb's own transaction, for `finishTeardown`. */
export interface BegunTeardown {
  readonly input: TeardownInput;
  readonly owner: string;
  readonly claim: Claim;
}

/**
 * Step 1 inside the caller's transaction, so that a verb decides, audits and claims in one commit (`teardownGrant`
 * without it costs a transaction more). `not_found` when the grant does not exist.
 */
export async function beginTeardownIn(scope: TransactionScope, input: TeardownInput): Promise<BegunTeardown> {
  const owner = input.owner ?? newId('worker');
  const claim = (await claimIn(scope, [input], owner))[0];
  if (claim === undefined) throw new AppError('not_found', `grant '${input.grantId}' does not exist`);
  return { input, owner, claim };
}

/**
 * Steps 2 and 3 of a begun teardown, then `read` in the transaction that records the outcome (or in a read of
 * its own when this caller holds no claim), so the caller's answer reflects the outcome without another commit.
 */
export async function finishTeardown<T>(
  app: AppContext,
  { input, owner, claim }: BegunTeardown,
  read: (scope: TransactionScope) => Promise<T>,
): Promise<{ readonly outcome: TeardownOutcome; readonly read: T }> {
  if (!claim.claimed) {
    if (claim.outcome.outcome === 'in_progress') await untilLeftActive(app, claim.outcome.grantId);
    const { value } = await inTransaction(app, read);
    return { outcome: claim.outcome, read: value };
  }
  const leaseMs = input.leaseMs ?? DEFAULT_TEARDOWN_LEASE_MS;
  const failure = await withHeartbeat(
    app,
    () => [claim.grant.id],
    owner,
    leaseMs,
    () => revokeOnProvider(app, claim.grant),
  );
  try {
    const { value } = await inTransaction(app, async (scope) => {
      const recorded = await recordTeardowns(scope, [{ input, grant: claim.grant, failure }], owner);
      return {
        outcome: recorded[0] ?? { outcome: 'in_progress' as const, grantId: input.grantId },
        read: await read(scope),
      };
    });
    return value;
  } catch (error) {
    // The privilege is gone from the provider: the outcome waits in the journal for the store (SPEC §2.8).
    if (failure === undefined && isWriteRefused(error)) throw await journalRevoked(app, claim.grant, input, error);
    throw error;
  }
}

export interface TeardownBatchOptions {
  /** The claiming worker (the scheduler's id, which also holds the `claimDue` leases). */
  readonly owner: string;
  /** Provider revokes running at once (default 16). */
  readonly concurrency?: number;
  /** Called for a grant whose teardown threw; it is left out of the result and its lease lapses. */
  readonly onError: (grantId: string, error: unknown) => void;
}

/**
 * `teardownGrant` for many grants at once, with the same invariant, in three transactions instead of two per
 * grant: one claims them all, the provider revokes run outside any transaction, one records every outcome
 * with its audit event. If a batch transaction fails, its grants are handled one by one, so one bad grant
 * never holds back the others.
 */
export async function teardownGrants(
  app: AppContext,
  inputs: readonly TeardownInput[],
  options: TeardownBatchOptions,
): Promise<TeardownOutcome[]> {
  const { owner } = options;
  let claims: Claim[];
  try {
    ({ value: claims } = await inTransaction(app, (scope) => claimIn(scope, inputs, owner)));
  } catch {
    return oneByOne(inputs, options, (input) => teardownGrant(app, { ...input, owner }));
  }
  const done: TeardownOutcome[] = [];
  const byId = new Map(inputs.map((input) => [input.grantId, input]));
  const unrecorded = new Set(claims.flatMap((claim) => (claim.claimed ? [claim.grant.id] : [])));
  let toRecord: Revoked[] = [];
  let recording: Promise<void> = Promise.resolve();
  // Records what has finished so far, one recording at a time, in the order revokes finished.
  const flush = (): Promise<void> => {
    const items = toRecord;
    toRecord = [];
    if (items.length === 0) return recording;
    recording = recording.then(async () => {
      done.push(...(await recordBatch(app, items, options)));
      for (const item of items) unrecorded.delete(item.grant.id);
    });
    return recording;
  };
  const leaseMs = inputs[0]?.leaseMs ?? DEFAULT_TEARDOWN_LEASE_MS;
  await withHeartbeat(
    app,
    () => [...unrecorded],
    owner,
    leaseMs,
    async () => {
      await forEachBounded(claims.length, options.concurrency ?? 16, async (index) => {
        const claim = claims[index];
        if (claim === undefined) return;
        if (!claim.claimed) done.push(claim.outcome);
        const input = claim.claimed ? byId.get(claim.grant.id) : undefined;
        if (claim.claimed && input !== undefined) {
          toRecord.push({ input, grant: claim.grant, failure: await revokeOnProvider(app, claim.grant) });
          if (toRecord.length >= RECORD_EVERY) await flush();
        }
      });
      await flush();
    },
  );
  return done;
}

/** Records finished teardowns in one transaction, or one by one if that fails, so one bad grant holds back none. */
async function recordBatch(
  app: AppContext,
  items: readonly Revoked[],
  options: TeardownBatchOptions,
): Promise<TeardownOutcome[]> {
  const { owner } = options;
  try {
    return (await inTransaction(app, (scope) => recordTeardowns(scope, items, owner))).value;
  } catch {
    return oneByOne(items, options, async (item) => {
      try {
        const { value } = await inTransaction(app, (scope) => recordTeardowns(scope, [item], owner));
        return value[0] ?? { outcome: 'in_progress', grantId: item.grant.id };
      } catch (error) {
        if (item.failure === undefined && isWriteRefused(error)) {
          throw await journalRevoked(app, item.grant, item.input, error);
        }
        throw error;
      }
    });
  }
}

/**
 * Runs `work` while renewing, every third of `leaseMs`, the leases this owner holds on the grants `ids()` names
 * (those claimed and not yet recorded). A renewal that fails is left to the next beat; if every beat fails the
 * lease lapses and another worker takes over, which the provider's idempotent revoke allows.
 */
async function withHeartbeat<T>(
  app: AppContext,
  ids: () => readonly string[],
  owner: string,
  leaseMs: number,
  work: () => Promise<T>,
): Promise<T> {
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      beating = renewLeases(app.database.db, 'grants', ids(), owner, app.clock.now() + leaseMs).catch(() => 0);
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await beating;
  }
}

async function oneByOne<T extends { readonly grantId: string } | { readonly input: TeardownInput }>(
  items: readonly T[],
  options: TeardownBatchOptions,
  work: (item: T) => Promise<TeardownOutcome>,
): Promise<TeardownOutcome[]> {
  const outcomes: TeardownOutcome[] = [];
  for (const item of items) {
    try {
      outcomes.push(await work(item));
    } catch (error) {
      options.onError('input' in item ? item.input.grantId : item.grantId, error);
    }
  }
  return outcomes;
}

/** Runs `work(0 … count−1)` with at most `limit` at a time. */
async function forEachBounded(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
}

/** How long a caller that lost the claim waits to see the winner move the grant on (`untilLeftActive`). */
const CLAIM_WINNER_WAIT_MS = 2_000;

/**
 * Waits (bounded) until a grant another worker holds is no longer `active`. The expiry job leases a batch of due
 * grants before each one's teardown moves it to `revoking`; a person's revoke landing in between loses the claim,
 * and without this wait would answer with the grant still `active` although it is being ended.
 */
async function untilLeftActive(app: AppContext, grantId: string): Promise<void> {
  const deadline = Date.now() + CLAIM_WINNER_WAIT_MS;
  for (;;) {
    const [grant] = await inReadTransaction(app, (trx) => grantRows(trx, [grantId]));
    if (grant === undefined || grant.status !== 'active' || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Claims the grants in one statement. The `where` repeats what the first read saw (claimable status, lease free,
 * lapsed or ours), and PostgreSQL re-checks it after waiting on a row another worker is updating, so of two
 * racing claimers only one gets each row. Grants that do not exist are left out of the result.
 */
async function claimIn(
  { trx, now, announce }: TransactionScope,
  inputs: readonly TeardownInput[],
  owner: string,
): Promise<Claim[]> {
  if (inputs.length === 0) return [];
  const rows = await grantRows(
    trx,
    inputs.map((input) => input.grantId),
  );
  const claims: Claim[] = [];
  const candidates: string[] = [];
  for (const grant of rows) {
    const leasedByOther =
      grant.lease_owner !== null &&
      grant.lease_owner !== owner &&
      grant.lease_until !== null &&
      grant.lease_until > now;
    if (FINAL_GRANT_STATUSES.has(grant.status)) {
      claims.push({ claimed: false, outcome: { outcome: 'already_done', grantId: grant.id, status: grant.status } });
    } else if (leasedByOther) {
      claims.push({ claimed: false, outcome: { outcome: 'in_progress', grantId: grant.id } });
    } else {
      // Includes `revoking` with a lapsed lease: its worker died mid-way, so the revoke is taken over.
      candidates.push(grant.id);
    }
  }
  if (candidates.length === 0) return claims;
  const leaseMs = inputs[0]?.leaseMs ?? DEFAULT_TEARDOWN_LEASE_MS;
  const claimed = await claimGrantsForTeardown(trx, candidates, { owner, now, leaseMs, takeOver: false });
  const won = new Set(claimed.map((grant) => grant.id));
  // A person's revoke is remembered on the grant as it is claimed, so that a worker taking over an interrupted
  // revoke records it as a revoke even once the grant's expiry has passed.
  const revokedBy = inputs.filter((input) => input.kind === 'revoke' && won.has(input.grantId));
  for (const input of revokedBy) await rememberRevoker(trx, input.grantId, input.actor);
  for (const grant of claimed) {
    const revoker = revokedBy.find((input) => input.grantId === grant.id);
    // A revoked grant stops allowing as it is claimed; an expiring one stopped at its expiry, which the check
    // index compares by itself (so the scheduler's expiry waves announce nothing).
    if (revoker !== undefined) announce({ kind: 'grant', requestId: grant.request_id });
    claims.push({
      claimed: true,
      grant: revoker && grant.revoked_by === null ? { ...grant, revoked_by: revoker.actor } : grant,
    });
  }
  for (const id of candidates) {
    if (!won.has(id)) claims.push({ claimed: false, outcome: { outcome: 'in_progress', grantId: id } });
  }
  return claims;
}
