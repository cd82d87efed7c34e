/**
 * `GET /v1/me`: who the caller is and which duties it holds now, as the policy snapshot sees them (standing
 * holdings and activated eligible ones; eligible ones listed apart).
 */
import { DUTIES, type Duty } from '../../policy/model.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';

export interface MeView {
  readonly identity: string;
  readonly kind: string;
  readonly email: string | null;
  readonly owner: string | null;
  readonly groups: readonly string[];
  /** Duties in force now, each once, in vocabulary order. */
  readonly duties: readonly Duty[];
  /** Every holding in force: duty, role and scope. */
  readonly holdings: readonly { readonly duty: Duty; readonly role: string; readonly scope: string }[];
  /** Duties reachable only by activating an eligible role. */
  readonly eligible: readonly { readonly duty: Duty; readonly role: string; readonly scope: string }[];
}

/** Reads the actor's identity and effective duties; changes nothing and writes no audit event. */
export async function describeMe({ app, actor }: VerbCall<Record<string, never>>): Promise<MeView> {
  return readWithSnapshot(app, async ({ snapshot }) => {
    const identity = snapshot.policy.identities.get(actor);
    const inForce = snapshot.duties.effectiveHoldings(actor);
    const all = snapshot.duties.effectiveHoldings(actor, { includeEligible: true });
    const scopeText = (scope: (typeof all)[number]['scope']): string =>
      scope.kind === 'all'
        ? '*'
        : scope.kind === 'profiles'
          ? scope.names.join(',')
          : Object.entries(scope.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',');
    const view = (h: (typeof all)[number]) => ({ duty: h.duty, role: h.role, scope: scopeText(h.scope) });
    return {
      identity: actor,
      kind: identity?.kind ?? 'system',
      email: identity?.email ?? null,
      owner: identity?.owner ?? null,
      groups: [...(identity?.groups ?? [])],
      duties: [...new Set(inForce.map((h) => h.duty))].sort((a, b) => DUTIES.indexOf(a) - DUTIES.indexOf(b)),
      holdings: inForce.map(view),
      eligible: all.filter((h) => !inForce.includes(h)).map(view),
    };
  });
}
