/**
 * CEL conditions (docs/policy.md "CEL conditions"): baseline checks and approval `when` clauses are parsed and
 * type-checked once, when policy is loaded, against declared variable types (`cel-variables.ts`), then evaluated
 * many times against variables built by `buildCelVariables`. Built on `@marcbachmann/cel-js`; nothing here does I/O or reads a clock.
 */
import { Environment, EvaluationError, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
import { estimateCelCost } from './cel-cost.js';
import { CEL_TYPES as TYPES } from './cel-variables.js';
import { GATEWAY_CEL_TYPES, STATEMENT_CEL_TYPE } from './gateway-cel-types.js';
import {
  EMPTY_CONTEXT_SHAPE,
  contextDependencies,
  contextEnvironment,
  contextFieldMessage,
  type ContextShape,
} from './context-cel.js';
import type { CelVariables, CompiledExpression, SourcePosition } from './model.js';

/**
 * Which variables an expression may use: approval conditions see everything, baseline checks no request, and a
 * role's activation rules (`role`) see the request, the requester, the role and `now` but no resource, and an
 * action's gateway rules (`gateway`) see the statement, the requester, the resource, the profile and `now`.
 */
export type CelContext = 'approval' | 'baseline' | 'role' | 'gateway';

export type CompileResult =
  | { readonly ok: true; readonly expression: CompiledExpression }
  | { readonly ok: false; readonly message: string; readonly offset?: number };

/** Longest expression accepted; policy conditions are one-liners, so anything longer is a mistake. */
export const MAX_EXPRESSION_LENGTH = 4096;

const BASELINE_VARIABLES = ['resource', 'profile', 'now'] as const;
const APPROVAL_ONLY_VARIABLES = ['request', 'requester'] as const;
const ROLE_VARIABLES = ['request', 'requester', 'role', 'now'] as const;
const GATEWAY_VARIABLES = ['statement', 'requester', 'resource', 'profile', 'now'] as const;

function createEnvironments(): Record<CelContext, Environment> {
  // Optional chaining (`resource.config.?ssl.orValue("off")`) lets a check say what a missing field means.
  const baseline = new Environment({ enableOptionalTypes: true });
  for (const type of [TYPES.drift, TYPES.resource, TYPES.profile]) {
    baseline.registerType(type.name, { ctor: type.ctor, fields: type.fields });
  }
  baseline
    .registerVariable('resource', TYPES.resource.name)
    .registerVariable('profile', TYPES.profile.name)
    .registerVariable('now', 'google.protobuf.Timestamp');
  // Cloning freezes `baseline`, which is what we want: baseline expressions can never see the request.
  const approval = baseline.clone();
  for (const type of [TYPES.request, TYPES.requester]) {
    approval.registerType(type.name, { ctor: type.ctor, fields: type.fields });
  }
  approval.registerVariable('request', TYPES.request.name).registerVariable('requester', TYPES.requester.name);
  const role = new Environment({ enableOptionalTypes: true });
  for (const type of [TYPES.request, TYPES.requester, TYPES.role]) {
    role.registerType(type.name, { ctor: type.ctor, fields: type.fields });
  }
  role
    .registerVariable('request', TYPES.request.name)
    .registerVariable('requester', TYPES.requester.name)
    .registerVariable('role', TYPES.role.name)
    .registerVariable('now', 'google.protobuf.Timestamp');
  // Statement rules of an action's `gateway` block: the statement, who sends it, where and when; no request.
  const gateway = baseline.clone();
  gateway.registerType(TYPES.requester.name, { ctor: TYPES.requester.ctor, fields: TYPES.requester.fields });
  for (const type of GATEWAY_CEL_TYPES) gateway.registerType(type.name, { ctor: type.ctor, fields: type.fields });
  gateway.registerVariable('requester', TYPES.requester.name).registerVariable('statement', STATEMENT_CEL_TYPE);
  return { baseline, approval, role, gateway };
}

const ENVIRONMENTS = createEnvironments();

const RESULT_TYPES_ACCEPTED = new Set(['bool', 'dyn']);

class CelExpression implements CompiledExpression {
  constructor(
    readonly source: string,
    private readonly run: (variables: CelVariables) => unknown,
    readonly readsObservedState: boolean,
    readonly readsContext: readonly string[],
    readonly position?: SourcePosition,
  ) {}

  evaluate(variables: CelVariables): unknown {
    return this.run(variables);
  }

  toJSON(): string {
    return this.source;
  }
}

/**
 * Parses and type-checks a CEL condition against the variables of `context`. Invariant: an expression that
 * compiles here uses only declared variables and fields, type-checks, and yields a bool (or a dyn that may be
 * one), so a policy cannot carry a condition that is wrong in a way the checker can see; its worst-case
 * evaluation cost is bounded (`cel-cost.ts`), so no request can make it run for long.
 */
export function compileExpression(
  source: string,
  context: CelContext,
  position?: SourcePosition,
  shape: ContextShape = EMPTY_CONTEXT_SHAPE,
): CompileResult {
  if (source.trim() === '') return { ok: false, message: 'condition is empty' };
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, message: `condition is longer than ${MAX_EXPRESSION_LENGTH} characters` };
  }
  // Approval conditions also see the policy's context sources (`context-cel.ts`).
  const env = context === 'approval' ? contextEnvironment(ENVIRONMENTS.approval, shape) : ENVIRONMENTS[context];
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    return { ok: false, ...describeCompileError(error, source, context, shape) };
  }
  // `check` records the inferred types on the AST, so evaluation never type-checks again.
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, ...describeCompileError(checked.error, source, context, shape) };
  const type = checked.type ?? 'dyn';
  if (!RESULT_TYPES_ACCEPTED.has(type)) {
    return { ok: false, message: `condition must evaluate to a bool, got ${friendlyType(type)}`, offset: 0 };
  }
  // cel-js has no evaluation budget: a condition whose worst case is too expensive is refused here, at load.
  const cost = estimateCelCost(parsed.ast);
  if (!cost.ok) return cost;
  const reads = readsObservedState(parsed.ast);
  const sources = context === 'approval' ? contextDependencies(parsed.ast, shape) : { ok: true as const, sources: [] };
  if (!sources.ok) return sources;
  return {
    ok: true,
    expression: new CelExpression(source, (variables) => parsed(variables), reads, sources.sources, position),
  };
}

