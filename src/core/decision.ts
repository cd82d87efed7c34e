/**
 * What every pure decision returns: an outcome plus reasons a person can read. Never a bare boolean, so that
 * "why was this allowed?" always has an answer that can go into the decision log. A refusal also says what kind
 * of "no" it is (`Refusal.kind`), which alone picks the error a caller sees (`app/refuse.ts`): nobody matches
 * reason-code strings to choose one.
 */
import { REASON_KINDS, REFUSAL_KINDS, type ReasonCode, type ReasonKind, type RefusalKind } from './reason-codes.js';

export { REASON_KINDS, REFUSAL_KINDS, type ReasonCode, type ReasonKind, type RefusalKind };

export interface Reason {
  /** Stable, machine-readable code from the closed list in `reason-codes.ts` (`sod.own_request`, …). */
  readonly code: ReasonCode;
  /** A sentence in product words that quotes the identifiers involved. */
  readonly message: string;
}

export function reason(code: ReasonCode, message: string): Reason {
  return { code, message };
}

/** What `reason` means on its own (its code's kind). */
export function kindOf(reason: Pick<Reason, 'code'>): ReasonKind {
  return REASON_KINDS[reason.code];
}

/** A refusal: why, and what kind of refusal it is. */
export interface Refusal {
  readonly kind: RefusalKind;
  readonly reasons: readonly Reason[];
}

/**
 * The refusal `reasons` make on their own: the strongest kind any of them has, in `REFUSAL_KINDS` order (a
 * malformed input before a missing subject, before a wrong state, before separation of duties, before the policy,
 * before a missing duty). Reasons that only explain (`note`) never decide; a refusal with no refusing reason is
 * `forbidden`: what is not allowed is refused.
 */
export function refusalOf(reasons: readonly Reason[]): Refusal {
  const kinds = new Set(reasons.map(kindOf));
  const kind = REFUSAL_KINDS.find((candidate) => kinds.has(candidate)) ?? 'forbidden';
  return { kind, reasons };
}

/**
 * A refusal judged as a whole by the decision that makes it: `kind`, unless one of the reasons says the subject
 * does not exist (`not_found`) or is not in a state for this (`conflict`), which no judgement changes. Used where
 * the same reason means something else in that decision: evaluating a new request refuses `invalid` or
 * `forbidden`; disabling oneself, or assigning a role that reaches oneself, is `forbidden`; removing the last
 * holder of a duty through an assignment is a `conflict`.
 */
export function refusalAs(kind: RefusalKind, reasons: readonly Reason[]): Refusal {
  const kinds = new Set(reasons.map(kindOf));
  const kept = (['not_found', 'conflict'] as const).find((candidate) => kinds.has(candidate));
  return { kind: kept ?? kind, reasons };
}
