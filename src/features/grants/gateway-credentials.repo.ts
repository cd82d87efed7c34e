/**
 * The only writer of `gateway_credentials` (migration 0024): the provider credential of a gateway-only grant,
 * sealed, and the one-time gateway secret the requester logs in to the gateway with, kept only as a SHA-256 and a
 * SCRAM verifier. Written in the transaction that records the grant active (activation, break-glass), deleted in
 * the one that records it ended (grant-teardown-record.ts). A gateway-only action is one with a `gateway` block:
 * its credential is never handed to the user.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { ActionDefinition } from '../../policy/model.js';
import type { GrantResult } from '../../providers/provider.js';
import type { Row, Schema } from '../../store/schema.js';
import type { AppContext, GatewayKeys, LoginVerifier } from '../../app/context.js';
import type { TransactionScope } from '../../app/transaction.js';
import type { ProvisionPlan } from '../requests/index.js';
import { openGatewayCredential, sealGatewayCredential } from './gateway-credential-seal.js';

/** What the requester of a gateway-only action gets instead of the credential: how to log in, once. */
export interface GatewayAccess {
  /** Startup `user`: the identity. */
  readonly user: string;
  /** Startup `database`: the resource, or `resource@grantId` to pick this grant when several are active. */
  readonly database: string;
  /** The one-time gateway secret: the password for the gateway, valid until the grant ends. */
  readonly secret: string;
  readonly expiresAt: number;
}

const SECRET_PREFIX = 'csg_';

/** Whether the action is gateway-only: its provider credential stays sealed, and only the gateway uses it. */
export function isGatewayOnly(action: ActionDefinition): boolean {
  return action.gateway !== undefined;
}

/** SHA-256 hex of a gateway secret: the lookup key; the secret itself is never stored. */
export function hashGatewaySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `candidate` is the secret whose hash is `hash`, compared in constant time. */
export function gatewaySecretMatches(hash: string, candidate: string): boolean {
  const expected = Buffer.from(hash, 'hex');
  const actual = Buffer.from(hashGatewaySecret(candidate), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Refuses (before any provider call) to activate a gateway-only action where no gateway keys are configured. */
export function gatewayKeysFor(app: AppContext, action: ActionDefinition): GatewayKeys | undefined {
  if (!isGatewayOnly(action)) return undefined;
  if (app.gateway === undefined) {
    throw new AppError(
      'invalid',
      `action '${action.name}' is gateway-only, and this server has no gateway credential key to seal its credential`,
    );
  }
  return app.gateway;
}

/**
 * For a gateway-only action: seals the provider's credential for the grant, issues a fresh gateway secret and
 * audits `gateway.secret_issue` (without the secret), inside the caller's transaction. Undefined for any other
 * action. Invariant: what is returned never holds the provider's credential.
 */
export async function keepGatewayCredential(
  app: AppContext,
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit'>,
  grantId: string,
  plan: ProvisionPlan,
  granted: GrantResult,
): Promise<GatewayAccess | undefined> {
  const keys = gatewayKeysFor(app, plan.target.action);
  if (keys === undefined) return undefined;
  if (granted.credential === undefined) {
    throw new AppError('provider_failed', `the provider issued no credential for gateway grant '${grantId}'`);
  }
  const secret = SECRET_PREFIX + randomBytes(24).toString('base64url');
  const verifier: LoginVerifier = keys.loginVerifier(secret);
  const expiresAt = Math.min(plan.expiresAt, granted.expiresAt);
  const { trx, now, audit } = scope;
  await trx
    .insertInto('gateway_credentials')
    .values({
      grant_id: grantId,
      identity: plan.record.requester,
      resource: plan.record.resource,
      sealed_credential: sealGatewayCredential(keys.credentialKey, grantId, granted.credential),
      secret_hash: hashGatewaySecret(secret),
      scram_salt: verifier.salt,
      scram_iterations: verifier.iterations,
      scram_stored_key: verifier.storedKey,
      scram_server_key: verifier.serverKey,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  audit({
    actor: plan.record.requester,
    action: 'gateway.secret_issue',
    subject: `grant:${grantId}`,
    details: { requestId: plan.record.id, identity: plan.record.requester, resource: plan.record.resource, expiresAt },
  });
  return { user: plan.record.requester, database: plan.record.resource, secret, expiresAt };
}

/** Deletes the sealed credentials and secrets of grants that ended (or whose revoke is being retried). */
export async function deleteGatewayCredentials(trx: Transaction<Schema>, grantIds: readonly string[]): Promise<void> {
  if (grantIds.length === 0) return;
  await trx.deleteFrom('gateway_credentials').where('grant_id', 'in', grantIds).execute();
}

/** The gateway credential rows of `identity` on `resource` (one per active gateway grant, normally one). */
export async function gatewayCredentialsOf(
  db: Transaction<Schema> | AppContext['database']['db'],
  identity: string,
  resource: string,
): Promise<Row<'gateway_credentials'>[]> {
  return db
    .selectFrom('gateway_credentials')
    .selectAll()
    .where('identity', '=', identity)
    .where('resource', '=', resource)
    .execute();
}

/** The provider credential of a gateway grant, opened; only a gateway opening an upstream connection asks. */
export function openedGatewayCredential(keys: GatewayKeys, row: Row<'gateway_credentials'>): Record<string, string> {
  return openGatewayCredential(keys.credentialKey, row.grant_id, row.sealed_credential);
}
