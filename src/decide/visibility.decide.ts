/**
 * Who may read what through the API (SPEC §1, §4). Administration records (identities, role assignments, SoD
 * exceptions, SoD scans, policy change sets) are read by the people who administer or audit Countersign;
 * profiles, resources and drift are read by anyone who holds a duty on the profile concerned; every identity
 * may read its own identity and the exceptions that concern it. Reading never changes anything, so these
 * decisions only say yes or no, with the reason.
 */
import { reason, type Reason } from '../core/decision.js';
import type { Duty, ResourceProfile } from '../policy/model.js';
import { scopeCovers, type DutyIndex } from './duties.js';

/** The administration records the API lists. */
export type ReadArea = 'identities' | 'assignments' | 'exceptions' | 'sod' | 'policy_changes';

/** Duties that let an identity read an area: holding any one of them on any profile is enough. */
export const AREA_READERS: Readonly<Record<ReadArea, readonly Duty[]>> = {
  identities: ['administer', 'audit'],
  assignments: ['administer', 'audit'],
  exceptions: ['administer', 'audit'],
  sod: ['administer', 'audit'],
  // Governance approvers often hold only `approve`; they must see what they are asked to approve.
  policy_changes: ['administer', 'audit', 'approve'],
};

const AREA_WORDS: Readonly<Record<ReadArea, string>> = {
  identities: 'identities',
  assignments: 'role assignments',
  exceptions: 'separation-of-duties exceptions',
  sod: 'separation-of-duties conflicts',
  policy_changes: 'policy changes',
};

export interface ReadDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

function quoteDuties(duties: readonly Duty[]): string {
  const quoted = duties.map((duty) => `'${duty}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/**
 * May `actor` read every record of `area`? Invariant: only a holder (in force now, not merely eligible) of one
 * of the area's reader duties (`AREA_READERS`) may.
 */
export function decideAreaRead(duties: DutyIndex, actor: string, area: ReadArea): ReadDecision {
  for (const duty of AREA_READERS[area]) {
    const holding = duties.holdsAnywhere(actor, duty);
    if (holding) {
      return {
        allowed: true,
        reasons: [
          reason(
            'read.reader_duty',
            `'${actor}' holds '${duty}' through role '${holding.role}' and may read ${AREA_WORDS[area]}`,
          ),
        ],
      };
    }
  }
  return {
    allowed: false,
    reasons: [
      reason(
        'read.not_reader',
        `'${actor}' holds none of ${quoteDuties(AREA_READERS[area])} and may not read ${AREA_WORDS[area]}`,
      ),
    ],
  };
}

/** May `actor` read identity `target`? Its own identity always; anyone's as a reader of identities. */
export function decideIdentityRead(duties: DutyIndex, actor: string, target: string): ReadDecision {
  if (actor === target) {
    return { allowed: true, reasons: [reason('read.own_identity', `'${actor}' reads their own identity`)] };
  }
  return decideAreaRead(duties, actor, 'identities');
}

/**
 * May `actor` read an SoD exception? A reader of exceptions reads all; anyone reads those that exempt them or
 * that they asked for.
 */
export function decideExceptionRead(
  duties: DutyIndex,
  actor: string,
  exception: { readonly identity: string; readonly createdBy: string },
): ReadDecision {
  if (exception.identity === actor || exception.createdBy === actor) {
    return {
      allowed: true,
      reasons: [reason('read.own_exception', `'${actor}' reads an exception that concerns them`)],
    };
  }
  return decideAreaRead(duties, actor, 'exceptions');
}

/**
 * May `actor` see a profile, its resources and their drift? Invariant: only if some role assignment of the
 * actor (standing, activated or eligible) covers the profile, whatever the duty: a requester sees what it may
 * ask for, an approver what it approves, an auditor or administrator of `*` everything.
 */
export function decideProfileRead(
  duties: DutyIndex,
  actor: string,
  profile: Pick<ResourceProfile, 'name' | 'labels'>,
): ReadDecision {
  const holding = duties
    .effectiveHoldings(actor, { includeEligible: true })
    .find((candidate) => scopeCovers(candidate.scope, profile));
  if (holding) {
    return {
      allowed: true,
      reasons: [
        reason(
          'read.profile_duty',
          `'${actor}' holds '${holding.duty}' on profile '${profile.name}' through role '${holding.role}'`,
        ),
      ],
    };
  }
  return {
    allowed: false,
    reasons: [reason('read.no_profile_duty', `'${actor}' holds no duty on profile '${profile.name}'`)],
  };
}

/** Names of the profiles `actor` may see (`decideProfileRead`), of those given. */
export function visibleProfileNames(
  duties: DutyIndex,
  actor: string,
  profiles: Iterable<Pick<ResourceProfile, 'name' | 'labels'>>,
): Set<string> {
  const visible = new Set<string>();
  for (const profile of profiles) if (decideProfileRead(duties, actor, profile).allowed) visible.add(profile.name);
  return visible;
}
