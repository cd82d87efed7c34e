/**
 * Captured output in audit events, readable by `audit` holders (issue #9 item 13). redact.ts replaces output
 * values (a provider's error text, SQL rows, command output) by an HMAC, which confirms a known value but cannot
 * reveal an unknown one; beside it, this module keeps an AES-256-GCM copy under the audit data key
 * (`audit-data.key`), so that whoever holds the key can read the value back. Credentials never get a copy.
 *
 * A copy is `aes-256-gcm:<key id>:<base64url of nonce ‖ ciphertext ‖ tag>`: a random 12-byte nonce, the
 * canonical JSON of the value as plaintext (credentials and secret-looking strings inside it HMAC'd), a 16-byte
 * tag. Its additional authenticated data binds it to where
 * it was written — the event's seq, previous hash, actor, action and subject, and the value's JSON Pointer in
 * `details` — so a copy moved to another event, or to another member of its event, does not open. An opened
 * value must also match the HMAC stored for it, so what a reader sees is what the hash chain committed to.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../core/canonical-json.js';
import {
  outputHmac,
  outputPointers,
  SEALED_MEMBER,
  SEALED_VALUE,
  valueAtPointer,
  type EncryptOutput,
} from './redact.js';

const SEALED_PREFIX = 'aes-256-gcm:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BINDING_VERSION = 'countersign.audit.sealed.v1';

/** The fields of an event a copy is bound to. */
export interface SealBinding {
  readonly seq: number;
  readonly prevHash: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
}

/** A value as `audit` readers get it: opened, or still sealed and why. */
export type OpenedValue = { readonly value: JsonValue } | { readonly sealed: SealedReason; readonly message: string };

/**
 * Why a value stays sealed: `no_key` (this reader holds no data key), `other_key` (copied under another data
 * key), `not_authentic` (the copy does not open here, or does not match the value's HMAC), `hmac_only` (no copy:
 * written before copies were kept, without a data key, too large to fit the event, or a credential).
 */
export type SealedReason = 'no_key' | 'other_key' | 'not_authentic' | 'hmac_only';

/** The keys opening needs: the HMAC key to check an opened value against, and the data key, when held. */
export interface OpenKeys {
  readonly hmacKey: Uint8Array;
  readonly dataKey?: Uint8Array;
}

/** A short public name of a data key (first 16 hex of a domain-separated SHA-256), to tell keys apart. */
export function dataKeyId(dataKey: Uint8Array): string {
  return createHash('sha256').update('countersign audit data key\0').update(dataKey).digest('hex').slice(0, 16);
}

function additionalData(binding: SealBinding, pointer: string): Buffer {
  const { seq, prevHash, actor, action, subject } = binding;
  return Buffer.from(canonicalJson({ v: BINDING_VERSION, seq, prevHash, actor, action, subject, pointer }), 'utf8');
}

/** Encrypts `plaintext` for the value at `pointer` of the event `binding` names. */
export function encryptValue(dataKey: Uint8Array, binding: SealBinding, pointer: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
  cipher.setAAD(additionalData(binding, pointer));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  return `${SEALED_PREFIX}${dataKeyId(dataKey)}:${sealed}`;
}

/** The encryptor redact.ts calls for the event `binding` names. */
export function encryptorFor(dataKey: Uint8Array, binding: SealBinding): EncryptOutput {
  return (pointer, plaintext) => encryptValue(dataKey, binding, pointer, plaintext);
}

/** The plaintext of a copy, or why it does not open. Never throws on a bad copy. */
export function decryptValue(
  dataKey: Uint8Array,
  binding: SealBinding,
  pointer: string,
  copy: string,
): { readonly plaintext: string } | { readonly sealed: 'other_key' | 'not_authentic'; readonly message: string } {
  if (!SEALED_VALUE.test(copy)) return notAuthentic('it is not an encrypted copy');
  const [, keyId = '', encoded = ''] = copy.split(':');
  const expected = dataKeyId(dataKey);
  if (keyId !== expected) {
    return { sealed: 'other_key', message: `sealed under audit data key '${keyId}'; this reader holds '${expected}'` };
  }
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) return notAuthentic('it is too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(additionalData(binding, pointer));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
    return { plaintext: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8') };
  } catch {
    return notAuthentic('it was not sealed for this value of this event, or was altered');
  }
}

function notAuthentic(why: string): { sealed: 'not_authentic'; message: string } {
  return { sealed: 'not_authentic', message: `the encrypted copy does not open: ${why}` };
}

const HMAC_ONLY =
  'kept as an HMAC only (written before encrypted copies, without the data key, too large for the event, or a credential)';

/**
 * Opens every output value of an event, by JSON Pointer: each value kept under an output key and each copy in
 * `details.sealed`. Invariant: a value is returned only if its copy opens under `keys.dataKey` for exactly this
 * event and pointer, and its HMAC under `keys.hmacKey` equals the one stored at that pointer.
 */
export function openSealedValues(
  event: SealBinding & { readonly details: Readonly<Record<string, unknown>> },
  keys: OpenKeys,
): Record<string, OpenedValue> {
  const member = event.details[SEALED_MEMBER];
  const copies: Readonly<Record<string, unknown>> =
    typeof member === 'object' && member !== null && !Array.isArray(member) ? (member as Record<string, unknown>) : {};
  const pointers = new Set([...outputPointers(event.details), ...Object.keys(copies)]);
  const opened: Record<string, OpenedValue> = {};
  for (const pointer of pointers) {
    const copy = Object.hasOwn(copies, pointer) ? copies[pointer] : undefined;
    opened[pointer] = openOne(event, keys, pointer, copy);
  }
  return opened;
}

function openOne(
  event: SealBinding & { readonly details: Readonly<Record<string, unknown>> },
  keys: OpenKeys,
  pointer: string,
  copy: unknown,
): OpenedValue {
  if (typeof copy !== 'string') return { sealed: 'hmac_only', message: HMAC_ONLY };
  if (keys.dataKey === undefined) {
    return { sealed: 'no_key', message: 'sealed: the audit data key (audit-data.key) is not available here' };
  }
  const decrypted = decryptValue(keys.dataKey, event, pointer, copy);
  if (!('plaintext' in decrypted)) return decrypted;
  let value: JsonValue;
  try {
    value = JSON.parse(decrypted.plaintext) as JsonValue;
  } catch {
    return notAuthentic('its content is not JSON');
  }
  if (valueAtPointer(event.details, pointer) !== outputHmac(keys.hmacKey, value)) {
    return notAuthentic('it does not match the HMAC stored for it');
  }
  return { value };
}
