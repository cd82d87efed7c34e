/**
 * A static worst-case cost for CEL conditions, computed when policy is loaded (docs/policy.md "CEL conditions"):
 * `@marcbachmann/cel-js` bounds the size of an expression but not the work its evaluation does, and evaluation
 * runs inside request handling on input the requester chooses (`request.params`, the justification, observed
 * config). A condition whose worst case exceeds `MAX_EVALUATION_COST` steps is a load error, so is a regular
 * expression built at evaluation time or one with nested repetition (catastrophic backtracking).
 *
 * The model: every node costs one step; a comprehension (`all`, `exists`, `exists_one`, `map`, `filter`) costs
 * its range plus its body once per element; `x in list` costs one step per element. The number of elements is
 * known for literals and follows through `+`, `map`, `filter` and `cel.bind`; any other collection (parameters,
 * config, attributes, groups, `split`) is assumed to hold up to `DYNAMIC_COLLECTION_BOUND` elements, about
 * what a request body may carry. Pure: no I/O, no clock.
 */
import type { ASTNode } from '@marcbachmann/cel-js';

/** Most evaluation steps a condition may take in the worst case (well under 0.1 s for cel-js). */
export const MAX_EVALUATION_COST = 1_000_000;

/** Elements assumed in a collection whose size the expression does not fix (about a 64 KiB body's worth). */
export const DYNAMIC_COLLECTION_BOUND = 32_768;

const COMPREHENSIONS: ReadonlySet<string> = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

export type CostResult =
  | { readonly ok: true; readonly cost: number }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** Sizes of the collections bound to names in scope (comprehension variables, `cel.bind`). */
type Scope = ReadonlyMap<string, number>;

