/**
 * The DDL guard: a pair of event triggers, one pair per installation in every database of the server, that keep
 * a grant holder from making anything that outlives the grant.
 *
 * Revoke drops everything the temporary login owns (`DROP OWNED`), but on PostgreSQL 15 and older membership
 * always allows `SET ROLE` to the granted role, and membership alone lets the login change what the granted role
 * owns (`GRANT … TO PUBLIC` on its tables, `ALTER … OWNER TO` it, a policy on its table, its default
 * privileges). What is made that way belongs to the granted role and would stay after revoke. The guard refuses,
 * in a session whose login is one of this installation's grant logins (`cs_<installation>_…`):
 * - any DDL run as another role than the login (after `SET ROLE`, or inside someone else's SECURITY DEFINER code);
 * - `GRANT`, `REVOKE` and `ALTER DEFAULT PRIVILEGES` (PostgreSQL reports no object for them, and a grant
 *   recorded in the owner's name outlives the login);
 * - any DDL that leaves an object not owned by the login itself (checked per object after the command, in the
 *   same transaction, so the command is rolled back); an object of a kind the guard does not know is refused.
 * Everything else (data, and objects the login makes and owns, which revoke drops) is untouched, and every other
 * session returns at the first line. The one-statement logins of `execute` (`csx_…`) are not guarded: their
 * statement was approved and runs as the target role on purpose.
 *
 * Installing event triggers needs a superuser, so the provider's admin connection must be one (it usually is:
 * it already creates and drops roles on the whole server). Without the guard a grant is refused, not made
 * unguarded.
 */
import pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Resource } from '../../policy/model.js';
import { ADMIN_STATEMENT_TIMEOUT_MS, clientConfig, sqlState } from './postgres-connection.js';
import { quoteIdent, quoteLiteral, temporaryRolePrefix } from './postgres-sql.js';

/** How long a database that could not take the guard may take to finish being dropped, and how often to look. */
const DROP_SETTLE_MS = 2000;
const DROP_POLL_MS = 50;

/** The schema holding every installation's guard functions; PUBLIC has no right on it. */
export const GUARD_SCHEMA = 'countersign_guard';

/** Names of one installation's event triggers and their functions. */
export function guardNames(installationId: string): { readonly start: string; readonly end: string } {
  return { start: `countersign_guard_${installationId}_start`, end: `countersign_guard_${installationId}_end` };
}

/** The owner of a catalog object that DDL reported, by catalog; NULL for a kind the guard does not know. */
const OWNER_OF_OBJECT = `case classid
      when 'pg_class'::regclass then (select relowner from pg_class where oid = objid)
      when 'pg_proc'::regclass then (select proowner from pg_proc where oid = objid)
      when 'pg_type'::regclass then (select typowner from pg_type where oid = objid)
      when 'pg_namespace'::regclass then (select nspowner from pg_namespace where oid = objid)
      when 'pg_trigger'::regclass then (select c.relowner from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.oid = objid)
      when 'pg_rewrite'::regclass then (select c.relowner from pg_rewrite r join pg_class c on c.oid = r.ev_class where r.oid = objid)
      when 'pg_policy'::regclass then (select c.relowner from pg_policy p join pg_class c on c.oid = p.polrelid where p.oid = objid)
      when 'pg_attrdef'::regclass then (select c.relowner from pg_attrdef d join pg_class c on c.oid = d.adrelid where d.oid = objid)
      when 'pg_constraint'::regclass then (select coalesce(c.relowner, t.typowner) from pg_constraint k
          left join pg_class c on c.oid = k.conrelid left join pg_type t on t.oid = k.contypid where k.oid = objid)
      when 'pg_statistic_ext'::regclass then (select stxowner from pg_statistic_ext where oid = objid)
      when 'pg_operator'::regclass then (select oprowner from pg_operator where oid = objid)
      when 'pg_opclass'::regclass then (select opcowner from pg_opclass where oid = objid)
      when 'pg_opfamily'::regclass then (select opfowner from pg_opfamily where oid = objid)
      when 'pg_collation'::regclass then (select collowner from pg_collation where oid = objid)
      when 'pg_conversion'::regclass then (select conowner from pg_conversion where oid = objid)
      when 'pg_ts_config'::regclass then (select cfgowner from pg_ts_config where oid = objid)
      when 'pg_ts_dict'::regclass then (select dictowner from pg_ts_dict where oid = objid)
      when 'pg_extension'::regclass then (select extowner from pg_extension where oid = objid)
      when 'pg_foreign_server'::regclass then (select srvowner from pg_foreign_server where oid = objid)
      when 'pg_publication'::regclass then (select pubowner from pg_publication where oid = objid)
    end`;

