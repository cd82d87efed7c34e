/**
 * SCIM filters (RFC 7644 §3.4.2.2) evaluated on SCIM documents: the expression is parsed by
 * `scim2-parse-filter`; evaluation is ours, because SCIM compares strings case-insensitively unless the
 * attribute is case-exact (`id`, `externalId`, a member's `value`), looks attribute names up case-insensitively,
 * reaches into multi-valued attributes (`emails.value`, `members[value eq "…"]`) and treats the strings
 * "True"/"False" that Entra ID sends as booleans. Pure: no I/O.
 */
import { parse, type Filter } from 'scim2-parse-filter';

export type ScimFilter = Filter;

/** Attribute names compared case-exactly (RFC 7643: `id`, `externalId` and reference values). */
const CASE_EXACT = new Set(['id', 'externalid', 'value', '$ref']);
const MAX_FILTER_LENGTH = 2000;

export class ScimFilterError extends Error {}

/** Parses a filter or throws `ScimFilterError` with a readable reason. */
export function parseScimFilter(text: string): ScimFilter {
  if (text.length > MAX_FILTER_LENGTH)
    throw new ScimFilterError(`a filter has at most ${MAX_FILTER_LENGTH} characters`);
  try {
    return parse(text);
  } catch (error) {
    throw new ScimFilterError(`the filter '${text}' is not a SCIM filter: ${(error as Error).message}`);
  }
}

/** Does `document` match `filter`? */
export function matchesScimFilter(document: unknown, filter: ScimFilter): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => matchesScimFilter(document, f));
    case 'or':
      return filter.filters.some((f) => matchesScimFilter(document, f));
    case 'not':
      return !matchesScimFilter(document, filter.filter);
    case '[]':
      return valuesAt(document, filter.attrPath).some((value) => matchesScimFilter(value, filter.valFilter));
    case 'pr':
      return valuesAt(document, filter.attrPath).some(present);
    default: {
      const attribute = lastSegment(filter.attrPath);
      // A multi-valued complex attribute compared as a whole (`emails co "…"`) is compared by its `value`s.
      const values = valuesAt(document, filter.attrPath).map(primaryValue);
      const op = filter.op;
      if (op === 'ne') return !values.some((value) => compare('eq', value, filter.compValue, attribute));
      return values.some((value) => compare(op, value, filter.compValue, attribute));
    }
  }
}

function primaryValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const key = keyOf(value as Record<string, unknown>, 'value');
  return key === undefined ? value : (value as Record<string, unknown>)[key];
}

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A path without its schema URN (`urn:…:User:userName` → `userName`), split at its dots. */
export function pathSegments(path: string): string[] {
  const core = /^urn:ietf:params:scim:schemas:core:2\.0:(?:User|Group):/i;
  const stripped = path.replace(core, '');
  const urn = /^(urn:[^\s]+):([^:]+)$/i.exec(stripped);
  if (urn?.[1] !== undefined && urn[2] !== undefined) return [urn[1], ...urn[2].split('.')];
  return stripped.split('.');
}

function lastSegment(path: string): string {
  return (pathSegments(path).at(-1) ?? '').toLowerCase();
}

/** The key of `object` that names `attribute`, compared case-insensitively. */
export function keyOf(object: Readonly<Record<string, unknown>>, attribute: string): string | undefined {
  const wanted = attribute.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === wanted);
}

/** Every value at `path`, flattening multi-valued attributes on the way. */
function valuesAt(document: unknown, path: string): unknown[] {
  let current: unknown[] = [document];
  for (const segment of pathSegments(path)) {
    const next: unknown[] = [];
    for (const item of current.flatMap((value) => (Array.isArray(value) ? value : [value]))) {
      if (item === null || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      const key = keyOf(record, segment);
      if (key !== undefined && record[key] !== undefined) next.push(record[key]);
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

type CompareOp = 'eq' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

/** "True"/"False" as Entra ID sends them. */
export function scimBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function compare(op: CompareOp, actual: unknown, expected: unknown, attribute: string): boolean {
  if (expected === null) return op === 'eq' && (actual === null || actual === undefined);
  if (typeof expected === 'boolean' || typeof actual === 'boolean') {
    const a = scimBoolean(actual);
    const b = scimBoolean(expected);
    return op === 'eq' && a !== undefined && a === b;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    return {
      eq: actual === expected,
      gt: actual > expected,
      lt: actual < expected,
      ge: actual >= expected,
      le: actual <= expected,
      co: false,
      sw: false,
      ew: false,
    }[op];
  }
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  const exact = CASE_EXACT.has(attribute);
  const a = exact ? actual : actual.toLowerCase();
  const b = exact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq':
      return a === b;
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'gt':
      return a > b;
    case 'lt':
      return a < b;
    case 'ge':
      return a >= b;
    case 'le':
      return a <= b;
  }
}
