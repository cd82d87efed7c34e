/**
 * The `postgres` provider (SPEC §2.11) against a real PostgreSQL server, reached through the admin DSN that the
 * resource's `connection` names (see postgres-connection.ts).
 * - `grant`: a temporary LOGIN role, member (INHERIT) of the action's `grant.role`, with a random password sent
 *   only as a SCRAM verifier, `VALID UNTIL` the grant's expiry and a small connection limit. Handle
 *   `{ role, resource }`; credential `{ username, password, host, port, database }`. With an idempotency key the
 *   role's name follows from the key (`intendedHandle` says it before the grant, so a crash-left intent can be
 *   compensated), and a retry with the same key drops the role that key made (ending its sessions) and creates
 *   it afresh: its password was never recorded, so the earlier credential must not stay usable.
 * - `revoke`: ends the role's sessions, drops everything it owns and every privilege it holds or granted, in
 *   every database of the server, then the role (postgres-roles.ts). Nothing it made passes to another role.
 * - `execute`: runs `params.sql` as one statement under `execute.role` in a transaction with a statement timeout
 *   and caps on rows and bytes. The session logs in as a one-statement temporary role (member of the target
 *   role, dropped afterwards) rather than as the admin: `SET ROLE` on an admin session is no boundary, since
 *   the statement itself could call `set_config('role', 'postgres', true)` and act as superuser.
 * - `observe`: settings and role facts for baselines (postgres-observe.ts); `listManaged`: the roles this
 *   installation created for this resource. Every role name and comment carries the installation id, so two
 *   installations that manage one server never list, reconcile or drop each other's roles.
 */
import pg from 'pg';
import type { JsonObject } from '../../audit/audit-event.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { Resource, ResourceProfile } from '../../policy/model.js';
import type { ExecuteResult, GrantResult, ManagedCredential, Provider, ProviderCall } from '../provider.js';
import {
  PoolCache,
  clientConfig,
  connectionProblems,
  providerError,
  resolveDsn,
  serverAddress,
} from './postgres-connection.js';
import { runStatement } from './postgres-execute.js';
import { DdlGuard } from './postgres-guard.js';
import { listedCredentialOf } from './postgres-reconcile.js';
import { observeServer } from './postgres-observe.js';
import { createTemporaryRole, dropManagedRole, listManagedRoles, type ManagedRole } from './postgres-roles.js';
import { installationIdProblem, roleNameProblem, temporaryRoleName } from './postgres-sql.js';

export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_CONNECTION_LIMIT = 3;
/** How long past its statement timeout the one-statement login of `execute` stays valid. */
const EXECUTE_ROLE_SLACK_MS = 120_000;

export interface PostgresProviderOptions {
  /** This installation's id (migration 0010): every role the provider creates carries it, and only such roles are touched. */
  readonly installationId: string;
  /** Where `connection.dsnEnv` is looked up (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /** `CONNECTION LIMIT` of a granted role (default 3). */
  readonly connectionLimit?: number;
}

/** What a grant handle of this provider holds. */
export interface PostgresHandle {
  readonly role: string;
  readonly resource: string;
}

interface ExecuteSettings {
  readonly role: string;
  readonly statementTimeoutMs: number;
  readonly maxRows: number;
  readonly maxBytes: number;
}

