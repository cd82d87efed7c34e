/**
 * The `check` decision expressed in Cedar, as the reference engine of the check benchmark (SPEC §7). The
 * model is meant to be as fair and as fast as Cedar allows:
 *  - grants are tags on the principal entity, keyed by resource name, each a record `{ action: expiresAt }`
 *    (the grant expiring last); one `permit` per action name compares `context.now` with the expiry;
 *  - standing `use` roles are parents of the principal (`principal in Role::"…"`), one
 *    `permit` per role whose scope is expanded to the profiles it covers (`resource in [Profile::"…"]`);
 *  - a resource entity carries its profile's actions (`resource.actions.contains(action)`) and the profile as
 *    parent; a disabled principal is refused by a `forbid`; unknown principals or resources are absent
 *    entities, on which every policy errors and Cedar denies.
 * Only what a request needs goes into its call: the principal (with the tags of the requested resource only,
 * since cedar-wasm converts every entity on every call and that conversion dominates its cost) and the
 * resource. The entity objects are built before timing and reused by every call; cedar-wasm has no way to keep
 * an entity store between calls.
 */
import type { EntityJson, StatefulAuthorizationCall } from '@cedar-policy/cedar-wasm/nodejs';
import type { DutyIndex } from '../src/decide/duties.js';
import type { ActiveGrant } from '../src/decide/types.js';
import { scopeCovers } from '../src/decide/duties.js';
import type { PolicySet } from '../src/policy/model.js';

export const CEDAR_POLICY_SET_ID = 'countersign-check';

export interface Lookup {
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
}

export interface CedarModel {
  /** Policy id → Cedar policy text; ids start with `grant:` or `use:` (or are `disabled`). */
  readonly policies: Readonly<Record<string, string>>;
  /** One prepared call per look-up, in the same order. */
  readonly calls: readonly StatefulAuthorizationCall[];
}

function cedarString(value: string): string {
  return JSON.stringify(value);
}

function uid(type: string, id: string): { type: string; id: string } {
  return { type, id };
}

/** Cedar policies for every action name and every role that gives `use`. */
function buildPolicies(policy: PolicySet): Record<string, string> {
  const policies: Record<string, string> = {};
  const actionNames = new Set<string>();
  for (const profile of policy.profiles.values()) for (const name of profile.actions.keys()) actionNames.add(name);
  for (const name of [...actionNames].sort()) {
    const key = cedarString(name);
    policies[`grant:${name}`] =
      `permit (principal, action == Action::${key}, resource) when {\n` +
      `  resource.actions.contains(action) &&\n` +
      `  principal.hasTag(resource.name) &&\n` +
      `  principal.getTag(resource.name) has ${key} &&\n` +
      `  context.now < principal.getTag(resource.name)[${key}]\n};`;
  }
  for (const role of policy.roles.values()) {
    if (!role.duties.includes('use')) continue;
    let within = '';
    if (role.scope.kind !== 'all') {
      const covered = [...policy.profiles.values()].filter((profile) => scopeCovers(role.scope, profile));
      within = ` && resource in [${covered.map((p) => `Profile::${cedarString(p.name)}`).join(', ')}]`;
    }
    policies[`use:${role.name}`] =
      `permit (principal in Role::${cedarString(role.name)}, action, resource) when {\n` +
      `  resource.actions.contains(action)${within}\n};`;
  }
  policies['disabled'] = 'forbid (principal, action, resource) when { principal.disabled };';
  return policies;
}

/** The principal as Cedar sees it at `now`: `use` roles in force as parents, every grant it holds as tags. */
function principalEntity(
  name: string,
  disabled: boolean,
  duties: DutyIndex,
  grants: readonly ActiveGrant[],
  now: number,
): EntityJson {
  const roles = new Set<string>();
  for (const holding of duties.effectiveHoldings(name)) {
    // Only standing `use` counts, as in CheckIndex: an activated eligible role's access is its grant.
    const inForce = holding.expiresAt === undefined || now < holding.expiresAt;
    if (holding.duty === 'use' && holding.assignment === 'standing' && inForce) roles.add(holding.role);
  }
  const tags: Record<string, Record<string, number>> = {};
  for (const grant of grants) {
    const byAction = (tags[grant.resource] ??= {});
    byAction[grant.action] = Math.max(byAction[grant.action] ?? Number.NEGATIVE_INFINITY, grant.expiresAt);
  }
  return {
    uid: uid('User', name),
    attrs: { disabled },
    parents: [...roles].map((role) => uid('Role', role)),
    tags,
  };
}

/**
 * Builds the Cedar policies and one ready call per look-up, its entities built here, before any timing.
 */
export function buildCedarModel(
  policy: PolicySet,
  duties: DutyIndex,
  grants: readonly ActiveGrant[],
  lookups: readonly Lookup[],
  now: number,
): CedarModel {
  const grantsByIdentity = new Map<string, ActiveGrant[]>();
  for (const grant of grants) {
    const list = grantsByIdentity.get(grant.identity);
    if (list) list.push(grant);
    else grantsByIdentity.set(grant.identity, [grant]);
  }
  const principals = new Map<string, EntityJson>();
  const principalFor = (name: string, resource: string): EntityJson | undefined => {
    const identity = policy.identities.get(name);
    if (identity === undefined) return undefined;
    const key = `${name}\u0000${resource}`;
    let entity = principals.get(key);
    if (entity === undefined) {
      const held = (grantsByIdentity.get(name) ?? []).filter((grant) => grant.resource === resource);
      entity = principalEntity(name, identity.disabled, duties, held, now);
      principals.set(key, entity);
    }
    return entity;
  };
  const resources = new Map<string, EntityJson>();
  const resourceFor = (name: string): EntityJson | undefined => {
    const resource = policy.resources.get(name);
    const profile = resource && policy.profiles.get(resource.profile);
    if (resource === undefined || profile === undefined) return undefined;
    let entity = resources.get(name);
    if (entity === undefined) {
      entity = {
        uid: uid('Resource', name),
        attrs: { name, actions: [...profile.actions.keys()].map((action) => ({ __entity: uid('Action', action) })) },
        parents: [uid('Profile', profile.name)],
      };
      resources.set(name, entity);
    }
    return entity;
  };
  const context = { now };
  const calls = lookups.map((lookup): StatefulAuthorizationCall => {
    const entities: EntityJson[] = [];
    const principal = principalFor(lookup.identity, lookup.resource);
    if (principal) entities.push(principal);
    const resource = resourceFor(lookup.resource);
    if (resource) entities.push(resource);
    return {
      principal: uid('User', lookup.identity),
      action: uid('Action', lookup.action),
      resource: uid('Resource', lookup.resource),
      context,
      preparsedPolicySetId: CEDAR_POLICY_SET_ID,
      entities,
    };
  });
  return { policies: buildPolicies(policy), calls };
}