/** Fields of `resource` that do not come from an observation. */
const UNOBSERVED_RESOURCE_FIELDS: ReadonlySet<unknown> = new Set(['id', 'owner', 'labels', 'observed']);

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/**
 * Does the expression read what only an observation supplies (`resource.config`, `resource.drift`)? Found on the
 * parsed tree: every use of `resource` other than `.id`, `.owner`, `.labels` or `.observed` counts — `resource`
 * passed whole, indexed (`resource["config"]`) or shadowed by a macro variable included, so it errs on "reads".
 */
function readsObservedState(ast: unknown): boolean {
  const visit = (node: unknown, parent: AstNode | undefined): boolean => {
    if (Array.isArray(node)) return node.some((child) => visit(child, parent));
    if (!isAstNode(node)) return false;
    if (node.op === 'id' && node.args === 'resource') {
      const field = parent !== undefined && Array.isArray(parent.args) ? (parent.args as unknown[])[1] : undefined;
      const member = parent !== undefined && (parent.op === '.' || parent.op === '.?');
      return !(member && (parent.args as unknown[])[0] === node && UNOBSERVED_RESOURCE_FIELDS.has(field));
    }
    return visit(node.args, node);
  };
  return visit(ast, undefined);
}

/** True when evaluation failed because a field or key the expression reads is absent (e.g. `resource.config.ssl`). */
export function isMissingFieldError(error: unknown): boolean {
  return error instanceof EvaluationError && error.code === 'no_such_key';
}

