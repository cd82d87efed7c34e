/**
 * Keeps an open gateway session on the gateway block of the policy in force (gateway-session-policy.decide.ts):
 * the policy runtime's loaded documents are compared by identity on each statement (one comparison while nothing
 * changed), and followed again when a change set, a reload or another replica's change swapped them in.
 */
import type { AppContext } from '../app/context.js';
import { followSessionPolicy, type SessionPolicyOrigin } from '../decide/gateway-session-policy.decide.js';
import type { GatewayStatementContext } from '../features/sessions/index.js';
import type { GatewayPolicy, PolicySet } from '../policy/model.js';

export type FollowedSession =
  { readonly policy: GatewayPolicy; readonly context: GatewayStatementContext } | { readonly stale: string };

/**
 * `loadedAtOpen` must be read before the session's policy snapshot was taken, so that a swap landing while the
 * session opened is followed at its first statement rather than missed.
 */
export function sessionPolicyFollower(
  app: Pick<AppContext, 'policy'>,
  loadedAtOpen: PolicySet,
  origin: SessionPolicyOrigin,
  context: GatewayStatementContext,
): () => FollowedSession {
  let seen = loadedAtOpen;
  let current: FollowedSession = { policy: origin.policy, context };
  return () => {
    const loaded = app.policy.loaded;
    if (loaded === seen) return current;
    seen = loaded;
    const followed = followSessionPolicy(origin, loaded);
    current =
      followed.kind === 'stale'
        ? { stale: followed.why }
        : {
            policy: followed.policy,
            // A resource of the policy files follows too (its labels are CEL's); one registered through the API stays.
            context: {
              ...context,
              profile: followed.profile,
              resource: loaded.resources.get(context.resource.name) ?? context.resource,
            },
          };
    return current;
  };
}
