/**
 * Compiles the executable parts of each profile document where they are written: CEL expressions (baseline
 * `expr`, approval `when`) and parameter schemas; ticket patterns are checked to be valid regular expressions. Compiling per document, not per resolved
 * profile, reports each defect once and lets derived profiles share what they inherit.
 */
import { hasNestedRepetition } from './cel-cost.js';
import { compileExpression } from './cel.js';
import type { CelContext } from './cel.js';
import { EMPTY_CONTEXT_SHAPE, type ContextShape } from './context-cel.js';
import type { CompiledExpression, ParamsValidator } from './model.js';
import { createParamsCompiler } from './params-schema.js';
import type { PolicyDocument } from './policy-documents.js';
import type { PolicyProblem } from './problems.js';
import { formatPath } from './schema-issues.js';
import type { Path, SourceDocument } from './yaml-documents.js';

/** Compiled expressions and parameter validators, looked up by the document and path where they are written. */
export class CompiledParts {
  private readonly parts = new Map<SourceDocument, Map<string, CompiledExpression | ParamsValidator>>();

  set(doc: SourceDocument, path: Path, value: CompiledExpression | ParamsValidator): void {
    let forDoc = this.parts.get(doc);
    if (!forDoc) this.parts.set(doc, (forDoc = new Map()));
    forDoc.set(path.join('\u0000'), value);
  }

  expression(doc: SourceDocument, path: Path): CompiledExpression | undefined {
    const value = this.get(doc, path);
    return typeof value === 'object' ? value : undefined;
  }

  params(doc: SourceDocument, path: Path): ParamsValidator | undefined {
    const value = this.get(doc, path);
    return typeof value === 'function' ? value : undefined;
  }

  private get(doc: SourceDocument, path: Path) {
    return this.parts.get(doc)?.get(path.join('\u0000'));
  }
}

/**
 * Compiles every expression, ticket pattern and parameter schema of the profile documents. Approval rules and
 * break-glass conditions are checked against the policy's context sources (`shape`).
 */
export function compileProfileParts(
  documents: Iterable<PolicyDocument<'ResourceProfile'>>,
  shape: ContextShape = EMPTY_CONTEXT_SHAPE,
): {
  parts: CompiledParts;
  problems: PolicyProblem[];
} {
  const parts = new CompiledParts();
  const problems: PolicyProblem[] = [];
  const compileParams = createParamsCompiler();

  const expression = (doc: SourceDocument, path: Path, source: string, context: CelContext): void => {
    const result = compileExpression(source, context, doc.position(path), shape);
    if (result.ok) {
      parts.set(doc, path, result.expression);
      return;
    }
    const position = result.offset === undefined ? doc.position(path) : doc.valueOffsetPosition(path, result.offset);
    problems.push({ ...position, message: `${formatPath(path)}: ${result.message}` });
  };

  const pattern = (doc: SourceDocument, path: Path, source: string | undefined): void => {
    if (source === undefined) return;
    try {
      new RegExp(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(doc.problem(path, `${formatPath(path)}: not a valid regular expression: ${reason}`));
      return;
    }
    // Matched against what the requester types: nested repetition could backtrack for ever (`cel-cost.ts`).
    if (hasNestedRepetition(source)) {
      problems.push(
        doc.problem(
          path,
          `${formatPath(path)}: the pattern '${source}' repeats a group that itself repeats (such as '(a+)+'), ` +
            'which can take exponential time on a crafted ticket; rewrite it without nested repetition',
        ),
      );
    }
  };

  for (const { source: doc, spec } of documents) {
    for (const [i, check] of (spec.baseline ?? []).entries()) {
      expression(doc, ['spec', 'baseline', i, 'expr'], check.expr, 'baseline');
    }
    pattern(doc, ['spec', 'requestDefaults', 'ticketPattern'], spec.requestDefaults?.ticketPattern);
    if (spec.breakGlass?.when !== undefined) {
      expression(doc, ['spec', 'breakGlass', 'when'], spec.breakGlass.when, 'approval');
    }
    for (const [name, action] of Object.entries(spec.actions ?? {})) {
      const base = ['spec', 'actions', name];
      pattern(doc, [...base, 'ticketPattern'], action.ticketPattern);
      for (const [r, rule] of (action.approval ?? []).entries()) {
        if (rule.when !== undefined) expression(doc, [...base, 'approval', r, 'when'], rule.when, 'approval');
      }
      for (const [r, rule] of (action.gateway?.rules ?? []).entries()) {
        if (rule.when !== undefined) expression(doc, [...base, 'gateway', 'rules', r, 'when'], rule.when, 'gateway');
      }
      if (action.params !== undefined) {
        const compiled = compileParams(action.params);
        if (compiled.ok) parts.set(doc, [...base, 'params'], compiled.validate);
        else problems.push(doc.problem([...base, 'params'], `${formatPath([...base, 'params'])}: ${compiled.message}`));
      }
    }
  }
  return { parts, problems };
}
