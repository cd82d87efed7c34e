/**
 * Statement text and parameters in the gateway's journal are kept sealed (AES-256-GCM under the gateway
 * credential key, bound to the session and sequence number), so the gateway host's disk never holds what users
 * sent in clear; the shipper unseals them in memory before sealing them again for the audit log. A journal line
 * of a statement holds `sealed` instead of `sql` and `params`; a line of an outcome that failed holds `sealed`
 * instead of the server's error text (`error`: message, detail, hint), which can quote the data. Without gateway
 * keys the journal keeps them as they are (tests of the recorder alone).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import type { JournalRecord, RecordedError } from './session-records.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Nonces are cut from a pool of random bytes: one `getrandom` per 1,024 statements instead of one each. */
const NONCE_POOL_BYTES = NONCE_BYTES * 1024;
let noncePool = Buffer.alloc(0);
let noncePoolUsed = 0;

function freshNonce(): Buffer {
  if (noncePoolUsed + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    noncePoolUsed = 0;
  }
  // A copy: the pool is never handed out, so no nonce can be reused by a caller keeping a view of it.
  const nonce = Buffer.from(noncePool.subarray(noncePoolUsed, noncePoolUsed + NONCE_BYTES));
  noncePoolUsed += NONCE_BYTES;
  return nonce;
}

/**
 * What a sealed part is bound to: its session and sequence number, and whether it is a statement's text or its
 * outcome's error (so one cannot be passed off as the other).
 */
function binding(part: 'statement' | 'error', line: { readonly id: string; readonly seq: number }): Buffer {
  const domain = part === 'statement' ? 'countersign.gateway.journal.v1' : 'countersign.gateway.journal.error.v1';
  return Buffer.from(`${domain}\0${line.id}\0${line.seq}`, 'utf8');
}

function seal(key: Uint8Array, aad: Buffer, content: unknown): string {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** The sealed content, parsed; throws when it does not open under `key` for `aad`. */
function open(key: Uint8Array, aad: Buffer, sealed: string): unknown {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const body = Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return JSON.parse(body.toString('utf8'));
}

/** The line as the journal stores it: `sql` and `params`, or an outcome's `error`, sealed when a key is given. */
export function sealLine(key: Uint8Array | undefined, line: JournalRecord): JournalRecord {
  if (key === undefined) return line;
  if (line.t === 'o') {
    if (line.error === undefined) return line;
    const { error, ...rest } = line;
    return { ...rest, sealed: seal(key, binding('error', line), error) };
  }
  if (line.t !== 's') return line;
  const { sql, params, ...rest } = line;
  const content = params === undefined ? { sql } : { sql, params };
  return { ...rest, sql: '', sealed: seal(key, binding('statement', line), content) };
}

/** The line with its sealed part opened; `internal` when a sealed line does not open under `key`. */
export function openLine(key: Uint8Array | undefined, line: JournalRecord): JournalRecord {
  if (line.t === 'c' || line.sealed === undefined) return line;
  if (key === undefined) {
    throw new AppError('internal', 'the gateway journal holds sealed statements and this process has no gateway key');
  }
  try {
    if (line.t === 'o') {
      const { sealed, ...rest } = line;
      return { ...rest, error: open(key, binding('error', line), sealed) as RecordedError };
    }
    const { sealed, ...rest } = line;
    const { sql, params } = open(key, binding('statement', line), sealed) as {
      sql: string;
      params?: (string | null)[];
    };
    return { ...rest, sql, ...(params === undefined ? {} : { params }) };
  } catch {
    throw new AppError(
      'internal',
      `a ${line.t === 'o' ? 'statement error' : 'statement'} in the gateway journal (session '${line.id}', #${line.seq}) does not open under this gateway key`,
    );
  }
}