function settingsOf(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function positiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Problems with an action's `execute` settings; empty when they can be used. */
function executeProblems(settings: Readonly<Record<string, unknown>>, where: string): string[] {
  const problems: string[] = [];
  const roleProblem = roleNameProblem(settings.role);
  if (roleProblem !== undefined) problems.push(`${where} execute.role ${roleProblem}`);
  const timeout = settings.statementTimeout;
  if (timeout !== undefined && (typeof timeout !== 'string' || parseDurationSeconds(timeout) === undefined)) {
    problems.push(`${where} statementTimeout is not a duration such as 30s`);
  }
  for (const key of ['maxRows', 'maxBytes'] as const) {
    if (settings[key] !== undefined && !positiveInteger(settings[key]))
      problems.push(`${where} ${key} must be a positive integer`);
  }
  return problems;
}

export class PostgresProvider implements Provider {
  readonly type = 'postgres' as const;
  readonly #pools = new PoolCache();
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  readonly #now: () => number;
  readonly #connectionLimit: number;
  readonly #installationId: string;
  readonly #guard: DdlGuard;

  constructor(options: PostgresProviderOptions) {
    const problem = installationIdProblem(options.installationId);
    if (problem !== undefined) throw new AppError('invalid', `postgres provider: ${problem}`);
    this.#installationId = options.installationId;
    this.#guard = new DdlGuard(options.installationId);
    this.#env = options.env;
    this.#now = options.now ?? (() => Date.now());
    this.#connectionLimit = options.connectionLimit ?? DEFAULT_CONNECTION_LIMIT;
  }

  validateConfig(resource: Resource, profile: ResourceProfile): readonly string[] {
    const problems = connectionProblems(resource);
    const database = profile.provider.settings.database;
    if (database !== undefined && (typeof database !== 'string' || roleNameProblem(database) !== undefined)) {
      problems.push(`profile '${profile.name}' database must be a database name of at most 63 bytes`);
    }
    for (const action of profile.actions.values()) {
      const where = `action '${action.name}'`;
      if (action.grant !== undefined) {
        const problem = roleNameProblem(action.grant.role);
        if (problem !== undefined) problems.push(`${where} grant.role ${problem}`);
      }
      if (action.execute !== undefined) problems.push(...executeProblems(action.execute, where));
    }
    return problems;
  }

  async grant(call: ProviderCall): Promise<GrantResult> {
    const { resource, profile } = call;
    const targetRole = settingsOf(call.action.grant).role;
    const problem = roleNameProblem(targetRole);
    if (problem !== undefined) throw new AppError('invalid', `action '${call.action.name}' grant.role ${problem}`);
    const now = this.#now();
    if (call.expiresAt <= now)
      throw new AppError('invalid', `request '${call.requestId}': the grant would already have expired`);
    const dsn = resolveDsn(resource, { env: this.#env });
    const address = serverAddress(resource, dsn);
    const role = this.#intendedRole(call);
    const created = await this.#withAdmin(resource, dsn, `granting role '${String(targetRole)}'`, async (client) => {
      // Before the login exists: no session of it may ever run unguarded.
      await this.#guard.ensure(client, resource, dsn);
      // A retry with the same key: what the earlier attempt made is dropped, then made again.
      if (role !== undefined) await dropManagedRole(client, resource, dsn, role, this.#installationId);
      return createTemporaryRole(client, resource, {
        installationId: this.#installationId,
        requestId: call.requestId,
        targetRole: targetRole as string,
        validUntil: call.expiresAt,
        connectionLimit: this.#connectionLimit,
        kind: 'grant',
        now,
        ...(role === undefined ? {} : { role }),
      });
    });
    const handle: PostgresHandle = { role: created.role, resource: resource.name };
    return {
      handle: { ...handle },
      credential: {
        username: created.role,
        password: created.password,
        host: address.host,
        port: String(address.port),
        database: targetDatabase(profile, address.database),
      },
      expiresAt: call.expiresAt,
    };
  }

  /** With an idempotency key, the handle `grant(call)` returns: `{ role, resource }`, the role named from the key. */
  intendedHandle(call: ProviderCall): JsonObject | undefined {
    const role = this.#intendedRole(call);
    if (role === undefined) return undefined;
    const handle: PostgresHandle = { role, resource: call.resource.name };
    return { ...handle };
  }

  #intendedRole(call: ProviderCall): string | undefined {
    if (call.idempotencyKey === undefined) return undefined;
    return temporaryRoleName(this.#installationId, call.requestId, 'grant', call.idempotencyKey);
  }

  async revoke(handle: JsonObject, resource: Resource, _profile: ResourceProfile): Promise<void> {
    const { role } = handle;
    if (typeof role !== 'string')
      throw new AppError('invalid', `resource '${resource.name}': grant handle has no role`);
    if (handle.resource !== undefined && handle.resource !== resource.name) {
      throw new AppError(
        'invalid',
        `grant handle of role '${role}' is for resource '${String(handle.resource)}', not '${resource.name}'`,
      );
    }
    const dsn = resolveDsn(resource, { env: this.#env });
    await this.#withAdmin(resource, dsn, `revoking role '${role}'`, (client) =>
      dropManagedRole(client, resource, dsn, role, this.#installationId),
    );
  }

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    const { resource, profile } = call;
    const sql = call.params.sql;
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new AppError('invalid', `action '${call.action.name}' needs the statement to run in parameter 'sql'`);
    }
    const settings = executeSettings(call);
    const dsn = resolveDsn(resource, { env: this.#env });
    const address = serverAddress(resource, dsn);
    const login = await this.#withAdmin(
      resource,
      dsn,
      `preparing to run the statement as '${settings.role}'`,
      (client) =>
        createTemporaryRole(client, resource, {
          installationId: this.#installationId,
          requestId: call.requestId,
          targetRole: settings.role,
          validUntil: this.#now() + settings.statementTimeoutMs + EXECUTE_ROLE_SLACK_MS,
          connectionLimit: 1,
          kind: 'execute',
          now: this.#now(),
        }),
    );
    try {
      const client = new pg.Client({
        ...clientConfig(dsn, {
          database: targetDatabase(profile, address.database),
          user: login.role,
          password: login.password,
        }),
        // A client-side bound too, should the server or the network stop answering.
        query_timeout: settings.statementTimeoutMs + 10_000,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('begin');
        await client.query(
          "select set_config('role', $1, true), set_config('statement_timeout', $2, true)," +
            " set_config('idle_in_transaction_session_timeout', $2, true)",
          [settings.role, String(settings.statementTimeoutMs)],
        );
        const result = await runStatement(client, sql, settings);
        await client.query('commit');
        return {
          output: { columns: result.columns, rows: result.rows },
          summary: { rowCount: result.rowCount, truncated: result.truncated, command: result.command },
        };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw providerError(resource, 'running the approved statement', error);
      } finally {
        await client.end().catch(() => undefined);
      }
    } finally {
      // A failure to drop is not the statement's failure: the role expires on its own within minutes and
      // reconciliation removes it.
      await this.#withAdmin(resource, dsn, 'dropping the statement login', (client) =>
        dropManagedRole(client, resource, dsn, login.role, this.#installationId),
      ).catch(() => undefined);
    }
  }

  async observe(resource: Resource, _profile: ResourceProfile): Promise<Record<string, unknown>> {
    const dsn = resolveDsn(resource, { env: this.#env });
    return this.#withAdmin(resource, dsn, 'observing the server', (client) => observeServer(client));
  }

  async listManaged(resource: Resource, _profile: ResourceProfile): Promise<readonly ManagedCredential[]> {
    const roles = await this.listManagedRoles(resource);
    return roles.map((role) => {
      const { handle, createdAt, busyUntil } = listedCredentialOf(role);
      return { handle, createdAt, ...(busyUntil === undefined ? {} : { busyUntil }) };
    });
  }

  /** The managed roles of a resource with what reconciliation needs besides the handle (kind, VALID UNTIL). */
  async listManagedRoles(resource: Resource): Promise<readonly ManagedRole[]> {
    const dsn = resolveDsn(resource, { env: this.#env });
    return this.#withAdmin(resource, dsn, 'listing managed roles', (client) =>
      listManagedRoles(client, resource, this.#installationId),
    );
  }

  /** Ends every pool; the provider can still be used afterwards (pools are created again on demand). */
  async close(): Promise<void> {
    await this.#pools.closeAll();
  }

  async #withAdmin<T>(
    resource: Resource,
    dsn: string,
    doing: string,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pools.get(dsn).connect();
    } catch (error) {
      throw providerError(resource, doing, error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = !(error instanceof AppError);
      throw providerError(resource, doing, error);
    } finally {
      // A client that failed mid-work may sit in an aborted transaction; do not hand it out again.
      client.release(broken);
    }
  }
}

function targetDatabase(profile: ResourceProfile, dsnDatabase: string): string {
  const configured = profile.provider.settings.database;
  return typeof configured === 'string' && configured !== '' ? configured : dsnDatabase;
}

function executeSettings(call: ProviderCall): ExecuteSettings {
  const settings = settingsOf(call.action.execute);
  const problems = executeProblems(settings, `action '${call.action.name}'`);
  if (problems.length > 0) throw new AppError('invalid', problems.join('; '));
  const timeoutSeconds =
    typeof settings.statementTimeout === 'string' ? parseDurationSeconds(settings.statementTimeout) : undefined;
  return {
    role: settings.role as string,
    statementTimeoutMs: (timeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS) * 1000,
    maxRows: (settings.maxRows as number | undefined) ?? DEFAULT_MAX_ROWS,
    maxBytes: (settings.maxBytes as number | undefined) ?? DEFAULT_MAX_BYTES,
  };
}