/** The statements that install (or refresh) one installation's guard in the current database. */
export function guardInstallStatements(installationId: string): string[] {
  const names = guardNames(installationId);
  const prefix = quoteLiteral(temporaryRolePrefix(installationId, 'grant'));
  const hint = quoteLiteral(
    'During a Countersign grant only objects this login creates and owns may be defined; they are dropped when ' +
      'the grant ends. A change that must last goes through an approved execute action.',
  );
  const schema = quoteIdent(GUARD_SCHEMA);
  return [
    `create schema if not exists ${schema}`,
    `revoke all on schema ${schema} from public`,
    `create or replace function ${schema}.${quoteIdent(names.start)}() returns event_trigger
       language plpgsql set search_path = pg_catalog as $guard$
     begin
       if not starts_with(session_user::text, ${prefix}) then return; end if;
       if current_user <> session_user then
         raise exception 'Countersign: % as role "%" is refused during a grant', tg_tag, current_user
           using errcode = '42501', hint = ${hint};
       end if;
       if tg_tag in ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES') then
         raise exception 'Countersign: % is refused during a grant', tg_tag
           using errcode = '42501', hint = ${hint};
       end if;
     end $guard$`,
    `create or replace function ${schema}.${quoteIdent(names.end)}() returns event_trigger
       language plpgsql set search_path = pg_catalog as $guard$
     declare
       command record;
     begin
       if not starts_with(session_user::text, ${prefix}) then return; end if;
       for command in
         select c.command_tag, c.object_type, c.object_identity, ${OWNER_OF_OBJECT} as owner
           from pg_event_trigger_ddl_commands() c
       loop
         if command.owner is distinct from (select oid from pg_roles where rolname = session_user) then
           raise exception 'Countersign: % would leave % % owned by "%", which outlives the grant',
               command.command_tag, command.object_type, coalesce(command.object_identity, '?'),
               coalesce(pg_get_userbyid(command.owner), 'an unknown owner')
             using errcode = '42501', hint = ${hint};
         end if;
       end loop;
     end $guard$`,
  ];
}

/** Whether both event triggers of the installation exist (and are enabled) in the current database. */
async function guardPresent(client: pg.ClientBase, installationId: string): Promise<boolean> {
  const names = guardNames(installationId);
  const found = await client.query<{ count: string }>(
    `select count(*)::text as count from pg_event_trigger where evtname in ($1, $2) and evtenabled <> 'D'`,
    [names.start, names.end],
  );
  return found.rows[0]?.count === '2';
}

/**
 * Refuses a guard schema that a role other than a superuser owns: whoever can create schemas in a database could
 * make it first and, as its owner, later drop the guard's functions (and with CASCADE its event triggers).
 */
async function refuseForeignSchema(client: pg.ClientBase): Promise<void> {
  const found = await client.query<{ owner: string; superuser: boolean; database: string }>(
    `select r.rolname::text as owner, r.rolsuper as superuser, current_database()::text as database
       from pg_namespace n join pg_roles r on r.oid = n.nspowner where n.nspname = $1`,
    [GUARD_SCHEMA],
  );
  const schema = found.rows[0];
  if (schema === undefined || schema.superuser) return;
  throw new AppError(
    'provider_failed',
    `schema '${GUARD_SCHEMA}' in database '${schema.database}' is owned by '${schema.owner}', not a superuser, ` +
      "so Countersign's DDL guard cannot live there and no grant is made; drop or reassign the schema",
  );
}

