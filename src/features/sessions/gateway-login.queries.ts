/**
 * Who may log in to the gateway (issue 14): a startup `user` names the identity and `database` the resource
 * (`resource@grantId` picks one grant). A login exists while the identity holds an active, unexpired grant of a
 * gateway-only action on that resource, with its gateway secret not yet deleted (it is deleted when the grant
 * ends) and not revoked in the revocation journal. The password is the grant's gateway secret (checked through
 * its SCRAM verifier, or in clear over TLS) or an API token of that same identity; never anyone else's.
 */
import { isAppError } from '../../core/errors.js';
import type { AppContext, LoginVerifier } from '../../app/context.js';
import { verifyToken } from '../access/index.js';
import { gatewayCredentialsOf, gatewaySecretMatches } from '../grants/index.js';

/** A grant a gateway may log the identity in with; `scram` is the verifier of the grant's gateway secret. */
export interface GatewayLogin {
  readonly identity: string;
  readonly resource: string;
  readonly grantId: string;
  readonly requestId: string;
  readonly profile: string;
  readonly action: string;
  readonly expiresAt: number;
  readonly scram?: LoginVerifier;
}

const MAX_NAME = 400;

/** `resource` or `resource@grantId`. */
function parseDatabase(database: string): { resource: string; grantId?: string } {
  const at = database.lastIndexOf('@');
  if (at <= 0) return { resource: database };
  return { resource: database.slice(0, at), grantId: database.slice(at + 1) };
}

/**
 * The login `who` names, or undefined when there is none (unknown or disabled identity, no active gateway grant
 * on the resource, a grant that ended or is being revoked). With several active grants and no `@grantId`, the
 * one that lasts longest.
 */
export async function findGatewayLogin(
  app: AppContext,
  who: { readonly user: string; readonly database: string },
): Promise<GatewayLogin | undefined> {
  if (who.user.length === 0 || who.user.length > MAX_NAME || who.database.length > MAX_NAME) return undefined;
  const identity = app.policy.loaded.identities.get(who.user);
  if (identity === undefined || identity.disabled) return undefined;
  const { resource, grantId } = parseDatabase(who.database);
  const now = app.clock.now();
  const rows = await gatewayCredentialsOf(app.database.db, who.user, resource);
  const candidates = rows.filter((row) => (grantId === undefined || row.grant_id === grantId) && row.expires_at > now);
  if (candidates.length === 0) return undefined;
  const grants = await app.database.db
    .selectFrom('grants')
    .innerJoin('requests', 'requests.id', 'grants.request_id')
    .select([
      'grants.id as grantId',
      'grants.request_id as requestId',
      'grants.action as action',
      'grants.expires_at as expiresAt',
      'requests.profile as profile',
    ])
    .where(
      'grants.id',
      'in',
      candidates.map((row) => row.grant_id),
    )
    .where('grants.status', '=', 'active')
    .where('grants.identity', '=', who.user)
    .where('grants.resource', '=', resource)
    .where('grants.expires_at', '>', now)
    .orderBy('grants.expires_at', 'desc')
    .execute();
  const grant = grants.find((row) => app.revocations?.isRevoked(row.grantId, now) !== true);
  const row = candidates.find((candidate) => candidate.grant_id === grant?.grantId);
  if (grant === undefined || row === undefined) return undefined;
  return {
    identity: who.user,
    resource,
    grantId: grant.grantId,
    requestId: grant.requestId,
    profile: grant.profile,
    action: grant.action,
    expiresAt: Math.min(grant.expiresAt, row.expires_at),
    scram: {
      salt: row.scram_salt,
      iterations: row.scram_iterations,
      storedKey: row.scram_stored_key,
      serverKey: row.scram_server_key,
    },
  };
}

/**
 * Checks a password sent in clear (the gateway asks for one only over TLS): the login's gateway secret, or an API
 * token of the login's own identity. Undefined for anything else, including another identity's valid token or
 * the secret of another grant.
 */
export async function verifyGatewayPassword(
  app: AppContext,
  login: GatewayLogin,
  password: string,
): Promise<'secret' | 'token' | undefined> {
  if (password.length === 0 || password.length > 1000) return undefined;
  const row = await app.database.db
    .selectFrom('gateway_credentials')
    .select(['secret_hash', 'expires_at'])
    .where('grant_id', '=', login.grantId)
    .where('identity', '=', login.identity)
    .executeTakeFirst();
  if (row === undefined || row.expires_at <= app.clock.now()) return undefined;
  if (gatewaySecretMatches(row.secret_hash, password)) return 'secret';
  try {
    const token = await verifyToken({ app, token: password });
    return token.identity === login.identity ? 'token' : undefined;
  } catch (error) {
    if (isAppError(error) && error.code === 'unauthenticated') return undefined;
    throw error;
  }
}

/**
 * The grants among `grantIds` that no longer allow access: not active, past their expiry, or journaled revoked —
 * the same liveness rule a login is found by (`findGatewayLogin`), for sessions already open.
 */
export async function endedGatewayGrants(app: AppContext, grantIds: readonly string[]): Promise<ReadonlySet<string>> {
  const now = app.clock.now();
  const ended = new Set<string>(grantIds);
  for (let from = 0; from < grantIds.length; from += 500) {
    const live = await app.database.db
      .selectFrom('grants')
      .select('id')
      .where('id', 'in', grantIds.slice(from, from + 500))
      .where('status', '=', 'active')
      .where('expires_at', '>', now)
      .execute();
    for (const { id } of live) if (app.revocations?.isRevoked(id, now) !== true) ended.delete(id);
  }
  return ended;
}
