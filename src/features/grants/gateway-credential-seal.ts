/**
 * Sealing the provider credential of a gateway-only grant (issue 14): AES-256-GCM under `gateway-credential.key`
 * with a random 12-byte nonce, bound to the grant id as additional data (a sealed credential copied onto another
 * grant's row does not open). Stored as `aes-256-gcm:<key id>:<base64url of nonce ‖ ciphertext ‖ tag>`. The
 * plaintext is the canonical JSON of the provider's credential; it exists in memory only while a gateway opens
 * the upstream connection.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.js';
import { AppError } from '../../core/errors.js';

const PREFIX = 'aes-256-gcm:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A short public name of the key, to tell a credential sealed under another key from a damaged one. */
export function gatewayKeyId(key: Uint8Array): string {
  return createHash('sha256').update('countersign gateway credential key\0').update(key).digest('hex').slice(0, 16);
}

function bindingOf(grantId: string): Buffer {
  return Buffer.from(`countersign.gateway.credential.v1\0${grantId}`, 'utf8');
}

export function sealGatewayCredential(
  key: Uint8Array,
  grantId: string,
  credential: Readonly<Record<string, string>>,
): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(bindingOf(grantId));
  const body = Buffer.concat([cipher.update(canonicalJson({ ...credential }), 'utf8'), cipher.final()]);
  return `${PREFIX}${gatewayKeyId(key)}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Opens a sealed credential of `grantId`; `invalid` (naming no secret) when it was sealed elsewhere or altered. */
export function openGatewayCredential(key: Uint8Array, grantId: string, sealed: string): Record<string, string> {
  const [scheme, keyId, encoded = ''] = sealed.split(':');
  if (`${scheme}:` !== PREFIX) throw new AppError('invalid', `the credential of grant '${grantId}' is not sealed`);
  if (keyId !== gatewayKeyId(key)) {
    throw new AppError(
      'invalid',
      `the credential of grant '${grantId}' was sealed under gateway credential key '${keyId}', not '${gatewayKeyId(key)}'`,
    );
  }
  const bytes = Buffer.from(encoded, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(bindingOf(grantId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
    const parsed = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
  } catch {
    throw new AppError('invalid', `the sealed credential of grant '${grantId}' does not open: altered or misplaced`);
  }
}
