/**
 * Keeping secrets out of the audit log (SPEC §2.10). Sensitive strings are replaced by
 * `hmac-sha256:<hex>` (HMAC-SHA256 under the audit HMAC key, as Vault's audit devices do): the log never holds
 * the secret, yet someone who holds the key and a candidate value can confirm a match.
 *
 * What counts as sensitive — a key is compared after lower-casing and dropping everything but letters and
 * digits (`db_password`, `dbPassword` and `DB-PASSWORD` all read `dbpassword`):
 * - a key containing one of {@link SENSITIVE_KEY_WORDS} (password, passwd, passphrase, secret, token,
 *   credential, apikey, privatekey, dsn, connectionstring, authorization, cookie, sessionkey) — unless it ends
 *   with a metadata suffix from {@link METADATA_KEY_SUFFIXES} (`tokenId`, `secretEnv`, `credentialExpiresAt`,
 *   `passwordFile` name *where* a secret is or *when* it lapses, which auditors need in clear);
 * - a key that names captured output, {@link OUTPUT_KEYS}: rows, resultRows, sqlResult, output, stdout,
 *   stderr, commandOutput, responseBody, providerError, statementText, statementParams, statementError,
 *   statementErrorDetail, statementErrorHint (SQL results, command output, a provider's error text — a unique
 *   violation quotes the duplicate key — and a gateway session's statements and the server's errors about them may
 *   carry data of any class; record counts under a name such as `rowCount`, which stays clear);
 * - anywhere, a string that looks like a secret by itself: a PEM private key, a URL carrying a password
 *   (`postgres://user:pass@host`), a JWT.
 * The value under a sensitive key is sealed whole: a string is HMAC'd as is, anything else as its canonical
 * JSON, `null` stays `null`. Justifications, tickets, reasons and identifiers stay in clear: auditors read them.
 *
 * Captured output (an {@link OUTPUT_KEYS} member) may also be kept encrypted for readers with `audit`: given an
 * {@link EncryptOutput}, each such value (its canonical JSON, nested secrets already HMAC'd) is handed to it with
 * its JSON Pointer, and what it returns is stored under the reserved top-level member {@link SEALED_MEMBER}
 * (`details.sealed["/providerError"]`), beside the HMAC. Credentials are never handed over: they stay HMAC only,
 * never recoverable. Output text that holds something looking like a credential is handed over with each such part
 * replaced by its HMAC (`withoutSecrets`), so the rest stays readable. seal.ts does the encryption.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../core/canonical-json.js';
import { reason, type Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';

export type JsonObject = { [key: string]: JsonValue };

export const HMAC_PREFIX = 'hmac-sha256:';

/** The top-level member of `details` holding encrypted copies of output values, by JSON Pointer (seal.ts). */
export const SEALED_MEMBER = 'sealed';

/** What an encrypted copy looks like (`aes-256-gcm:<key id>:<base64url>`, see seal.ts). */
export const SEALED_VALUE = /^aes-256-gcm:[0-9a-f]{16}:[A-Za-z0-9_-]+$/;

/**
 * Encrypts one output value: `pointer` is its JSON Pointer inside `details` (RFC 6901), `plaintext` its canonical
 * JSON; returns the text stored under `details.sealed[pointer]`.
 */
export type EncryptOutput = (pointer: string, plaintext: string) => string;

export const SENSITIVE_KEY_WORDS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'apikey',
  'privatekey',
  'dsn',
  'connectionstring',
  'authorization',
  'cookie',
  'sessionkey',
];

export const METADATA_KEY_SUFFIXES: readonly string[] = [
  'id',
  'ids',
  'name',
  'names',
  'count',
  'env',
  'file',
  'path',
  'kind',
  'type',
  'expiresat',
  'ttlseconds',
];

