/**
 * The grant intent of an activation or a break-glass (SPEC §2.8 "intent before every provider call", issue #10
 * findings 3, 6, 8): the first transaction of an activation (or break-glass) inserts the grant row as
 * `provisioning` — with its expiry, its id as the provider's idempotency key, the handle the provider will return
 * where it can say so beforehand, and a deadline (`next_attempt_at`) — and audits `grant.intent`, all before the
 * provider is called. So:
 * - an audit log that cannot be written stops activation before any provider call;
 * - the unique grant per request lets exactly one of two racing activations hold the intent; the other is refused
 *   and never calls the provider, so it never "compensates" the winner's access;
 * - a process that dies between the provider's grant and its record leaves the intent, which the scheduler
 *   compensates once past its deadline: it claims the row with a lease, revokes with the recorded handle, deletes
 *   the row and audits `grant.compensated` (the request stays approved, to be activated again; a break-glass
 *   request, stored `active` with its intent, ends `revoked` instead: `endUngrantedBreakGlass`). An intent whose
 *   handle is unknown (the provider cannot say it beforehand) or whose resource left the policy is audited once as
 *   `grant.intent_unresolved` and kept, so that no new activation of that request runs blind.
 * A `provisioning` grant never allows access: every reader of live grants selects its statuses by name.
 */
import type { JsonObject } from '../../audit/audit-event.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import type { GrantResult } from '../../providers/provider.js';
import { fromJsonText } from '../../store/columns.js';
import type { AppContext } from '../../app/context.js';
import { grantCall, type ProvisionPlan } from '../requests/index.js';
import { describeFailure, providerFor } from '../../app/verb-support.js';
import { findRequest, moveRequest, versionConflict } from '../requests/index.js';
import { transition } from '../../decide/lifecycle.decide.js';
import {
  deferGrantIntent,
  discardGrantIntent,
  insertGrant,
  leaseOverdueIntent,
  overdueGrantIntents,
  provisionGrant,
} from './grants.repo.js';
import type { JobOptions } from '../../app/job-options.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';
import { newId } from '../../core/clock.js';

/** How long an activation may take between its intent and its record before the intent is compensated. */
export const GRANT_INTENT_DEADLINE_MS = 2 * 60_000;
/** Wait before compensating again after the provider refused the compensating revoke. */
const COMPENSATION_RETRY_MS = 60_000;

type Scope = Pick<TransactionScope, 'trx' | 'now' | 'audit'>;

/**
 * Inserts the `provisioning` grant and audits `grant.intent`. A second intent for the same request is refused by
 * the unique grant per request (`conflict`). Returns the grant id, which is the idempotency key.
 */
export async function recordGrantIntent(app: AppContext, scope: Scope, plan: ProvisionPlan): Promise<string> {
  const grantId = newId('grt');
  const provider = providerFor(app, plan.target.profile);
  const handle = provider.intendedHandle?.(grantCall(plan, grantId));
  const deadlineAt = scope.now + GRANT_INTENT_DEADLINE_MS;
  await insertGrant(
    scope.trx,
    'intend',
    {
      id: grantId,
      requestId: plan.record.id,
      identity: plan.record.requester,
      resource: plan.record.resource,
      action: plan.record.action,
      provider: provider.type,
      ...(handle === undefined ? {} : { handle }),
      expiresAt: plan.expiresAt,
      nextAttemptAt: deadlineAt,
    },
    scope.now,
  );
  scope.audit({
    actor: SYSTEM_EXECUTOR,
    action: 'grant.intent',
    subject: `grant:${grantId}`,
    details: {
      requestId: plan.record.id,
      identity: plan.record.requester,
      resource: plan.record.resource,
      action: plan.record.action,
      provider: provider.type,
      idempotencyKey: grantId,
      expiresAt: plan.expiresAt,
      deadlineAt,
      ...(handle === undefined ? {} : { handle }),
    },
  });
  return grantId;
}

/**
 * Turns the intent into the active grant with the provider's handle and audits `grant.create`. Refused
 * (`conflict`) when the intent is gone or claimed for compensation: the caller then compensates its own grant.
 */
export async function completeGrantIntent(
  scope: Scope & Pick<TransactionScope, 'announce'>,
  grantId: string,
  plan: ProvisionPlan,
  granted: GrantResult,
): Promise<string> {
  const expiresAt = Math.min(plan.expiresAt, granted.expiresAt);
  const provisioned = await provisionGrant(scope.trx, grantId, { handle: granted.handle, expiresAt }, scope.now);
  if (!provisioned) throw versionConflict(plan.record.id);
  scope.announce({ kind: 'grant', requestId: plan.record.id });
  scope.audit({
    actor: SYSTEM_EXECUTOR,
    action: 'grant.create',
    subject: `grant:${grantId}`,
    details: {
      requestId: plan.record.id,
      identity: plan.record.requester,
      resource: plan.record.resource,
      action: plan.record.action,
      provider: plan.target.profile.provider.type,
      handle: granted.handle as JsonObject,
      expiresAt,
    },
  });
  return grantId;
}

/**
 * Removes an intent whose provider grant failed or was compensated by the activation itself, and audits
 * `grant.intent_released` with why. If this cannot be written, the scheduler compensates the intent later
 * (a revoke of what is already gone succeeds).
 */
