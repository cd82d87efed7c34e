/**
 * Temporary login roles on a PostgreSQL server: created for a grant (or for one `execute`), found again by the
 * comment that marks them as Countersign's, and dropped with every session they hold. All statements run on an
 * admin connection; the caller supplies it and says which resource it serves (for messages).
 */
import pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Resource } from '../../policy/model.js';
import { ADMIN_STATEMENT_TIMEOUT_MS, clientConfig, providerError, sqlState } from './postgres-connection.js';
import {
  MANAGED_COMMENT_PREFIX,
  managedComment,
  parseManagedComment,
  quoteIdent,
  quoteLiteral,
  randomPassword,
  roleNameProblem,
  scramVerifier,
  temporaryRoleName,
  isExecuteRoleName,
  type ManagedRoleMark,
} from './postgres-sql.js';

/** How long revoke waits for each terminated session to actually end (PostgreSQL 14 and later). */
const TERMINATE_WAIT_MS = 5000;

export interface TemporaryRoleSpec {
  readonly requestId: string;
  readonly targetRole: string;
  /** Epoch ms: the role's `VALID UNTIL`. */
  readonly validUntil: number;
  readonly connectionLimit: number;
  readonly kind: 'grant' | 'execute';
  readonly now: number;
}

export interface TemporaryRole {
  readonly role: string;
  readonly password: string;
}

/** A role Countersign created, as found on the server. */
export interface ManagedRole extends ManagedRoleMark {
  readonly role: string;
  /** `execute` for the one-statement login of an execute action, `grant` otherwise. */
  readonly kind: 'grant' | 'execute';
  /** Epoch ms of the role's VALID UNTIL, when it has one. */
  readonly validUntil?: number;
}

/**
 * Refuses a target role that does not exist or is a superuser: membership in a superuser role would hand out
 * ownership of everything it owns, which no approval in Countersign is meant to grant.
 */
export async function checkTargetRole(client: pg.ClientBase, resource: Resource, role: string): Promise<void> {
  const problem = roleNameProblem(role);
  if (problem !== undefined) throw new AppError('invalid', `resource '${resource.name}': target role ${problem}`);
  const found = await client.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = $1', [role]);
  const row = found.rows[0];
  if (row === undefined) {
    throw new AppError('provider_failed', `resource '${resource.name}': role '${role}' does not exist on the server`);
  }
  if (row.rolsuper) {
    throw new AppError(
      'provider_failed',
      `resource '${resource.name}': role '${role}' is a superuser; Countersign does not grant membership in superuser roles`,
    );
  }
}

/**
 * Creates a LOGIN role that is a member of `targetRole`, expires at `validUntil`, may hold at most
 * `connectionLimit` sessions and has no other attribute; marks it with the managed comment in the same
 * transaction, so a role without the mark never exists and one with it is always found by `listManagedRoles`.
 */
