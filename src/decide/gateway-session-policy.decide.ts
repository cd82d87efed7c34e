/**
 * What an open gateway session decides its next statement by, once the policy in force is no longer the one it
 * opened under (a change set applied, a reload, on this or another replica: `PolicyRuntime.replace`). Pure.
 *
 * A session is long-lived (up to its grant's end) and a profile is changed to take effect: a rule narrowed after
 * an incident must hold for the sessions already open, not only for the next ones. So:
 * - rules and default changed: the next statement is decided by the new ones, in place;
 * - masks, the statement timeout or the row and byte budgets changed: those were set up when the session began
 *   (masks resolved in the database's catalog, the timeout set upstream, the budgets counted from the first row),
 *   and cannot be swapped under a running session, so every further statement is refused until the user
 *   reconnects, which opens a session under the new block;
 * - the profile, the action or its `gateway` block gone: every further statement is refused (as a new login would be).
 * Who the requester is (groups, attributes) stays as it was when the session began.
 */
import type { GatewayPolicy, PolicySet, ResourceProfile } from '../policy/model.js';
import type { StatementDecision } from './gateway-statement.decide.js';

/** The part of a session that names what it was opened under. */
export interface SessionPolicyOrigin {
  /** The profile object the session's block came from: the same object in the policy in force means no change. */
  readonly profile: Pick<ResourceProfile, 'name'>;
  readonly action: string;
  readonly policy: GatewayPolicy;
}

export type FollowedSessionPolicy =
  | { readonly kind: 'current'; readonly profile: ResourceProfile; readonly policy: GatewayPolicy }
  | { readonly kind: 'stale'; readonly why: string };

/** The built-in rule a session's statements are refused by once its block cannot be followed in place. */
export const POLICY_CHANGED_RULE = 'policy-changed';

function setUp(policy: GatewayPolicy): string {
  return JSON.stringify([policy.masks, policy.statementTimeoutSeconds, policy.maxRows, policy.maxBytes]);
}

/** The gateway block `origin`'s session decides by under `loaded`, or why it cannot go on. */
export function followSessionPolicy(origin: SessionPolicyOrigin, loaded: PolicySet): FollowedSessionPolicy {
  const profile = loaded.profiles.get(origin.profile.name);
  if (profile === undefined) {
    return { kind: 'stale', why: `profile '${origin.profile.name}' is no longer in the policy in force` };
  }
  if (profile === origin.profile) return { kind: 'current', profile, policy: origin.policy };
  const policy = profile.actions.get(origin.action)?.gateway;
  if (policy === undefined) {
    return {
      kind: 'stale',
      why: `action '${origin.action}' of profile '${profile.name}' is no longer a gateway action in the policy in force`,
    };
  }
  if (setUp(policy) !== setUp(origin.policy)) {
    return {
      kind: 'stale',
      why:
        `the masks, statement timeout or budgets of action '${origin.action}' changed after this session began; ` +
        'reconnect to work under the new ones',
    };
  }
  return { kind: 'current', profile, policy };
}

/** The refusal of every statement of a session whose block cannot be followed in place (not approvable). */
export function staleSessionDecision(why: string): StatementDecision {
  return {
    allowed: false,
    rule: POLICY_CHANGED_RULE,
    builtIn: true,
    message: `refused by the gateway's built-in rule '${POLICY_CHANGED_RULE}': ${why}`,
  };
}
