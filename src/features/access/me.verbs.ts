/**
 * `GET /v1/me`: who the caller is and which duties it holds now, as the policy snapshot sees them (standing
 * holdings and activated eligible ones; eligible ones listed apart).
 */
import { DUTIES } from '../../policy/model.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import type { MeView } from './me.view.js';

/** Reads the actor's identity and effective duties; changes nothing and writes no audit event. */
export async function describeMe({
  app,
  actor,
}: VerbCall<Record<string, never>>): Promise<Omit<MeView, 'authenticatedWith'>> {
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
