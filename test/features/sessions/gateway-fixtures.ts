/**
 * Fixtures for the gateway's session records: the example policy with a gateway-only action `query` on
 * `payments-db` (auto-approved for short human use, statements allowed unless a rule says otherwise), a provider
 * that issues PostgreSQL-like credentials, an app with gateway keys, and a shortcut to an active gateway grant.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppContext } from '../../../src/app/context.js';
import { makeScramVerifier } from '../../../src/gateway/postgres/scram.js';
import { activateRequest, createRequest } from '../../../src/features/requests/requests.verbs.js';
import type { ActivationView } from '../../../src/features/requests/request.view.js';
import type { GatewayPolicy, PolicySet } from '../../../src/policy/model.js';
import { NoopProvider } from '../../../src/providers/noop/noop-provider.js';
import type { GrantResult, ProviderCall } from '../../../src/providers/provider.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, everyType } from '../../app/requests-fixtures.js';
import {
  EXAMPLE_IDENTITIES,
  EXAMPLE_ROLES,
  exampleProfile,
  examplePolicy,
  human,
  step,
  subject,
  validateSqlParams,
} from '../../factories/policy.factory.js';
import { makeAction, makeApprovalRule } from '../../factories/profile.factory.js';
import type { DialectContext } from '../../store/dialects.js';

/** Payments engineers for the gateway tests: the suites share a database, so each test takes its own. */
export const GATEWAY_USERS = ['gus', 'hana', 'ivan', 'judy', 'kim', 'liam', 'maya', 'nina', 'omar', 'pia'] as const;

export const ALLOW_ALL: GatewayPolicy = { rules: [], otherwise: 'allow', masks: [] };

/** The example policy plus `query`, a gateway-only action approved by itself for humans. */
export function gatewayPolicy(gateway: GatewayPolicy = ALLOW_ALL): PolicySet {
  const query = makeAction({
    name: 'query',
    grant: { role: 'analytics_ro' },
    requireJustification: false,
    approval: [makeApprovalRule({ name: 'humans', when: 'requester.kind == "human"', outcome: { type: 'auto' } })],
    gateway,
  });
  // What a refused statement turns into: an execute action whose parameters take `sql`.
  const change = makeAction({
    name: 'change',
    risk: 'high',
    grant: undefined,
    execute: { role: 'app_rw' },
    maxDurationSeconds: 30 * 60,
    paramsSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
    validateParams: validateSqlParams,
    approval: [makeApprovalRule({ name: 'a-dba', outcome: { type: 'steps', steps: [step(['group:dba'])] } })],
  });
  return examplePolicy({
    identities: [...EXAMPLE_IDENTITIES, ...GATEWAY_USERS.map((name) => human(name, ['payments']))],
    roles: [
      ...EXAMPLE_ROLES,
      { name: 'auditor', duties: ['audit'], subjects: ['identity:carol'] },
      { name: 'certifier', duties: ['certify'], subjects: ['identity:pat'] },
    ],
    profiles: [
      exampleProfile({
        extraActions: [query, change],
        breakGlass: {
          allowed: [subject('group:oncall')],
          actions: ['read', 'run-sql', 'query'],
          maxDurationSeconds: 3600,
          reviewWithinSeconds: 86_400,
        },
      }),
    ],
  });
}

/** Issues a credential like the postgres provider's, remembering every password it handed out. */
export class PasswordProvider extends NoopProvider {
  readonly passwords: string[] = [];

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const password = `pw-${randomBytes(16).toString('hex')}`;
    this.passwords.push(password);
    return {
      handle: { role: `cs_${call.requestId}` },
      credential: {
        username: `cs_${call.requestId}`,
        password,
        host: '127.0.0.1',
        port: '5432',
        database: 'payments',
      },
      expiresAt: call.expiresAt,
    };
  }
}

export interface GatewayTestApp {
  readonly t: TestApp;
  readonly app: AppContext;
  readonly provider: PasswordProvider;
  readonly credentialKey: Buffer;
}

/** Gateway keys as `serve` makes them: a random credential key and the PostgreSQL gateway's SCRAM verifiers. */
export function testGatewayKeys(credentialKey: Buffer = randomBytes(32)): NonNullable<AppContext['gateway']> {
  return { credentialKey, loginVerifier: (secret) => makeScramVerifier(secret) };
}

/** Options of `createTestApp` (or `createHttpTestApp`) for the gateway policy, provider and keys. */
export function gatewayAppOptions(gateway?: GatewayPolicy) {
  const provider = new PasswordProvider();
  const credentialKey = randomBytes(32);
  return {
    provider,
    credentialKey,
    options: {
      policy: gatewayPolicy(gateway),
      providers: everyType(provider),
      gateway: testGatewayKeys(credentialKey),
    },
  };
}

export async function createGatewayApp(ctx: DialectContext, gateway?: GatewayPolicy): Promise<GatewayTestApp> {
  const { provider, credentialKey, options } = gatewayAppOptions(gateway);
  const t = await createTestApp(ctx, options);
  return { t, app: t.app, provider, credentialKey };
}

/** `identity` asks for `query` on payments-db (approved by itself) and activates it. */
export async function activeGatewayGrant(app: AppContext, identity = 'alice'): Promise<ActivationView> {
  const request = await createRequest(as(app, identity)({ resource: 'payments-db', action: 'query', duration: '30m' }));
  return activateRequest(as(app, identity)({ id: request.id }));
}

/**
 * A node-postgres client logged in through the gateway on `port` with an activation's gateway login (no TLS, on
 * loopback); the server's notices are pushed, as JSON, to `notices` when it is given.
 */
export async function connectThroughGateway(
  port: number,
  activation: ActivationView,
  notices?: string[],
): Promise<pg.Client> {
  const login = activation.gateway!;
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: login.user,
    database: login.database,
    password: login.secret,
  });
  if (notices) client.on('notice', (notice) => notices.push(JSON.stringify(notice)));
  await client.connect();
  return client;
}

/** What a statement came to: its rows, or its error's SQLSTATE and message. */
export function outcomeOf(client: pg.Client, sql: string): Promise<unknown> {
  return client.query(sql).then(
    (result) => ({ rows: result.rows as unknown }),
    (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}
