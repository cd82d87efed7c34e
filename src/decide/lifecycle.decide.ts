/**
 * The request lifecycle of SPEC §2.8 as one pure transition function. Every status change of a request goes
 * through `transition`, so the set of legal moves lives in exactly one table:
 *
 * | from          | event                  | to            | when                                                    |
 * |---------------|------------------------|---------------|---------------------------------------------------------|
 * | pending       | approve_step           | pending       | an approval counted and more are needed                 |
 * | pending       | approve_final          | approved      | the approval that satisfied the last step               |
 * | pending       | auto_approve           | approved      | the policy approved it at creation (`auto: true`)       |
 * | pending       | break_glass            | active        | break-glass: straight to active, flagged for review     |
 * | pending       | deny                   | denied        | an approver denied it, or the policy did at creation     |
 * | pending       | cancel                 | cancelled     | the requester withdrew it, or the requester was disabled |
 * | pending       | pending_timeout        | timed_out     | nobody answered within `pendingTimeout`                 |
 * | approved      | activate               | active        | the requester activated it (after re-validation)        |
 * | approved      | cancel                 | cancelled     | withdrawn before use (also offboarding)                 |
 * | approved      | activation_timeout     | timed_out     | not activated within `activationWindow`                 |
 * | approved      | execute                | executing     | an `execute` action's intent is recorded                |
 * | approved      | extension_applied      | completed     | an approved extension request lengthened its grant      |
 * | executing     | execution_finished     | completed     | the execution's outcome (success or failure) recorded   |
 * | executing     | outcome_unknown        | needs_review  | the outcome could not be recorded: it may have run      |
 * | active        | extend                 | active        | a new approval extended the grant                       |
 * | active        | expire                 | expired       | the grant reached `expiresAt` and was revoked           |
 * | active        | revoke                 | revoked       | revoked early (by a person, offboarding, certification) |
 * | active        | complete               | completed     | the requester ended the use                             |
 * | active        | revoke_failed          | revoke_failed | the provider's revoke failed: retried, alerted on       |
 * | revoke_failed | revoke_retry_failed    | revoke_failed | another retry failed; it stays visible, never dropped   |
 * | revoke_failed | revoke_retry_succeeded | revoked       | a retry finally took the privilege away                 |
 *
 * Every other pair is refused. `cancel` also covers `approved` (SPEC §2.8 names only `pending`): an approved
 * request that its requester no longer wants, or whose requester was offboarded, should not linger until its
 * activation window passes. Creation is modelled as birth in `pending` followed, in the same transaction, by
 * `auto_approve`, `break_glass` or `deny` when the policy decides at once (see `initialStatus`).
 */
import { reason, type Reason } from '../core/decision.js';
import { TERMINAL_STATUSES, type RequestStatus } from './types.js';

export const LIFECYCLE_EVENTS = [
  'approve_step',
  'approve_final',
  'auto_approve',
  'break_glass',
  'deny',
  'cancel',
  'pending_timeout',
  'activate',
  'activation_timeout',
  'execute',
  'extension_applied',
  'extend',
  'expire',
  'revoke',
  'complete',
  'revoke_failed',
  'revoke_retry_failed',
  'revoke_retry_succeeded',
  'execution_finished',
  'outcome_unknown',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

type Table = Readonly<Record<LifecycleEvent, Readonly<Partial<Record<RequestStatus, RequestStatus>>>>>;

const TRANSITIONS: Table = {
  approve_step: { pending: 'pending' },
  approve_final: { pending: 'approved' },
  auto_approve: { pending: 'approved' },
  break_glass: { pending: 'active' },
  deny: { pending: 'denied' },
  cancel: { pending: 'cancelled', approved: 'cancelled' },
  pending_timeout: { pending: 'timed_out' },
  activate: { approved: 'active' },
  activation_timeout: { approved: 'timed_out' },
  execute: { approved: 'executing' },
  extension_applied: { approved: 'completed' },
  extend: { active: 'active' },
  expire: { active: 'expired' },
  revoke: { active: 'revoked' },
  complete: { active: 'completed' },
  revoke_failed: { active: 'revoke_failed' },
  revoke_retry_failed: { revoke_failed: 'revoke_failed' },
  revoke_retry_succeeded: { revoke_failed: 'revoked' },
  execution_finished: { executing: 'completed' },
  outcome_unknown: { executing: 'needs_review' },
};

export type TransitionResult =
  { readonly ok: true; readonly to: RequestStatus } | { readonly ok: false; readonly reason: Reason };

/**
 * The one place that says which status a request moves to on an event. Invariant: only the moves in the table
 * above exist; in particular nothing leaves a terminal status, nothing reaches `active` without an approval or
 * break-glass, and a grant whose revoke failed can only end as `revoked`.
 */
export function transition(from: RequestStatus, event: LifecycleEvent): TransitionResult {
  const to = TRANSITIONS[event][from];
  if (to !== undefined) return { ok: true, to };
  const why = isTerminal(from) ? `; '${from}' is final` : '';
  return {
    ok: false,
    reason: reason('lifecycle.illegal_transition', `a request that is ${from} cannot ${describe(event)}${why}`),
  };
}

/** True for statuses no event leaves: the lifecycle is over. */
export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** The events that a request in `status` accepts, in table order. */
export function eventsFrom(status: RequestStatus): LifecycleEvent[] {
  return LIFECYCLE_EVENTS.filter((event) => TRANSITIONS[event][status] !== undefined);
}

/** The status a new request ends its creating transaction in, given what the policy decided. */
export function initialStatus(outcome: 'pending' | 'auto_approved' | 'break_glass' | 'denied'): RequestStatus {
  const events: Record<typeof outcome, LifecycleEvent | undefined> = {
    pending: undefined,
    auto_approved: 'auto_approve',
    break_glass: 'break_glass',
    denied: 'deny',
  };
  const event = events[outcome];
  return event === undefined ? 'pending' : (TRANSITIONS[event].pending ?? 'pending');
}

function describe(event: LifecycleEvent): string {
  const phrases: Record<LifecycleEvent, string> = {
    approve_step: 'receive an approval',
    approve_final: 'become approved',
    auto_approve: 'be approved by policy',
    break_glass: 'become active through break-glass',
    deny: 'be denied',
    cancel: 'be cancelled',
    pending_timeout: 'time out waiting for approval',
    activate: 'be activated',
    activation_timeout: 'time out waiting for activation',
    execute: 'be executed',
    extension_applied: 'extend a grant',
    extend: 'be extended',
    expire: 'expire',
    revoke: 'be revoked',
    complete: 'be completed',
    revoke_failed: 'record a failed revoke',
    revoke_retry_failed: 'record a failed revoke retry',
    revoke_retry_succeeded: 'record a successful revoke retry',
    execution_finished: 'record an execution outcome',
    outcome_unknown: 'be flagged for review',
  };
  return phrases[event];
}
