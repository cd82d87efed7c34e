/**
 * The secrets of browser sign-in: a session cookie's value and a login link are 32 random bytes in base64url
 * (43 characters, 256 bits). Only their SHA-256 is stored. The CSRF token of a session is derived from its
 * secret with a separate label, so the server stores nothing more and the token reveals nothing of the secret.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../core/canonical-json.js';

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface NewSecret {
  readonly secret: string;
  readonly hash: string;
}

export function generateSecret(): NewSecret {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

/** True when the text has the exact shape of a session or link secret (checked before any database look-up). */
export function looksLikeSecret(text: string): boolean {
  return SECRET_PATTERN.test(text);
}

/** The CSRF token of the session whose cookie holds `secret`. */
export function csrfTokenOf(secret: string): string {
  return Buffer.from(sha256Hex(`countersign-csrf\u0000${secret}`), 'hex').toString('base64url');
}
