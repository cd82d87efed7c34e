/**
 * Statement text and parameters in the gateway's journal are kept sealed (AES-256-GCM under the gateway
 * credential key, bound to the session and sequence number), so the gateway host's disk never holds what users
 * sent in clear; the shipper unseals them in memory before sealing them again for the audit log. A journal line
 * of a statement holds `sealed` instead of `sql` and `params`. Without gateway keys the journal keeps them as they
 * are (tests of the recorder alone).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import type { JournalRecord } from './session-records.js';

type StatementLine = Extract<JournalRecord, { t: 's' }>;

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

function binding(line: Pick<StatementLine, 'id' | 'seq'>): Buffer {
  return Buffer.from(`countersign.gateway.journal.v1\0${line.id}\0${line.seq}`, 'utf8');
}

/** The line as the journal stores it: `sql` and `params` sealed when a key is given. */
export function sealLine(key: Uint8Array | undefined, line: JournalRecord): JournalRecord {
  if (key === undefined || line.t !== 's') return line;
  const { sql, params, ...rest } = line;
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(binding(line));
  const plaintext = JSON.stringify(params === undefined ? { sql } : { sql, params });
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ...rest, sql: '', sealed: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url') };
}

/** The line with `sql` and `params` opened; `internal` when a sealed line does not open under `key`. */
export function openLine(key: Uint8Array | undefined, line: JournalRecord): JournalRecord {
  if (line.t !== 's' || line.sealed === undefined) return line;
  if (key === undefined) {
    throw new AppError('internal', 'the gateway journal holds sealed statements and this process has no gateway key');
  }
  try {
    const bytes = Buffer.from(line.sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(binding(line));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const body = Buffer.concat([
      decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const { sql, params } = JSON.parse(body.toString('utf8')) as { sql: string; params?: (string | null)[] };
    const { sealed: _sealed, ...rest } = line;
    return { ...rest, sql, ...(params === undefined ? {} : { params }) };
  } catch {
    throw new AppError(
      'internal',
      `a statement in the gateway journal (session '${line.id}', #${line.seq}) does not open under this gateway key`,
    );
  }
}
