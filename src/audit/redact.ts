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
 *   stderr, commandOutput, responseBody, providerError (SQL results, command output and a provider's error
 *   text — a unique violation quotes the duplicate key — may carry data of any class; record counts under a
 *   name such as `rowCount`, which stays clear);
 * - anywhere, a string that looks like a secret by itself: a PEM private key, a URL carrying a password
 *   (`postgres://user:pass@host`), a JWT.
 * The value under a sensitive key is sealed whole: a string is HMAC'd as is, anything else as its canonical
 * JSON, `null` stays `null`. Justifications, tickets, reasons and identifiers stay in clear: auditors read them.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../core/canonical-json.js';
import { reason, type Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';

export type JsonObject = { [key: string]: JsonValue };

export const HMAC_PREFIX = 'hmac-sha256:';

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
]);

const SECRET_VALUE_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a PEM private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: 'a URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i },
  { name: 'a JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/ },
];

const HMAC_VALUE = /^hmac-sha256:[0-9a-f]{64}$/;
const MAX_DEPTH = 32;

/** `hmac-sha256:<hex>` of a UTF-8 string under the audit HMAC key. Deterministic, so equal values correlate. */
export function hmacValue(hmacKey: Uint8Array, value: string): string {
  return HMAC_PREFIX + createHmac('sha256', hmacKey).update(value, 'utf8').digest('hex');
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether the value under this member name is sealed (see the module comment for the list). */
export function isSensitiveKey(key: string): boolean {
  const normalised = normaliseKey(key);
  if (OUTPUT_KEYS.has(normalised)) return true;
  if (!SENSITIVE_KEY_WORDS.some((word) => normalised.includes(word))) return false;
  return !METADATA_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
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

/**
 * Returns audit `details` safe to write: sensitive values HMAC'd, secret-looking strings HMAC'd wherever they
 * are, `undefined` members dropped (as canonical JSON drops them). Refuses values JSON cannot hold.
 * Idempotent: values already in `hmac-sha256:` form are kept.
 */
export function redactDetails(details: Readonly<Record<string, unknown>>, hmacKey: Uint8Array): JsonObject {
  if (!isPlainObject(details)) throw new AppError('invalid', 'audit details must be a JSON object');
  return redactObject(details, hmacKey, 'details', 0);
}

function redactObject(value: Record<string, unknown>, hmacKey: Uint8Array, path: string, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const memberPath = `${path}.${key}`;
    out[key] = isSensitiveKey(key)
      ? seal(member, hmacKey, memberPath)
      : redactValue(member, hmacKey, memberPath, depth + 1);
  }
  return out;
}

function redactValue(value: unknown, hmacKey: Uint8Array, path: string, depth: number): JsonValue {
  if (depth > MAX_DEPTH)
    throw new AppError('invalid', `audit details nest deeper than ${MAX_DEPTH} levels at '${path}'`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('invalid', `audit details hold a non-finite number at '${path}'`);
    return value;
  }
  if (typeof value === 'string') {
    return HMAC_VALUE.test(value) || secretLookalike(value) === undefined ? value : hmacValue(hmacKey, value);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => redactValue(item ?? null, hmacKey, `${path}[${index}]`, depth + 1));
  }
  if (isPlainObject(value)) return redactObject(value, hmacKey, path, depth);
  throw new AppError('invalid', `audit details hold a ${typeof value} at '${path}', which JSON cannot carry`);
}

function seal(value: unknown, hmacKey: Uint8Array, path: string): JsonValue {
  if (value === null) return null;
  if (typeof value === 'string') return HMAC_VALUE.test(value) ? value : hmacValue(hmacKey, value);
  // Validate first so a non-JSON value is refused rather than silently hashed.
  return hmacValue(hmacKey, canonicalJson(redactValue(value, hmacKey, path, 0)));
}

/**
 * Every place where `details` would put a secret in clear: a sensitive key whose value is not `null` or an
 * `hmac-sha256:` string, or a string that looks like a secret. Reasons name the path, never the value.
 */
export function findClearSecrets(details: unknown): Reason[] {
  const found: Reason[] = [];
  const visit = (value: unknown, path: string, sensitive: boolean, depth: number): void => {
    if (depth > MAX_DEPTH) return;
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