export const OUTPUT_KEYS: ReadonlySet<string> = new Set([
  'rows',
  'resultrows',
  'sqlresult',
  'output',
  'stdout',
  'stderr',
  'commandoutput',
  'responsebody',
  'providererror',
  // A gateway session's statements and their parameters (issue 14): any data may be in them.
  'statementtext',
  'statementparams',
  // A failed statement's error message, DETAIL and HINT: the server quotes data in them (a duplicate key's value).
  'statementerror',
  'statementerrordetail',
  'statementerrorhint',
]);

const SECRET_VALUE_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a PEM private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: 'a URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i },
  { name: 'a JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/ },
];

/**
 * Where each kind of secret-looking string is, to take it out of a readable copy: a PEM key to its END line (or the
 * end of the text), a URL's password, a JWT whole. What is taken out becomes `[secret hmac-sha256 <hex>]` (spaces,
 * so that no pattern matches the replacement).
 */
const SECRET_EXTENTS: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s/@]+(?=@)/gi,
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];

/**
 * `value` with every secret-looking part replaced by its HMAC, or undefined when something secret-looking is still
 * left (then the whole value stays HMAC only). The text around a credential is evidence an auditor needs: a
 * statement with a URL in a comment must not become unreadable.
 */
export function withoutSecrets(hmacKey: Uint8Array, value: string): string | undefined {
  let text = value;
  for (const pattern of SECRET_EXTENTS) {
    text = text.replace(pattern, (secret) => `[secret ${hmacValue(hmacKey, secret).replace(':', ' ')}]`);
  }
  return secretLookalike(text) === undefined ? text : undefined;
}

const HMAC_VALUE = /^hmac-sha256:[0-9a-f]{64}$/;
const MAX_DEPTH = 32;

/** `hmac-sha256:<hex>` of a UTF-8 string under the audit HMAC key. Deterministic, so equal values correlate. */
export function hmacValue(hmacKey: Uint8Array, value: string): string {
  return HMAC_PREFIX + createHmac('sha256', hmacKey).update(value, 'utf8').digest('hex');
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * How the value under this member name is sealed: `output` (captured output: HMAC'd, and may be kept encrypted
 * for `audit` readers), `secret` (a credential: HMAC only), or undefined (kept in clear).
 */
export function sealKindOf(key: string): 'output' | 'secret' | undefined {
  const normalised = normaliseKey(key);
  if (OUTPUT_KEYS.has(normalised)) return 'output';
  if (!SENSITIVE_KEY_WORDS.some((word) => normalised.includes(word))) return undefined;
  return METADATA_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix)) ? undefined : 'secret';
}

/** Whether the value under this member name is sealed (see the module comment for the list). */
export function isSensitiveKey(key: string): boolean {
  return sealKindOf(key) !== undefined;
}

