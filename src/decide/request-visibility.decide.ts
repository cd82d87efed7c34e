/**
 * Who may see requests, grants and `check` answers about other identities (SPEC §4; administration records are
 * `visibility.decide.ts`'s). Reading is not acting, so these rules are wider than the lifecycle's, but they are
 * still decisions with reasons: an identity always sees its own; approvers and auditors see the requests on the
 * profiles their duty covers (an approver needs the inbox of what it could act on, an auditor of every profile
 * the whole picture); `audit` and `provision` holders see the grants on the profiles their duty covers (a
 * gateway runs as an NHI holding `provision` and must know who holds access to what it serves); asking `check`
 * about someone else needs `audit` or `provision` on the profile of the resource asked about; a `check` about
 * oneself explains a denial only on a profile the caller may read, and otherwise answers as for an unknown
 * resource.
 */
import { reason, type Reason } from '../core/decision.js';
import type { Duty, PolicySet, ResourceProfile } from '../policy/model.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import { decideProfileRead } from './visibility.decide.js';

/**
 * `all`: every record; `profiles`: the viewer's own and those on `profiles`; `own`: only the viewer's own
 * (requests it made, grants it holds).
 */
export interface VisibilityDecision {
  readonly scope: 'all' | 'profiles' | 'own';
  /** With scope `profiles`: the profiles on which the viewer sees every record, not only its own. */
  readonly profiles: ReadonlySet<string>;
  readonly reasons: readonly Reason[];
}

const NO_PROFILES: ReadonlySet<string> = new Set();

/** The widest scope any in-force holding of one of the `wide` duties gives `viewer` over the policy's profiles. */
function widestScope(duties: DutyIndex, viewer: string, wide: readonly Duty[], what: string): VisibilityDecision {
  const holdings = duties.effectiveHoldings(viewer).filter((holding) => wide.includes(holding.duty));
  const everywhere = holdings.find((holding) => holding.scope.kind === 'all');
  if (everywhere !== undefined) {
    return {
      scope: 'all',
      profiles: NO_PROFILES,
      reasons: [
        reason(
          `visibility.${everywhere.duty}`,
          `'${viewer}' holds '${everywhere.duty}' on every profile through role '${everywhere.role}' and sees all ${what}`,
        ),
      ],
    };
  }
  const profiles = new Set<string>();
  for (const profile of duties.policy.profiles.values()) {
    if (holdings.some((holding) => scopeCovers(holding.scope, profile))) profiles.add(profile.name);
  }
  const [first] = holdings;
  if (first !== undefined && profiles.size > 0) {
    return {
      scope: 'profiles',
      profiles,
      reasons: [
        reason(
          `visibility.${first.duty}`,
          `'${viewer}' holds '${first.duty}' through role '${first.role}' and sees the ${what} on the ` +
            `${profiles.size === 1 ? 'profile' : 'profiles'} it covers, besides its own`,
        ),
      ],
    };
  }
  return {
    scope: 'own',
    profiles: NO_PROFILES,
    reasons: [
      reason(
        'visibility.own',
        `'${viewer}' holds none of ${wide.map((d) => `'${d}'`).join(', ')} and sees its own ${what}`,
      ),
    ],
  };
}

/**
 * Which requests `viewer` may list and read. Invariant: anyone sees the requests it made; a holder of `approve`
 * or `audit` (in force) sees other identities' requests on the profiles that duty covers, and only there (every
 * request, for a holder over every profile): an approver reads what it could act on.
 */
export function decideRequestVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['approve', 'audit'], 'requests');
}

/**
 * Which grants `viewer` may list. Invariant: anyone sees the grants it holds; a holder of `audit` or `provision`
 * (in force) sees other identities' grants on the profiles that duty covers (a gateway, those it serves).
 */
export function decideGrantVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['audit', 'provision'], 'grants');
}

/**
 * Which gateway sessions `viewer` may list and read (issue 14), as for requests: anyone sees its own sessions; a
 * holder of `approve` or `audit` (in force) sees the sessions on the profiles that duty covers. Reading a
 * session's statement text needs `audit` besides (`decideAuditVisibility`).
 */
export function decideSessionVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['approve', 'audit'], 'gateway sessions');
}

/**
 * Which audit events `viewer` may read. Invariant: only an `audit` holder (in force); one over every profile reads
 * the whole log, one scoped to some profiles only the events about those profiles' requests, grants and
 * resources (`eventProfile`), never administration events, which concern no single profile.
 */
