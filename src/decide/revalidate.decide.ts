/**
 * Re-validation before acting (SPEC §2.8): activation and execution re-evaluate an approved request against
 * the current policy, duties and resource state, and refuse with the reason when the decision no longer holds —
 * a changed approval policy, new drift that a deny rule catches, a requester who lost `request`, an approver who
 * lost `approve` or left the step's approvers. Also extensions: an active grant is extended only by a new
 * approval under the same policy, never past the action's `maxDuration` counted from the first activation.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { reason, type Reason, type ReasonCode } from '../core/decision.js';
import { formatDurationSeconds } from '../core/duration.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import type { ContextValues } from '../policy/context-sources.js';
import type { PolicySet } from '../policy/model.js';
import { contextReasons, contextVariables } from './context.decide.js';
import { approvalProgress, checkApproverForStep } from './approval.decide.js';
import type { DutyIndex } from './duties.js';
import {
  checkRequestDuty,
  identityMatchesSubject,
  matchApprovalRule,
  requestEntitlementEnd,
} from './request.decide.js';
import { activationDeadline, activationWindowPassed, grantEnd } from './request-activation.decide.js';
import { requestDigest } from './request-digest.js';
import type { RequestRecord, ResourceState } from './types.js';

export interface RevalidationContext {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly state: ResourceState;
  /** Epoch milliseconds. */
  readonly now: number;
  /** What the context sources say now, fetched before the decision; a source missing here is unknown. */
  readonly context?: ContextValues;
}

export type Revalidation =
  | { readonly outcome: 'valid'; readonly profileChanged: boolean; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] };

export type ExtensionDecision =
  | {
      readonly outcome: 'extended';
      readonly expiresAt: number;
      readonly firstActivatedAt: number;
      readonly reasons: readonly Reason[];
    }
  | { readonly outcome: 'refused'; readonly reasons: readonly Reason[] };

/**
 * Re-evaluates `request` before it is activated (`activate`) or executed (`execute`). Invariant: the request
 * acts only if, now, its content still matches its digest, the requester still may request it, the approval
 * policy still yields the same decision for the current resource state, and its recorded approvals — each
 * approver re-checked against the current duties and its step's `from` — still satisfy every step. A changed
 * profile version is reported, and accepted only when the approval policy it yields is unchanged.
 */
export function revalidateRequest(
  ctx: RevalidationContext,
  request: RequestRecord,
  phase: 'activate' | 'execute',
): Revalidation {
  const { policy, now } = ctx;
  const problems: Reason[] = [];
  const reasons: Reason[] = [];
  const allowedStatuses = phase === 'activate' ? ['approved'] : ['approved', 'active'];
  if (!allowedStatuses.includes(request.status)) {
    return refusedWith('request.wrong_status', `request '${request.id}' is ${request.status}; it cannot ${phase} now`);
  }
  if (requestDigest(request) !== request.digest) {
    problems.push(reason('digest.content_changed', `request '${request.id}' no longer matches its approved digest`));
  }

  const requester = policy.identities.get(request.requester);
  const resource = policy.resources.get(request.resource);
  const profile = resource === undefined ? undefined : policy.profiles.get(resource.profile);
  const action = profile?.actions.get(request.action);
  if (requester === undefined)
    return refusedWith('requester.unknown', `identity '${request.requester}' does not exist`);
  if (requester.disabled) problems.push(reason('requester.disabled', `identity '${requester.name}' is disabled`));
  if (resource === undefined) return refusedWith('resource.unknown', `resource '${request.resource}' does not exist`);
  if (profile === undefined || profile.name !== request.profile) {
    const message = `resource '${resource.name}' is no longer bound to profile '${request.profile}'`;
    return refusedWith('profile.rebound', message, problems);
  }
  if (action === undefined) {
    return refusedWith('action.unknown', `profile '${profile.name}' has no action '${request.action}'`, problems);
  }

  const profileChanged = profile.version !== request.profileVersion;
  if (profileChanged) {
    const message = `profile '${profile.name}' changed since the request was evaluated (version ${request.profileVersion.slice(0, 12)} → ${profile.version.slice(0, 12)})`;
    reasons.push(reason('profile.version_changed', message));
  }
  if (request.durationSeconds > action.maxDurationSeconds) {
    const message = `duration ${formatDurationSeconds(request.durationSeconds)} now exceeds the ${formatDurationSeconds(action.maxDurationSeconds)} maximum of action '${action.name}'`;
    problems.push(reason('duration.too_long', message));
  }
  if (request.status === 'approved') {
    if (activationWindowPassed(activationDeadline(request.approvedAt ?? Number.NEGATIVE_INFINITY, action), now)) {
      const message = `request '${request.id}' was not activated within the ${formatDurationSeconds(action.activationWindowSeconds)} activation window`;
      problems.push(reason('activation.window_passed', message));
    }
  } else if ((request.expiresAt ?? Number.NEGATIVE_INFINITY) <= now) {
    problems.push(reason('grant.expired', `the grant of request '${request.id}' has expired`));
  }

  if (request.breakGlass) {
    const allowed = profile.breakGlass;
    if (
      allowed === undefined ||
      requester.kind !== 'human' ||
      !allowed.actions.includes(action.name) ||
      !allowed.allowed.some((ref) => identityMatchesSubject(requester, ref))
    ) {
      const message = `break-glass on profile '${profile.name}' no longer covers '${requester.name}' for action '${action.name}'`;
      problems.push(reason('break_glass.no_longer_allowed', message));
    }
  } else {
    const entitlement = checkRequestDuty(ctx.duties, requester, profile);
    problems.push(...entitlement.problems);
    reasons.push(...entitlement.reasons);
    const policyCheck = recheckApprovalPolicy(ctx, request, profileChanged);
    problems.push(...policyCheck.problems);
    reasons.push(...policyCheck.reasons);
  }

  if (problems.length > 0) return { outcome: 'refused', reasons: [...problems, ...reasons] };
  reasons.push(reason('revalidation.holds', `request '${request.id}' still holds; it may ${phase}`));
  return { outcome: 'valid', profileChanged, reasons };
}

