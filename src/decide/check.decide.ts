/**
 * The `check` hot path: "is this identity allowed this action on this resource at this instant?", asked by
 * gateways thousands of times a second (`POST /v1/check`). Everything that does not depend on the instant is
 * worked out when the index is built or a grant is added, so a check is a handful of Map reads returning a
 * frozen, precomputed result; only denials for names the policy does not know build a new result.
 */
import type { Reason } from '../core/decision.js';
import type { PolicySet } from '../policy/model.js';
import { scopeCovers } from './duties.js';
import type { DutyIndex } from './duties.js';
import type { ActiveGrant } from './types.js';

export interface CheckResult {
  readonly allowed: boolean;
  readonly reason: Reason;
  /** The grant that allows the action, when a grant (not a standing role) is why it is allowed. */
  readonly grantId?: string;
}

/** Stable reason codes of a check, for the decision log and for clients that branch on them. */
export const CHECK_REASON_CODES = [
  'check.grant',
  'check.standing_role',
  'check.no_grant',
  'check.grant_expired',
  'check.grant_revoked',
  'check.unknown_identity',
  'check.identity_disabled',
  'check.unknown_resource',
  'check.unknown_profile',
  'check.unknown_action',
] as const;
export type CheckReasonCode = (typeof CHECK_REASON_CODES)[number];

interface IndexedGrant {
  readonly grant: ActiveGrant;
  readonly allowed: CheckResult;
  readonly expired: CheckResult;
}

/** A `use` role an identity holds in force, with the allowed result for every profile its scope covers. */
interface UseRole {
  readonly expiresAt: number;
  readonly results: ReadonlyMap<string, CheckResult>;
}

interface IdentityEntry {
  /** Set when the identity can never be allowed (disabled, or known only from a grant). */
  readonly refusal: CheckResult | undefined;
  readonly useRoles: readonly UseRole[];
  /** resource → action → grants, the one expiring last first. */
  readonly grants: Map<string, Map<string, IndexedGrant[]>>;
}

interface ProfileEntry {
  readonly name: string;
  readonly defined: boolean;
  /** action → the denial when neither a grant nor a role allows it; doubles as the set of defined actions. */
  readonly noGrant: ReadonlyMap<string, CheckResult>;
}

function result(allowed: boolean, code: CheckReasonCode, message: string, grantId?: string): CheckResult {
  const reason = Object.freeze({ code, message });
  return Object.freeze(grantId === undefined ? { allowed, reason } : { allowed, reason, grantId });
}

/**
 * Index answering `check` for one policy, one view of effective duties and the active grants, kept current
 * with `addGrant` / `removeGrant`.
 *
 * Invariant: a check allows only a known, enabled identity, on a known resource, an action its profile
 * defines, and only through a grant with `now < expiresAt` (the one expiring last is named) or a `use` duty
 * held through a standing role. Eligible roles never count, activated or not: just-in-time access is the grant
 * its request created, scoped to the resource and action that were approved.
 * Duties are read from `duties` when the index is built: rebuild it when roles, assignments, activations or
 * identities change; assignment expiry is honoured at check time.
 */
export class CheckIndex {
  private readonly identities = new Map<string, IdentityEntry>();
  private readonly resources = new Map<string, ProfileEntry>();
  private readonly grantsById = new Map<string, IndexedGrant>();

  constructor(policy: PolicySet, duties: DutyIndex, grants: readonly ActiveGrant[]) {
    const profiles = new Map<string, ProfileEntry>();
    for (const profile of policy.profiles.values()) {
      const noGrant = new Map<string, CheckResult>();
      for (const action of profile.actions.keys()) {
        noGrant.set(
          action,
          result(
            false,
            'check.no_grant',
            `no active grant for action '${action}' and no standing 'use' role on profile '${profile.name}'`,
          ),
        );
      }
      profiles.set(profile.name, { name: profile.name, defined: true, noGrant });
    }
    for (const resource of policy.resources.values()) {
      const profile = profiles.get(resource.profile) ?? { name: resource.profile, defined: false, noGrant: new Map() };
      this.resources.set(resource.name, profile);
    }

    // One result map per standing role, shared by every identity holding it.
    const roleResults = new Map<string, ReadonlyMap<string, CheckResult>>();
    const resultsFor = (roleName: string): ReadonlyMap<string, CheckResult> => {
      let results = roleResults.get(roleName);
      if (results === undefined) {
        const role = policy.roles.get(roleName);
        const built = new Map<string, CheckResult>();
        for (const profile of policy.profiles.values()) {
          if (role === undefined || !scopeCovers(role.scope, profile)) continue;
          built.set(
            profile.name,
            result(true, 'check.standing_role', `standing role '${roleName}' gives 'use' on profile '${profile.name}'`),
          );
        }
        results = built;
        roleResults.set(roleName, results);
      }
      return results;
    };

    for (const identity of policy.identities.values()) {
      if (identity.disabled) {
        const refusal = result(false, 'check.identity_disabled', `identity '${identity.name}' is disabled`);
        this.identities.set(identity.name, { refusal, useRoles: [], grants: new Map() });
        continue;
      }
      const byRole = new Map<string, number>();
      for (const holding of duties.effectiveHoldings(identity.name)) {
        // Only standing `use` opens a resource without a grant. An activated eligible role does not: its JIT
        // access is the grant the activation created, scoped to the resource and action that were approved;
        // counting the role here would open every profile the role reaches for as long as the grant lasts.
        if (holding.duty !== 'use' || holding.assignment !== 'standing') continue;
        const expiresAt = holding.expiresAt ?? Number.POSITIVE_INFINITY;
        byRole.set(holding.role, Math.max(byRole.get(holding.role) ?? 0, expiresAt));
      }
      const useRoles: UseRole[] = [...byRole].map(([role, expiresAt]) => ({ expiresAt, results: resultsFor(role) }));
      this.identities.set(identity.name, { refusal: undefined, useRoles, grants: new Map() });
    }

    for (const grant of grants) this.addGrant(grant);
  }

