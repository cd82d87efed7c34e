/**
 * SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's document, as the IdPs send it: `add`, `replace` and
 * `remove` in any case (Entra ID writes `Replace`), a `replace` or `add` without a path whose value holds the
 * attributes (Okta's `{"op":"replace","value":{"active":false}}`, with dotted keys such as `name.givenName`),
 * paths with or without the schema URN, value filters (`members[value eq "…"]`, `emails[type eq "work"].value`),
 * and a `remove` of `members` that lists the members in its value (Entra ID). Pure: the verb validates the
 * resulting document as it validates a PUT.
 */
import {
  keyOf,
  matchesScimFilter,
  parseScimFilter,
  pathSegments,
  ScimFilterError,
  type ScimFilter,
} from './scim-filter.js';

export interface ScimPatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

export type ScimDocument = Record<string, unknown>;
export type PatchScimType =
  'invalidPath' | 'noTarget' | 'invalidValue' | 'mutability' | 'invalidFilter' | 'invalidSyntax';
export type PatchOutcome =
  | { readonly ok: true; readonly document: ScimDocument }
  | { readonly ok: false; readonly scimType: PatchScimType; readonly detail: string };

class PatchFailure extends Error {
  constructor(
    readonly scimType: PatchScimType,
    detail: string,
  ) {
    super(detail);
  }
}

/** Attributes nobody writes: the server's own. */
const SERVER_OWNED = new Set(['id', 'meta', 'schemas']);

/** Applies `operations` in order to a copy of `document`; the first failing operation fails the whole PATCH. */
export function applyScimPatch(document: ScimDocument, operations: readonly ScimPatchOperation[]): PatchOutcome {
  const copy = structuredClone(document);
  try {
    for (const operation of operations) applyOne(copy, operation);
    return { ok: true, document: copy };
  } catch (error) {
    if (error instanceof PatchFailure) return { ok: false, scimType: error.scimType, detail: error.message };
    if (error instanceof ScimFilterError) return { ok: false, scimType: 'invalidFilter', detail: error.message };
    throw error;
  }
}

type Op = 'add' | 'replace' | 'remove';

function applyOne(document: ScimDocument, operation: ScimPatchOperation): void {
  const op = operation.op.toLowerCase();
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw new PatchFailure('invalidSyntax', `'${operation.op}' is not a PATCH operation (add, replace, remove)`);
  }
  const path = operation.path?.trim();
  if (path === undefined || path === '') {
    if (op === 'remove') throw new PatchFailure('noTarget', 'a remove operation needs a path');
    const value = operation.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PatchFailure('invalidValue', `an ${op} without a path needs an object of attributes as its value`);
    }
    for (const [key, item] of Object.entries(value as ScimDocument)) {
      if (SERVER_OWNED.has(key.toLowerCase())) continue;
      // An extension schema's attributes come as one object named by the schema URN.
      const segments = /^urn:.*:(User|Group)$/i.test(key) ? [key] : pathSegments(key);
      applyAt(document, op, segments, item);
    }
    return;
  }
  const bracket = /^(.+?)\[(.+)\](?:\.([A-Za-z0-9_$-]+))?$/.exec(path);
  if (bracket?.[1] !== undefined && bracket[2] !== undefined) {
    applyFiltered(document, op, pathSegments(bracket[1]), parseScimFilter(bracket[2]), bracket[3], operation.value);
    return;
  }
  applyAt(document, op, pathSegments(path), operation.value);
}

function refuseServerOwned(segments: readonly string[]): void {
  const top = segments[0]?.toLowerCase();
  if (top !== undefined && SERVER_OWNED.has(top)) throw new PatchFailure('mutability', `'${top}' is set by the server`);
}

/** The object holding the last segment (created on the way for add and replace), or undefined. */
function parentOf(document: ScimDocument, segments: readonly string[], create: boolean): ScimDocument | undefined {
  let current = document;
  for (const segment of segments.slice(0, -1)) {
    const key = keyOf(current, segment) ?? segment;
    const next = current[key];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      current[key] = {};
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new PatchFailure('invalidPath', `'${segments.join('.')}' does not lead to an attribute`);
    }
    current = current[key] as ScimDocument;
  }
  return current;
}

