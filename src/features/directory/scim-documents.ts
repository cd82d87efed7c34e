/**
 * SCIM documents (RFC 7643) and how they map onto Countersign: reading what a client sent into the state kept
 * (validated, bounded) and writing the state back as the documents the client reads.
 *
 * Names: an identity's name is fixed when SCIM creates it, from `userName` in lower case, and for an e-mail
 * address from its local part (`Alice.Smith@example.com` → `alice.smith`); it must then follow the identity name
 * rules (lower-case letters, digits, `.`, `_`, `-`; at most 63), so `system:` names cannot be made. A group's
 * name is fixed from `displayName` in lower case with every run of other characters made one `-` (`Payments
 * Engineers` → `payments-engineers`). Renames change `userName`/`displayName` (shown back, used by filters) but
 * never the name: audit history, grants and role assignments keep naming the same identity and group.
 */
import { AppError } from '../../core/errors.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { scimBoolean } from '../../decide/scim-filter.js';
import type { ScimDocument } from '../../decide/scim-patch.js';
import { MAX_NAME } from '../../policy/schema-primitives.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;
const MAX_DISPLAY = 256;
const MAX_EXTERNAL_ID = 256;
/** What a client may store besides the mapped attributes, as canonical JSON. */
const MAX_ATTRIBUTES_BYTES = 16 * 1024;
/** Handled by their own columns, or never stored (`password`, `groups` is read-only). */
const USER_OWN_KEYS = new Set(['id', 'meta', 'schemas', 'username', 'externalid', 'active', 'password', 'groups']);
const GROUP_OWN_KEYS = new Set(['id', 'meta', 'schemas', 'displayname', 'externalid', 'members']);

/** A SCIM refusal: an `AppError` with the SCIM `scimType` (and the HTTP status when it is not the code's). */
export function scimError(
  code: 'invalid' | 'conflict' | 'not_found',
  scimType: string | undefined,
  message: string,
  status?: number,
): AppError {
  return new AppError(code, message, {
    ...(scimType !== undefined ? { scimType } : {}),
    ...(status !== undefined ? { scimStatus: status } : {}),
  });
}

export interface UserState {
  readonly userName: string;
  readonly externalId: string | null;
  /** Unset when the document leaves it out: true for a new user, unchanged for an existing one. */
  readonly active: boolean | undefined;
  readonly email: string | null;
  /** `name`, `displayName`, `emails`, `title`, the enterprise extension, …: shown back as sent. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface GroupState {
  readonly displayName: string;
  readonly externalId: string | null;
  /** SCIM ids of the member users. */
  readonly memberIds: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

function field(document: ScimDocument, name: string): unknown {
  const key = Object.keys(document).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : document[key];
}

function boundedText(value: unknown, what: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw scimError('invalid', 'invalidValue', `${what} is required`);
    return null;
  }
  if (typeof value !== 'string') throw scimError('invalid', 'invalidValue', `${what} must be a string`);
  if (value.length > max) throw scimError('invalid', 'invalidValue', `${what} has at most ${max} characters`);
  return value;
}

function otherAttributes(document: ScimDocument, own: ReadonlySet<string>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(document).filter(([key]) => !own.has(key.toLowerCase())));
  if (Buffer.byteLength(canonicalJson(kept)) > MAX_ATTRIBUTES_BYTES) {
    throw scimError('invalid', 'invalidValue', `the attributes take more than ${MAX_ATTRIBUTES_BYTES} bytes`);
  }
  return kept;
}

/** The primary (else the first) e-mail address, else `userName` when it is one. */
function emailOf(document: ScimDocument, userName: string): string | null {
  const emails = field(document, 'emails');
  let chosen: unknown;
  if (Array.isArray(emails)) {
    const records = emails.filter((e): e is ScimDocument => e !== null && typeof e === 'object');
    const primary = records.find((e) => scimBoolean(field(e, 'primary')) === true) ?? records[0];
    chosen = primary === undefined ? undefined : field(primary, 'value');
  } else if (emails !== undefined && emails !== null) {
    throw scimError('invalid', 'invalidValue', 'emails must be a list');
  }
  if (chosen === undefined && EMAIL_PATTERN.test(userName)) chosen = userName;
  if (chosen === undefined || chosen === null || chosen === '') return null;
  if (typeof chosen !== 'string' || chosen.length > 320 || !EMAIL_PATTERN.test(chosen)) {
    throw scimError('invalid', 'invalidValue', `'${String(chosen).slice(0, 100)}' is not an e-mail address`);
  }
  return chosen;
}