  /**
   * Is `identity` allowed `action` on `resource` at `now` (epoch ms)? A grant allows while `now < expiresAt`:
   * at the exact expiry millisecond it no longer does.
   */
  check(identity: string, resource: string, action: string, now: number): CheckResult {
    const who = this.identities.get(identity);
    if (who === undefined) return unknownIdentity(identity);
    if (who.refusal !== undefined) return who.refusal;
    const profile = this.resources.get(resource);
    if (profile === undefined) return unknownResource(resource);
    const noGrant = profile.noGrant.get(action);
    if (noGrant === undefined) return unknownAction(resource, profile, action);

    const latest = who.grants.get(resource)?.get(action)?.[0];
    if (latest !== undefined && now < latest.grant.expiresAt) return latest.allowed;
    const roles = who.useRoles;
    for (let i = 0; i < roles.length; i++) {
      const role = roles[i] as UseRole;
      if (now < role.expiresAt) {
        const allowed = role.results.get(profile.name);
        if (allowed !== undefined) return allowed;
      }
    }
    return latest === undefined ? noGrant : latest.expired;
  }

  /** Adds (or, for a known id, replaces) an active grant; its results are built here, once. */
  addGrant(grant: ActiveGrant): void {
    this.removeGrant(grant.id);
    let who = this.identities.get(grant.identity);
    if (who === undefined) {
      who = { refusal: unknownIdentity(grant.identity), useRoles: [], grants: new Map() };
      this.identities.set(grant.identity, who);
    }
    let byAction = who.grants.get(grant.resource);
    if (byAction === undefined) {
      byAction = new Map();
      who.grants.set(grant.resource, byAction);
    }
    let list = byAction.get(grant.action);
    if (list === undefined) {
      list = [];
      byAction.set(grant.action, list);
    }
    const until = formatInstant(grant.expiresAt);
    const subject = `'${grant.identity}' to '${grant.action}' on '${grant.resource}'`;
    const indexed: IndexedGrant = {
      grant,
      allowed: result(
        true,
        'check.grant',
        `grant '${grant.id}' (request '${grant.requestId}') allows ${subject} until ${until}`,
        grant.id,
      ),
      expired: result(
        false,
        'check.grant_expired',
        `no active grant allows ${subject}: grant '${grant.id}' (request '${grant.requestId}') expired at ${until}`,
      ),
    };
    let at = 0;
    while (at < list.length && (list[at] as IndexedGrant).grant.expiresAt >= grant.expiresAt) at++;
    list.splice(at, 0, indexed);
    this.grantsById.set(grant.id, indexed);
  }

  /**
   * Makes `grants` the active grants of `identity`, in place of whatever the index held for it: one identity's
   * grants read again after a change, without rebuilding the index.
   */
  replaceGrantsOf(identity: string, grants: readonly ActiveGrant[]): void {
    const held = this.identities.get(identity)?.grants;
    if (held !== undefined) {
      const ids: string[] = [];
      for (const byAction of held.values()) {
        for (const list of byAction.values()) for (const indexed of list) ids.push(indexed.grant.id);
      }
      for (const id of ids) this.removeGrant(id);
    }
    for (const grant of grants) if (grant.identity === identity) this.addGrant(grant);
  }

  /** Removes a grant (revoked, expired and swept, or replaced); returns false when the id was not indexed. */
  removeGrant(id: string): boolean {
    const indexed = this.grantsById.get(id);
    if (indexed === undefined) return false;
    this.grantsById.delete(id);
    const { identity, resource, action } = indexed.grant;
    const byAction = this.identities.get(identity)?.grants.get(resource);
    const list = byAction?.get(action);
    if (byAction === undefined || list === undefined) return true;
    list.splice(list.indexOf(indexed), 1);
    if (list.length === 0) {
      byAction.delete(action);
      if (byAction.size === 0) this.identities.get(identity)?.grants.delete(resource);
    }
    return true;
  }
}

/**
 * The answer for a resource the policy does not know; also what a caller gets about itself on a resource whose
 * profile it may not read (`mayExplainOwnDenial`), so that the two cannot be told apart.
 */
export function unknownResource(resource: string): CheckResult {
  return result(false, 'check.unknown_resource', `resource '${resource}' is not known`);
}

function unknownIdentity(identity: string): CheckResult {
  return result(false, 'check.unknown_identity', `identity '${identity}' is not known`);
}

function unknownAction(resource: string, profile: ProfileEntry, action: string): CheckResult {
  if (!profile.defined) {
    return result(
      false,
      'check.unknown_profile',
      `resource '${resource}' is bound to profile '${profile.name}', which is not defined`,
    );
  }
  return result(
    false,
    'check.unknown_action',
    `profile '${profile.name}' of resource '${resource}' has no action '${action}'`,
  );
}

/** Epoch ms as RFC 3339 UTC with milliseconds (what `toISOString` prints), without touching the clock. */
function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const days = Math.floor(ms / 86_400_000);
  const msOfDay = ms - days * 86_400_000;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), proleptic Gregorian.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  const time =
    `${pad(Math.floor(msOfDay / 3_600_000), 2)}:${pad(Math.floor(msOfDay / 60_000) % 60, 2)}:` +
    `${pad(Math.floor(msOfDay / 1000) % 60, 2)}.${pad(msOfDay % 1000, 3)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}Z`;
}