function applyAt(document: ScimDocument, op: Op, segments: readonly string[], value: unknown): void {
  refuseServerOwned(segments);
  const last = segments.at(-1);
  if (last === undefined || last === '') throw new PatchFailure('invalidPath', 'the path names no attribute');
  const parent = parentOf(document, segments, op !== 'remove');
  if (parent === undefined) return;
  const key = keyOf(parent, last) ?? last;
  const existing = parent[key];
  if (op === 'remove') {
    if (Array.isArray(existing) && Array.isArray(value)) {
      // Entra ID: remove the members listed in the value.
      parent[key] = existing.filter((item) => !value.some((gone) => sameItem(item, gone)));
    } else {
      delete parent[key];
    }
    return;
  }
  if (value === undefined) throw new PatchFailure('invalidValue', `an ${op} of '${segments.join('.')}' needs a value`);
  if (op === 'add' && (Array.isArray(existing) || Array.isArray(value))) {
    const current = Array.isArray(existing) ? existing : existing === undefined || existing === null ? [] : [existing];
    const added = Array.isArray(value) ? value : [value];
    parent[key] = [...current, ...added.filter((item) => !current.some((had) => sameItem(had, item)))];
    return;
  }
  if (isRecord(existing) && isRecord(value)) {
    // A complex attribute: the sub-attributes given replace theirs, the others stay (RFC 7644 §3.5.2.3).
    parent[key] = { ...existing, ...value };
    return;
  }
  parent[key] = value;
}

function applyFiltered(
  document: ScimDocument,
  op: Op,
  segments: readonly string[],
  filter: ScimFilter,
  sub: string | undefined,
  value: unknown,
): void {
  refuseServerOwned(segments);
  const parent = parentOf(document, segments, op !== 'remove');
  const last = segments.at(-1) ?? '';
  if (parent === undefined) return;
  const key = keyOf(parent, last) ?? last;
  const existing = parent[key];
  const items: unknown[] = Array.isArray(existing)
    ? existing
    : existing === undefined || existing === null
      ? []
      : [existing];
  const matches = (item: unknown) => matchesScimFilter(item, filter);
  if (op === 'remove') {
    // Removing what is not there is done already (IdPs retry): no error.
    parent[key] =
      sub === undefined
        ? items.filter((item) => !matches(item))
        : items.map((item) => (matches(item) && isRecord(item) ? withoutKey(item, sub) : item));
    return;
  }
  if (value === undefined) throw new PatchFailure('invalidValue', `an ${op} of '${last}[…]' needs a value`);
  if (!items.some(matches)) {
    // `replace emails[type eq "work"].value` for an address not there yet: add it, as Entra ID expects.
    const seed = seedOf(filter);
    if (seed === undefined) throw new PatchFailure('noTarget', `no value of '${last}' matches the filter`);
    parent[key] = [
      ...items,
      sub === undefined ? { ...seed, ...(isRecord(value) ? value : {}) } : { ...seed, [sub]: value },
    ];
    return;
  }
  parent[key] = items.map((item) => {
    if (!matches(item)) return item;
    if (sub !== undefined)
      return isRecord(item) ? { ...withoutKey(item, sub), [keyOf(item, sub) ?? sub]: value } : item;
    return isRecord(item) && isRecord(value) ? { ...item, ...value } : value;
  });
}

/** `{ type: "work" }` from `type eq "work"`: what a value made by a filtered replace starts from. */
function seedOf(filter: ScimFilter): ScimDocument | undefined {
  if (filter.op !== 'eq' || filter.attrPath.includes('.')) return undefined;
  return { [filter.attrPath]: filter.compValue };
}

function isRecord(value: unknown): value is ScimDocument {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withoutKey(record: ScimDocument, sub: string): ScimDocument {
  const key = keyOf(record, sub);
  if (key === undefined) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** Two values of a multi-valued attribute are the same item when their `value`s are (members by id). */
function sameItem(a: unknown, b: unknown): boolean {
  if (isRecord(a) && isRecord(b)) {
    const av = a[keyOf(a, 'value') ?? 'value'];
    const bv = b[keyOf(b, 'value') ?? 'value'];
    if (av !== undefined || bv !== undefined) return av === bv;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
