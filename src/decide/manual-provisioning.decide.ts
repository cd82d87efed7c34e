/**
 * Who may confirm that access to a `manual` resource was provisioned by hand (SPEC §2.2, §2.4, §2.11): humans
 * hold `provision` only for the `manual` provider, and the person who creates the access is the request's
 * provisioner, so built-in and configured separation of duties apply to them like to any provisioner.
 */
import { reason, type Reason } from '../core/decision.js';
import type { PolicySet, ResourceProfile, SodException } from '../policy/model.js';
import type { DutyIndex } from './duties.js';
import { checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { RequestRecord } from './types.js';

export interface ManualProvisionerInput {
  readonly request: RequestRecord;
  readonly profile: ResourceProfile;
  readonly actor: string;
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly exceptions: readonly SodException[];
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * May `actor` confirm the manual provisioning of `request`? Invariant: only an enabled human who holds
 * `provision` on the request's profile, whose profile uses the `manual` provider, and who passes the lifecycle
 * SoD check as provisioner (not the requester, not an approver, no configured rule broken) confirms. Every
 * failed condition is listed, separation-of-duties reasons first.
 */
export function decideManualProvisioner(input: ManualProvisionerInput): {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
} {
  const { request, profile, actor, duties } = input;
  const sod = checkLifecycleActor({ ...input, as: 'provisioner' });
  const refusals: Reason[] = sod.allowed ? [] : [...sod.reasons];
  if (profile.provider.type !== 'manual') {
    refusals.push(
      reason(
        'provision.not_manual',
        `profile '${profile.name}' uses the '${profile.provider.type}' provider; only 'manual' profiles are provisioned by hand`,
      ),
    );
  }
  const identity = input.policy.identities.get(actor);
  const holding = duties.holds(actor, 'provision', profile);
  if (identity === undefined || identity.kind !== 'human' || identity.disabled) {
    const what = identity === undefined ? 'not a known identity' : identity.disabled ? 'disabled' : 'not a human';
    refusals.push(reason('provision.not_human', `'${actor}' is ${what}; only a human confirms manual provisioning`));
  } else if (holding === undefined) {
    refusals.push(reason('provision.no_duty', `'${actor}' does not hold 'provision' on profile '${profile.name}'`));
  }
  if (refusals.length > 0 || holding === undefined) return { allowed: false, reasons: refusals };
  return {
    allowed: true,
    reasons: [
      ...sod.reasons,
      reason(
        'provision.holds_duty',
        `'${actor}' holds 'provision' on profile '${profile.name}' through role '${holding.role}' and may confirm request '${request.id}'`,
      ),
    ],
  };
}

/** At most this many provisioners are named in a `provision.needed` notification. */
export const MAX_NAMED_PROVISIONERS = 50;

/**
 * The identities `decideManualProvisioner` would allow to confirm `request` now, by name, at most
 * `MAX_NAMED_PROVISIONERS`: whom a `provision.needed` notification asks to act.
 */
export function manualProvisioners(input: Omit<ManualProvisionerInput, 'actor'>): readonly string[] {
  const names: string[] = [];
  for (const identity of [...input.policy.identities.keys()].sort()) {
    if (names.length >= MAX_NAMED_PROVISIONERS) break;
    if (decideManualProvisioner({ ...input, actor: identity }).allowed) names.push(identity);
  }
  return names;
}
