/**
 * Four eyes on administrative changes that widen access (SPEC §2.4): a role assignment giving any duty, or
 * registering or re-binding a resource (profile, connection, owner, labels), is proposed by one administrator
 * and takes effect only once a second one approves it. This module decides who may approve or reject such a
 * change, whether a resource update widens access at all, and which connection a resource registered through
 * the API may name (only one the operator allow-listed, never an environment variable or file of its choosing).
 */
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import type { ResourceProfile, Role, SubjectRef } from '../policy/model.js';
import { decideResourceWrite, decideRoleAdministration } from './administration.decide.js';
import type { DutyIndex } from './duties.js';
import { principalOf, sharedPrincipal, type PrincipalLink } from './principal.js';

export interface AdminChangeDecision {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/** What a pending change would do, resolved against the policy in force when it is decided. */
export type AdminChangeTarget =
  | { readonly kind: 'role_assignment'; readonly role: Role; readonly subject: SubjectRef }
  | {
      readonly kind: 'resource';
      readonly name: string;
      /** The profile it would be bound to, and the one it is bound to now when it moves. */
      readonly profiles: readonly ResourceProfile[];
      readonly owner?: SubjectRef;
    };

export interface AdminChangeParties {
  readonly author: string;
  /** Who was one principal with the author when proposing (the minter of the token used). */
  readonly authorLinks: readonly PrincipalLink[];
  readonly actor: string;
  /** Who is one principal with the actor for this call (the minter of the token in use). */
  readonly actorLinks: readonly PrincipalLink[];
}

/** Why a change that lapsed is (or will be) closed as `expired`. */
export const ADMIN_CHANGE_LAPSED_REASON = 'nobody approved it in time';

/**
 * Whether a change has lapsed at `now`. Invariant: from its `expiresAt` on, a pending change can no longer be
 * approved or rejected; it reads as `expired` at once, and whoever touches it next closes it as such.
 */
export function adminChangeLapsed(
  change: { readonly status: string; readonly expiresAt: number },
  now: number,
): boolean {
  return change.status === 'pending' && now >= change.expiresAt;
}

function refuse(code: ReasonCode, message: string): AdminChangeDecision {
  return { allowed: false, reasons: [reason(code, message)] };
}

function describe(target: AdminChangeTarget): string {
  return target.kind === 'role_assignment'
    ? `assigning role '${target.role.name}' to ${target.subject.type} '${target.subject.name}'`
    : `registering resource '${target.name}'`;
}

/** Is `identity` (or anyone of its principal) the subject, a member of the subject group, or its NHI's owner? */
function isSubject(duties: DutyIndex, principal: ReadonlyMap<string, string>, subject: SubjectRef): boolean {
  if (subject.type === 'group') {
    return [...principal.keys()].some((member) => duties.policy.identities.get(member)?.groups.includes(subject.name));
  }
  return sharedPrincipal('', principal, subject.name, principalOf(duties.policy, subject.name)) !== undefined;
}

/** Does `identity` hold `administer` over what the change touches (the same test the author passed)? */
function administers(duties: DutyIndex, identity: string, target: AdminChangeTarget): AdminChangeDecision {
  if (target.kind === 'role_assignment') {
    return decideRoleAdministration(duties, identity, target.role, target.subject, 'assign');
  }
  for (const profile of target.profiles) {
    const decision = decideResourceWrite(duties, identity, profile, 'register');
    if (!decision.allowed) return decision;
  }
  return { allowed: true, reasons: [] };
}

/**
 * Approving a pending change. Invariants: the approver is an enabled human, not one principal with the author
 * (itself, or through a token the author minted), not the subject of the change (nor the owner of an NHI
 * subject, nor a member of a subject group, nor the owner named for a resource), and holds `administer` over
 * everything the change touches in the policy in force now; the author must still hold it too.
 */
export function decideAdminChangeApproval(
  duties: DutyIndex,
  parties: AdminChangeParties,
  target: AdminChangeTarget,
): AdminChangeDecision {
  const { author, actor } = parties;
  const what = describe(target);
  const actorPrincipal = principalOf(duties.policy, actor, parties.actorLinks);
  const authorPrincipal = principalOf(duties.policy, author, parties.authorLinks);
  if (actor === author) return refuse('sod.own_admin_change', `'${actor}' proposed ${what} and may not approve it`);
  const shared = sharedPrincipal(actor, actorPrincipal, author, authorPrincipal);
  if (shared) return refuse('sod.own_admin_change', `${shared}, so '${actor}' may not approve ${what}`);
  const identity = duties.policy.identities.get(actor);
  if (!identity || identity.disabled || identity.kind !== 'human') {
    return refuse('admin.not_administrator', `'${actor}' is not an enabled person and may not approve ${what}`);
  }
  const approver = administers(duties, actor, target);
  if (!approver.allowed) return approver;
  const subject = target.kind === 'role_assignment' ? target.subject : target.owner;
  if (subject && isSubject(duties, actorPrincipal, subject)) {
    return refuse(
      'sod.self_administration',
      `'${actor}' may not approve ${what}: ${subject.type} '${subject.name}' is themselves or theirs`,
    );
  }
  const stillAuthor = administers(duties, author, target);
  if (!stillAuthor.allowed) {
    return refuse(
      'admin.author_not_administrator',
      `'${author}' no longer holds 'administer' over what ${what} touches, so the change cannot be applied`,
    );
  }
  return {
    allowed: true,
    reasons: [reason('admin_change.approve_allowed', `'${actor}' is a second administrator and may approve ${what}`)],
  };
}

/**
 * Rejecting a pending change: its author withdraws it (`cancelled`), or another enabled person holding
 * `administer` over what it touches refuses it (`rejected`). Narrowing needs one person, so the subject may too.
 */
export function decideAdminChangeRejection(
  duties: DutyIndex,
  author: string,
  actor: string,
  target: AdminChangeTarget,
): AdminChangeDecision & { readonly as?: 'author' | 'reviewer' } {
  if (actor === author) {
    return {
      allowed: true,
      as: 'author',
      reasons: [reason('admin_change.withdrawn', `'${actor}' withdraws their own change`)],
    };
  }
  const identity = duties.policy.identities.get(actor);
  if (!identity || identity.disabled || identity.kind !== 'human') {
    return refuse('admin.not_administrator', `'${actor}' is not an enabled person and may not reject it`);
  }
  const decision = administers(duties, actor, target);
  if (!decision.allowed) return decision;
  return {
    allowed: true,
    as: 'reviewer',
    reasons: [reason('admin_change.reject_allowed', `'${actor}' may reject ${describe(target)}`)],
  };
}

/** The parts of a resource that decide who may reach it and how. */
export interface ResourceBinding {
  readonly profile: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: string | null;
  /** The allow-listed connection's name, or null for none. */
  readonly connection: string | null;
}

/**
 * Does replacing `before` with `after` widen access? Registering always does; so does any change of profile,
 * owner or connection, and of labels (label selectors in roles and profiles can reach a resource through them).
 * Only an update that leaves all of these as they are (attributes alone) narrows nothing and widens nothing.
 */
export function resourceChangeWidens(before: ResourceBinding | undefined, after: ResourceBinding): boolean {
  if (!before) return true;
  if (before.profile !== after.profile || before.owner !== after.owner || before.connection !== after.connection) {
    return true;
  }
  const keys = new Set([...Object.keys(before.labels), ...Object.keys(after.labels)]);
  return [...keys].some((key) => before.labels[key] !== after.labels[key]);
}

/** Connections the operator allow-listed: name → what the provider reads (`{ dsnEnv }` or `{ dsnFile }`). */
export type AllowedConnections = ReadonlyMap<string, Readonly<Record<string, string>>>;

export type ConnectionDecision =
  | { readonly allowed: true; readonly name: string | null; readonly connection: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly reasons: readonly Reason[] };

/**
 * The connection a resource registered through the API gets. Invariant: it is nothing, or exactly an entry of
 * the operator's allow-list named by `{ name }`; free-form keys (`dsnEnv`, `dsnFile`, …) are refused, so the API
 * can never point a provider at an environment variable or file of its choosing.
 */
export function decideApiConnection(
  allowed: AllowedConnections,
  requested: Readonly<Record<string, string>>,
): ConnectionDecision {
  const keys = Object.keys(requested);
  if (keys.length === 0) return { allowed: true, name: null, connection: {} };
  if (keys.length !== 1 || keys[0] !== 'name' || requested.name === undefined) {
    const named = keys
      .filter((key) => key !== 'name')
      .map((key) => `'${key}'`)
      .join(', ');
    return {
      allowed: false,
      reasons: [
        reason(
          'resource.connection_free_form',
          `a resource registered through the API names its connection as { name } from the server's allow-list; ${named} is not accepted`,
        ),
      ],
    };
  }
  const name = requested.name;
  const connection = allowed.get(name);
  if (!connection) {
    const known = [...allowed.keys()].sort();
    return {
      allowed: false,
      reasons: [
        reason(
          'resource.connection_not_allowed',
          `connection '${name}' is not allow-listed on this server (${known.length === 0 ? 'none is' : `allowed: ${known.map((k) => `'${k}'`).join(', ')}`}); the operator adds one with 'serve --allow-connection ${name}=env:VARIABLE'`,
        ),
      ],
    };
  }
  return { allowed: true, name, connection: { ...connection, name } };
}
