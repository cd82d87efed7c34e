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
 * provider's revoke (idempotent by contract) runs once more.
 */
import type { Transaction } from 'kysely';
import type { JsonObject } from '../audit/audit-event.js';
import { AppError, isAppError } from '../core/errors.js';
import { transition, type LifecycleEvent } from '../decide/lifecycle.decide.js';
import type { Resource, ResourceProfile } from '../policy/model.js';
import { fromJsonText } from '../store/columns.js';
import type { GrantStatus, Row, Schema } from '../store/schema.js';
import { newId } from './clock.js';
import type { AppContext } from './context.js';
import { inTransaction } from './transaction.js';

export type TeardownKind = 'revoke' | 'expire';

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

export const DEFAULT_TEARDOWN_LEASE_MS = 60_000;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 15 * 60_000;

/**
 * Delay before retry number `attempts` (1 after the first failure): 5 s · 2^(attempts−1), capped at 15 min,
 * less up to 20 % of jitter so that grants failing together do not retry in lockstep.
 */
export function revokeBackoffMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  const delay = Math.min(BACKOFF_BASE_MS * 2 ** exponent, BACKOFF_CAP_MS);
  return Math.round(delay * (1 - 0.2 * random()));
}

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
  const owner = input.owner ?? newId('worker');
  const claim = await claimGrant(app, input, owner);
  if (!claim.claimed) return claim.outcome;
  const failure = await revokeOnProvider(app, claim.grant);
  return failure === undefined
    ? recordRevoked(app, input, owner, claim.grant)
    : recordFailure(app, input, owner, claim.grant, failure);
}

async function claimGrant(app: AppContext, input: TeardownInput, owner: string): Promise<Claim> {
  const { value } = await inTransaction(app, async ({ trx, now }): Promise<Claim> => {
    const grant = await trx.selectFrom('grants').selectAll().where('id', '=', input.grantId).executeTakeFirst();
    if (grant === undefined) throw new AppError('not_found', `grant '${input.grantId}' does not exist`);
    const leasedByOther =
      grant.lease_owner !== null &&
      grant.lease_owner !== owner &&
      grant.lease_until !== null &&
      grant.lease_until > now;
    if (grant.status === 'revoked' || grant.status === 'expired') {
      return { claimed: false, outcome: { outcome: 'already_done', grantId: grant.id, status: grant.status } };
    }
    // `revoking` with a lapsed lease: its worker died mid-way, so the revoke is taken over.
    if (leasedByOther) return { claimed: false, outcome: { outcome: 'in_progress', grantId: grant.id } };
    const leaseUntil = now + (input.leaseMs ?? DEFAULT_TEARDOWN_LEASE_MS);
    const updated = await trx
      .updateTable('grants')
      .set({
        status: 'revoking',
        lease_owner: owner,
        lease_until: leaseUntil,
        updated_at: now,
        version: grant.version + 1,
      })
      .where('id', '=', grant.id)
      .where('version', '=', grant.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      return { claimed: false, outcome: { outcome: 'in_progress', grantId: grant.id } };
    }
    return {
      claimed: true,
      grant: { ...grant, lease_owner: owner, lease_until: leaseUntil, version: grant.version + 1 },
    };
  });
  return value;
}

/** Calls the provider; returns the failure in product words, or undefined when the revoke succeeded. */
async function revokeOnProvider(app: AppContext, grant: Row<'grants'>): Promise<string | undefined> {
  const located = locate(app, grant);
  if (typeof located === 'string') return located;
  const provider = app.providers.get(located.profile.provider.type);
  if (provider === undefined) {
    return `no '${located.profile.provider.type}' provider is configured to revoke grant '${grant.id}'`;
  }
  const handle = grant.handle === null ? {} : fromJsonText<JsonObject>(grant.handle);
  try {
    await provider.revoke(handle, located.resource, located.profile);
    return undefined;
  } catch (error) {
    // Provider errors may carry driver or network text; only our own AppError messages are product words.
    const detail = isAppError(error) ? `: ${error.message}` : '';
    return `the ${provider.type} provider could not revoke grant '${grant.id}' on resource '${grant.resource}'${detail}`;
  }
}

function locate(
  app: AppContext,
  grant: Row<'grants'>,
): { readonly resource: Resource; readonly profile: ResourceProfile } | string {
  const policy = app.policy.loaded;
  const resource = policy.resources.get(grant.resource);
  if (resource === undefined) return `resource '${grant.resource}' of grant '${grant.id}' is no longer in the policy`;
  const profile = policy.profiles.get(resource.profile);
  if (profile === undefined)
    return `profile '${resource.profile}' of resource '${grant.resource}' is no longer in the policy`;
  return { resource, profile };
}

