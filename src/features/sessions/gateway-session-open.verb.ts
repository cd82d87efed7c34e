/**
 * `openGatewaySession` (issue 14): once a client authenticated, the gateway records the session (audited
 * `gateway.session.open`) and gets what it needs to serve it: where to connect upstream and as whom (the grant's
 * login role with the provider's credential, opened from its seal only here and only in memory), the action's
 * `gateway` policy and the context its rules are evaluated in. Everything is re-checked in the same transaction:
 * the grant still active and unexpired, its secret not deleted, the identity enabled, the action still
 * gateway-only in the policy in force.
 */
import { newId } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { GatewayPolicy, Identity, Resource, ResourceProfile } from '../../policy/model.js';
import { resolveDsn, serverAddress } from '../../providers/postgres/postgres-connection.js';
import type { AppContext } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { openedGatewayCredential } from '../grants/index.js';
import type { GatewayLogin } from './gateway-login.queries.js';
import { insertSession } from './sessions.repo.js';

/** What the statements of a session are decided with (`decideStatement`'s context). */
export interface GatewayStatementContext {
  readonly requester: Identity;
  readonly resource: Resource;
  readonly profile: ResourceProfile;
}

export interface UpstreamConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly ssl: boolean | object;
}

export interface OpenedGatewaySession {
  readonly sessionId: string;
  readonly upstream: UpstreamConnection;
  readonly policy: GatewayPolicy;
  readonly context: GatewayStatementContext;
  /** When the grant ends: the gateway closes the session then, whatever else happens. */
  readonly expiresAt: number;
}

export interface GatewaySessionMeta {
  readonly gatewayId: string;
  readonly clientAddress: string;
  readonly applicationName?: string;
  readonly tls: boolean;
  readonly method: 'scram' | 'password' | 'token';
  /** The client's SCRAM proof was bound to its TLS connection (SCRAM-SHA-256-PLUS); absent: it was not. */
  readonly channelBound?: boolean;
}

const gone = (login: GatewayLogin): AppError =>
  new AppError('forbidden', `grant '${login.grantId}' on resource '${login.resource}' no longer gives gateway access`);

/** The TLS setting of the resource's own DSN (the admin connection's), or none when it cannot be read here. */
function upstreamTls(resource: Resource): boolean | object {
  try {
    const ssl = serverAddress(resource, resolveDsn(resource, {})).ssl;
    return typeof ssl === 'object' && ssl !== null ? ssl : ssl === true;
  } catch {
    return false;
  }
}

function bounded(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  return text.length > max ? text.slice(0, max) : text;
}

/** Opens (records and audits) a session for `login`; `forbidden` when the login no longer holds. */
export async function openGatewaySession(
  app: AppContext,
  login: GatewayLogin,
  meta: GatewaySessionMeta,
): Promise<OpenedGatewaySession> {
  const keys = app.gateway;
  if (keys === undefined) throw new AppError('invalid', 'this process has no gateway credential key');
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const row = await trx
      .selectFrom('gateway_credentials')
      .innerJoin('grants', 'grants.id', 'gateway_credentials.grant_id')
      .selectAll('gateway_credentials')
      .select(['grants.status as status', 'grants.expires_at as grantExpiresAt'])
      .where('gateway_credentials.grant_id', '=', login.grantId)
      .where('gateway_credentials.identity', '=', login.identity)
      .executeTakeFirst();
    if (row === undefined || row.status !== 'active' || Math.min(row.grantExpiresAt, row.expires_at) <= now) {
      throw gone(login);
    }
    if (app.revocations?.isRevoked(login.grantId, now) === true) throw gone(login);
    const { policy } = await app.policy.snapshot(trx, now);
    const requester = policy.identities.get(login.identity);
    const resource = policy.resources.get(row.resource);
    const profile = resource === undefined ? undefined : policy.profiles.get(resource.profile);
    const gatewayPolicy = profile?.actions.get(login.action)?.gateway;
    if (requester === undefined || requester.disabled) throw gone(login);
    if (resource === undefined || profile === undefined || gatewayPolicy === undefined) {
      throw new AppError(
        'forbidden',
        `action '${login.action}' on resource '${login.resource}' is no longer a gateway action in the policy in force`,
      );
    }
    const credential = openedGatewayCredential(keys, row);
    const upstream: UpstreamConnection = {
      host: credential['host'] ?? '127.0.0.1',
      port: Number(credential['port'] ?? 5432),
      database: credential['database'] ?? '',
      user: credential['username'] ?? '',
      password: credential['password'] ?? '',
      ssl: upstreamTls(resource),
    };
    const sessionId = newId('gws');
    const expiresAt = Math.min(row.grantExpiresAt, row.expires_at);
    await insertSession(trx, {
      id: sessionId,
      gateway_id: bounded(meta.gatewayId, 200) ?? '',
      grant_id: login.grantId,
      request_id: login.requestId,
      identity: login.identity,
      resource: resource.name,
      profile: profile.name,
      action: login.action,
      client_address: bounded(meta.clientAddress, 200) ?? '',
      application_name: bounded(meta.applicationName, 200),
      tls: meta.tls ? 1 : 0,
      auth_method: meta.method,
      channel_bound: meta.channelBound === true ? 1 : 0,
      upstream_user: upstream.user,
      opened_at: now,
      expires_at: expiresAt,
      closed_at: null,
      end_reason: null,
    });
    audit({
      actor: login.identity,
      action: 'gateway.session.open',
      subject: `session:${sessionId}`,
      details: {
        grantId: login.grantId,
        requestId: login.requestId,
        identity: login.identity,
        resource: resource.name,
        profile: profile.name,
        action: login.action,
        gatewayId: meta.gatewayId,
        clientAddress: meta.clientAddress,
        applicationName: meta.applicationName ?? null,
        tls: meta.tls,
        method: meta.method,
        channelBound: meta.channelBound === true,
        upstreamUser: upstream.user,
        expiresAt,
      },
    });
    return { sessionId, upstream, policy: gatewayPolicy, context: { requester, resource, profile }, expiresAt };
  });
  return value;
}
