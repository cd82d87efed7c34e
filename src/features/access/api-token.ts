/**
 * The shape of API tokens: `cs_` followed by 32 random bytes in base64url (43 characters). Only the SHA-256 of
 * the whole token is stored; the first characters (`cs_` + 8) are kept as a prefix a person can recognise in
 * a list without the token being recoverable from it.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../core/canonical-json.js';

export const TOKEN_PREFIX = 'cs_';
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^cs_[A-Za-z0-9_-]{43}$/;
const VISIBLE_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

export interface NewToken {
  /** The secret, shown once to whoever asked for it. */
  readonly token: string;
  readonly hash: string;
  readonly prefix: string;
}

export function generateToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, VISIBLE_PREFIX_LENGTH) };
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** True when the text has the exact shape of an API token (checked before any database look-up). */
export function looksLikeApiToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}
