/**
 * Request evaluation (SPEC §2.3, §2.5, §2.6): is this identity entitled to ask for this action on this resource,
 * is the request well formed, and what does the action's approval policy say — auto-approve, deny, or which
 * approval steps it needs. Break-glass requests are checked against the profile's `breakGlass` block instead
 * of the approval rules. Pure: the policy, duties, observed resource state and the time come in as arguments.
 */
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import { evaluationErrorMessage } from '../policy/cel.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import type {
  ActionDefinition,
  ApprovalRule,
  ApprovalStep,
  CelVariables,
  Identity,
  PolicySet,
  ResourceProfile,
  SubjectRef,
} from '../policy/model.js';
import type { ContextValues } from '../policy/context-sources.js';
import { checkBreakGlassCondition } from './break-glass-condition.decide.js';
import { contextReasons, contextVariables, describeUnknown, unknownSourcesRead } from './context.decide.js';
import { scopeCovers, type DutyIndex } from './duties.js';
import { activationDeadline } from './request-activation.decide.js';
import { checkRequestContent } from './request-content.decide.js';
import { requestDigest } from './request-digest.js';
import type { RequestInput, ResourceState } from './types.js';

export { MAX_JUSTIFICATION_LENGTH, MAX_TICKET_LENGTH } from './request-content.decide.js';
const MAX_CEL_ERROR_LENGTH = 300;

export interface RequestContext {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly state: ResourceState;
  /** Epoch milliseconds. */
  readonly now: number;
  /** What the context sources said, fetched before the decision; a source missing here is unknown (fail closed). */
  readonly context?: ContextValues;
}

/** What every evaluation that got as far as the approval policy carries. */
interface Evaluated {
  readonly profile: string;
  /** The profile version (content hash) the request was evaluated against. */
  readonly profileVersion: string;
  /** The digest an approval binds to (see `requestDigest`). */
  readonly digest: string;
  readonly reasons: readonly Reason[];
}

export type RequestEvaluation =
  /** `invalid`: the input is malformed or names things that do not exist; `forbidden`: not entitled. */
  | { readonly outcome: 'invalid' | 'forbidden'; readonly reasons: readonly Reason[] }
  /** `rule` is unset when no approval rule matched. */
  | (Evaluated & { readonly outcome: 'denied'; readonly rule?: string; readonly message: string })
  | (Evaluated & { readonly outcome: 'auto_approved'; readonly rule: string; readonly activateBy: number })
  | (Evaluated & {
      readonly outcome: 'pending';
      readonly rule: string;
      readonly steps: readonly ApprovalStep[];
      readonly pendingUntil: number;
    })
  | (Evaluated & { readonly outcome: 'break_glass'; readonly reviewBy: number; readonly expiresAt: number });

/** Does the identity match a `group:` or `identity:` reference? */
export function identityMatchesSubject(identity: Pick<Identity, 'name' | 'groups'>, ref: SubjectRef): boolean {
  return ref.type === 'group' ? identity.groups.includes(ref.name) : identity.name === ref.name;
}

export function formatSubject(ref: { readonly type: string; readonly name?: string }): string {
  return ref.name === undefined ? ref.type : `${ref.type}:${ref.name}`;
}

/** Whether the request's resource was ever observed; unset where no resource is involved. */
export interface ObservationStatus {
  readonly resource: string;
  readonly observed: boolean;
}

export type RuleMatch =
  | {
      readonly kind: 'matched';
      readonly rule: ApprovalRule;
      readonly reasons: readonly Reason[];
      /** Set when a `deny` rule applies because a context source it reads is unknown: why. */
      readonly unknownContext?: string;
    }
  | { readonly kind: 'none'; readonly reasons: readonly Reason[] }
  /** A `when` that failed at run time: fail closed, the request is refused, the rule is never a match. */
  | {
      readonly kind: 'error';
      readonly rule: ApprovalRule;
      readonly message: string;
      readonly reasons: readonly Reason[];
    };

