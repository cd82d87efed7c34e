/**
 * The pieces of SQL text the PostgreSQL provider builds itself. Values travel as bind parameters wherever
 * PostgreSQL accepts them; utility statements (CREATE ROLE, COMMENT ON ROLE, DROP ROLE, …) accept none, so
 * there identifiers go through `quoteIdent` and literals through `quoteLiteral` (pg's own escaping), and
 * nothing else is ever spliced into SQL. Also: temporary role names (carrying the installation id), passwords and
 * their SCRAM verifiers, the comment that marks a role as Countersign's, and the digest of an approved statement.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { sha256Hex } from '../../core/canonical-json.js';

/** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1), which would make names collide. */
export const MAX_IDENTIFIER_BYTES = 63;
/** What marks a role as created by Countersign: its comment starts with this. */
export const MANAGED_COMMENT_PREFIX = 'countersign:';
const SCRAM_ITERATIONS = 4096;

/** A double-quoted identifier: embedded quotes doubled, so any string names exactly itself. */
export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

/** A string literal (`'…'`, or `E'…'` when it holds a backslash): embedded quotes and backslashes escaped. */
export function quoteLiteral(value: string): string {
  return pg.escapeLiteral(value);
}

/**
 * Why a role name from policy cannot be used, or undefined. Names are always quoted, so this is not what keeps
 * SQL out; it refuses names PostgreSQL would silently truncate or that cannot exist (empty, NUL).
 */
export function roleNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'is not set';
  if (name.includes('\0')) return 'contains a NUL character';
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  return undefined;
}

/** An installation id as roles carry it: lower-case letters and digits, at most 16 (migration 0010 makes 16 hex). */
const INSTALLATION_ID = /^[a-z0-9]{1,16}$/;

/** Why an installation id cannot mark roles, or undefined. */
export function installationIdProblem(id: unknown): string | undefined {
  return typeof id === 'string' && INSTALLATION_ID.test(id)
    ? undefined
    : 'the installation id must be 1 to 16 lower-case letters or digits';
}

/**
 * The start of every role name one installation creates for grants (`cs_<installation>_`) or for the
 * one-statement logins of `execute` (`csx_<installation>_`). A role cannot rename itself, so the name is a mark
 * the grant holder cannot change.
 */
export function temporaryRolePrefix(installationId: string, kind: 'grant' | 'execute'): string {
  return `${kind === 'execute' ? 'csx' : 'cs'}_${installationId}_`;
}

/**
 * A role name `cs_<installation>_<short request id>_<10 hex>` (or `csx_…` for the one-statement login of
 * `execute`): lower case, so it never needs quoting to be typed, and at most 43 bytes (below 63). The last part
 * is the start of the SHA-256 of the grant's idempotency key when one is given, so the name is known before the
 * grant (and a retry with the same key names the same role); random otherwise.
 */
export function temporaryRoleName(
  installationId: string,
  requestId: string,
  kind: 'grant' | 'execute',
  idempotencyKey?: string,
): string {
  const short =
    requestId
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(-12) || 'req';
  const last =
    idempotencyKey === undefined
      ? randomBytes(5).toString('hex')
      : createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 10);
  return `${temporaryRolePrefix(installationId, kind)}${short}_${last}`;
}

/** Whether a role name is one `temporaryRoleName(…, 'execute')` made. */
export function isExecuteRoleName(role: string): boolean {
  return role.startsWith('csx_');
}

/** A password of 192 random bits, in characters that need no escaping anywhere. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL would store for `password` (RFC 5803 form, as `pg_authid` holds it).
 * Sending the verifier instead of the password keeps the password out of the server's statement log.
 * The passwords here are ASCII, for which SASLprep changes nothing.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** What the comment on a managed role records. */
export interface ManagedRoleMark {
  /** The installation that created the role; absent on roles made before installations had ids. */
  readonly installation?: string;
  readonly requestId: string;
  readonly resource: string;
  /** Epoch ms at which Countersign created the role. */
  readonly createdAt: number;
}

/**
 * The comment put on a role Countersign creates: `countersign:` followed by JSON. Only a role with CREATEROLE
 * can change a role's comment, so the grant holder cannot.
 */
export function managedComment(mark: ManagedRoleMark & { readonly installation: string }): string {
  return (
    MANAGED_COMMENT_PREFIX +
    JSON.stringify({
      installation: mark.installation,
      request: mark.requestId,
      resource: mark.resource,
      created: mark.createdAt,
    })
  );
}

/** Reads a managed role's comment back; undefined when the comment is not one Countersign wrote. */
export function parseManagedComment(comment: string | null): ManagedRoleMark | undefined {
  if (comment === null || !comment.startsWith(MANAGED_COMMENT_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(comment.slice(MANAGED_COMMENT_PREFIX.length)) as Record<string, unknown>;
    const { installation, request, resource, created } = parsed;
    if (typeof request !== 'string' || typeof resource !== 'string' || typeof created !== 'number') return undefined;
    if (installation !== undefined && typeof installation !== 'string') return undefined;
    return {
      ...(installation === undefined ? {} : { installation }),
      requestId: request,
      resource,
      createdAt: created,
    };
  } catch {
    return undefined;
  }
}

/**
 * The digest of an approved statement: SHA-256 over its exact UTF-8 bytes, with no trimming, case folding or
 * Unicode normalisation, so two statements that differ by one byte never share a digest.
 */
export function sqlDigest(sql: string): string {
  return sha256Hex(Buffer.from(sql, 'utf8'));
}