/** The missing key named by a missing-field error, when the library says which one. */
export function missingFieldName(error: unknown): string | undefined {
  if (!isMissingFieldError(error)) return undefined;
  return /^No such key: (.+)$/.exec((error as EvaluationError).summary)?.[1];
}

/** A one-line, readable message for an error thrown by `CompiledExpression.evaluate`. */
export function evaluationErrorMessage(error: unknown): string {
  if (error instanceof EvaluationError) return oneLine(error.summary);
  if (error instanceof Error) return oneLine(error.message);
  return 'evaluation failed';
}

function describeCompileError(
  error: unknown,
  source: string,
  context: CelContext,
  shape: ContextShape,
): { message: string; offset?: number } {
  if (!(error instanceof ParseError || error instanceof CelTypeError || error instanceof EvaluationError)) {
    return { message: error instanceof Error ? oneLine(error.message) : 'invalid condition' };
  }
  const offset = error.range?.start;
  const at = offset === undefined ? {} : { offset };
  if (error instanceof ParseError) return { message: `syntax error: ${oneLine(error.summary)}`, ...at };
  const node = error.node as { op?: string; args?: unknown } | undefined;
  if (error.code === 'unknown_variable' && node?.op === 'id' && typeof node.args === 'string') {
    return { message: unknownVariableMessage(node.args, context), ...at };
  }
  if (error.code === 'no_such_key' && node?.op === '.' && Array.isArray(node.args)) {
    const contextMessage = contextFieldMessage(node.args as [unknown, unknown], source, shape);
    if (contextMessage) return { message: contextMessage, ...at };
    const message = unknownFieldMessage(node.args as [unknown, unknown], source);
    if (message) return { message, ...at };
  }
  return { message: `type error: ${oneLine(error.summary)}`, ...at };
}

function unknownVariableMessage(name: string, context: CelContext): string {
  if (name === 'ticket' && context === 'approval') {
    return "'ticket' needs a ContextSource of type 'jira' with 'tickets: true' (docs/integrations.md)";
  }
  if (name === 'context' && context !== 'approval') {
    return "'context' is available only in approval rules and break-glass conditions";
  }
  if (context === 'baseline' && (APPROVAL_ONLY_VARIABLES as readonly string[]).includes(name)) {
    return `'${name}' is not available in a baseline check, which sees only ${BASELINE_VARIABLES.join(', ')}`;
  }
  if (context === 'gateway' && name === 'request') {
    return `'request' is not available in a gateway rule, which sees ${GATEWAY_VARIABLES.join(', ')}`;
  }
  const available =
    context === 'gateway'
      ? GATEWAY_VARIABLES
      : context === 'baseline'
        ? BASELINE_VARIABLES
        : context === 'role'
          ? ROLE_VARIABLES
          : [...APPROVAL_ONLY_VARIABLES, ...BASELINE_VARIABLES];
  return `unknown variable '${name}' (available: ${available.join(', ')})`;
}

function unknownFieldMessage([target, field]: [unknown, unknown], source: string): string | undefined {
  const typeName = (target as { checkedType?: { name?: string } } | undefined)?.checkedType?.name;
  const declared = [...Object.values(TYPES), ...GATEWAY_CEL_TYPES].find((type) => type.name === typeName);
  if (!declared || typeof field !== 'string') return undefined;
  const range = (target as { range?: { start: number; end: number } }).range;
  const what = range ? source.slice(range.start, range.end) : typeName;
  return `'${what}' has no field '${field}' (fields: ${Object.keys(declared.fields).join(', ')})`;
}

function friendlyType(type: string): string {
  if (type === 'google.protobuf.Duration') return 'duration';
  if (type === 'google.protobuf.Timestamp') return 'timestamp';
  return type;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
