/**
 * Policy load problems: every defect the loader finds, each pinned to `file:line:col`, so that `policy validate`
 * can list them all at once instead of stopping at the first.
 */
import type { PolicySet, SourcePosition } from './model.js';

export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** The outcome of loading policy: `policy` is set only when `problems` is empty. */
export interface PolicyLoadResult {
  readonly policy?: PolicySet;
  readonly problems: PolicyProblem[];
}

/** `file:line:col: message`, the form editors and CI logs turn into links. */
export function formatProblem(problem: PolicyProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

export function problemAt(position: SourcePosition, message: string): PolicyProblem {
  return { file: position.file, line: position.line, col: position.col, message };
}

/**
 * Sorts problems by file and position and drops exact repeats (a base profile's defect is seen again through
 * every profile that extends it, but should be reported once).
 */
export function sortProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  const unique: PolicyProblem[] = [];
  for (const problem of problems) {
    const key = formatProblem(problem);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(problem);
  }
  return unique.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
