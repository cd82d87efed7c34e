/**
 * What every pure decision returns: an outcome plus reasons a person can read. Never a bare boolean, so that
 * "why was this allowed?" always has an answer that can go into the decision log.
 */
export interface Reason {
  /** Stable, machine-readable code (`not_requester`, `step_satisfied`, `sod.rule_conflict`, …). */
  readonly code: string;
  /** A sentence in product words that quotes the identifiers involved. */
  readonly message: string;
}

export function reason(code: string, message: string): Reason {
  return { code, message };
}
