/**
 * Context sources in the policy model: the resolved `ContextSource` documents, the values a fetch brings back
 * (`ContextLookup`: known, or unknown with the reason), and how a policy's sources become CEL — the `context`
 * variable (one field per source) and `ticket` (the request's ticket, through the source marked `tickets: true`).
 * Pure: fetching lives in `providers/context/`, the fail-closed rule in `decide/context.decide.ts`.
 */
import { parseDurationSeconds } from '../core/duration.js';
import type { ContextSourceSpec } from './context-source.schema.js';
import type { Identity } from './model.js';

export type IdentityMapping = { readonly match: 'email' } | { readonly match: 'attribute'; readonly attribute: string };

interface SourceCommon {
  readonly name: string;
  readonly baseUrl: string;
  readonly timeoutSeconds: number;
  /** 0: every decision asks the service again. */
  readonly cacheTtlSeconds: number;
}

export interface PagerDutySource extends SourceCommon {
  readonly type: 'pagerduty';
  readonly tokenEnv: string;
  readonly schedules: readonly string[];
  readonly escalationPolicies: readonly string[];
  readonly identities: IdentityMapping;
}

export interface OpsgenieSource extends SourceCommon {
  readonly type: 'opsgenie';
  readonly tokenEnv: string;
  readonly schedule: string;
  readonly identities: IdentityMapping;
}

export interface JiraSource extends SourceCommon {
  readonly type: 'jira';
  readonly auth: 'basic' | 'bearer';
  readonly tokenEnv: string;
  readonly userEnv?: string;
  readonly identities: IdentityMapping;
  /** This source answers CEL's `ticket` for the request's `ticket`. At most one source in a policy says so. */
  readonly tickets: boolean;
}

export interface HttpSource extends SourceCommon {
  readonly type: 'http';
  /** Path template under `baseUrl`; placeholders are filled with encoded request values. */
  readonly path: string;
  readonly tokenEnv?: string;
  /** CEL field name → JSON path into the answer. */
  readonly fields: Readonly<Record<string, string>>;
}

export type ContextSource = PagerDutySource | OpsgenieSource | JiraSource | HttpSource;
export type ContextSourceType = ContextSource['type'];

const DEFAULT_TIMEOUT = '2s';
const DEFAULT_CACHE_TTL = '30s';

/** The model of one `ContextSource` document (its spec passed the schema). */
export function buildContextSource(name: string, spec: ContextSourceSpec): ContextSource {
  const common = {
    name,
    baseUrl: spec.baseUrl.replace(/\/+$/, ''),
    timeoutSeconds: parseDurationSeconds(spec.timeout ?? DEFAULT_TIMEOUT) ?? 2,
    cacheTtlSeconds: spec.cacheTtl === '0s' ? 0 : (parseDurationSeconds(spec.cacheTtl ?? DEFAULT_CACHE_TTL) ?? 30),
  };
  const identities: IdentityMapping =
    spec.type === 'http' ? { match: 'email' } : (spec.identities ?? { match: 'email' });
  switch (spec.type) {
    case 'pagerduty':
      return {
        ...common,
        type: 'pagerduty',
        tokenEnv: spec.tokenEnv,
        schedules: spec.schedules ?? [],
        escalationPolicies: spec.escalationPolicies ?? [],
        identities,
      };
    case 'opsgenie':
      return { ...common, type: 'opsgenie', tokenEnv: spec.tokenEnv, schedule: spec.schedule, identities };
    case 'jira':
      return {
        ...common,
        type: 'jira',
        auth: spec.auth ?? 'bearer',
        tokenEnv: spec.tokenEnv,
        ...(spec.userEnv !== undefined ? { userEnv: spec.userEnv } : {}),
        identities,
        tickets: spec.tickets ?? false,
      };
    case 'http':
      return {
        ...common,
        type: 'http',
        path: spec.path,
        ...(spec.tokenEnv !== undefined ? { tokenEnv: spec.tokenEnv } : {}),
        fields: spec.fields,
      };
  }
}

// ---- fetched values --------------------------------------------------------------------------------------------

/** A user of the outside service as its API names them. */
export interface ServiceUser {
  readonly id: string;
  readonly email?: string;
  readonly name?: string;
}

export type ContextValue =
  | { readonly kind: 'oncall'; readonly users: readonly ServiceUser[] }
  | {
      readonly kind: 'ticket';
      readonly key: string;
      readonly exists: boolean;
      readonly status: string;
      readonly assignee?: ServiceUser;
    }
  | { readonly kind: 'fields'; readonly fields: Readonly<Record<string, unknown>> };

/** What a decision knows of one source: its value (and when it was fetched), or that it is unknown and why. */
export type ContextLookup =
  | { readonly status: 'known'; readonly value: ContextValue; readonly fetchedAt: number; readonly cached: boolean }
  | { readonly status: 'unknown'; readonly reason: string };

/** The lookups gathered for one decision, by source name. A source missing here is unknown (never fetched). */
export type ContextValues = ReadonlyMap<string, ContextLookup>;

/** Identity names of the service users, by the source's mapping; users matching no enabled identity are left out. */
export function mapUsersToIdentities(
  users: readonly ServiceUser[],
  mapping: IdentityMapping,
  identities: ReadonlyMap<string, Identity>,
): string[] {
  // One pass over the identities, then one lookup per user: an on-call list is matched against every identity.
  const byKey = new Map<string, string>();
  for (const identity of identities.values()) {
    const key = identityKey(identity, mapping);
    if (key !== undefined && !identity.disabled && !byKey.has(key)) byKey.set(key, identity.name);
  }
  const names = new Set<string>();
  for (const user of users) {
    const key = userKey(user, mapping);
    const name = key === undefined ? undefined : byKey.get(key);
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}

/** The enabled identity one service user is, by the source's mapping. */
export function mapUserToIdentity(
  user: ServiceUser,
  mapping: IdentityMapping,
  identities: ReadonlyMap<string, Identity>,
): string | undefined {
  return mapUsersToIdentities([user], mapping, identities)[0];
}

// E-mail addresses compare case-insensitively, as every mail system treats them in practice.
function identityKey(identity: Identity, mapping: IdentityMapping): string | undefined {
  if (mapping.match === 'email') return identity.email?.toLowerCase();
  const value = identity.attributes[mapping.attribute];
  return value === undefined ? undefined : String(value);
}

function userKey(user: ServiceUser, mapping: IdentityMapping): string | undefined {
  return mapping.match === 'email' ? user.email?.toLowerCase() : user.id;
}

/** The source that answers `ticket`, if the policy has one. */
export function ticketSourceOf(sources: ReadonlyMap<string, ContextSource>): JiraSource | undefined {
  for (const source of sources.values()) if (source.type === 'jira' && source.tickets) return source;
  return undefined;
}
