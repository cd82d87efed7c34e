/**
 * The shape of SCIM client tokens: `scim_` followed by 32 random bytes in base64url (43 characters). They are
 * not API tokens (`cs_…`): the API's authenticator never looks them up, and the SCIM endpoint never looks up an
 * API token. Only the SHA-256 is stored; `scim_` + 8 characters are kept as a prefix a person can recognise.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../core/canonical-json.js';

export const SCIM_TOKEN_PREFIX = 'scim_';
const TOKEN_PATTERN = /^scim_[A-Za-z0-9_-]{43}$/;

export function generateScimToken(): { token: string; hash: string; prefix: string } {
  const token = `${SCIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256Hex(token), prefix: token.slice(0, SCIM_TOKEN_PREFIX.length + 8) };
}

export function hashScimToken(token: string): string {
  return sha256Hex(token);
}

export function looksLikeScimToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

/** The audit actor of a SCIM client: `scim:okta`. */
export function scimActor(client: string): string {
  return `scim:${client}`;
}
