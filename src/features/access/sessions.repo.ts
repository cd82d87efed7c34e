/**
 * The only code touching the web console's sign-in tables (migration 0018): browser sessions, one-time login
 * links and pending OIDC logins. Rows are found by the SHA-256 of a secret, never by the secret. Consuming a
 * login link or a pending OIDC login is one conditional statement, so two requests racing with the same secret
 * cannot both win.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ConsoleSessionsTable, DirectorySource, Schema, SignInMethod } from '../../store/schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface NewSessionRow {
  readonly id: string;
  readonly secretHash: string;
  readonly identity: string;
  readonly method: SignInMethod;
  readonly tokenId: string | null;
  readonly mintedBy: string | null;
  readonly clientAddress: string | null;
  readonly now: number;
  readonly expiresAt: number;
}

export async function insertSession(db: Db, row: NewSessionRow): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({
      id: row.id,
      secret_hash: row.secretHash,
      identity: row.identity,
      method: row.method,
      token_id: row.tokenId,
      minted_by: row.mintedBy,
      client_address: row.clientAddress,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
      ended_at: null,
      ended_reason: null,
    })
    .execute();
}

/** A session with what its validity depends on: its token's state and its identity's. */
export interface SessionWithState {
  readonly session: Pick<
    ConsoleSessionsTable,
    'id' | 'identity' | 'method' | 'token_id' | 'minted_by' | 'created_at' | 'last_seen_at' | 'expires_at' | 'ended_at'
  >;
  readonly token: { readonly expiresAt: number; readonly revoked: boolean } | undefined;
  readonly identityDisabled: boolean;
  readonly identityKnown: boolean;
  /** Where the identity row came from (a SCIM-provisioned identity stands without the policy files). */
  readonly identitySource: DirectorySource | null;
}

function sessionsWithState(db: Db) {
  return db
    .selectFrom('console_sessions as s')
    .leftJoin('api_tokens as t', 't.id', 's.token_id')
    .leftJoin('identities as i', 'i.name', 's.identity')
    .select([
      's.id',
      's.identity',
      's.method',
      's.token_id',
      's.minted_by',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.ended_at',
      't.expires_at as token_expires_at',
      't.revoked_at as token_revoked_at',
      'i.name as identity_row',
      'i.disabled_at as identity_disabled_at',
      'i.source as identity_source',
    ]);
}

type StateRow = Awaited<ReturnType<ReturnType<typeof sessionsWithState>['executeTakeFirstOrThrow']>>;

function toSessionWithState(row: StateRow): SessionWithState {
  const tokenGone = row.token_id !== null && row.token_expires_at === null;
  return {
    session: {
      id: row.id,
      identity: row.identity,
      method: row.method,
      token_id: row.token_id,
      minted_by: row.minted_by,
      created_at: Number(row.created_at),
      last_seen_at: Number(row.last_seen_at),
      expires_at: Number(row.expires_at),
      ended_at: row.ended_at === null ? null : Number(row.ended_at),
    },
    // A token row that vanished counts as revoked.
    token:
      row.token_id === null
        ? undefined
        : { expiresAt: Number(row.token_expires_at ?? 0), revoked: tokenGone || row.token_revoked_at !== null },
    identityDisabled: row.identity_disabled_at !== null,
    identityKnown: row.identity_row !== null,
    identitySource: row.identity_source,
  };
}

export async function findSessionBySecretHash(db: Db, secretHash: string): Promise<SessionWithState | undefined> {
  const row = await sessionsWithState(db).where('s.secret_hash', '=', secretHash).executeTakeFirst();
  return row === undefined ? undefined : toSessionWithState(row);
}

/** An identity's sessions not ended by anyone (some may have expired; the caller judges), newest first. */
export async function openSessionsOf(db: Db, identity: string): Promise<SessionWithState[]> {
  const rows = await sessionsWithState(db)
    .where('s.identity', '=', identity)
    .where('s.ended_at', 'is', null)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .limit(500)
    .execute();
  return rows.map(toSessionWithState);
}

export async function touchSession(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('console_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

/** Ends one of `identity`'s sessions; false when it has no such open session. */
export async function endSessionRow(
  db: Db,
  id: string,
  identity: string,
  now: number,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('console_sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('id', '=', id)
    .where('identity', '=', identity)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends every open session of `identity` (offboarding); the number ended. */
export async function endSessionsOf(db: Db, identity: string, now: number, reason: string): Promise<number> {
  const result = await db
    .updateTable('console_sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('identity', '=', identity)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NewLoginLinkRow {
  readonly id: string;
  readonly secretHash: string;
  readonly identity: string;
  readonly createdBy: string;
  readonly now: number;
  readonly expiresAt: number;
}

export async function insertLoginLink(db: Db, row: NewLoginLinkRow): Promise<void> {
  await db
    .insertInto('login_links')
    .values({
      id: row.id,
      secret_hash: row.secretHash,
      identity: row.identity,
      created_by: row.createdBy,
      created_at: row.now,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Uses up the login link with this hash if it is unused and unexpired: one conditional update, so exactly one
 * of two racing uses wins. The link's id and identity, or undefined when it was not usable.
 */
export async function consumeLoginLink(
  db: Db,
  secretHash: string,
  now: number,
): Promise<{ id: string; identity: string } | undefined> {
  const result = await db
    .updateTable('login_links')
    .set({ used_at: now })
    .where('secret_hash', '=', secretHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db
    .selectFrom('login_links')
    .select(['id', 'identity'])
    .where('secret_hash', '=', secretHash)
    .executeTakeFirstOrThrow();
}

export interface PendingOidcLogin {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
}

/** Records a pending OIDC login (and sweeps the expired ones, so the table stays small). */
export async function savePendingOidcLogin(
  db: Db,
  idHash: string,
  login: PendingOidcLogin,
  now: number,
  expiresAt: number,
): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<=', now).execute();
  await db
    .insertInto('oidc_logins')
    .values({
      id_hash: idHash,
      state: login.state,
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
      return_to: login.returnTo,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
}

/** Takes (reads and deletes) the pending OIDC login; undefined when unknown, expired or already taken. */
export async function takePendingOidcLogin(db: Db, idHash: string, now: number): Promise<PendingOidcLogin | undefined> {
  const row = await db.selectFrom('oidc_logins').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (row === undefined) return undefined;
  const deleted = await db.deleteFrom('oidc_logins').where('id_hash', '=', idHash).executeTakeFirst();
  // Whoever deleted the row owns the login; a racing second callback finds nothing to delete.
  if (Number(deleted.numDeletedRows) !== 1 || Number(row.expires_at) <= now) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
}