/**
 * Tries approval rules in order; the first whose `when` is true (or that has none) matches. A `when` that throws
 * or yields something other than a boolean stops evaluation with an error: it never matches, and no later rule
 * is tried, since a later rule may be more permissive than the one that could not be decided.
 *
 * A resource never observed (`observation.observed === false`) has unknown state, not zero drift (fail closed):
 * an `auto` or `steps` rule whose `when` reads `resource.drift` or `resource.config` does not match; a `deny`
 * rule reading them is evaluated as written (if it fires it denies); and once such a rule has been passed over,
 * no later `auto` rule matches either. Each is said in the reasons (`rule.state_unknown`).
 *
 * A rule reading a context source that is unknown (`context`, see `context.decide.ts`) cannot decide either: an
 * `auto` or `steps` rule does not match and no later `auto` rule matches; a `deny` rule applies, since a deny
 * that cannot be ruled out must not be skipped (`rule.context_unknown`).
 */
export function matchApprovalRule(
  rules: readonly ApprovalRule[],
  variables: () => CelVariables,
  observation?: ObservationStatus,
  context?: ContextValues,
): RuleMatch {
  const reasons: Reason[] = [];
  let built: CelVariables | undefined;
  // Set once a rule reading drift or config was passed over on a resource never observed: from then on no rule
  // approves automatically, since the one passed over might have applied had the state been known.
  let undecided: string | undefined;
  let undecidedWhy = `on the unobserved resource '${observation?.resource ?? '?'}'`;
  for (const rule of rules) {
    const unknownSources = unknownSourcesRead(rule.when, context);
    if (unknownSources.length > 0) {
      const why = describeUnknown(unknownSources);
      if (rule.outcome.type === 'deny') {
        const message = `approval rule '${rule.name}' denies because it cannot be ruled out: ${why} (fail closed)`;
        reasons.push(reason('rule.context_unknown', message));
        return { kind: 'matched', rule, reasons, unknownContext: why };
      }
      if (undecided === undefined) {
        undecided = rule.name;
        undecidedWhy = `because ${why}`;
      }
      const message = `approval rule '${rule.name}' does not apply: ${why} (fail closed)`;
      reasons.push(reason('rule.context_unknown', message));
      continue;
    }
    const unknown = observation?.observed === false && rule.when?.readsObservedState === true;
    if (unknown && rule.outcome.type !== 'deny') {
      undecided ??= rule.name;
      const message = `approval rule '${rule.name}' reads the drift or configuration of '${observation.resource}', which has never been observed: its state is unknown, so the rule does not apply`;
      reasons.push(reason('rule.state_unknown', message));
      continue;
    }
    if (rule.when !== undefined) {
      let value: unknown;
      try {
        built ??= variables();
        value = rule.when.evaluate(built);
      } catch (error) {
        const detail = evaluationErrorMessage(error).slice(0, MAX_CEL_ERROR_LENGTH);
        const message = `approval rule '${rule.name}' could not be evaluated: ${detail}`;
        reasons.push(reason('rule.evaluation_error', message));
        return { kind: 'error', rule, message, reasons };
      }
      if (typeof value !== 'boolean') {
        const message = `approval rule '${rule.name}' condition did not yield a boolean`;
        reasons.push(reason('rule.evaluation_error', message));
        return { kind: 'error', rule, message, reasons };
      }
      if (!value) {
        reasons.push(reason('rule.not_matched', `approval rule '${rule.name}' does not apply: ${rule.when.source}`));
        if (unknown) {
          // A deny is evaluated as written (if it fires, it denies); when it does not, it is not ruled out either.
          undecided ??= rule.name;
          const message = `approval rule '${rule.name}' did not deny, but '${observation.resource}' has never been observed, so its state is unknown and the rule cannot be ruled out`;
          reasons.push(reason('rule.state_unknown', message));
        }
        continue;
      }
    }
    if (undecided !== undefined && rule.outcome.type === 'auto') {
      const message = `approval rule '${rule.name}' would approve automatically, but rule '${undecided}' could not be decided ${undecidedWhy}: no automatic approval`;
      reasons.push(reason(undecidedWhy.startsWith('because') ? 'rule.context_unknown' : 'rule.state_unknown', message));
      continue;
    }
    const why = rule.when === undefined ? 'it has no condition' : `${rule.when.source} holds`;
    reasons.push(reason('rule.matched', `approval rule '${rule.name}' applies: ${why}`));
    return { kind: 'matched', rule, reasons };
  }
  reasons.push(reason('rule.none_matched', 'no approval rule matched'));
  return { kind: 'none', reasons };
}

