/**
 * A small in-test `GatewayBackend` for the protocol tests: logins in a map, statements refused by a predicate
 * given by the test, records kept in arrays, grants ended at the test's word. It is not a fake of anything
 * outside: it stands in for Countersign's own wiring (`src/gateway/countersign-backend.ts`), so the wire protocol
 * can be tested against the real PostgreSQL and real clients on its own. Upstream is the shared server on 5432
 * (trust authentication on loopback) as `postgres`, in a database the test names.
 */
import { randomUUID } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { pino } from 'pino';
import type {
  GatewayBackend,
  GatewayLoginFacts,
  GatewaySession,
  SessionEndReason,
  StatementCheck,
  StatementOutcome,
  UpstreamTarget,
} from '../../src/gateway/backend.js';
import type { GatewayClientAuth } from '../../src/gateway/postgres/client-auth.js';
import { makeScramVerifier } from '../../src/gateway/postgres/scram.js';
import { PostgresGateway, type PostgresGatewayOptions } from '../../src/gateway/postgres/server.js';
import { classifySql, loadSqlParser, redefinesPrepared } from '../../src/gateway/postgres/sql-classify.js';

export interface TestLogin extends GatewayLoginFacts {
  readonly secret: string;
  readonly token?: string;
}

export interface RecordedStatement {
  readonly sessionId: string;
  readonly seq: number;
  readonly sql: string;
  readonly allowed: boolean;
  readonly params?: readonly (string | null)[];
  /** The seq of the statement whose parameters this Execute ran with (its portal executed again). */
  readonly paramsOf?: number;
  readonly refusalId?: string;
}

export interface ProtocolBackendOptions {
  /** Refuses a statement text when it returns a reason. */
  readonly refuse?: (sql: string) => string | undefined;
  readonly upstream?: Partial<UpstreamTarget>;
  readonly limits?: GatewaySession['limits'];
  /** Makes `record` throw (the journal cannot be written). */
  readonly failRecording?: () => boolean;
  /** Column masks of every session. */
  readonly masking?: GatewaySession['masking'];
}

export class ProtocolBackend implements GatewayBackend<TestLogin> {
  readonly gatewayId = `test-gateway-${randomUUID()}`;
  readonly clock = { now: () => Date.now() };
  readonly logins = new Map<string, TestLogin>();
  readonly statements: RecordedStatement[] = [];
  readonly outcomes: { sessionId: string; seq: number; outcome: StatementOutcome }[] = [];
  readonly closed: { sessionId: string; reason: SessionEndReason }[] = [];
  readonly ended = new Set<string>();
  /** How many times the gateway asked whether each grant has ended (`endedGrants`). */
  readonly grantChecks = new Map<string, number>();
  readonly #listeners = new Set<() => void>();

  constructor(readonly options: ProtocolBackendOptions = {}) {}

  /** Adds a login `user`/`database` with a gateway secret (SCRAM verifier made from it). */
  addLogin(user: string, database: string, secret: string, extra: Partial<TestLogin> = {}): TestLogin {
    const login: TestLogin = {
      identity: user,
      resource: database,
      grantId: `grant-${randomUUID()}`,
      expiresAt: Date.now() + 3_600_000,
      scram: makeScramVerifier(secret, undefined, 4096),
      secret,
      ...extra,
    };
    this.logins.set(`${user}/${database}`, login);
    return login;
  }

  /** Ends a grant as a revoke on any replica would, and sends the hint. */
  revoke(grantId: string): void {
    this.ended.add(grantId);
    for (const listener of this.#listeners) listener();
  }

  async findLogin(who: { user: string; database: string }): Promise<TestLogin | undefined> {
    return this.logins.get(`${who.user}/${who.database}`);
  }

  async verifyPassword(login: TestLogin, password: string): Promise<'secret' | 'token' | undefined> {
    if (password === login.secret) return 'secret';
    if (login.token !== undefined && password === login.token) return 'token';
    return undefined;
  }

  async openSession(login: TestLogin): Promise<GatewaySession> {
    const sessionId = `session-${randomUUID()}`;
    const { statements, outcomes, closed, options } = this;
    return {
      sessionId,
      grantId: login.grantId,
      expiresAt: login.expiresAt,
      upstream: {
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        user: 'postgres',
        password: '',
        ssl: false,
        ...options.upstream,
      },
      limits: options.limits ?? {},
      ...(options.masking ? { masking: options.masking } : {}),
      check(sql: string, _catalog, parsed): StatementCheck {
        const reason = options.refuse?.(sql);
        // A long text comes parsed off the event loop (proxied-session.ts), as Countersign's backend takes it.
        const renames = redefinesPrepared(parsed?.classification ?? classifySql(sql));
        return reason === undefined
          ? { allowed: true, message: '', redefinesPrepared: renames }
          : { allowed: false, message: reason, redefinesPrepared: renames };
      },
      record(seq, sql, check, params) {
        if (options.failRecording?.()) throw new Error('journal unavailable');
        const refusalId = check.allowed ? undefined : `refusal-${seq}`;
        statements.push({
          sessionId,
          seq,
          sql,
          allowed: check.allowed,
          ...(params === undefined ? {} : 'paramsOf' in params ? { paramsOf: params.paramsOf } : { params }),
          ...(refusalId ? { refusalId } : {}),
        });
        return refusalId ? { refusalId } : {};
      },
      outcome(seq, outcome) {
        outcomes.push({ sessionId, seq, outcome });
      },
      close(reason) {
        closed.push({ sessionId, reason });
      },
    };
  }

  async endedGrants(grantIds: readonly string[]): Promise<ReadonlySet<string>> {
    for (const id of grantIds) this.grantChecks.set(id, (this.grantChecks.get(id) ?? 0) + 1);
    return new Set(grantIds.filter((id) => this.ended.has(id)));
  }

  onGrantsChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** A gateway on a free loopback port over `backend`. */
export async function startTestGateway(
  backend: ProtocolBackend,
  options: {
    tls?: SecureContext;
    clientAuth?: GatewayClientAuth;
    startupTimeoutMs?: number;
    maxMessageBytes?: number;
    maxStartingConnections?: number;
    log?: PostgresGatewayOptions<TestLogin>['log'];
  } = {},
): Promise<{ gateway: PostgresGateway<TestLogin>; port: number; close(): Promise<void> }> {
  // The test backend classifies too (whether a text redefines prepared statements), as Countersign's does.
  await loadSqlParser();
  const gateway = new PostgresGateway<TestLogin>({
    backend,
    host: '127.0.0.1',
    port: 0,
    log: pino({ level: process.env.GATEWAY_TEST_LOG ?? 'silent' }),
    ...options,
  });
  const { port } = await gateway.listen();
  return { gateway, port, close: () => gateway.close() };
}