/** Runs the approval rules again and re-counts the recorded approvals under the current duties. */
function recheckApprovalPolicy(
  ctx: RevalidationContext,
  request: RequestRecord,
  profileChanged: boolean,
): { problems: Reason[]; reasons: Reason[] } {
  const problems: Reason[] = [];
  const reasons: Reason[] = [];
  const { policy } = ctx;
  const resource = policy.resources.get(request.resource);
  const profile = policy.profiles.get(request.profile);
  const action = profile?.actions.get(request.action);
  const requester = policy.identities.get(request.requester);
  if (resource === undefined || profile === undefined || action === undefined || requester === undefined) {
    return { problems: [reason('request.unresolvable', `request '${request.id}' no longer resolves`)], reasons };
  }
  const match = matchApprovalRule(
    action.approval,
    () => ({
      ...buildCelVariables({
        request,
        requestId: request.id,
        requester,
        resource,
        state: ctx.state,
        profile,
        now: ctx.now,
      }),
      ...contextVariables(policy, ctx.context),
    }),
    { resource: resource.name, observed: ctx.state.config !== undefined },
    ctx.context,
  );
  // What the context sources say now (a ticket closed since approval, say) goes with any refusal, to say why.
  const seen = contextReasons(policy, ctx.context);
  reasons.push(...seen);
  if (match.kind === 'none' || match.kind === 'error') {
    // With context in play, which rules stopped applying is the answer to "why not": keep them.
    const kept = seen.length > 0 ? match.reasons : match.reasons.filter((r) => r.code !== 'rule.not_matched');
    return { problems: [...kept, ...seen], reasons };
  }
  const { rule } = match;
  if (rule.outcome.type === 'deny') {
    const why = match.unknownContext === undefined ? '' : ` (${match.unknownContext}; fail closed)`;
    const message = `approval rule '${rule.name}' now denies the request: ${rule.outcome.message}${why}`;
    return { problems: [reason('rule.now_denies', message), ...seen], reasons };
  }
  if (rule.outcome.type === 'auto') {
    reasons.push(reason('rule.still_auto', `approval rule '${rule.name}' still approves the request by policy`));
    return { problems, reasons };
  }
  const sameSteps = canonicalJson(rule.outcome.steps) === canonicalJson(request.steps);
  if (rule.name !== request.matchedRule || !sameSteps || request.steps.length === 0) {
    const why = profileChanged ? 'the profile changed' : 'the resource state or context changed';
    const message = `the request now needs the approvals of rule '${rule.name}' instead of rule '${request.matchedRule}' (${why}); submit a new request`;
    const unknown = match.reasons.filter((r) => r.code === 'rule.state_unknown');
    return { problems: [reason('rule.changed', message), ...unknown, ...seen], reasons };
  }

  const dropped: Reason[] = [];
  const progress = approvalProgress(request, (approval) => {
    const check = checkApproverForStep(ctx, request, approval.approver, approval.step);
    const problemsOfApproval = [...check.problems];
    if (approval.digest !== request.digest) {
      problemsOfApproval.push(
        reason('digest.mismatch', `the approval by '${approval.approver}' was for other content`),
      );
    }
    if (problemsOfApproval.length === 0) return true;
    const message = `the approval by '${approval.approver}' no longer counts`;
    dropped.push(reason('approval.no_longer_counts', message), ...problemsOfApproval);
    return false;
  });
  reasons.push(...dropped);
  if (!progress.complete) {
    const step = progress.steps.find((candidate) => !candidate.satisfied);
    const message =
      step === undefined
        ? `request '${request.id}' is no longer fully approved`
        : `step ${step.step + 1} now has ${step.approvers.length} of ${step.required} approvals that still count`;
    problems.push(reason('approval.no_longer_satisfied', message), ...dropped);
    return { problems, reasons: [] };
  }
  reasons.push(reason('approval.still_satisfied', `every approval step of rule '${rule.name}' is still satisfied`));
  return { problems, reasons };
}