/** Installs the guard in the database `client` is connected to, unless it is there; safe to race. */
async function installGuardHere(client: pg.ClientBase, installationId: string): Promise<void> {
  await refuseForeignSchema(client);
  if (await guardPresent(client, installationId)) return;
  const names = guardNames(installationId);
  const schema = quoteIdent(GUARD_SCHEMA);
  await client.query('begin');
  try {
    // Two replicas installing at once would otherwise fail on "tuple concurrently updated".
    await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [names.start]);
    for (const statement of guardInstallStatements(installationId)) await client.query(statement);
    for (const [name, event] of [
      [names.start, 'ddl_command_start'],
      [names.end, 'ddl_command_end'],
    ] as const) {
      await client.query(`drop event trigger if exists ${quoteIdent(name)}`);
      await client.query(
        `create event trigger ${quoteIdent(name)} on ${event} execute function ${schema}.${quoteIdent(name)}()`,
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Keeps the guard installed in every database a grant login could connect to. Databases already seen guarded
 * by this process are skipped (a database is known by its oid, so one dropped and made again is seen anew);
 * a database created later is guarded by the next grant. Template databases are left alone: a guard copied into
 * every new database would outlive the installation.
 */
export class DdlGuard {
  readonly #installationId: string;
  /** `<admin DSN> <database oid>` of every database seen guarded: one provider serves many servers. */
  readonly #guarded = new Set<string>();

  constructor(installationId: string) {
    this.#installationId = installationId;
  }

  async ensure(client: pg.ClientBase, resource: Resource, adminDsn: string): Promise<void> {
    try {
      const databases = await client.query<{ oid: number; datname: string; here: boolean }>(
        `select oid::int as oid, datname::text as datname, datname = current_database() as here
           from pg_database where datallowconn and not datistemplate order by datname`,
      );
      for (const { oid, datname, here } of databases.rows) {
        const key = `${adminDsn} ${oid}`;
        if (this.#guarded.has(key)) continue;
        if (here) await installGuardHere(client, this.#installationId);
        else {
          const installed = await withDatabase(adminDsn, datname, (other) =>
            installGuardHere(other, this.#installationId),
          ).then(
            () => true,
            async (error: unknown) => {
              // A refusal of ours (a squatted schema) is final; only a failure to reach the database may be a drop.
              if (error instanceof AppError) throw error;
              // Dropped (or closed to connections) since it was listed, or while the guard went in: nobody can
              // connect to it either, so there is nothing to guard. A drop ends the database's sessions before
              // its row goes, so give it a moment to go; a database that stays and refused the guard fails
              // the grant.
              for (let waited = 0; waited <= DROP_SETTLE_MS; waited += DROP_POLL_MS) {
                const still = await client.query('select 1 from pg_database where oid = $1 and datallowconn', [oid]);
                if (still.rows.length === 0) return false;
                await new Promise((resolve) => setTimeout(resolve, DROP_POLL_MS));
              }
              throw error;
            },
          );
          if (!installed) continue;
        }
        this.#guarded.add(key);
      }
    } catch (error) {
      if (sqlState(error) === '42501') {
        throw new AppError(
          'provider_failed',
          `resource '${resource.name}': the admin connection cannot install Countersign's DDL guard (event ` +
            'triggers need a superuser); without it a grant holder could leave objects that outlive the grant, ' +
            'so no grant is made',
        );
      }
      throw error;
    }
  }
}

/** Removes one installation's guard from every database of the server (for uninstalling, and for tests). */
export async function removeDdlGuard(adminDsn: string, installationId: string): Promise<void> {
  const names = guardNames(installationId);
  const schema = quoteIdent(GUARD_SCHEMA);
  await withDatabase(adminDsn, undefined, async (client) => {
    const databases = await client.query<{ datname: string }>(
      `select datname::text as datname from pg_database where datallowconn and not datistemplate`,
    );
    for (const { datname } of databases.rows) {
      await withDatabase(adminDsn, datname, async (other) => {
        for (const name of [names.start, names.end]) {
          await other.query(`drop event trigger if exists ${quoteIdent(name)}`);
          await other.query(`drop function if exists ${schema}.${quoteIdent(name)}()`);
        }
      }).catch((error: unknown) => {
        // A database dropped since it was listed (3D000) took its guard with it.
        if (sqlState(error) !== '3D000') throw error;
      });
    }
  });
}

async function withDatabase<T>(
  adminDsn: string,
  database: string | undefined,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    ...clientConfig(adminDsn, database === undefined ? {} : { database }),
    statement_timeout: ADMIN_STATEMENT_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
