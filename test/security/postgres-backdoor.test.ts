/**
 * Issue #9, item 1: a revoked PostgreSQL grant leaves no privilege path behind. The grant holder builds
 * backdoors during the grant (a SECURITY DEFINER function, a view over a table the granted role cannot read, a
 * table whose trigger runs as its owner, grants to PUBLIC), through the credential the grant returned and
 * through an approved `execute` that escapes to its login role with `RESET ROLE`. After revoke an unrelated
 * low-privilege role must gain nothing, and the scratch database must hold exactly what it held before: no
 * object, owner or privilege more. Also: the target role of a grant cannot be one that reaches a superuser or
 * CREATEROLE, and two installations on one server never touch each other's roles.
 *
 * Runs against the real PostgreSQL server (test/providers/postgres-fixtures.ts), in a scratch database.
 */
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import { reconcileRoles } from '../../src/providers/postgres/postgres-reconcile.js';
import {
  adminQuery,
  describePostgres,
  loginWith,
  rejectionOf,
  roleExists,
  type PostgresSuite,
} from '../providers/postgres-fixtures.js';

/** Everything outside the system schemas of the scratch database: objects, their owners and their privileges. */
async function footprint(suite: PostgresSuite): Promise<string[]> {
  const rows = await adminQuery<{ item: string }>(
    `with user_ns as (
       select oid, nspname, nspowner, nspacl from pg_namespace
        where nspname not in ('pg_catalog', 'information_schema', 'countersign_guard') and nspname not like 'pg\\_toast%'
          and nspname not like 'pg\\_temp%')
     select 'schema ' || n.nspname || ' owner ' || pg_get_userbyid(n.nspowner) || ' acl ' || coalesce(n.nspacl::text, '-') as item
       from user_ns n
     union all
     select 'relation ' || c.oid::regclass::text || ' owner ' || pg_get_userbyid(c.relowner) || ' acl ' || coalesce(c.relacl::text, '-')
       from pg_class c join user_ns n on n.oid = c.relnamespace
     union all
     select 'routine ' || p.oid::regprocedure::text || ' owner ' || pg_get_userbyid(p.proowner) || ' acl ' || coalesce(p.proacl::text, '-')
       from pg_proc p join user_ns n on n.oid = p.pronamespace
     union all
     select 'type ' || t.oid::regtype::text || ' owner ' || pg_get_userbyid(t.typowner) from pg_type t join user_ns n on n.oid = t.typnamespace
     union all
     select 'trigger ' || tgname || ' on ' || tgrelid::regclass::text from pg_trigger where not tgisinternal
     union all
     select 'default acl ' || pg_get_userbyid(defaclrole) || ' ' || defaclacl::text from pg_default_acl
     union all
     select 'column acl ' || attrelid::regclass::text || '.' || attname || ' ' || attacl::text
       from pg_attribute where attacl is not null and attrelid >= 16384`,
    [],
    suite.database,
  );
  return rows.map((row) => row.item).sort();
}

/** What an unrelated low-privilege login gets from each backdoor: the value it read, or `refused`. */
async function probe(suite: PostgresSuite, outsider: string, suffix: string): Promise<Record<string, string>> {
  const url = new URL(suite.env[suite.dsnEnv] ?? '');
  url.username = outsider;
  url.password = '';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const outcomes: Record<string, string> = {};
  const attempts: Record<string, string> = {
    'security definer function': `select backdoor${suffix}() as value`,
    'function reading a secret': `select leak${suffix}() as value`,
    'view over a secret table': `select secret as value from leak_view${suffix}`,
    'trigger running as its owner': `insert into trap${suffix} values (null) returning who as value`,
    'table granted to PUBLIC': `select count(*)::text as value from shared${suffix}`,
    'the secret table itself': 'select secret as value from secret_data',
  };
  try {
    for (const [name, sql] of Object.entries(attempts)) {
      outcomes[name] = await client.query<{ value: string }>(sql).then(
        (result) => String(result.rows[0]?.value),
        () => 'refused',
      );
    }
  } finally {
    await client.end();
  }
  return outcomes;
}

const EVERYTHING_REFUSED = {
  'security definer function': 'refused',
  'function reading a secret': 'refused',
  'view over a secret table': 'refused',
  'trigger running as its owner': 'refused',
  'table granted to PUBLIC': 'refused',
  'the secret table itself': 'refused',
};

/** The backdoors, named with `suffix`, as statements the grant holder runs. */
function backdoorStatements(suffix: string): string[] {
  return [
    `create function backdoor${suffix}() returns text language sql security definer
       as $f$ select current_user::text $f$`,
    `create function leak${suffix}() returns text language sql security definer
       as $f$ select secret from secret_data limit 1 $f$`,
    `grant execute on function backdoor${suffix}(), leak${suffix}() to public`,
    `create view leak_view${suffix} as select secret from secret_data`,
    `grant select on leak_view${suffix} to public`,
    `create table trap${suffix} (who text)`,
    `create function stamp${suffix}() returns trigger language plpgsql security definer
       as $f$ begin new.who := current_user; return new; end $f$`,
    `create trigger stamp${suffix} before insert on trap${suffix} for each row execute function stamp${suffix}()`,
    `grant insert, select on trap${suffix} to public`,
    `create table shared${suffix} (id int)`,
    `grant all on shared${suffix} to public`,
  ];
}

