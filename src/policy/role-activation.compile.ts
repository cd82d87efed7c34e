/**
 * Compiles what a role's `activation` block executes: each approval rule's `when` (CEL, in the `role` context:
 * `request`, `requester`, `role`, `now`) and the ticket pattern. Results join the profiles' `CompiledParts`, looked
 * up by document and path when the policy is built.
 */
import { hasNestedRepetition } from './cel-cost.js';
import { compileExpression } from './cel.js';
import type { PolicyDocument } from './policy-documents.js';
import type { PolicyProblem } from './problems.js';
import type { CompiledParts } from './profile-parts.compile.js';
import { formatPath } from './schema-issues.js';

/** Compiles the activation rules of every role into `parts`; returns the problems found. */
export function compileRoleParts(documents: Iterable<PolicyDocument<'Role'>>, parts: CompiledParts): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const { source: doc, spec } of documents) {
    const activation = spec.activation;
    if (activation === undefined) continue;
    if (activation.ticketPattern !== undefined) {
      try {
        new RegExp(activation.ticketPattern);
      } catch (error) {
        const path = ['spec', 'activation', 'ticketPattern'];
        const reason = error instanceof Error ? error.message : String(error);
        problems.push(doc.problem(path, `${formatPath(path)}: not a valid regular expression: ${reason}`));
      }
      // Matched against what the requester types: nested repetition could backtrack for ever (`cel-cost.ts`).
      if (hasNestedRepetition(activation.ticketPattern)) {
        const path = ['spec', 'activation', 'ticketPattern'];
        const message =
          `${formatPath(path)}: the pattern '${activation.ticketPattern}' repeats a group that itself repeats ` +
          "(such as '(a+)+'), which can take exponential time on a crafted ticket; rewrite it without nested repetition";
        problems.push(doc.problem(path, message));
      }
    }
    for (const [r, rule] of (activation.approval ?? []).entries()) {
      if (rule.when === undefined) continue;
      const path = ['spec', 'activation', 'approval', r, 'when'];
      const result = compileExpression(rule.when, 'role', doc.position(path));
      if (result.ok) {
        parts.set(doc, path, result.expression);
        continue;
      }
      const position = result.offset === undefined ? doc.position(path) : doc.valueOffsetPosition(path, result.offset);
      problems.push({ ...position, message: `${formatPath(path)}: ${result.message}` });
    }
  }
  return problems;
}