/** The JSON Pointer (RFC 6901) of member `key` under the value at `parent`. */
export function childPointer(parent: string, key: string | number): string {
  if (typeof key === 'number' || !/[~/]/.test(key)) return `${parent}/${key}`;
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The kind of secret a string looks like on its own (`a JWT`, …), or undefined. */
export function secretLookalike(value: string): string | undefined {
  return SECRET_VALUE_PATTERNS.find(({ pattern }) => pattern.test(value))?.name;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Where a walk is: the message path (`details.a[0]`), the JSON Pointer (`/a/0`) and the depth. */
interface Place {
  readonly path: string;
  readonly pointer: string;
  readonly depth: number;
}

/**
 * What a walk needs: the HMAC key; where output values go to be encrypted (none inside a sealed value); and
 * whether output keys are kept readable (inside the copy of an output value: `output.rows` is part of it).
 */
interface Walk {
  readonly hmacKey: Uint8Array;
  readonly encrypt?: (pointer: string, plaintext: string) => void;
  readonly readableOutput?: boolean;
}

/**
 * Returns audit `details` safe to write: sensitive values HMAC'd, secret-looking strings HMAC'd wherever they
 * are, `undefined` members dropped (as canonical JSON drops them), and with `encrypt`, output values also kept
 * encrypted under `details.sealed`. Refuses values JSON cannot hold, and a `sealed` member of its own.
 * Idempotent without `encrypt`: values already in `hmac-sha256:` form are kept.
 */
export function redactDetails(
  details: Readonly<Record<string, unknown>>,
  hmacKey: Uint8Array,
  encrypt?: EncryptOutput,
): JsonObject {
  if (!isPlainObject(details)) throw new AppError('invalid', 'audit details must be a JSON object');
  if (details[SEALED_MEMBER] !== undefined) {
    throw new AppError('invalid', `audit details may not carry '${SEALED_MEMBER}': it holds encrypted output`);
  }
  let sealed: JsonObject | undefined;
  const walk: Walk = {
    hmacKey,
    ...(encrypt && {
      encrypt: (pointer: string, plaintext: string) => ((sealed ??= {})[pointer] = encrypt(pointer, plaintext)),
    }),
  };
  const out = redactObject(details, walk, { path: 'details', pointer: '', depth: 0 });
  if (sealed !== undefined) out[SEALED_MEMBER] = sealed;
  return out;
}

function redactObject(value: Record<string, unknown>, walk: Walk, at: Place): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const place = { path: `${at.path}.${key}`, pointer: childPointer(at.pointer, key), depth: at.depth + 1 };
    const kind = sealKindOf(key);
    if (kind === undefined || (kind === 'output' && walk.readableOutput)) out[key] = redactValue(member, walk, place);
    else out[key] = seal(member, kind === 'output' ? walk : { hmacKey: walk.hmacKey }, place);
  }
  return out;
}

function redactValue(value: unknown, walk: Walk, at: Place): JsonValue {
  if (at.depth > MAX_DEPTH)
    throw new AppError('invalid', `audit details nest deeper than ${MAX_DEPTH} levels at '${at.path}'`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new AppError('invalid', `audit details hold a non-finite number at '${at.path}'`);
    return value;
  }
  if (typeof value === 'string') {
    return HMAC_VALUE.test(value) || secretLookalike(value) === undefined ? value : hmacValue(walk.hmacKey, value);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      redactValue(item ?? null, walk, {
        path: `${at.path}[${index}]`,
        pointer: childPointer(at.pointer, index),
        depth: at.depth + 1,
      }),
    );
  }
  if (isPlainObject(value)) return redactObject(value, walk, at);
  throw new AppError('invalid', `audit details hold a ${typeof value} at '${at.path}', which JSON cannot carry`);
}

/** The HMAC of a sensitive value; with `walk.encrypt` (an output value), also its encrypted copy. */
function seal(value: unknown, walk: Walk, at: Place): JsonValue {
  if (value === null) return null;
  if (typeof value === 'string') {
    if (HMAC_VALUE.test(value)) return value;
    if (walk.encrypt === undefined || secretLookalike(value) === undefined) {
      walk.encrypt?.(at.pointer, canonicalJson(value));
      return hmacValue(walk.hmacKey, value);
    }
    // Output holding something that looks like a credential: the copy keeps the rest, each credential replaced by
    // its HMAC, and the HMAC stored is that copy's (what `outputHmac` checks an opened copy against). Output that
    // cannot be cleaned stays HMAC only.
    const readable = withoutSecrets(walk.hmacKey, value);
    if (readable === undefined) return hmacValue(walk.hmacKey, value);
    walk.encrypt(at.pointer, canonicalJson(readable));
    return hmacValue(walk.hmacKey, readable);
  }
  // Validate first so a non-JSON value is refused rather than silently hashed; nested secrets are HMAC'd in it.
  const text = canonicalJson(redactValue(value, { hmacKey: walk.hmacKey }, { ...at, depth: 0 }));
  if (walk.encrypt) {
    const readable = redactValue(value, { hmacKey: walk.hmacKey, readableOutput: true }, { ...at, depth: 0 });
    walk.encrypt(at.pointer, canonicalJson(readable));
  }
  return hmacValue(walk.hmacKey, text);
}