describePostgres('security: a revoked PostgreSQL grant leaves no privilege path behind', (suite) => {
  const outsider = `${suite.prefix}outsider`;
  beforeAll(async () => {
    await adminQuery(`create role ${outsider} login`);
  });

  it('backdoors built through the granted login (function, view, trigger, grant to PUBLIC) are gone after revoke', async () => {
    const before = await footprint(suite);
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'rw'));
    const client = await loginWith(granted.credential);
    try {
      // The DDL guard refuses the GRANTs outright (42501); what it lets through is the login's own, for revoke.
      for (const statement of backdoorStatements('_l')) {
        await client.query(statement).catch((error: { code?: string }) => expect(error.code).toBe('42501'));
      }
    } finally {
      await client.end();
    }
    await suite.provider.revoke(granted.handle, suite.resource, profile);

    expect(await probe(suite, outsider, '_l')).toEqual(EVERYTHING_REFUSED);
    expect(await footprint(suite)).toEqual(before);
    expect(await roleExists(String(granted.handle.role))).toBe(false);
  });

  it('backdoors built by an approved execute that escapes with RESET ROLE are gone once its login is dropped', async () => {
    const before = await footprint(suite);
    const statement = `do $do$ begin
      reset role;
      ${backdoorStatements('_x').join(';\n      ')};
    end $do$`;
    const result = await suite.provider.execute(suite.call(suite.profile(), 'run-sql', { sql: statement }));
    expect(result.summary).toMatchObject({ command: 'DO' });

    expect(await probe(suite, outsider, '_x')).toEqual(EVERYTHING_REFUSED);
    expect(await footprint(suite)).toEqual(before);
  });

  it('a table an approved execute creates as the target role stays, owned by that role, after its login is dropped', async () => {
    const result = await suite.provider.execute(
      suite.call(suite.profile(), 'run-sql', { sql: 'create table migrated_by_execute (id int)' }),
    );
    expect(result.summary).toMatchObject({ command: 'CREATE' });
    const owner = await adminQuery<{ owner: string }>(
      "select tableowner as owner from pg_tables where tablename = 'migrated_by_execute'",
      [],
      suite.database,
    );
    expect(owner).toEqual([{ owner: suite.writer }]);
  });

  it('objects made in another database of the server during the grant are dropped there too', async () => {
    const other = `${suite.database}_b`;
    await adminQuery(`create database ${other}`);
    try {
      await adminQuery(`grant create on schema public to ${suite.writer}`, [], other);
      const profile = suite.profile();
      const granted = await suite.provider.grant(suite.call(profile, 'rw'));
      const client = await loginWith({ ...granted.credential, database: other });
      try {
        await client.query(`create function elsewhere() returns text language sql security definer
          as $f$ select current_user::text $f$`);
      } finally {
        await client.end();
      }
      await suite.provider.revoke(granted.handle, suite.resource, profile);
      const left = await adminQuery("select 1 from pg_proc where proname = 'elsewhere'", [], other);
      expect(left).toEqual([]);
    } finally {
      await adminQuery(`drop database if exists ${other} with (force)`);
    }
  });

  it('a target role that can SET ROLE to a superuser or a CREATEROLE role is refused before anything is created', async () => {
    const viaSuperuser = `${suite.prefix}via_super`;
    const creator = `${suite.prefix}creator`;
    const viaCreator = `${suite.prefix}via_creator`;
    await adminQuery(
      `create role ${viaSuperuser} nologin; grant postgres to ${viaSuperuser};
       create role ${creator} nologin createrole; create role ${viaCreator} nologin; grant ${creator} to ${viaCreator}`,
    );
    for (const [role, message] of [
      [viaSuperuser, `role '${viaSuperuser}' is a member of 'postgres', a superuser`],
      [creator, `role '${creator}' is a role that may create roles (CREATEROLE)`],
      [viaCreator, `role '${viaCreator}' is a member of '${creator}', a role that may create roles (CREATEROLE)`],
    ] as const) {
      const error = await rejectionOf(suite.provider.grant(suite.call(suite.profile({ grantRole: role }), 'read')));
      expect(error.message).toContain(message);
    }
    expect(await suite.provider.listManaged(suite.resource, suite.profile())).toEqual([]);
  });

  it('two installations on one server never list, reconcile or drop each other’s roles', async () => {
    const otherInstallation = new PostgresProvider({ env: suite.env, installationId: `o${suite.installationId}` });
    try {
      const profile = suite.profile();
      const mine = await suite.provider.grant(suite.call(profile, 'read'));
      const theirs = await otherInstallation.grant(suite.call(profile, 'read'));
      const listed = await otherInstallation.listManaged(suite.resource, profile);
      expect(listed.map((credential) => credential.handle.role)).toEqual([theirs.handle.role]);

      // The other installation has no active grant at all, an hour later: everything it lists is an orphan.
      const report = await reconcileRoles(otherInstallation, suite.resource, profile, [], {
        now: Date.now() + 3600_000,
      });
      expect(report.removed).toEqual([theirs.handle]);
      expect(await roleExists(String(mine.handle.role))).toBe(true);

      const refused = await rejectionOf(otherInstallation.revoke(mine.handle, suite.resource, profile));
      expect(refused.message).toContain(
        `role '${String(mine.handle.role)}' was created by another Countersign installation`,
      );
      expect(await roleExists(String(mine.handle.role))).toBe(true);
      await suite.provider.revoke(mine.handle, suite.resource, profile);
      expect(await roleExists(String(mine.handle.role))).toBe(false);
    } finally {
      await otherInstallation.close();
    }
  });
});
