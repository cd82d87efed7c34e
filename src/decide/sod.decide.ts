/**
 * Static separation of duties (SPEC §2.4), preventive and detective: `checkProposedAssignment` refuses an
 * assignment that would take part in a conflict, `scanSod` lists every current conflict. Both go through
 * `SodEvaluator.conflictsOf` (`sod-evaluator.ts`), so they cannot disagree. Also the built-in "the identity that
 * exports evidence may not hold `administer`" and the human-only duties of SPEC §2.2.
 */
import { reason } from '../core/decision.js';
import type { Reason } from '../core/decision.js';
import { HUMAN_ONLY_DUTIES } from '../policy/model.js';
import type { PolicySet, RoleAssignment, SodException, SubjectRef } from '../policy/model.js';
import { DutyIndex, assignmentHoldings } from './duties.js';
import type { DutyHolding } from './duties.js';
import { SodEvaluator, compareConflicts } from './sod-evaluator.js';
import type { SodConflict } from './sod-evaluator.js';

export { SodEvaluator, exceptionIsActive } from './sod-evaluator.js';
export type { SodConflict } from './sod-evaluator.js';

/** A non-human identity holding a human-only duty (SPEC §2.2): a policy error the scan reports too. */
export interface HumanOnlyViolation {
  readonly identity: string;
  readonly holding: DutyHolding;
  readonly reason: Reason;
}

export interface SodScanResult {
  readonly at: number;
  /** Every current conflict, suppressed ones included, ordered by rule, identity and profile. */
  readonly conflicts: readonly SodConflict[];
  readonly unsuppressed: number;
  readonly suppressed: number;
  readonly humanOnly: readonly HumanOnlyViolation[];
  /** Number of identities and of static rules scanned. */
  readonly identities: number;
  readonly rules: number;
}

export interface ProposedAssignmentCheck {
  readonly allowed: boolean;
  /** Conflicts the proposed assignment takes part in, suppressed ones included. */
  readonly conflicts: readonly SodConflict[];
  /** Names of the rules the assignment would break (unsuppressed), sorted: material for `sod_violation`. */
  readonly violatedRules: readonly string[];
  readonly reasons: readonly Reason[];
}

function describeSubject(subject: SubjectRef): string {
  return `${subject.type} '${subject.name}'`;
}

function humanOnlyReason(identity: string, kind: string, duty: string, role: string): Reason {
  return reason(
    'sod.human_only_duty',
    `'${identity}' is a ${kind} identity and may not hold the human-only duty '${duty}' (role '${role}')`,
  );
}

export interface SodCheckContext {
  readonly policy: PolicySet;
  /** Assignments kept outside the policy documents (API assignments); ignored when `duties` is given. */
  readonly extraAssignments?: readonly RoleAssignment[];
  /** The duty index of `policy` (and the API assignments) at `now`, when the caller already has one. */
  readonly duties?: DutyIndex;
  readonly exceptions: readonly SodException[];
  readonly now: number;
}

/**
 * Preventive SoD: would adding `proposed` make any identity it reaches (the subject, or every member of the
 * group) take part in a static conflict that no exception suppresses, or give a non-human identity a human-only
 * duty? Invariant: an assignment this check allows never appears in an unsuppressed conflict of `scanSod` run
 * over the same policy, exceptions and time, because both use `SodEvaluator.conflictsOf`.
 */
export function checkProposedAssignment(ctx: SodCheckContext, proposed: RoleAssignment): ProposedAssignmentCheck {
  const target = `assigning role '${proposed.role}' to ${describeSubject(proposed.subject)}`;
  const role = ctx.policy.roles.get(proposed.role);
  if (!role) {
    const reasons = [reason('sod.unknown_role', `${target}: role '${proposed.role}' does not exist`)];
    return { allowed: false, conflicts: [], violatedRules: [], reasons };
  }
  if (proposed.expiresAt !== undefined && proposed.expiresAt <= ctx.now) {
    const reasons = [
      reason('sod.assignment_expired', `${target}: the assignment has already expired and gives nothing`),
    ];
    return { allowed: true, conflicts: [], violatedRules: [], reasons };
  }
  const duties = ctx.duties ?? new DutyIndex(ctx.policy, ctx.now, ctx.extraAssignments);
  const evaluator = new SodEvaluator(ctx.policy, ctx.exceptions, ctx.now);
  const reached =
    proposed.subject.type === 'identity' ? [proposed.subject.name] : duties.membersOf(proposed.subject.name);
  const humanOnly = role.duties.filter((duty) => HUMAN_ONLY_DUTIES.has(duty));
  const refusals: Reason[] = [];
  const notes: Reason[] = [];
  const conflicts: SodConflict[] = [];
  for (const name of reached) {
    const identity = ctx.policy.identities.get(name);
    if (!identity) continue;
    // Checked for disabled NHIs too: re-enabling one must not bring a human-only duty back.
    if (identity.kind !== 'human') {
      for (const duty of humanOnly) refusals.push(humanOnlyReason(name, identity.kind, duty, role.name));
    }
    if (identity.disabled) continue;
    const added = assignmentHoldings(name, role, proposed);
    const holdings = [...duties.holdingsOf(name), ...added];
    for (const conflict of evaluator.conflictsOf(name, holdings, new Set(added))) {
      conflicts.push(conflict);
      const sentence = reason(conflict.reason.code, `${target}: ${conflict.reason.message}`);
      (conflict.suppressedBy === undefined ? refusals : notes).push(sentence);
    }
  }
  conflicts.sort(compareConflicts);
  const violatedRules = [
    ...new Set(conflicts.filter((conflict) => conflict.suppressedBy === undefined).map((conflict) => conflict.rule)),
  ].sort();
  if (refusals.length > 0) return { allowed: false, conflicts, violatedRules, reasons: [...refusals, ...notes] };
  const none = reason(
    'sod.no_conflict',
    reached.length === 0
      ? `${target} reaches no identity and creates no separation-of-duties conflict`
      : `${target} creates no unsuppressed separation-of-duties conflict`,
  );
  return { allowed: true, conflicts, violatedRules, reasons: [...notes, none] };
}