/**
 * Decides whether an approved `extension` request may extend the `active` grant. Invariants: the extension is
 * a separate, approved, non-break-glass request for the same requester, resource, action and parameters,
 * evaluated under the same profile version as the grant and still valid now; the new expiry is later than the
 * current one and never past the action's `maxDuration` counted from the lifecycle's first activation, nor past
 * the end of the role activation the requester holds `request` through (if any).
 */
export function decideExtension(
  ctx: RevalidationContext,
  active: RequestRecord,
  extension: RequestRecord,
): ExtensionDecision {
  const { now } = ctx;
  const problems: Reason[] = [];
  if (active.status !== 'active' || (active.expiresAt ?? Number.NEGATIVE_INFINITY) <= now) {
    return refusedWith('grant.not_active', `request '${active.id}' has no active grant to extend`);
  }
  if (extension.breakGlass) problems.push(reason('extension.break_glass', 'break-glass cannot extend a grant'));
  const same =
    extension.requester === active.requester &&
    extension.resource === active.resource &&
    extension.action === active.action &&
    canonicalJson(extension.params ?? {}) === canonicalJson(active.params ?? {});
  if (!same) {
    const message = `request '${extension.id}' asks for something other than the grant of request '${active.id}'`;
    problems.push(reason('extension.different_request', message));
  }
  if (extension.profileVersion !== active.profileVersion) {
    const message = `request '${extension.id}' was evaluated under a different version of profile '${active.profile}' than the grant`;
    problems.push(reason('extension.different_policy', message));
  }
  const revalidation = revalidateRequest(ctx, extension, 'activate');
  if (revalidation.outcome === 'refused') problems.push(...revalidation.reasons);
  else if (revalidation.profileChanged) {
    problems.push(
      reason('extension.policy_changed', `profile '${active.profile}' changed since the grant was approved`),
    );
  }

  const firstActivatedAt = active.firstActivatedAt ?? active.activatedAt;
  const action = ctx.policy.profiles.get(active.profile)?.actions.get(active.action);
  if (firstActivatedAt === undefined || action === undefined) {
    problems.push(reason('extension.unanchored', `request '${active.id}' has no first activation to count from`));
    return { outcome: 'refused', reasons: problems };
  }
  const asked = now + extension.durationSeconds * 1000;
  // A grant obtained with `request` from an activated eligible role ends no later than that activation.
  const profile = ctx.policy.profiles.get(active.profile);
  const entitledUntil = profile && requestEntitlementEnd(ctx.duties, extension.requester, profile);
  const expiresAt = grantEnd({ now, durationSeconds: extension.durationSeconds, entitledUntil });
  const limit = firstActivatedAt + action.maxDurationSeconds * 1000;
  if (asked > limit) {
    const over = formatDurationSeconds(Math.ceil((asked - limit) / 1000));
    const message = `the extension would run ${over} past the ${formatDurationSeconds(action.maxDurationSeconds)} maximum of action '${action.name}', counted from the first activation`;
    problems.push(reason('extension.past_max_duration', message));
  }
  if (expiresAt <= (active.expiresAt ?? 0)) {
    const capped = expiresAt < asked;
    const message = capped
      ? `'${extension.requester}' holds 'request' on profile '${active.profile}' through a role activation that ends no later than the grant; the grant cannot outlive it`
      : `request '${extension.id}' would not extend the grant of '${active.id}'`;
    problems.push(reason(capped ? 'extension.entitlement_ends' : 'extension.not_later', message));
  }
  if (problems.length > 0) return { outcome: 'refused', reasons: problems };
  const message = `the grant of request '${active.id}' is extended by request '${extension.id}' until ${formatDurationSeconds(Math.round((expiresAt - now) / 1000))} from now`;
  return {
    outcome: 'extended',
    expiresAt,
    firstActivatedAt,
    reasons: [...revalidation.reasons, reason('extension.granted', message)],
  };
}

function refusedWith(
  code: ReasonCode,
  message: string,
  earlier: readonly Reason[] = [],
): { readonly outcome: 'refused'; readonly reasons: readonly Reason[] } {
  return { outcome: 'refused', reasons: [...earlier, reason(code, message)] };
}
