/**
 * Drift: evaluates a resource's observed configuration against its profile's baseline checks. A failing check
 * is drift; the counts of failing checks by severity become `resource.drift`, which approval conditions read.
 */
import { reason, type Reason } from '../core/decision.js';
import { evaluationErrorMessage, isMissingFieldError, missingFieldName } from '../policy/cel.js';
import { buildCelVariables } from '../policy/cel-variables.js';
import type { BaselineCheck, CelVariables, Resource, ResourceProfile, Severity } from '../policy/model.js';
import type { ResourceState } from './types.js';

export const BASELINE_STATUSES = ['compliant', 'non_compliant', 'not_applicable', 'error'] as const;
export type BaselineStatus = (typeof BASELINE_STATUSES)[number];

/** The outcome of one baseline check on one resource, with a sentence saying why. */
export interface BaselineCheckResult {
  readonly check: string;
  readonly severity: Severity;
  readonly status: BaselineStatus;
  readonly message: string;
}

export interface BaselineEvaluation {
  readonly resource: string;
  readonly profile: string;
  readonly profileVersion: string;
  /** One result per baseline check, in the profile's order. */
  readonly results: readonly BaselineCheckResult[];
  /** Non-compliant checks counted by severity: the `drift` of `ResourceState`. */
  readonly drift: Record<Severity, number>;
}

export interface BaselineInput {
  readonly profile: ResourceProfile;
  readonly resource: Resource;
  readonly state: ResourceState;
  /** Epoch milliseconds; what CEL sees as `now`. */
  readonly now: number;
}

/**
 * Evaluates every baseline check of the profile on one resource. Invariants: every check gets exactly one
 * result (a check that throws becomes `error`, never an exception out of the scan); a resource never observed
 * is `not_applicable` on every check rather than compliant; a missing config field follows the check's
 * `whenAbsent`; only `non_compliant` results count as drift.
 */
export function evaluateBaseline(input: BaselineInput): BaselineEvaluation {
  const { profile, resource, state } = input;
  const results: BaselineCheckResult[] = [];
  if (state.config === undefined) {
    for (const check of profile.baseline) {
      results.push(
        result(
          check,
          'not_applicable',
          `'${resource.name}' has no observed configuration yet, so '${check.name}' was not evaluated`,
        ),
      );
    }
  } else {
    // Built once per resource and shared by all of its checks: this is the drift scan's hot path.
    const variables = buildCelVariables({ resource, state, profile, now: input.now });
    for (const check of profile.baseline) results.push(evaluateCheck(check, variables));
  }
  return {
    resource: resource.name,
    profile: profile.name,
    profileVersion: profile.version,
    results,
    drift: driftCounts(results),
  };
}

/** How far ahead of the server's clock an observation's `observedAt` may lie: the senders' clock skew. */
export const MAX_OBSERVATION_SKEW_MS = 5 * 60_000;

/**
 * May an observation claim to have been seen at `observedAt`? Invariant: never later than `now` plus
 * `MAX_OBSERVATION_SKEW_MS` — an observation from the future would be taken for the newest one by anything
 * ordering by time, and a resource's state must not be set in advance.
 */
export function decideObservationTime(
  resource: string,
  observedAt: number,
  now: number,
): { readonly allowed: boolean; readonly reasons: readonly Reason[] } {
  if (observedAt > now + MAX_OBSERVATION_SKEW_MS) {
    return {
      allowed: false,
      reasons: [
        reason(
          'observation.in_future',
          `the observation of '${resource}' is dated in the future: observedAt may be at most ${MAX_OBSERVATION_SKEW_MS / 60_000} minutes ahead of the server's clock`,
        ),
      ],
    };
  }
  return {
    allowed: true,
    reasons: [reason('observation.time_ok', `the observation of '${resource}' is not dated in the future`)],
  };
}

/** Counts the non-compliant results by severity (the shape of `ResourceState['drift']`). */
export function driftCounts(results: readonly BaselineCheckResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const r of results) if (r.status === 'non_compliant') counts[r.severity] += 1;
  return counts;
}

function evaluateCheck(check: BaselineCheck, variables: CelVariables): BaselineCheckResult {
  let value: unknown;
  try {
    value = check.expr.evaluate(variables);
  } catch (error) {
    if (isMissingFieldError(error)) {
      const field = missingFieldName(error);
      const absent =
        field === undefined ? 'a field it reads is absent' : `'${field}' is absent from the observed configuration`;
      return check.whenAbsent === 'non_compliant'
        ? result(check, 'non_compliant', `${check.message} (${absent})`)
        : result(check, 'not_applicable', `'${check.name}' does not apply: ${absent}`);
    }
    return result(check, 'error', `'${check.name}' could not be evaluated: ${evaluationErrorMessage(error)}`);
  }
  if (value === true) return result(check, 'compliant', `'${check.name}' holds`);
  if (value === false) return result(check, 'non_compliant', check.message);
  return result(check, 'error', `'${check.name}' evaluated to ${describeValue(value)}, not a bool`);
}

function result(check: BaselineCheck, status: BaselineStatus, message: string): BaselineCheckResult {
  return { check: check.name, severity: check.severity, status, message };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'bigint') return `the int ${value}`;
  if (typeof value === 'number') return `the double ${value}`;
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value === 'object' ? 'map' : typeof value}`;
}