export interface SodScanContext {
  readonly policy: PolicySet;
  readonly exceptions: readonly SodException[];
  readonly now: number;
  /** Assignments kept outside the policy documents (API assignments). */
  readonly extraAssignments?: readonly RoleAssignment[];
  /** A duty index already built over `policy` and `extraAssignments` at `now` (then `extraAssignments` is unused). */
  readonly duties?: DutyIndex;
}

/**
 * Detective SoD (`sod scan`): every current static conflict of every identity, following group membership and
 * counting eligible assignments, suppressed ones listed with their exception; plus NHIs holding human-only
 * duties. Deterministic order (rule, identity, profile), so two scans of the same state are identical.
 */
export function scanSod(ctx: SodScanContext): SodScanResult {
  const duties = ctx.duties ?? new DutyIndex(ctx.policy, ctx.now, ctx.extraAssignments);
  const evaluator = new SodEvaluator(ctx.policy, ctx.exceptions, ctx.now);
  const byRule = new Map<string, SodConflict[]>();
  const humanOnly: HumanOnlyViolation[] = [];
  // Identities in name order and each one's conflicts sorted, so that per-rule lists come out already ordered.
  const names = [...ctx.policy.identities.keys()].sort();
  for (const name of names) {
    const identity = ctx.policy.identities.get(name);
    if (!identity) continue;
    const nhi = identity.kind !== 'human';
    // Only holdings a rule watches can take part in a conflict, so only those are built (the scan's main cost).
    const watched: DutyHolding[] = [];
    duties.forEachAssignment(name, (assignment, role) => {
      const humanOnlyRole = nhi && role.duties.some((duty) => HUMAN_ONLY_DUTIES.has(duty));
      if (!humanOnlyRole && !evaluator.watches(role)) return;
      for (const holding of assignmentHoldings(name, role, assignment)) {
        watched.push(holding);
        if (!nhi || !HUMAN_ONLY_DUTIES.has(holding.duty)) continue;
        humanOnly.push({
          identity: name,
          holding,
          reason: humanOnlyReason(name, identity.kind, holding.duty, holding.role),
        });
      }
    });
    if (watched.length === 0) continue;
    for (const conflict of evaluator.conflictsOf(name, watched).sort(compareConflicts)) {
      const list = byRule.get(conflict.rule);
      if (list) list.push(conflict);
      else byRule.set(conflict.rule, [conflict]);
    }
  }
  const conflicts = [...byRule.keys()].sort().flatMap((rule) => byRule.get(rule) ?? []);
  const suppressed = conflicts.filter((conflict) => conflict.suppressedBy !== undefined).length;
  return {
    at: ctx.now,
    conflicts,
    unsuppressed: conflicts.length - suppressed,
    suppressed,
    humanOnly,
    identities: ctx.policy.identities.size,
    rules: evaluator.ruleCount,
  };
}

/**
 * Built-in rule (SPEC §2.4, cannot be exempted): the identity that exports evidence holds `audit` and does not
 * hold `administer` — not even as an eligible role it could activate. The bundle holds the whole log of its
 * period, so the `audit` must be over every profile (`*`): an auditor of some profiles reads only theirs.
 */
export function checkEvidenceExporter(
  duties: DutyIndex,
  identity: string,
): { allowed: boolean; reasons: readonly Reason[] } {
  const refusals: Reason[] = [];
  const administer = duties.holdsAnywhere(identity, 'administer', { includeEligible: true });
  if (administer) {
    refusals.push(
      reason(
        'sod.exporter_administers',
        `'${identity}' holds 'administer' through role '${administer.role}' and so may not export evidence`,
      ),
    );
  }
  const audit = duties.effectiveHoldings(identity).filter((holding) => holding.duty === 'audit');
  if (audit.length === 0) {
    refusals.push(
      reason('sod.exporter_not_auditor', `'${identity}' does not hold 'audit' and so may not export evidence`),
    );
  } else if (!audit.some((holding) => holding.scope.kind === 'all')) {
    // A bundle holds the whole log of its period; an auditor of some profiles reads only their events.
    refusals.push(
      reason(
        'sod.exporter_scoped_auditor',
        `'${identity}' holds 'audit' on some profiles only (role '${audit[0]?.role ?? '?'}'), and evidence ` +
          `covers every profile: exporting it needs 'audit' on every profile`,
      ),
    );
  }
  if (refusals.length > 0) return { allowed: false, reasons: refusals };
  return {
    allowed: true,
    reasons: [reason('sod.exporter_ok', `'${identity}' holds 'audit' and not 'administer', and may export evidence`)],
  };
}