async function recordRevoked(
  app: AppContext,
  input: TeardownInput,
  owner: string,
  grant: Row<'grants'>,
): Promise<TeardownOutcome> {
  const status: GrantStatus = input.kind === 'expire' ? 'expired' : 'revoked';
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<TeardownOutcome> => {
    const updated = await trx
      .updateTable('grants')
      .set({
        status,
        revoked_at: now,
        revoked_by: input.actor,
        last_error: null,
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        version: grant.version + 1,
      })
      .where('id', '=', grant.id)
      .where('status', '=', 'revoking')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    // Our lease lapsed and another worker took the grant over: it records the outcome, not us.
    if (Number(updated.numUpdatedRows) === 0) return { outcome: 'in_progress', grantId: grant.id };
    const success: LifecycleEvent = input.kind === 'expire' ? 'expire' : 'revoke';
    const requestStatus = await moveRequest(
      trx,
      grant.request_id,
      { active: success, revoke_failed: 'revoke_retry_succeeded' },
      now,
      input.reason,
    );
    await trx
      .updateTable('role_activations')
      .set({ ended_at: now })
      .where('request_id', '=', grant.request_id)
      .where('ended_at', 'is', null)
      .execute();
    const action = input.kind === 'expire' ? 'grant.expire' : 'grant.revoke';
    audit({
      actor: input.actor,
      action,
      subject: `grant:${grant.id}`,
      details: {
        requestId: grant.request_id,
        identity: grant.identity,
        resource: grant.resource,
        action: grant.action,
        reason: input.reason,
        expiresAt: grant.expires_at,
        attempts: grant.revoke_attempts + 1,
        requestStatus: requestStatus ?? null,
      },
    });
    notify(input.kind === 'expire' ? 'grant.expired' : 'grant.revoked', {
      grantId: grant.id,
      requestId: grant.request_id,
      identity: grant.identity,
      resource: grant.resource,
    });
    return { outcome: status === 'expired' ? 'expired' : 'revoked', grantId: grant.id, requestId: grant.request_id };
  });
  return value;
}

async function recordFailure(
  app: AppContext,
  input: TeardownInput,
  owner: string,
  grant: Row<'grants'>,
  error: string,
): Promise<TeardownOutcome> {
  const { value } = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<TeardownOutcome> => {
    const attempts = grant.revoke_attempts + 1;
    const nextAttemptAt = now + revokeBackoffMs(attempts);
    const updated = await trx
      .updateTable('grants')
      .set({
        status: 'revoke_failed',
        revoke_attempts: attempts,
        next_attempt_at: nextAttemptAt,
        last_error: error,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        version: grant.version + 1,
      })
      .where('id', '=', grant.id)
      .where('status', '=', 'revoking')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return { outcome: 'in_progress', grantId: grant.id };
    await moveRequest(
      trx,
      grant.request_id,
      { active: 'revoke_failed', revoke_failed: 'revoke_retry_failed' },
      now,
      error,
    );
    const details = {
      requestId: grant.request_id,
      identity: grant.identity,
      resource: grant.resource,
      kind: input.kind,
      attempts,
      nextAttemptAt,
      error,
    };
    audit({ actor: input.actor, action: 'grant.revoke_failed', subject: `grant:${grant.id}`, details });
    notify('grant.revoke_failed', { grantId: grant.id, ...details }, { urgent: true });
    return { outcome: 'revoke_failed', grantId: grant.id, requestId: grant.request_id, attempts, nextAttemptAt, error };
  });
  return value;
}

/**
 * Moves the grant's request by the event its current status calls for (through `transition`, the one table of
 * legal moves). A request in any other status (for instance `completed` by its execution) is left as it is.
 * Returns the request's status afterwards.
 */
async function moveRequest(
  trx: Transaction<Schema>,
  requestId: string,
  events: Partial<Record<'active' | 'revoke_failed', LifecycleEvent>>,
  now: number,
  statusReason: string,
): Promise<string | undefined> {
  const request = await trx
    .selectFrom('requests')
    .select(['status', 'version'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (request === undefined) return undefined;
  const event = request.status === 'active' || request.status === 'revoke_failed' ? events[request.status] : undefined;
  if (event === undefined) return request.status;
  const moved = transition(request.status, event);
  if (!moved.ok) return request.status;
  await trx
    .updateTable('requests')
    .set({ status: moved.to, status_reason: statusReason, updated_at: now, version: request.version + 1 })
    .where('id', '=', requestId)
    .execute();
  return moved.to;
}
