/**
 * Nothing removes the last holder of `administer` or `audit` (SPEC §2.4). Removing a role assignment,
 * suspending or revoking one through a certification, disabling an identity, or ending a directory group
 * membership (SCIM) must leave, for each of those
 * two duties, someone who still holds it standing over every profile somebody held it over before (and, when
 * anyone held it at all, at least one holder). Otherwise nobody could administer, or audit, what is left: the
 * change is refused with the duty and the profiles it would orphan.
 */
import { reason, type Reason } from '../core/decision.js';
import type { Duty } from '../policy/model.js';
import { scopeCovers, type DutyHolding, type DutyIndex } from './duties.js';

/** The duties that must never be left without a holder. */
export const GUARDED_DUTIES = ['administer', 'audit'] as const satisfies readonly Duty[];

/** What stops counting if the change goes ahead. */
export interface HolderRemoval {
  /** Assignment ids (`ras_…` for the API's, `policy:ROLE:TYPE:NAME` for the files') that stop counting. */
  readonly assignments?: ReadonlySet<string>;
  /** Identities that stop counting (disabled, offboarded). */
  readonly identities?: ReadonlySet<string>;
  /** Group memberships that end (`membershipKey`): what the identity held through that group stops counting. */
  readonly memberships?: ReadonlySet<string>;
}

/** The key of one identity's membership of one group, for `HolderRemoval.memberships`. */
export function membershipKey(identity: string, group: string): string {
  return `${identity}\u0000${group}`;
}

export interface LastHolderDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/**
 * Standing holdings of `duty` by enabled identities. Eligible roles do not count even when activated: an
 * activation ends on its own, and activating one again needs an approval by someone who may be gone.
 */
function standingHolders(duties: DutyIndex, duty: Duty): DutyHolding[] {
  const holdings: DutyHolding[] = [];
  for (const identity of duties.policy.identities.values()) {
    if (identity.disabled) continue;
    for (const holding of duties.holdingsOf(identity.name)) {
      if (holding.duty === duty && holding.assignment === 'standing') holdings.push(holding);
    }
  }
  return holdings;
}

function remains(holding: DutyHolding, removal: HolderRemoval): boolean {
  const viaEndedMembership =
    holding.via.type === 'group' &&
    removal.memberships?.has(membershipKey(holding.identity, holding.via.name)) === true;
  return (
    removal.assignments?.has(holding.assignmentId) !== true &&
    removal.identities?.has(holding.identity) !== true &&
    !viaEndedMembership
  );
}

const quoted = (names: readonly string[]): string => names.map((name) => `'${name}'`).join(', ');

/**
 * Would this removal leave `administer` or `audit` without a holder? Invariant: for each guarded duty, every
 * profile covered by a standing holder before is still covered by one after, and a duty held by anyone before
 * is still held by someone after. A removal that touches no holder of either duty is always allowed.
 */
export function decideLastHolders(duties: DutyIndex, removal: HolderRemoval): LastHolderDecision {
  const refusals: Reason[] = [];
  for (const duty of GUARDED_DUTIES) {
    const before = standingHolders(duties, duty);
    if (before.length === 0) continue;
    const after = before.filter((holding) => remains(holding, removal));
    if (after.length === before.length) continue;
    if (after.length === 0) {
      const holders = [...new Set(before.map((h) => h.identity))].sort();
      refusals.push(
        reason(
          'admin.last_holder',
          `this would remove the last holder of '${duty}' (${quoted(holders)}); assign it to someone else first`,
        ),
      );
      continue;
    }
    const orphaned = [...duties.policy.profiles.values()]
      .filter(
        (profile) =>
          before.some((h) => scopeCovers(h.scope, profile)) && !after.some((h) => scopeCovers(h.scope, profile)),
      )
      .map((profile) => profile.name)
      .sort();
    if (orphaned.length > 0) {
      refusals.push(
        reason(
          'admin.last_holder',
          `this would leave profile ${quoted(orphaned.slice(0, 10))}${orphaned.length > 10 ? ` and ${orphaned.length - 10} more` : ''} with no holder of '${duty}'; assign it to someone else first`,
        ),
      );
    }
  }
  if (refusals.length > 0) return { allowed: false, reasons: refusals };
  return {
    allowed: true,
    reasons: [reason('admin.holders_remain', "'administer' and 'audit' keep a holder over every profile they covered")],
  };
}
