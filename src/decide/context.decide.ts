/**
 * Context sources in decisions (docs/integrations.md "Context sources: on-call and tickets"). The values are
 * fetched before the decision, outside any transaction, and handed in (`ContextValues`); a source that did not
 * answer in time, answered with an error, or was never fetched is **unknown**, and a rule that reads it cannot
 * decide (fail closed):
 * - an `auto` or `steps` rule reading it does not match, and no later `auto` rule matches either (the request
 *   goes to the humans of a later `steps` rule, or is denied when none is left);
 * - a `deny` rule reading it applies: a deny that cannot be ruled out is not skipped;
 * - a break-glass condition reading it refuses break-glass.
 * Every decision records the values it saw (or why they were unknown) in its reasons and in the audit event.
 * Pure: no I/O, no clock.
 */
import { reason, type Reason } from '../core/decision.js';
import { buildContextVariables } from '../policy/context-cel.js';
import {
  mapUserToIdentity,
  mapUsersToIdentities,
  type ContextLookup,
  type ContextSource,
  type ContextValues,
} from '../policy/context-sources.js';
import type { CelVariables, CompiledExpression, Identity, PolicySet, ResourceProfile } from '../policy/model.js';

export const NO_CONTEXT: ContextValues = new Map();

/** An unknown source an expression reads, and why it is unknown. */
export interface UnknownSource {
  readonly source: string;
  readonly reason: string;
}

/** The sources `expression` reads whose values are unknown in `values`. */
export function unknownSourcesRead(
  expression: CompiledExpression | undefined,
  values: ContextValues = NO_CONTEXT,
): UnknownSource[] {
  if (expression === undefined) return [];
  const unknown: UnknownSource[] = [];
  for (const source of expression.readsContext) {
    const lookup = values.get(source);
    if (lookup === undefined) unknown.push({ source, reason: 'it was not consulted for this decision' });
    else if (lookup.status === 'unknown') unknown.push({ source, reason: lookup.reason });
  }
  return unknown;
}

/** `context source 'pd' is unknown (timed out after 2s)`, for every unknown source. */
export function describeUnknown(unknown: readonly UnknownSource[]): string {
  return unknown.map(({ source, reason: why }) => `context source '${source}' is unknown (${why})`).join('; ');
}

/** The `context` and `ticket` CEL variables of `policy`'s sources. */
export function contextVariables(policy: PolicySet, values: ContextValues = NO_CONTEXT): CelVariables {
  return buildContextVariables(policy.contextSources, policy.identities, values);
}

/** A JSON summary of one lookup as the decision used it: identities rather than the service's user records. */
export function summarizeLookup(
  source: ContextSource | undefined,
  lookup: ContextLookup,
  identities: ReadonlyMap<string, Identity>,
): Record<string, unknown> {
  if (lookup.status === 'unknown') return { status: 'unknown', reason: lookup.reason };
  const base = { status: 'known', fetchedAt: lookup.fetchedAt, cached: lookup.cached };
  const { value } = lookup;
  const mapping = source !== undefined && source.type !== 'http' ? source.identities : { match: 'email' as const };
  switch (value.kind) {
    case 'oncall': {
      const mapped = mapUsersToIdentities(value.users, mapping, identities);
      return { ...base, onCall: mapped, unmatchedUsers: Math.max(0, value.users.length - mapped.length) };
    }
    case 'ticket': {
      const assignee = value.assignee && mapUserToIdentity(value.assignee, mapping, identities);
      return { ...base, ticket: value.key, exists: value.exists, issueStatus: value.status, assignee: assignee ?? '' };
    }
    case 'fields':
      return { ...base, fields: value.fields };
  }
}

/** What a decision saw of each source it consulted, for the audit event (`details.context`). */
export function contextRecord(policy: PolicySet, values: ContextValues = NO_CONTEXT): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, lookup] of [...values].sort(([a], [b]) => (a < b ? -1 : 1))) {
    record[name] = summarizeLookup(policy.contextSources.get(name), lookup, policy.identities);
  }
  return record;
}

/** One `context.value` / `context.unknown` note per consulted source: what the rules saw, in the decision log. */
export function contextReasons(policy: PolicySet, values: ContextValues = NO_CONTEXT): Reason[] {
  const reasons: Reason[] = [];
  for (const [name, summary] of Object.entries(contextRecord(policy, values))) {
    const s = summary as Record<string, unknown>;
    if (s['status'] === 'unknown') {
      reasons.push(reason('context.unknown', `context source '${name}' is unknown: ${String(s['reason'])}`));
      continue;
    }
    const cached = s['cached'] === true ? ' (cached)' : '';
    let what: string;
    if (Array.isArray(s['onCall'])) {
      const onCall = s['onCall'] as string[];
      what = onCall.length === 0 ? 'nobody known is on call' : `on call: ${onCall.join(', ')}`;
    } else if (typeof s['ticket'] === 'string') {
      what =
        s['ticket'] === ''
          ? 'the request names no ticket'
          : s['exists'] === true
            ? `ticket '${s['ticket']}' is '${String(s['issueStatus'])}'${s['assignee'] ? `, assigned to '${String(s['assignee'])}'` : ''}`
            : `ticket '${s['ticket']}' does not exist`;
    } else {
      what = `fields ${JSON.stringify(s['fields']).slice(0, 300)}`;
    }
    reasons.push(reason('context.value', `context source '${name}': ${what}${cached}`));
  }
  return reasons;
}

/**
 * The sources a decision on `action` of `profile` may read: those of its approval rules (and of the profile's
 * break-glass condition, for break-glass). Only these are asked; any other is never consulted.
 */
export function sourcesConsulted(
  policy: Pick<PolicySet, 'contextSources'>,
  profile: Pick<ResourceProfile, 'actions' | 'breakGlass'>,
  action: string,
  breakGlass: boolean,
): ContextSource[] {
  const names = new Set<string>();
  const expressions = breakGlass
    ? [profile.breakGlass?.when]
    : (profile.actions.get(action)?.approval ?? []).map((rule) => rule.when);
  for (const expression of expressions) for (const name of expression?.readsContext ?? []) names.add(name);
  return [...names].sort().flatMap((name) => {
    const source = policy.contextSources.get(name);
    return source === undefined ? [] : [source];
  });
}
