/**
 * Static separation of duties is preventive for whole policies too (SPEC §2.4): a policy load or a change set
 * that would create a `profile`- or `global`-scope conflict is refused with `sod_violation` naming the rule and
 * the identity, exactly as a role assignment through the API is; `policy validate` reports them offline. Conflicts
 * come from `scanSod`, so what is refused here is what `sod scan` would report afterwards.
 */
import { reason, type Reason } from '../core/decision.js';
import type { PolicySet, SodException } from '../policy/model.js';
import type { PolicyProblem } from '../policy/problems.js';
import type { DutyIndex } from './duties.js';
import { scanSod, type SodConflict } from './sod.decide.js';

/** A policy with its duty index (the database's overlays applied), as a snapshot gives it. */
export interface PolicyWithDuties {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
}

export interface PolicySodInput {
  /** The policy in force; undefined when none is (the first load: every conflict is new). */
  readonly inForce?: PolicyWithDuties;
  readonly proposed: PolicyWithDuties;
  readonly exceptions: readonly SodException[];
  readonly now: number;
}

export interface PolicySodDecision {
  readonly allowed: boolean;
  /** The unsuppressed conflicts the proposal creates, in `sod scan` order. */
  readonly conflicts: readonly SodConflict[];
  readonly reasons: readonly Reason[];
}

function conflictKey(conflict: SodConflict): string {
  return `${conflict.rule}\u0000${conflict.identity}\u0000${conflict.profile ?? ''}`;
}

function unsuppressed(policy: PolicyWithDuties, exceptions: readonly SodException[], now: number): SodConflict[] {
  return scanSod({ policy: policy.policy, duties: policy.duties, exceptions, now }).conflicts.filter(
    (conflict) => conflict.suppressedBy === undefined,
  );
}

/**
 * Would putting `proposed` in force create a static SoD conflict that no approved, unexpired exception
 * suppresses and that is not already present in the policy in force? Invariant: a proposal this allows adds no
 * unsuppressed conflict to `sod scan`; conflicts that already exist (an exception expired) are left to the
 * detective scan, so that they do not block unrelated changes, and are never made worse unseen.
 */
export function decidePolicySod(input: PolicySodInput): PolicySodDecision {
  const existing = new Set(
    input.inForce === undefined ? [] : unsuppressed(input.inForce, input.exceptions, input.now).map(conflictKey),
  );
  const conflicts = unsuppressed(input.proposed, input.exceptions, input.now).filter(
    (conflict) => !existing.has(conflictKey(conflict)),
  );
  if (conflicts.length === 0) {
    return {
      allowed: true,
      conflicts,
      reasons: [reason('sod.no_conflict', 'the proposed policy creates no separation-of-duties conflict')],
    };
  }
  return {
    allowed: false,
    conflicts,
    reasons: conflicts.map((conflict) =>
      reason(conflict.reason.code, `the proposed policy: ${conflict.reason.message}`),
    ),
  };
}

/** Where a conflict is reported when its rule has no recorded position (a policy built in code). */
const NOWHERE = { file: '(policy)', line: 1, col: 1 };

/**
 * Offline (`policy validate`): every static conflict of a policy on its own, with no database and so no
 * exceptions, as a problem at the rule that forbids it. Exceptions live in the server's database; a conflict
 * an approved exception covers is reported here and accepted by a load.
 */
export function policySodProblems(policy: PolicySet, now: number): PolicyProblem[] {
  const rules = new Map(policy.sodRules.map((rule) => [rule.name, rule]));
  return scanSod({ policy, exceptions: [], now }).conflicts.map((conflict) => ({
    ...(rules.get(conflict.rule)?.position ?? NOWHERE),
    message: conflict.reason.message,
  }));
}