export async function createTemporaryRole(
  client: pg.ClientBase,
  resource: Resource,
  spec: TemporaryRoleSpec,
): Promise<TemporaryRole> {
  await checkTargetRole(client, resource, spec.targetRole);
  const role = temporaryRoleName(spec.requestId, spec.kind);
  const password = randomPassword();
  const comment = managedComment({ requestId: spec.requestId, resource: resource.name, createdAt: spec.now });
  await client.query('begin');
  try {
    await client.query(
      `create role ${quoteIdent(role)} with login inherit nosuperuser nocreatedb` +
        ` nocreaterole noreplication nobypassrls connection limit ${Math.trunc(spec.connectionLimit)}` +
        ` password ${quoteLiteral(scramVerifier(password))} valid until ${quoteLiteral(new Date(spec.validUntil).toISOString())}` +
        ` in role ${quoteIdent(spec.targetRole)}`,
    );
    await client.query(`comment on role ${quoteIdent(role)} is ${quoteLiteral(comment)}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
  return { role, password };
}

/** Every role on the server whose comment marks it as Countersign's and names `resource`. */
export async function listManagedRoles(client: pg.ClientBase, resource: Resource): Promise<ManagedRole[]> {
  const found = await client.query<{ rolname: string; comment: string | null; valid_until: Date | null }>(
    `select rolname, shobj_description(oid, 'pg_authid') as comment, rolvaliduntil as valid_until from pg_roles
      where starts_with(coalesce(shobj_description(oid, 'pg_authid'), ''), $1) order by rolname`,
    [MANAGED_COMMENT_PREFIX],
  );
  const roles: ManagedRole[] = [];
  for (const row of found.rows) {
    const mark = parseManagedComment(row.comment);
    if (mark === undefined || mark.resource !== resource.name) continue;
    const validUntil = row.valid_until?.getTime();
    roles.push({
      role: row.rolname,
      ...mark,
      kind: isExecuteRoleName(row.rolname) ? 'execute' : 'grant',
      ...(validUntil === undefined || Number.isNaN(validUntil) ? {} : { validUntil }),
    });
  }
  return roles;
}

/**
 * Ends every session of a managed role and drops it, in every database where it owns objects or holds
 * privileges; objects it created are handed to the admin role first (REASSIGN OWNED), so no data is lost.
 * Idempotent: an absent role is already revoked. Refuses to touch a role that Countersign did not create.
 */
export async function dropManagedRole(
  client: pg.ClientBase,
  resource: Resource,
  adminDsn: string,
  role: string,
): Promise<void> {
  const problem = roleNameProblem(role);
  if (problem !== undefined) throw new AppError('invalid', `resource '${resource.name}': role to revoke ${problem}`);
  try {
    const found = await client.query<{ comment: string | null; databases: string[] }>(
      `select shobj_description(r.oid, 'pg_authid') as comment,
              array(select distinct d.datname::text from pg_shdepend s join pg_database d on d.oid = s.dbid
                     where s.refclassid = 'pg_authid'::regclass and s.refobjid = r.oid
                       and d.datname <> current_database() and d.datallowconn) as databases
         from pg_roles r where r.rolname = $1`,
      [role],
    );
    const row = found.rows[0];
    if (row === undefined) return;
    if (parseManagedComment(row.comment) === undefined) {
      throw new AppError(
        'provider_failed',
        `resource '${resource.name}': role '${role}' was not created by Countersign; refusing to drop it`,
      );
    }
    // No new session may start while the existing ones are ended.
    await client.query(`alter role ${quoteIdent(role)} with nologin`);
    // From PostgreSQL 14 on, pg_terminate_backend can wait until the session has really ended.
    const waits = (await serverVersionNum(client)) >= 140000;
    await client.query(
      `select pg_terminate_backend(pid${waits ? ', $2' : ''})
         from pg_stat_activity where usename = $1 and pid <> pg_backend_pid()`,
      waits ? [role, TERMINATE_WAIT_MS] : [role],
    );
    for (const database of row.databases) {
      await disownIn(adminDsn, database, role);
    }
    await client.query('begin');
    try {
      await client.query(`reassign owned by ${quoteIdent(role)} to current_user`);
      await client.query(`drop owned by ${quoteIdent(role)}`);
      await client.query(`drop role if exists ${quoteIdent(role)}`);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  } catch (error) {
    // A concurrent revoke got there first.
    if (sqlState(error) === '42704') return;
    throw providerError(resource, `revoking role '${role}'`, error);
  }
}

async function serverVersionNum(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ server_version_num: string }>('show server_version_num');
  return Number(result.rows[0]?.server_version_num ?? 0);
}

/** REASSIGN OWNED and DROP OWNED in another database of the same server, over a short-lived connection. */
async function disownIn(adminDsn: string, database: string, role: string): Promise<void> {
  const client = new pg.Client({
    ...clientConfig(adminDsn, { database }),
    statement_timeout: ADMIN_STATEMENT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    await client.query(`reassign owned by ${quoteIdent(role)} to current_user`);
    await client.query(`drop owned by ${quoteIdent(role)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
