/**
 * The two clocks of turning an approved request into access (SPEC §2.8): how long an approval stays usable (the
 * action's `activationWindow`), and when the grant made from it ends (its duration, cut short by whatever
 * entitled the requester to ask). Pure: the instants come in as epoch milliseconds.
 */
import type { ActionDefinition } from '../policy/model.js';

/**
 * The instant by which a request approved at `approvedAt` must be activated: the approval plus the action's
 * activation window. Invariant: a request whose action no longer exists (`undefined`) can never be activated,
 * so its window closes at the approval itself.
 */
export function activationDeadline(
  approvedAt: number,
  action: Pick<ActionDefinition, 'activationWindowSeconds'> | undefined,
): number {
  return approvedAt + (action?.activationWindowSeconds ?? 0) * 1000;
}

/** Whether an approval's activation window has passed at `now` (the deadline itself is already too late). */
export function activationWindowPassed(deadline: number, now: number): boolean {
  return now >= deadline;
}

export interface GrantEndInput {
  /** When the grant starts: the activation. */
  readonly now: number;
  /** The duration the request asked for. */
  readonly durationSeconds: number;
  /** The end of the activated eligible role that let the requester `request` (`requestEntitlementEnd`), if any. */
  readonly entitledUntil?: number;
  /** The end the provider set on what it granted, if it already answered. */
  readonly providerUntil?: number;
}

/**
 * When a grant made at `now` ends. Invariant: never later than the duration asked for, the activated role that
 * entitled the request, or what the provider granted; whichever comes first.
 */
export function grantEnd(input: GrantEndInput): number {
  return Math.min(
    input.now + input.durationSeconds * 1000,
    input.entitledUntil ?? Number.POSITIVE_INFINITY,
    input.providerUntil ?? Number.POSITIVE_INFINITY,
  );
}