/**
 * Evaluates a new request or break-glass request. Checks, in order: requester exists and is enabled; resource,
 * profile and action exist; the requester is entitled (`request` on the profile in force: standing, or through an
 * eligible role whose own activation was approved — or, for break-glass, listed in the profile's `breakGlass`); the content is valid (duration, justification,
 * ticket, parameters); then the approval rules, first match wins, no match is a denial, and a condition that
 * cannot be evaluated is a denial (fail closed). Every non-error outcome records the profile version and the
 * digest the approvals will bind to.
 */
export function evaluateRequest(ctx: RequestContext, input: RequestInput): RequestEvaluation {
  const { policy, now } = ctx;
  const requester = policy.identities.get(input.requester);
  if (requester === undefined)
    return refuse('forbidden', 'requester.unknown', `identity '${input.requester}' does not exist`);
  if (requester.disabled) return refuse('forbidden', 'requester.disabled', `identity '${requester.name}' is disabled`);
  const resource = policy.resources.get(input.resource);
  if (resource === undefined)
    return refuse('invalid', 'resource.unknown', `resource '${input.resource}' does not exist`);
  const profile = policy.profiles.get(resource.profile);
  if (profile === undefined) {
    const message = `resource '${resource.name}' names profile '${resource.profile}', which does not exist`;
    return refuse('invalid', 'profile.unknown', message);
  }
  const action = profile.actions.get(input.action);
  if (action === undefined) {
    return refuse('invalid', 'action.unknown', `profile '${profile.name}' has no action '${input.action}'`);
  }

  const entitlement = input.breakGlass
    ? checkBreakGlassEntitlement(requester, profile, action)
    : checkRequestDuty(ctx.duties, requester, profile);
  if (entitlement.problems.length > 0) return { outcome: 'forbidden', reasons: entitlement.problems };

  const problems = checkRequestContent(profile, action, input);
  if (problems.length > 0) return { outcome: 'invalid', reasons: problems };

  const reasons: Reason[] = [...entitlement.reasons];
  const evaluated = {
    profile: profile.name,
    profileVersion: profile.version,
    digest: requestDigest(input),
  };

  const values = ctx.context;
  const variables = () => ({
    ...buildCelVariables({ request: input, requester, resource, state: ctx.state, profile, now }),
    ...contextVariables(policy, values),
  });
  const observation = { resource: resource.name, observed: ctx.state.config !== undefined };
  reasons.push(...contextReasons(policy, values));

  if (input.breakGlass) {
    const condition = checkBreakGlassCondition(profile, variables, observation, values);
    if (condition.problems.length > 0) return { outcome: 'forbidden', reasons: [...condition.problems, ...reasons] };
    reasons.push(...condition.reasons);
    const reviewWithinSeconds = profile.breakGlass?.reviewWithinSeconds ?? 0;
    reasons.push(
      reason(
        'break_glass.rules_skipped',
        `break-glass: the approval rules of action '${action.name}' were skipped; review due within ${formatDurationSeconds(reviewWithinSeconds)}`,
      ),
    );
    return {
      outcome: 'break_glass',
      ...evaluated,
      reviewBy: now + reviewWithinSeconds * 1000,
      expiresAt: now + input.durationSeconds * 1000,
      reasons,
    };
  }

  const match = matchApprovalRule(action.approval, variables, observation, values);
  reasons.push(...match.reasons);
  if (match.kind === 'none') return { outcome: 'denied', ...evaluated, message: 'no approval rule matched', reasons };
  if (match.kind === 'error')
    return { outcome: 'denied', ...evaluated, rule: match.rule.name, message: match.message, reasons };

  const { rule } = match;
  switch (rule.outcome.type) {
    case 'deny': {
      const why = match.unknownContext;
      const message = why === undefined ? rule.outcome.message : `${rule.outcome.message} (${why}; fail closed)`;
      return { outcome: 'denied', ...evaluated, rule: rule.name, message, reasons };
    }
    case 'auto':
      return {
        outcome: 'auto_approved',
        ...evaluated,
        rule: rule.name,
        activateBy: activationDeadline(now, action),
        reasons,
      };
    case 'steps': {
      const { steps } = rule.outcome;
      if (steps.length === 0 || steps.some((step) => !Number.isInteger(step.count) || step.count < 1)) {
        const message = `approval rule '${rule.name}' has no satisfiable approval steps`;
        reasons.push(reason('rule.unsatisfiable', message));
        return { outcome: 'denied', ...evaluated, rule: rule.name, message, reasons };
      }
      return {
        outcome: 'pending',
        ...evaluated,
        rule: rule.name,
        steps,
        pendingUntil: now + action.pendingTimeoutSeconds * 1000,
        reasons,
      };
    }
  }
}