export function decideAuditVisibility(duties: DutyIndex, viewer: string): VisibilityDecision {
  return widestScope(duties, viewer, ['audit'], 'audit events');
}

/** What `eventProfile` needs to place an event: the profile of requests, grants and resources by name. */
export interface EventProfileLookup {
  readonly requestProfile: ReadonlyMap<string, string>;
  readonly grantProfile: ReadonlyMap<string, string>;
  readonly resourceProfile: (resource: string) => string | undefined;
}

/**
 * The profile an audit event is about, or undefined when it concerns none (or none can be told): its subject
 * when that is a request, grant or resource; otherwise a `profile` or `resource` named in its details.
 */
export function eventProfile(
  event: { readonly subject: string; readonly details: Readonly<Record<string, unknown>> },
  lookup: EventProfileLookup,
): string | undefined {
  const colon = event.subject.indexOf(':');
  const kind = event.subject.slice(0, colon);
  const id = event.subject.slice(colon + 1);
  if (kind === 'request') return lookup.requestProfile.get(id);
  if (kind === 'grant') return lookup.grantProfile.get(id);
  if (kind === 'resource') return lookup.resourceProfile(id);
  const { profile, resource } = event.details;
  if (typeof profile === 'string') return profile;
  if (typeof resource === 'string') return lookup.resourceProfile(resource);
  return undefined;
}

/** May a record owned by `owner`, on `profile`, be shown to `viewer`, given the visibility decided for it? */
export function mayView(decision: VisibilityDecision, viewer: string, owner: string, profile: string): boolean {
  return decision.scope === 'all' || viewer === owner || decision.profiles.has(profile);
}

export interface CheckAccessDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/** The profile a resource is bound to, as scopes see it (a name without definition has no labels). */
function profileOfResource(policy: PolicySet, resource: string): Pick<ResourceProfile, 'name' | 'labels'> | undefined {
  const name = policy.resources.get(resource)?.profile;
  if (name === undefined) return undefined;
  return policy.profiles.get(name) ?? { name, labels: {} };
}

/** Stands for "any profile" when the resource is unknown: only a scope over every profile covers it. */
const NO_PROFILE: Pick<ResourceProfile, 'name' | 'labels'> = { name: '', labels: {} };

/**
 * May `caller` ask `check` whether `subject` may act on `resource`? Invariant: anyone may ask about itself;
 * asking about another identity needs `audit` or `provision` in force on the profile of `resource` (for a
 * resource the policy does not know, on every profile). The refusal names neither the profile nor whether the
 * resource exists, so it reads the same for an unknown resource and for one on a profile the caller cannot see.
 */
export function decideCheckAccess(
  policy: PolicySet,
  duties: DutyIndex,
  caller: string,
  subject: string,
  resource: string,
): CheckAccessDecision {
  if (caller === subject) {
    return { allowed: true, reasons: [reason('check_access.self', `'${caller}' asks about itself`)] };
  }
  const profile = profileOfResource(policy, resource) ?? NO_PROFILE;
  for (const duty of ['audit', 'provision'] as const) {
    const holding = duties.holds(caller, duty, profile);
    if (holding !== undefined) {
      return {
        allowed: true,
        reasons: [
          reason(
            `check_access.${duty}`,
            `'${caller}' holds '${duty}' through role '${holding.role}' on the profile of resource '${resource}'`,
          ),
        ],
      };
    }
  }
  return {
    allowed: false,
    reasons: [
      reason(
        'check_access.not_self',
        `'${caller}' may ask only about itself: asking about '${subject}' needs 'audit' or 'provision' on the profile of resource '${resource}'`,
      ),
    ],
  };
}

/**
 * May `caller`, asking `check` about itself, learn why it is denied on `resource`? Invariant: only when it holds
 * some duty (in force or eligible) on the resource's profile, i.e. when it may read that profile
 * (`decideProfileRead`). Otherwise the denial is answered as for an unknown resource, so that `check` tells
 * nothing of resources, profiles and actions the caller cannot read. An allowed answer is always shown: it is
 * the caller's own access.
 */
export function mayExplainOwnDenial(policy: PolicySet, duties: DutyIndex, caller: string, resource: string): boolean {
  const profile = profileOfResource(policy, resource);
  return profile !== undefined && decideProfileRead(duties, caller, profile).allowed;
}
