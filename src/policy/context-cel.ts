/**
 * Context sources in CEL (docs/policy.md "CEL conditions"): approval rules and break-glass conditions see
 * `context.<source>` — an on-call source as `countersign.OnCall` (`identities`, `emails`, `contains(id)`), a
 * Jira source as `countersign.Ticket` (`key`, `exists`, `status`, `assignee`, `assigneeEmail`), an `http` source
 * as a map of its declared fields — and `ticket`, the request's ticket through the policy's ticket source.
 *
 * The type of `context` depends on the policy's sources, so each distinct set of sources gets its own CEL
 * environment (cached: a policy has few, and they change only when policy does). Which sources an expression
 * reads is found on its parsed tree, so the decision can tell a rule that depends on an unknown source from
 * one that does not (fail closed, `decide/context.decide.ts`). Pure.
 */
import type { Environment } from '@marcbachmann/cel-js';
import {
  mapUserToIdentity,
  mapUsersToIdentities,
  ticketSourceOf,
  type ContextSource,
  type ContextValues,
} from './context-sources.js';
import type { CelVariables, Identity } from './model.js';

/** What CEL needs to know of a policy's sources: each one's shape, the fields of `http` ones, the ticket source. */
export interface ContextShape {
  readonly sources: ReadonlyMap<
    string,
    { readonly kind: 'oncall' | 'ticket' | 'fields'; readonly fields?: readonly string[] }
  >;
  readonly ticketSource?: string;
}

export const EMPTY_CONTEXT_SHAPE: ContextShape = { sources: new Map() };

export function contextShapeOf(sources: ReadonlyMap<string, ContextSource>): ContextShape {
  const shape = new Map<string, { kind: 'oncall' | 'ticket' | 'fields'; fields?: readonly string[] }>();
  for (const source of sources.values()) {
    if (source.type === 'http') shape.set(source.name, { kind: 'fields', fields: Object.keys(source.fields) });
    else shape.set(source.name, { kind: source.type === 'jira' ? 'ticket' : 'oncall' });
  }
  const ticket = ticketSourceOf(sources);
  return { sources: shape, ...(ticket ? { ticketSource: ticket.name } : {}) };
}

export class CelOnCall {
  constructor(
    /** The identities on call: the service's users mapped by the source's `identities` rule. */
    readonly identities: readonly string[],
    readonly emails: readonly string[],
  ) {}
}

export class CelTicket {
  constructor(
    readonly key: string,
    readonly exists: boolean,
    readonly status: string,
    /** The assignee as an identity name; `""` when unassigned or matching no identity. */
    readonly assignee: string,
    readonly assigneeEmail: string,
  ) {}
}

/** The `context` value: one property per source, set when built (the declared fields vary per policy). */
export class CelContext {
  [source: string]: unknown;
}

const ON_CALL_TYPE = 'countersign.OnCall';
const TICKET_TYPE = 'countersign.Ticket';
export const CONTEXT_TYPE = 'countersign.Context';

/** The fields of the values context sources give, by CEL type name, for readable load errors. */
export const CONTEXT_VALUE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [ON_CALL_TYPE]: ['identities', 'emails'],
  [TICKET_TYPE]: ['key', 'exists', 'status', 'assignee', 'assigneeEmail'],
};

const environments = new Map<string, Environment>();

/**
 * The approval environment extended with `context` (fields per the shape's sources) and, when the policy has a
 * ticket source, `ticket`. `base` is cloned (which freezes it, as the approval environment already is).
 */
export function contextEnvironment(base: Environment, shape: ContextShape): Environment {
  const key = JSON.stringify([[...shape.sources].sort(([a], [b]) => (a < b ? -1 : 1)), shape.ticketSource ?? '']);
  const cached = environments.get(key);
  if (cached) return cached;
  const env = base.clone();
  env.registerType(ON_CALL_TYPE, { ctor: CelOnCall, fields: { identities: 'list<string>', emails: 'list<string>' } });
  env.registerType(TICKET_TYPE, {
    ctor: CelTicket,
    fields: { key: 'string', exists: 'bool', status: 'string', assignee: 'string', assigneeEmail: 'string' },
  });
  env.registerFunction({
    name: 'contains',
    receiverType: ON_CALL_TYPE,
    returnType: 'bool',
    handler: (onCall: CelOnCall, identity: string) => onCall.identities.includes(identity),
    params: [{ name: 'identity', type: 'string' }],
  });
  const fields: Record<string, string> = {};
  for (const [name, { kind }] of shape.sources) {
    fields[name] = kind === 'oncall' ? ON_CALL_TYPE : kind === 'ticket' ? TICKET_TYPE : 'map<string, dyn>';
  }
  env.registerType(CONTEXT_TYPE, { ctor: CelContext, fields });
  env.registerVariable('context', CONTEXT_TYPE);
  if (shape.ticketSource !== undefined) env.registerVariable('ticket', TICKET_TYPE);
  environments.set(key, env);
  return env;
}

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly start?: number;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

export type ContextDependencies =
  | { readonly ok: true; readonly sources: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly offset?: number };