class Refusal {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/**
 * The worst-case number of evaluation steps of a parsed condition. Invariant: `ok` only when the estimate is at
 * most `MAX_EVALUATION_COST` and every `matches()` pattern is a literal without nested repetition.
 */
export function estimateCelCost(ast: ASTNode): CostResult {
  try {
    const cost = costOf(ast, new Map());
    if (cost > MAX_EVALUATION_COST) {
      return {
        ok: false,
        message:
          `condition may take about ${formatCount(cost)} evaluation steps in the worst case, more than the ` +
          `${formatCount(MAX_EVALUATION_COST)} allowed: avoid nesting comprehensions (all, exists, map, filter, in) ` +
          `over lists the request or the resource supplies`,
        offset: ast.start,
      };
    }
    return { ok: true, cost };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

function costOf(node: ASTNode, scope: Scope): number {
  switch (node.op) {
    case 'value':
    case 'id':
      return 1;
    case '.':
    case '.?':
      return 1 + costOf(node.args[0], scope);
    case '!_':
    case '-_':
      return 1 + costOf(node.args, scope);
    case 'list':
      return node.args.reduce((sum, item) => sum + costOf(item, scope), 1);
    case 'map':
      return node.args.reduce((sum, [key, value]) => sum + costOf(key, scope) + costOf(value, scope), 1);
    case 'call':
      return node.args[1].reduce((sum, arg) => sum + costOf(arg, scope), 1);
    case 'rcall':
      return callCost(node.args, scope);
    case 'in': {
      const [item, collection] = node.args;
      return 1 + costOf(item, scope) + costOf(collection, scope) + sizeOf(collection, scope);
    }
    default: {
      // Binary operators, `[]`, `?:`, `&&`, `||`: their operands, once each.
      const operands = node.args as readonly ASTNode[];
      return operands.reduce((sum, operand) => sum + costOf(operand, scope), 1);
    }
  }
}

function callCost([name, receiver, args]: [string, ASTNode, ASTNode[]], scope: Scope): number {
  if (COMPREHENSIONS.has(name) && args.length >= 2 && args[0]?.op === 'id') {
    const variable = args[0].args;
    const inner = new Map(scope).set(variable, DYNAMIC_COLLECTION_BOUND);
    const perElement = args.slice(1).reduce((sum, body) => sum + costOf(body, inner), 0);
    return 1 + costOf(receiver, scope) + sizeOf(receiver, scope) * perElement;
  }
  if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && args[0]?.op === 'id' && args[2]) {
    const [variable, init, body] = args as [ASTNode & { op: 'id' }, ASTNode, ASTNode];
    return 1 + costOf(init, scope) + costOf(body, new Map(scope).set(variable.args, sizeOf(init, scope)));
  }
  if (name === 'matches') checkPattern(args[0]);
  return args.reduce((sum, arg) => sum + costOf(arg, scope), 1 + costOf(receiver, scope));
}

/** The most elements a collection-valued node can hold. */
function sizeOf(node: ASTNode, scope: Scope): number {
  switch (node.op) {
    case 'list':
    case 'map':
      return node.args.length;
    case 'id':
      return scope.get(node.args) ?? DYNAMIC_COLLECTION_BOUND;
    case '+':
      return sizeOf(node.args[0], scope) + sizeOf(node.args[1], scope);
    case '?:':
      return Math.max(sizeOf(node.args[1], scope), sizeOf(node.args[2], scope));
    case 'rcall': {
      const [name, receiver] = node.args;
      return name === 'map' || name === 'filter' ? sizeOf(receiver, scope) : DYNAMIC_COLLECTION_BOUND;
    }
    default:
      return DYNAMIC_COLLECTION_BOUND;
  }
}

/** A `matches()` pattern must be written in the policy, and must not repeat a repetition. */
function checkPattern(pattern: ASTNode | undefined): void {
  if (pattern === undefined) return;
  if (pattern.op !== 'value' || typeof pattern.args !== 'string') {
    throw new Refusal(
      'the pattern of matches() must be a string literal: a pattern built from request or resource data could ' +
        'take exponential time',
      pattern.start,
    );
  }
  if (hasNestedRepetition(pattern.args)) {
    throw new Refusal(
      `the pattern '${pattern.args}' of matches() repeats a group that itself repeats (such as '(a+)+'), which ` +
        'can take exponential time on a crafted input; rewrite it without nested repetition',
      pattern.start,
    );
  }
}

interface Group {
  repeats: boolean;
}

/**
 * True when a group containing a quantifier is itself repeated (`(a+)+`, `(\w*x)*`, `(a{2,})+`): the star height
 * above one behind most catastrophic backtracking. A heuristic: it does not prove a pattern safe.
 */
export function hasNestedRepetition(pattern: string): boolean {
  const stack: Group[] = [{ repeats: false }];
  let closed: Group | undefined; // the group that just closed, if the previous token was `)`
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const top = stack[stack.length - 1] as Group;
    const quantifier = quantifierAt(pattern, i);
    if (quantifier !== undefined) {
      if (quantifier.repeats) {
        if (closed?.repeats === true) return true;
        top.repeats = true;
      } else if (closed?.repeats === true) {
        top.repeats = true; // `(a+)?` still repeats inside
      }
      closed = undefined;
      i = quantifier.end - 1;
      if (pattern[i + 1] === '?' || pattern[i + 1] === '+') i++; // lazy or possessive modifier
      continue;
    }
    if (closed?.repeats === true) top.repeats = true;
    closed = undefined;
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      i = classEnd(pattern, i);
    } else if (c === '(') {
      stack.push({ repeats: false });
    } else if (c === ')' && stack.length > 1) {
      closed = stack.pop();
    }
  }
  return false;
}

/** A quantifier starting at `i`: `*`, `+` and `{n,}` / `{n,m}` with m > 1 repeat; `?` and `{0,1}` do not. */
function quantifierAt(pattern: string, i: number): { repeats: boolean; end: number } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return { repeats: true, end: i + 1 };
  if (c === '?') return { repeats: false, end: i + 1 };
  if (c !== '{') return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (match === null) return undefined;
  const max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Infinity : Number(match[3]);
  return { repeats: max > 1, end: i + match[0].length };
}

/** Index of the `]` closing the character class opened at `start`. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

function formatCount(count: number): string {
  if (!Number.isFinite(count)) return 'unboundedly many';
  return Math.round(count).toLocaleString('en-US');
}