/**
 * The HMAC `redactDetails` stores for an output value, recomputed from its readable copy (nested output HMAC'd
 * again, nested secrets already HMAC'd and kept): how an opened copy is checked against the chain.
 */
export function outputHmac(hmacKey: Uint8Array, value: JsonValue): string {
  if (typeof value === 'string') return hmacValue(hmacKey, value);
  return hmacValue(hmacKey, canonicalJson(redactValue(value, { hmacKey }, { path: 'details', pointer: '', depth: 0 })));
}

/**
 * Every place where `details` would put a secret in clear: a sensitive key whose value is not `null` or an
 * `hmac-sha256:` string, a string that looks like a secret, or a member of `details.sealed` that is not an
 * encrypted copy. Reasons name the path, never the value.
 */
export function findClearSecrets(details: unknown): Reason[] {
  const found: Reason[] = [];
  const visit = (value: unknown, path: string, sensitive: boolean, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (depth === 1 && path === `details.${SEALED_MEMBER}`) {
      visitSealed(value, path, found);
      return;
    }
    if (sensitive) {
      if (value !== null && !(typeof value === 'string' && HMAC_VALUE.test(value))) {
        found.push(reason('audit.clear_secret', `audit details carry '${path}' in clear; it must be HMAC'd`));
      }
      return;
    }
    if (typeof value === 'string') {
      const looksLike = secretLookalike(value);
      if (looksLike !== undefined) {
        found.push(reason('audit.clear_secret', `audit details carry ${looksLike} in clear at '${path}'`));
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`, false, depth + 1));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        visit(member, `${path}.${key}`, isSensitiveKey(key), depth + 1);
      }
    }
  };
  visit(details, 'details', false, 0);
  return found;
}

function visitSealed(value: unknown, path: string, found: Reason[]): void {
  const copies = isPlainObject(value) ? Object.entries(value) : [['', value] as const];
  for (const [pointer, copy] of copies) {
    if (!(typeof copy === 'string' && SEALED_VALUE.test(copy))) {
      found.push(reason('audit.clear_secret', `audit details carry '${path}' entries that are not encrypted copies`));
      return;
    }
    if (!pointer.startsWith('/')) {
      found.push(reason('audit.clear_secret', `audit details carry '${path}' entries not named by a JSON Pointer`));
      return;
    }
  }
}

/**
 * The JSON Pointers of every non-null value under an output key in `details`, outermost only (a value inside
 * one is part of it): what `details.sealed` may hold an encrypted copy of.
 */
export function outputPointers(details: Readonly<Record<string, unknown>>): string[] {
  const pointers: string[] = [];
  const visit = (value: unknown, pointer: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, childPointer(pointer, index), depth + 1));
    else if (isPlainObject(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (depth === 0 && key === SEALED_MEMBER) continue;
        const at = childPointer(pointer, key);
        if (sealKindOf(key) === 'output') {
          if (member !== null && member !== undefined) pointers.push(at);
        } else if (sealKindOf(key) === undefined) visit(member, at, depth + 1);
      }
    }
  };
  visit(details, '', 0);
  return pointers;
}

/** The value at a JSON Pointer (RFC 6901) inside `root`, or undefined. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let value: unknown = root;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) value = /^(0|[1-9][0-9]*)$/.test(key) ? value[Number(key)] : undefined;
    else if (isPlainObject(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

/**
 * The write guard: refuses audit details that would put a secret in clear into the append-only log, where it
 * could never be removed. Throws `internal` (a verb forgot to redact; the audit write fails closed).
 */
export function assertNoClearSecrets(details: unknown): void {
  const found = findClearSecrets(details);
  if (found.length > 0) {
    throw new AppError('internal', found.map((item) => item.message).join('; '), { problems: found });
  }
}