/**
 * The sources an expression reads: `context.NAME` reads NAME, `ticket` reads the ticket source. `context` used any
 * other way (whole, indexed) is refused, so that what an expression depends on is always known; so is a field an
 * `http` source does not declare (its values are a map, which the type checker cannot check).
 */
export function contextDependencies(ast: unknown, shape: ContextShape): ContextDependencies {
  const sources = new Set<string>();
  let refusal: { message: string; offset?: number } | undefined;
  const at = (node: AstNode) => (node.start === undefined ? {} : { offset: node.start });
  const visit = (node: unknown, parent: AstNode | undefined, grandparent: AstNode | undefined): void => {
    if (refusal !== undefined) return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, parent, grandparent);
      return;
    }
    if (!isAstNode(node)) return;
    if (node.op === 'id' && node.args === 'ticket' && shape.ticketSource !== undefined) sources.add(shape.ticketSource);
    if (node.op === 'id' && node.args === 'context') {
      const member = parent !== undefined && (parent.op === '.' || parent.op === '.?');
      const args = member ? (parent.args as unknown[]) : [];
      const name = args[1];
      if (!member || args[0] !== node || typeof name !== 'string') {
        refusal = { message: "write 'context.NAME' with the name of a ContextSource", ...at(node) };
        return;
      }
      sources.add(name);
      const declared = shape.sources.get(name);
      const fieldAccess = grandparent !== undefined && (grandparent.op === '.' || grandparent.op === '.?');
      const field = fieldAccess ? (grandparent.args as unknown[])[1] : undefined;
      if (declared?.kind === 'fields' && typeof field === 'string' && !declared.fields?.includes(field)) {
        const known = (declared.fields ?? []).join(', ');
        refusal = { message: `context source '${name}' has no field '${field}' (fields: ${known})`, ...at(node) };
      }
      return;
    }
    visit(node.args, node, parent);
  };
  visit(ast, undefined, undefined);
  return refusal !== undefined ? { ok: false, ...refusal } : { ok: true, sources: [...sources].sort() };
}

/**
 * A readable load error for a field the checker did not find on a context type (`[target, field]` of the `.` node):
 * `context.NAME` naming no source, or a field an on-call or ticket value does not have. Undefined for other types.
 */
export function contextFieldMessage(
  [target, field]: [unknown, unknown],
  source: string,
  shape: ContextShape,
): string | undefined {
  const typeName = (target as { checkedType?: { name?: string } } | undefined)?.checkedType?.name;
  if (typeof field !== 'string' || typeName === undefined) return undefined;
  if (typeName === CONTEXT_TYPE) {
    const defined = [...shape.sources.keys()].sort();
    return defined.length === 0
      ? `no ContextSource named '${field}': the policy defines none`
      : `no ContextSource named '${field}' (defined: ${defined.join(', ')})`;
  }
  const fields = CONTEXT_VALUE_FIELDS[typeName];
  if (fields === undefined) return undefined;
  const range = (target as { range?: { start: number; end: number } }).range;
  const what = range ? source.slice(range.start, range.end) : typeName;
  return `'${what}' has no field '${field}' (fields: ${fields.join(', ')})`;
}

/**
 * The `context` and `ticket` variables for one decision. A source whose lookup is unknown (or missing) gets an
 * empty placeholder; the decision never lets a rule that reads it decide (`decide/context.decide.ts`).
 */
export function buildContextVariables(
  sources: ReadonlyMap<string, ContextSource>,
  identities: ReadonlyMap<string, Identity>,
  values: ContextValues,
): CelVariables {
  const context = new CelContext();
  for (const source of sources.values()) {
    const lookup = values.get(source.name);
    const value = lookup?.status === 'known' ? lookup.value : undefined;
    if (source.type === 'http') {
      const fields = Object.create(null) as Record<string, unknown>;
      for (const field of Object.keys(source.fields)) {
        fields[field] = value?.kind === 'fields' ? toCel(value.fields[field]) : null;
      }
      context[source.name] = fields;
    } else if (source.type === 'jira') {
      const ticket = value?.kind === 'ticket' ? value : undefined;
      const assignee = ticket?.assignee;
      context[source.name] = new CelTicket(
        ticket?.key ?? '',
        ticket?.exists ?? false,
        ticket?.status ?? '',
        assignee === undefined ? '' : (mapUserToIdentity(assignee, source.identities, identities) ?? ''),
        assignee?.email ?? '',
      );
    } else {
      const users = value?.kind === 'oncall' ? value.users : [];
      context[source.name] = new CelOnCall(
        mapUsersToIdentities(users, source.identities, identities),
        users.flatMap((user) => (user.email === undefined ? [] : [user.email])),
      );
    }
  }
  const ticketSource = ticketSourceOf(sources);
  return { context, ...(ticketSource ? { ticket: context[ticketSource.name] } : {}) };
}

/** JSON values to CEL values: whole numbers become CEL ints, objects null-prototype maps. */
function toCel(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    const result = Object.create(null) as Record<string, unknown>;
    for (const [key, member] of Object.entries(value)) result[key] = toCel(member);
    return result;
  }
  return value;
}