function refuse(outcome: 'invalid' | 'forbidden', code: ReasonCode, message: string): RequestEvaluation {
  return { outcome, reasons: [reason(code, message)] };
}

interface Entitlement {
  readonly problems: readonly Reason[];
  readonly reasons: readonly Reason[];
}

/**
 * `request` on the profile in force now: standing, or through an eligible role whose activation was approved.
 * An eligible role that is not active gives nothing: a request never switches a role on by itself (an unrelated
 * auto-approved action must not turn an eligible role into standing access); the role is asked for by name.
 */
export function checkRequestDuty(duties: DutyIndex, requester: Identity, profile: ResourceProfile): Entitlement {
  const inForce = duties.holds(requester.name, 'request', profile);
  if (inForce !== undefined) {
    const how = duties.isActivated(inForce) && inForce.assignment === 'eligible' ? 'activated role' : 'role';
    const message = `'${requester.name}' holds 'request' on profile '${profile.name}' through ${how} '${inForce.role}'`;
    return { problems: [], reasons: [reason('requester.holds_request', message)] };
  }
  const eligible = duties.holds(requester.name, 'request', profile, { includeEligible: true });
  if (eligible !== undefined) {
    const message = `'${requester.name}' holds 'request' on profile '${profile.name}' only through eligible role '${eligible.role}', which is not active; ask for role '${eligible.role}' to be activated first`;
    return { problems: [reason('requester.role_not_activated', message)], reasons: [] };
  }
  const message = `'${requester.name}' does not hold 'request' on profile '${profile.name}'`;
  return { problems: [reason('requester.no_request_duty', message)], reasons: [] };
}

/**
 * Until when `requester` holds `request` on `profile`: undefined while a standing holding gives it; otherwise the
 * latest end of the activated eligible roles that give it: a grant obtained through an activation must not
 * outlive it. Undefined too when nothing gives it (the caller has refused already).
 */
export function requestEntitlementEnd(
  duties: DutyIndex,
  requester: string,
  profile: Pick<ResourceProfile, 'name' | 'labels'>,
): number | undefined {
  let end: number | undefined;
  for (const holding of duties.effectiveHoldings(requester)) {
    if (holding.duty !== 'request' || !scopeCovers(holding.scope, profile)) continue;
    const until = holding.assignment === 'standing' ? undefined : duties.activatedUntil(holding);
    if (until === undefined) return undefined;
    end = Math.max(end ?? 0, until);
  }
  return end;
}

/** Break-glass is for humans listed in the profile's `breakGlass.allowed`, for the actions it lists. */
function checkBreakGlassEntitlement(
  requester: Identity,
  profile: ResourceProfile,
  action: ActionDefinition,
): Entitlement {
  const policy = profile.breakGlass;
  if (policy === undefined) {
    return {
      problems: [reason('break_glass.not_offered', `profile '${profile.name}' offers no break-glass`)],
      reasons: [],
    };
  }
  const problems: Reason[] = [];
  if (requester.kind !== 'human') {
    problems.push(
      reason('break_glass.not_human', `break-glass is for humans; '${requester.name}' is a ${requester.kind}`),
    );
  }
  const via = policy.allowed.find((ref) => identityMatchesSubject(requester, ref));
  if (via === undefined) {
    const allowed = policy.allowed.map(formatSubject).join(', ');
    const message = `'${requester.name}' may not use break-glass on profile '${profile.name}' (allowed: ${allowed})`;
    problems.push(reason('break_glass.not_allowed', message));
  }
  if (!policy.actions.includes(action.name)) {
    const message = `break-glass on profile '${profile.name}' does not cover action '${action.name}'`;
    problems.push(reason('break_glass.action_not_covered', message));
  }
  if (problems.length > 0 || via === undefined) return { problems, reasons: [] };
  const message = `'${requester.name}' may use break-glass on profile '${profile.name}' through ${formatSubject(via)}`;
  return { problems: [], reasons: [reason('break_glass.allowed', message)] };
}
