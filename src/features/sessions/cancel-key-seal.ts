/**
 * What `gateway_cancel_keys` holds instead of cancel keys (migration 0026). A CancelRequest needs no login, so a
 * key readable in the database would let whoever reads it (a read-only DBA, a backup, a replica) cancel any
 * session's running query. Two keys are derived from `gateway-credential.key`, which every gateway of the
 * installation holds and the database does not, each for one purpose only (HKDF-SHA256, distinct labels):
 * - the lookup key: a row is found by the client's process id and an HMAC of its whole key (process id and
 *   secret). The client's secret is never stored; the HMAC cannot be reversed or checked against guesses without
 *   the key, so the row tells its reader nothing a CancelRequest could use.
 * - the seal key: the upstream server's cancel key (host, port, process id, secret) is sealed with the gateway
 *   credential sealing (AES-256-GCM, random nonce), bound to the session id as additional data and carrying the
 *   row's HMAC inside, so a sealed value copied onto another session's row, or onto another client key's row,
 *   does not open.
 * Pure: no I/O.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { openGatewayCredential, sealGatewayCredential } from '../grants/index.js';

/** Where a session's query runs upstream, and the key that cancels it there. */
export interface CancelTarget {
  readonly host: string;
  readonly port: number;
  readonly processId: number;
  readonly secretKey: number;
}

/** The two keys derived from the gateway credential key; derive once per gateway (`cancelKeySecrets`). */
export interface CancelKeySecrets {
  readonly lookupKey: Buffer;
  readonly sealKey: Buffer;
}

export function cancelKeySecrets(credentialKey: Uint8Array): CancelKeySecrets {
  const derive = (label: string): Buffer => Buffer.from(hkdfSync('sha256', credentialKey, Buffer.alloc(0), label, 32));
  return {
    lookupKey: derive('countersign.gateway.cancel-key.lookup.v1'),
    sealKey: derive('countersign.gateway.cancel-key.seal.v1'),
  };
}

/** The HMAC a row is found by: the client key as the CancelRequest carries it (two big-endian int32). */
export function clientKeyDigest(secrets: CancelKeySecrets, processId: number, secretKey: number): string {
  const key = Buffer.alloc(8);
  key.writeInt32BE(processId | 0, 0);
  key.writeInt32BE(secretKey | 0, 4);
  return createHmac('sha256', secrets.lookupKey).update(key).digest('hex');
}

export function sealCancelTarget(
  secrets: CancelKeySecrets,
  sessionId: string,
  keyDigest: string,
  target: CancelTarget,
): string {
  return sealGatewayCredential(secrets.sealKey, sessionId, {
    host: target.host,
    port: String(target.port),
    processId: String(target.processId),
    secretKey: String(target.secretKey),
    keyDigest,
  });
}

/**
 * The upstream cancel key sealed in the row of `sessionId` found by `keyDigest`; `invalid` when it does not open
 * there (altered, moved from another row, sealed under another gateway key). The message names the session only.
 */
export function openCancelTarget(
  secrets: CancelKeySecrets,
  sessionId: string,
  keyDigest: string,
  sealed: string,
): CancelTarget {
  const refused = new AppError(
    'invalid',
    `the shared cancel key of session '${sessionId}' does not open here (altered, moved from another row, or sealed under another gateway credential key): no cancel is sent`,
  );
  let opened: Record<string, string>;
  try {
    opened = openGatewayCredential(secrets.sealKey, sessionId, sealed);
  } catch {
    throw refused;
  }
  // The session id is bound as additional data; the client key's HMAC inside, so that the sealed key of a session
  // copied onto another row of that session (whose client key someone knows) does not open either.
  if (opened['keyDigest'] !== keyDigest || opened['host'] === undefined) throw refused;
  return {
    host: opened['host'],
    port: Number(opened['port']),
    processId: Number(opened['processId']),
    secretKey: Number(opened['secretKey']),
  };
}
