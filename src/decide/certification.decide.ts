/**
 * Certification (access reviews, SPEC §2.9) as pure decisions: who may open a campaign, who may certify one
 * item, and what happens to an item nobody reviewed by the deadline.
 *
 * Built in, never exempted: a certifier holds `certify` over what the item gives access to, and is none of the
 * item's holders, its requester, the person who made the assignment, nor any of its approvers. For items that
 * are a request's lifecycle (grants, break-glass uses, high-risk requests) the lifecycle SoD check
 * (`checkLifecycleActor` as `certifier`) applies too, with the configured `request`-scope rules.
 */
import { reason, type Reason } from '../core/decision.js';
import type { Duty, PolicySet, RoleScope, SodException } from '../policy/model.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import { principalOf, sharedPrincipal } from './principal.js';
import { checkLifecycleActor } from './sod-lifecycle.decide.js';
import type { RequestRecord } from './types.js';

export const CERTIFICATION_ITEM_KINDS = ['role_assignment', 'grant', 'break_glass', 'high_risk_request'] as const;
export type CertificationItemKind = (typeof CERTIFICATION_ITEM_KINDS)[number];

export interface Verdict {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/** What the decision needs to know about one item. */
export interface CertificationSubject {
  readonly id: string;
  readonly kind: CertificationItemKind;
  readonly status: 'pending' | 'escalated' | 'kept' | 'revoked';
  /** Identities holding the access (for a group assignment, the members when the campaign was created). */
  readonly holders: readonly string[];
  /** For role assignments: the role's scope, and whoever made the assignment (`created_by`). */
  readonly roleScope?: RoleScope;
  readonly role?: string;
  readonly assignedBy?: string;
  /** For a group assignment: the group, whose current members may not certify it either. */
  readonly group?: string;
  /** For request-backed items: the request as stored now. */
  readonly request?: RequestRecord;
}

export interface DecideCertificationInput {
  readonly item: CertificationSubject;
  readonly certifier: string;
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly exceptions: readonly SodException[];
  readonly now: number;
}

/** May `actor` open a certification campaign? Holders of `administer` or `certify` (anywhere) may. */
export function decideCampaignCreation(duties: DutyIndex, actor: string): Verdict {
  const holding = duties.holdsAnywhere(actor, 'certify') ?? duties.holdsAnywhere(actor, 'administer');
  if (holding === undefined) {
    return {
      allowed: false,
      reasons: [
        reason(
          'certification.not_campaign_owner',
          `'${actor}' holds neither 'certify' nor 'administer' and so may not open a certification campaign`,
        ),
      ],
    };
  }
  return {
    allowed: true,
    reasons: [
      reason(
        'certification.campaign_owner',
        `'${actor}' holds '${holding.duty}' through role '${holding.role}' and may open a certification campaign`,
      ),
    ],
  };
}

/** The profiles whose `certify` the certifier needs: the request's profile, or every profile the role reaches. */
function certifyRefusal(input: DecideCertificationInput): Reason | undefined {
  const { item, certifier, duties, policy } = input;
  if (item.request !== undefined) {
    const profile = policy.profiles.get(item.request.profile) ?? { name: item.request.profile, labels: {} };
    if (duties.holds(certifier, 'certify', profile)) return undefined;
    return reason(
      'certification.no_certify_duty',
      `'${certifier}' does not hold 'certify' on profile '${item.request.profile}'`,
    );
  }
  const scope = item.roleScope ?? { kind: 'all' };
  const covered = [...policy.profiles.values()].filter((profile) => scopeCovers(scope, profile));
  if (covered.length === 0) {
    // A role reaching no profile today: only a certifier over everything may review it.
    const everywhere = duties
      .effectiveHoldings(certifier)
      .some((holding) => holding.duty === 'certify' && holding.scope.kind === 'all');
    if (everywhere) return undefined;
    return reason(
      'certification.no_certify_duty',
      `role '${item.role ?? '?'}' reaches no profile; only a holder of 'certify' on every profile may review it`,
    );
  }
  const missing = covered.filter((profile) => duties.holds(certifier, 'certify', profile) === undefined);
  if (missing.length === 0) return undefined;
  return reason(
    'certification.no_certify_duty',
    `'${certifier}' does not hold 'certify' on ${missing.map((p) => `'${p.name}'`).join(', ')}, which role '${item.role ?? '?'}' reaches`,
  );
}

/** The built-in "not your own access" refusals that do not depend on a request lifecycle. */
function involvementRefusals(input: DecideCertificationInput): Reason[] {
  const { item, certifier, duties } = input;
  const refusals: Reason[] = [];
  if (item.holders.includes(certifier)) {
    refusals.push(reason('sod.certifier_is_holder', `'${certifier}' holds the access of item '${item.id}'`));
  } else if (item.group !== undefined && duties.membersOf(item.group).includes(certifier)) {
    refusals.push(
      reason('sod.certifier_is_holder', `'${certifier}' is a member of group '${item.group}', which holds the access`),
    );
  }
  // One principal (SPEC §2.4): the owner of a non-human holder does not certify the NHI's access.
  const mine = principalOf(input.policy, certifier);
  for (const holder of item.holders) {
    if (holder === certifier) continue;
    const shared = sharedPrincipal(certifier, mine, holder, principalOf(input.policy, holder));
    if (shared !== undefined) {
      refusals.push(
        reason('sod.same_principal', `${shared}: '${certifier}' may not certify the access of '${holder}'`),
      );
    }
  }
  if (item.assignedBy !== undefined && item.assignedBy === certifier) {
    refusals.push(reason('sod.certifier_assigned', `'${certifier}' made the assignment of item '${item.id}'`));
  }
  return refusals;
}

/**
 * May `certifier` keep or revoke this item now? Invariant: an allowed certifier holds `certify` over the
 * item's profile (or every profile of the role), is not a holder, requester, assigner or approver of the item,
 * and passes the lifecycle SoD check for request-backed items; every refusal says why.
 */
export function decideCertification(input: DecideCertificationInput): Verdict {
  const { item, certifier } = input;
  if (item.status === 'kept' || item.status === 'revoked') {
    return {
      allowed: false,
      reasons: [reason('certification.already_decided', `item '${item.id}' was already ${item.status}`)],
    };
  }
  const refusals: Reason[] = [];
  const identity = input.policy.identities.get(certifier);
  if (identity === undefined || identity.disabled || identity.kind !== 'human') {
    refusals.push(reason('certification.not_human', `'${certifier}' is not an enabled human identity`));
  }
  const noDuty = certifyRefusal(input);
  if (noDuty !== undefined) refusals.push(noDuty);
  refusals.push(...involvementRefusals(input));
  const notes: Reason[] = [];
  if (item.request !== undefined) {
    const lifecycle = checkLifecycleActor({
      request: item.request,
      actor: certifier,
      as: 'certifier',
      policy: input.policy,
      duties: input.duties,
      exceptions: input.exceptions,
      now: input.now,
    });
    if (lifecycle.allowed) notes.push(...lifecycle.reasons.filter((r) => r.code !== 'sod.lifecycle_ok'));
    else refusals.push(...lifecycle.reasons);
  }
  if (refusals.length > 0) return { allowed: false, reasons: refusals };
  return {
    allowed: true,
    reasons: [
      ...notes,
      reason('certification.certifier_ok', `'${certifier}' holds 'certify' and is independent of item '${item.id}'`),
    ],
  };
}

/** Three days: long enough that the people who must review are around to do it. */
export const DEFAULT_MIN_REVIEW_WINDOW_MS = 3 * 24 * 3_600_000;

/**
 * Is the campaign's review window long enough? Invariant: deadline − now ≥ `minWindowMs`, so nobody opens a
 * campaign that closes before anyone could review it (and so revokes or escalates everything unreviewed).
 */
export function decideReviewWindow(deadline: number, now: number, minWindowMs: number): Verdict {
  if (deadline - now < minWindowMs) {
    return {
      allowed: false,
      reasons: [
        reason(
          'certification.window_too_short',
          `the review window must be at least ${formatWindow(minWindowMs)}: the deadline is ${formatWindow(Math.max(0, deadline - now))} away`,
        ),
      ],
    };
  }
  return {
    allowed: true,
    reasons: [reason('certification.window_ok', `the review window is ${formatWindow(deadline - now)}`)],
  };
}

function formatWindow(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds % 86_400 === 0 && seconds > 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Duties whose holders keep the system governable: a missed deadline never takes them away on its own. */
export const PRIVILEGED_DUTIES = ['administer', 'audit', 'certify'] as const satisfies readonly Duty[];

/**
 * What the scheduler does with an item still open at the campaign's deadline. Invariant: an item that gives
 * `administer`, `audit` or `certify` (`duties`) is never revoked for want of a review: under `onMissed: revoke`
 * it is escalated instead, with a reason saying so, so that one certifier's campaign cannot lock out the people
 * who administer, audit or review access.
 */
export function missedDeadlineOutcome(
  onMissed: 'revoke' | 'escalate',
  item: Pick<CertificationSubject, 'id' | 'status'>,
  duties: readonly Duty[] = [],
): { readonly outcome: 'revoke' | 'escalate' | 'none'; readonly reason: Reason } {
  if (item.status === 'kept' || item.status === 'revoked') {
    return { outcome: 'none', reason: reason('certification.decided', `item '${item.id}' was ${item.status}`) };
  }
  const privileged = PRIVILEGED_DUTIES.filter((duty) => duties.includes(duty));
  if (onMissed === 'revoke' && privileged.length > 0) {
    if (item.status === 'escalated') {
      return { outcome: 'none', reason: reason('certification.escalated', `item '${item.id}' is already escalated`) };
    }
    const which = privileged.map((duty) => `'${duty}'`).join(', ');
    return {
      outcome: 'escalate',
      reason: reason(
        'certification.missed_privileged',
        `item '${item.id}' was not reviewed by the deadline; it gives ${which}, which is never revoked without a review: escalated`,
      ),
    };
  }
  if (onMissed === 'revoke') {
    return {
      outcome: 'revoke',
      reason: reason('certification.missed_revoke', `item '${item.id}' was not reviewed by the deadline: revoked`),
    };
  }
  if (item.status === 'escalated') {
    return { outcome: 'none', reason: reason('certification.escalated', `item '${item.id}' is already escalated`) };
  }
  return {
    outcome: 'escalate',
    reason: reason('certification.missed_escalate', `item '${item.id}' was not reviewed by the deadline: escalated`),
  };
}

/** May `actor` see campaigns and break-glass reviews? Holders of `certify`, `administer` or `audit` may. */
export function decideCertificationRead(duties: DutyIndex, actor: string): Verdict {
  const holding =
    duties.holdsAnywhere(actor, 'certify') ??
    duties.holdsAnywhere(actor, 'audit') ??
    duties.holdsAnywhere(actor, 'administer');
  if (holding === undefined) {
    return {
      allowed: false,
      reasons: [
        reason(
          'certification.not_reviewer',
          `'${actor}' holds none of 'certify', 'audit' or 'administer' and so may not see access reviews`,
        ),
      ],
    };
  }
  return {
    allowed: true,
    reasons: [reason('certification.reviewer', `'${actor}' holds '${holding.duty}' through role '${holding.role}'`)],
  };
}
