/**
 * Provisioning between two transactions, shared by activation and break-glass (both record a grant intent first,
 * grant-intents.ts): the provider is called with no transaction open, the outcome is recorded in a second one,
 * and if that second transaction fails the fresh grant is revoked again (compensation), so no privilege exists
 * on a target without a grant row that will end it. The credential the provider returns is handed back to the
 * caller once and never stored or logged; the provider's error text is recorded only sealed (HMAC'd under
 * `providerError`).
 */
import type { RequestRecord } from '../../decide/types.js';
import type { GatewayAccess } from '../grants/index.js';
import type { ActivationView, RequestView } from './request.view.js';
import type { GrantResult, ProviderCall } from '../../providers/provider.js';
import { SYSTEM_EXECUTOR } from '../../policy/model.js';
import type { AppContext } from '../../app/context.js';
import { type RequestTarget } from './request-verb-support.js';
import { describeFailure, providerFailed, providerFor } from '../../app/verb-support.js';
import { recordFailure } from '../../app/refuse.js';

/** The reason text of a provider failure: its own words are sealed in the event's `providerError`. */
const PROVIDER_ERROR_SEALED = "the provider reported an error; its text is sealed in this event's 'providerError'";

export interface ProvisionPlan {
  readonly record: RequestRecord;
  readonly target: RequestTarget;
  /** When the access ends: activation + duration, never beyond what was approved. */
  readonly expiresAt: number;
}

/**
 * The provider call of a plan; `idempotencyKey` is the grant id the intent recorded. The one shape both the grant
 * and the handle named before it (`intendedHandle`) are computed from, so the two cannot disagree.
 */
export function grantCall(plan: ProvisionPlan, idempotencyKey?: string): ProviderCall {
  return {
    requestId: plan.record.id,
    identity: plan.record.requester,
    resource: plan.target.resource,
    profile: plan.target.profile,
    action: plan.target.action,
    params: plan.record.params ?? {},
    expiresAt: plan.expiresAt,
    ...(idempotencyKey === undefined || idempotencyKey === '' ? {} : { idempotencyKey }),
  };
}

/**
 * Calls the provider's `grant` (with the intent's grant id as idempotency key, when there is one); a failure is
 * recorded as `request.provision_failed` and thrown as `provider_failed`.
 */
export async function grantOnProvider(
  app: AppContext,
  actor: string,
  plan: ProvisionPlan,
  idempotencyKey?: string,
): Promise<GrantResult> {
  const provider = providerFor(app, plan.target.profile);
  try {
    return await provider.grant(grantCall(plan, idempotencyKey));
  } catch (error) {
    await recordFailure(app, {
      actor,
      action: 'request.provision_failed',
      subject: `request:${plan.record.id}`,
      message: `the ${provider.type} provider could not grant access`,
      reasons: [{ code: 'provider.grant_failed', message: PROVIDER_ERROR_SEALED }],
      details: { provider: provider.type, providerError: describeFailure(error) },
    });
    throw providerFailed('grant access', plan.record.id);
  }
}

/**
 * Runs `record` (the second transaction); if it throws, revokes the grant the provider just made, then runs
 * `compensated` (activation releases its intent there), and rethrows. A failed compensation is recorded as
 * `grant.compensation_failed` (an activation's intent stays, for the scheduler to compensate again).
 */
export async function recordOrCompensate<T>(
  app: AppContext,
  plan: ProvisionPlan,
  granted: GrantResult,
  record: () => Promise<T>,
  compensated?: () => Promise<void>,
): Promise<T> {
  try {
    return await record();
  } catch (error) {
    const provider = providerFor(app, plan.target.profile);
    try {
      await provider.revoke(granted.handle, plan.target.resource, plan.target.profile);
      await compensated?.();
    } catch (compensation) {
      await recordFailure(app, {
        actor: SYSTEM_EXECUTOR,
        action: 'grant.compensation_failed',
        subject: `request:${plan.record.id}`,
        message: 'a grant that could not be recorded could not be revoked either',
        reasons: [{ code: 'provider.revoke_failed', message: PROVIDER_ERROR_SEALED }],
        details: { handle: granted.handle, provider: provider.type, providerError: describeFailure(compensation) },
      }).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * What activation and break-glass answer: the provider's credential once, or, for a gateway-only action, the
 * gateway login (user, database, the one-time secret) instead, and never the provider's credential.
 */
export function activationAnswer(
  view: RequestView,
  granted: GrantResult,
  gateway: GatewayAccess | undefined,
): ActivationView {
  if (gateway !== undefined) {
    return { request: view, gateway: { ...gateway, expiresAt: new Date(gateway.expiresAt).toISOString() } };
  }
  return { request: view, ...(granted.credential !== undefined ? { credential: granted.credential } : {}) };
}