export async function releaseGrantIntent(
  app: AppContext,
  grantId: string,
  requestId: string,
  why: 'provider_failed' | 'not_recorded',
): Promise<void> {
  await inTransaction(app, async ({ trx, now, audit }) => {
    if (!(await discardGrantIntent(trx, grantId))) return;
    audit({
      actor: SYSTEM_EXECUTOR,
      action: 'grant.intent_released',
      subject: `grant:${grantId}`,
      details: { requestId, why },
    });
    await endUngrantedBreakGlass({ trx, now, audit }, SYSTEM_EXECUTOR, grantId, requestId, why);
  });
}

/**
 * Break-glass stores its request `active` with the intent (break-glass.verb.ts); when the intent goes without
 * becoming a grant, that request ends `revoked` (audited `request.break_glass_ended`) instead of staying `active`
 * with nothing behind it. Its review deadline stays: the attempt is still reviewed. Other requests are untouched.
 */
async function endUngrantedBreakGlass(
  scope: Scope,
  actor: string,
  grantId: string,
  requestId: string,
  why: 'provider_failed' | 'not_recorded' | 'compensated',
): Promise<void> {
  const stored = await findRequest(scope.trx, requestId);
  if (stored === undefined || stored.record.breakGlass !== true) return;
  if (!transition(stored.record.status, 'revoke').ok) return;
  const statusReason =
    why === 'provider_failed' ? 'the provider could not grant access' : 'its grant was never recorded and was undone';
  const moved = await moveRequest(scope.trx, stored, 'revoke', { statusReason }, scope.now);
  scope.audit({
    actor,
    action: 'request.break_glass_ended',
    subject: `request:${requestId}`,
    details: { grantId, why, status: moved.to },
  });
}

interface Claimed {
  readonly id: string;
  readonly requestId: string;
  readonly handle: JsonObject | undefined;
  readonly resource: string;
}

/**
 * Scheduler job: compensates `provisioning` grants past their deadline (a crash between the provider's grant
 * and its record, or a record that failed and whose release failed too). Returns how many were compensated.
 */
export async function compensateOverdueGrantIntents(
  app: AppContext,
  now: number,
  options: JobOptions,
): Promise<number> {
  const ids = await overdueGrantIntents(app.database.db, now, options.batchSize);
  let compensated = 0;
  for (const id of ids) {
    try {
      if (await compensateIntent(app, id, now, options)) compensated += 1;
    } catch (error) {
      options.onError('grant.compensate', `grant:${id}`, error);
    }
  }
  return compensated;
}

async function compensateIntent(app: AppContext, grantId: string, now: number, options: JobOptions): Promise<boolean> {
  const { value: claimed } = await inTransaction(app, async ({ trx }): Promise<Claimed | undefined> => {
    const leased = await leaseOverdueIntent(trx, grantId, options.owner, now, now + options.leaseMs);
    if (leased === undefined) return undefined;
    const handle = leased.handle === null ? undefined : fromJsonText<JsonObject>(leased.handle);
    return { id: grantId, requestId: leased.requestId, handle, resource: leased.resource };
  });
  if (claimed === undefined) return false;
  const resource = app.policy.loaded.resources.get(claimed.resource);
  const profile = resource === undefined ? undefined : app.policy.loaded.profiles.get(resource.profile);
  if (claimed.handle === undefined || resource === undefined || profile === undefined) {
    await keepUnresolved(app, claimed, options);
    return false;
  }
  try {
    await providerFor(app, profile).revoke(claimed.handle, resource, profile);
  } catch (error) {
    await inTransaction(app, async ({ trx, now: at, audit }) => {
      await deferGrantIntent(trx, grantId, options.owner, at + COMPENSATION_RETRY_MS, at);
      audit({
        actor: options.actor,
        action: 'grant.compensation_failed',
        subject: `grant:${grantId}`,
        details: { requestId: claimed.requestId, providerError: describeFailure(error) },
      });
    });
    return false;
  }
  const { value: done } = await inTransaction(app, async ({ trx, now: at, audit }) => {
    if (!(await discardGrantIntent(trx, grantId, options.owner))) return false;
    audit({
      actor: options.actor,
      action: 'grant.compensated',
      subject: `grant:${grantId}`,
      details: { requestId: claimed.requestId, handle: claimed.handle ?? null },
    });
    await endUngrantedBreakGlass({ trx, now: at, audit }, options.actor, grantId, claimed.requestId, 'compensated');
    return true;
  });
  return done;
}

/** An intent that cannot be compensated here: audited once for an operator, and never picked up again. */
async function keepUnresolved(app: AppContext, claimed: Claimed, options: JobOptions): Promise<void> {
  await inTransaction(app, async ({ trx, now, audit, notify }) => {
    await deferGrantIntent(trx, claimed.id, options.owner, null, now);
    const why =
      claimed.handle === undefined
        ? 'the provider could not name its handle beforehand'
        : 'the resource left the policy';
    audit({
      actor: options.actor,
      action: 'grant.intent_unresolved',
      subject: `grant:${claimed.id}`,
      details: { requestId: claimed.requestId, resource: claimed.resource, why },
    });
    notify(
      'grant.intent_unresolved',
      { request: claimed.requestId, grantId: claimed.id, resource: claimed.resource, why },
      { urgent: true },
    );
  });
}