/** Reads a User document (POST, PUT, or a PATCH's result). */
export function readUser(document: ScimDocument): UserState {
  const userName = boundedText(field(document, 'userName'), 'userName', MAX_DISPLAY, true) as string;
  const activeValue = field(document, 'active');
  const absent = activeValue === undefined || activeValue === null;
  const active = absent ? undefined : scimBoolean(activeValue);
  if (!absent && active === undefined) throw scimError('invalid', 'invalidValue', 'active must be true or false');
  return {
    userName,
    externalId: boundedText(field(document, 'externalId'), 'externalId', MAX_EXTERNAL_ID, false),
    active,
    email: emailOf(document, userName),
    attributes: otherAttributes(document, USER_OWN_KEYS),
  };
}

/** Reads a Group document; members are named by their SCIM ids (`value`). */
export function readGroup(document: ScimDocument): GroupState {
  const displayName = boundedText(field(document, 'displayName'), 'displayName', MAX_DISPLAY, true) as string;
  const members = field(document, 'members') ?? [];
  if (!Array.isArray(members)) throw scimError('invalid', 'invalidValue', 'members must be a list');
  if (members.length > 50_000) throw scimError('invalid', 'invalidValue', 'a group has at most 50000 members');
  const memberIds = members.map((member) => {
    const value = member !== null && typeof member === 'object' ? field(member as ScimDocument, 'value') : undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > 100) {
      throw scimError('invalid', 'invalidValue', 'each member needs the SCIM id of a user as its value');
    }
    return value;
  });
  return {
    displayName,
    externalId: boundedText(field(document, 'externalId'), 'externalId', MAX_EXTERNAL_ID, false),
    memberIds: [...new Set(memberIds)],
    attributes: otherAttributes(document, GROUP_OWN_KEYS),
  };
}

/** The identity name a `userName` maps to (see the module header); `invalidValue` when there is none. */
export function identityNameFor(userName: string): string {
  const lower = userName.trim().toLowerCase();
  const name = EMAIL_PATTERN.test(lower) ? lower.slice(0, lower.lastIndexOf('@')) : lower;
  if (name.length > MAX_NAME || !NAME_PATTERN.test(name)) {
    throw scimError(
      'invalid',
      'invalidValue',
      `userName '${userName.slice(0, 100)}' maps to '${name.slice(0, 100)}', which is not an identity name: use lower-case letters, digits, '.', '_' and '-' (an e-mail address's local part counts), at most ${MAX_NAME}`,
    );
  }
  return name;
}

/** The group name a `displayName` maps to (see the module header). */
export function groupNameFor(displayName: string): string {
  const name = displayName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|-+$/g, '')
    .slice(0, MAX_NAME);
  if (!NAME_PATTERN.test(name)) {
    throw scimError('invalid', 'invalidValue', `displayName '${displayName.slice(0, 100)}' gives no group name`);
  }
  return name;
}

export interface StoredResource {
  readonly id: string;
  readonly name: string;
  readonly display: string;
  readonly externalId: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Ref {
  readonly id: string;
  readonly display: string;
}

function meta(kind: 'User' | 'Group', resource: StoredResource, baseUrl: string): ScimDocument {
  return {
    resourceType: kind,
    created: new Date(resource.createdAt).toISOString(),
    lastModified: new Date(resource.updatedAt).toISOString(),
    location: `${baseUrl}/${kind}s/${resource.id}`,
    version: etagOf(resource.version),
  };
}

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The User document a client reads. */
export function userDocument(
  resource: StoredResource,
  state: { readonly active: boolean; readonly email: string | null },
  groups: readonly Ref[],
  baseUrl: string,
): ScimDocument {
  const attributes = { ...resource.attributes };
  const schemas = [
    USER_SCHEMA,
    ...(Object.keys(attributes).some((k) => k === ENTERPRISE_USER_SCHEMA) ? [ENTERPRISE_USER_SCHEMA] : []),
  ];
  if (attributes.emails === undefined && state.email !== null) {
    attributes.emails = [{ value: state.email, type: 'work', primary: true }];
  }
  return {
    schemas,
    id: resource.id,
    ...(resource.externalId !== null ? { externalId: resource.externalId } : {}),
    userName: resource.display,
    ...attributes,
    active: state.active,
    groups: groups.map((g) => ({ value: g.id, display: g.display, $ref: `${baseUrl}/Groups/${g.id}` })),
    meta: meta('User', resource, baseUrl),
  };
}

/** The Group document a client reads. */
export function groupDocument(resource: StoredResource, members: readonly Ref[], baseUrl: string): ScimDocument {
  return {
    schemas: [GROUP_SCHEMA],
    id: resource.id,
    ...(resource.externalId !== null ? { externalId: resource.externalId } : {}),
    displayName: resource.display,
    ...resource.attributes,
    members: members.map((m) => ({ value: m.id, display: m.display, $ref: `${baseUrl}/Users/${m.id}`, type: 'User' })),
    meta: meta('Group', resource, baseUrl),
  };
}
