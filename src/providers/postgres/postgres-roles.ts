/**
 * Temporary login roles on a PostgreSQL server: created for a grant (or for one `execute`), found again by their
 * name and the comment that mark them as this installation's, and dropped with every session they hold and
 * everything they own or were granted. All statements run on an admin connection; the caller supplies it and
 * says which resource it serves (for messages).
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
  temporaryRolePrefix,
  isExecuteRoleName,
  type ManagedRoleMark,
} from './postgres-sql.js';

/** How long revoke waits for each terminated session to actually end (PostgreSQL 14 and later). */
const TERMINATE_WAIT_MS = 5000;

export interface TemporaryRoleSpec {
  /** The installation creating the role: carried in its name and comment. */
  readonly installationId: string;
  readonly requestId: string;
  readonly targetRole: string;
  /** Epoch ms: the role's `VALID UNTIL`. */
  readonly validUntil: number;
  readonly connectionLimit: number;
  readonly kind: 'grant' | 'execute';
  readonly now: number;
  /** The name to create (see `temporaryRoleName`); a fresh random one when absent. */
  readonly role?: string;
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
 * Refuses a target role that does not exist, or that is or can become (by `SET ROLE` to a role it is a member
 * of) a superuser or a role with CREATEROLE: a superuser's membership hands out ownership of everything, and
 * CREATEROLE lets the grant holder make roles that outlive the grant. No approval in Countersign grants either.
 */
export async function checkTargetRole(client: pg.ClientBase, resource: Resource, role: string): Promise<void> {
  const problem = roleNameProblem(role);
  if (problem !== undefined) throw new AppError('invalid', `resource '${resource.name}': target role ${problem}`);
  const found = await client.query<{ rolname: string; rolsuper: boolean; rolcreaterole: boolean }>(
    `select r.rolname, r.rolsuper, r.rolcreaterole from pg_roles t join pg_roles r
         on r.oid = t.oid or (pg_has_role(t.oid, r.oid, 'MEMBER') and (r.rolsuper or r.rolcreaterole))
      where t.rolname = $1 order by r.oid = t.oid desc, r.rolname`,
    [role],
  );
  if (found.rows.length === 0) {
    throw new AppError('provider_failed', `resource '${resource.name}': role '${role}' does not exist on the server`);
  }
  for (const row of found.rows) {
    if (!row.rolsuper && !row.rolcreaterole) continue;
    const what = row.rolsuper ? 'a superuser' : 'a role that may create roles (CREATEROLE)';
    const reason =
      row.rolname === role ? `role '${role}' is ${what}` : `role '${role}' is a member of '${row.rolname}', ${what}`;
    throw new AppError(
      'provider_failed',
      `resource '${resource.name}': ${reason}; Countersign does not grant membership in superuser or CREATEROLE roles`,
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
  const role = spec.role ?? temporaryRoleName(spec.installationId, spec.requestId, spec.kind);
  const password = randomPassword();
  const comment = managedComment({
    installation: spec.installationId,
    requestId: spec.requestId,
    resource: resource.name,
    createdAt: spec.now,
  });
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

/**
 * Every role on the server that this installation created for `resource`: its name starts with the
 * installation's prefix and its comment names the installation and the resource. Roles of another installation
 * on the same server, and roles made before installations had ids, are never listed (so never reconciled).
 */
export async function listManagedRoles(
  client: pg.ClientBase,
  resource: Resource,
  installationId: string,
): Promise<ManagedRole[]> {
  const found = await client.query<{ rolname: string; comment: string | null; valid_until: Date | null }>(
    `select rolname, shobj_description(oid, 'pg_authid') as comment, rolvaliduntil as valid_until from pg_roles
      where (starts_with(rolname, $2) or starts_with(rolname, $3))
        and starts_with(coalesce(shobj_description(oid, 'pg_authid'), ''), $1) order by rolname`,
    [
      MANAGED_COMMENT_PREFIX,
      temporaryRolePrefix(installationId, 'grant'),
      temporaryRolePrefix(installationId, 'execute'),
    ],
  );
  const roles: ManagedRole[] = [];
  for (const row of found.rows) {
    const mark = parseManagedComment(row.comment);
    if (mark === undefined || mark.installation !== installationId || mark.resource !== resource.name) continue;
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
 * Ends every session of a managed role, then, in every database of the server where it owns objects or holds
 * privileges, drops everything it owns and every privilege it holds or granted (`DROP OWNED … CASCADE`, which
 * also drops what others built on those objects), then drops the role. Nothing it made passes to another role:
 * handing a function to the admin role would make it a superuser's, and handing it to the target role would
 * keep rights the holder had only during the grant. Idempotent: an absent role is already revoked. Refuses to
 * touch a role that Countersign did not create, or that another installation created.
 */
export async function dropManagedRole(
  client: pg.ClientBase,
  resource: Resource,
  adminDsn: string,
  role: string,
  installationId: string,
): Promise<void> {
  const problem = roleNameProblem(role);
  if (problem !== undefined) throw new AppError('invalid', `resource '${resource.name}': role to revoke ${problem}`);
  try {
    const found = await client.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname = $1`,
      [role],
    );
    const row = found.rows[0];
    if (row === undefined) return;
    const mark = parseManagedComment(row.comment);
    if (mark === undefined) {
      throw new AppError(
        'provider_failed',
        `resource '${resource.name}': role '${role}' was not created by Countersign; refusing to drop it`,
      );
    }
    // A role made before installations had ids carries none; its grant handle is this installation's evidence.
    if (mark.installation !== undefined && mark.installation !== installationId) {
      throw new AppError(
        'provider_failed',
        `resource '${resource.name}': role '${role}' was created by another Countersign installation; refusing to drop it`,
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
    // Read after the sessions ended, so that nothing they made in the meantime is missed.
    const elsewhere = await client.query<{ datname: string }>(
      `select distinct d.datname::text as datname from pg_shdepend s join pg_database d on d.oid = s.dbid
        where s.refclassid = 'pg_authid'::regclass and s.refobjid = (select oid from pg_roles where rolname = $1)
          and d.datname <> current_database() and d.datallowconn order by 1`,
      [role],
    );
    for (const { datname } of elsewhere.rows) {
      await dropOwnedIn(adminDsn, datname, role);
    }
    await client.query('begin');
    try {
      await client.query(`drop owned by ${quoteIdent(role)} cascade`);
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

/** DROP OWNED in another database of the same server, over a short-lived connection. */
async function dropOwnedIn(adminDsn: string, database: string, role: string): Promise<void> {
  const client = new pg.Client({
    ...clientConfig(adminDsn, { database }),
    statement_timeout: ADMIN_STATEMENT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    await client.query(`drop owned by ${quoteIdent(role)} cascade`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
