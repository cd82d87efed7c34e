/**
 * Issue #9, item 1, the part revoke alone cannot reach: on PostgreSQL 15 and older membership always allows
 * `SET ROLE`, and membership alone lets a login change what the granted role owns. A grant holder who makes an
 * object *as* the granted role, hands their object to it, grants its tables to PUBLIC, widens its default
 * privileges or puts a policy on its table leaves something `DROP OWNED BY <login>` never sees. The DDL guard
 * (event triggers installed by the provider) refuses all of it during the grant; what the login makes and owns
 * itself still works and is dropped at revoke.
 *
 * Runs against the real PostgreSQL server (test/providers/postgres-fixtures.ts), in a scratch database.
 */
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import {
  adminQuery,
  describePostgres,
  loginWith,
  rejectionOf,
  urlOf,
  type PostgresSuite,
} from '../providers/postgres-fixtures.js';

/** What the granted role owns or is granted, and everything that could widen it, in the scratch database. */
async function grantedRoleFootprint(suite: PostgresSuite): Promise<string[]> {
  const rows = await adminQuery<{ item: string }>(
    `select 'relation ' || c.oid::regclass::text || ' owner ' || pg_get_userbyid(c.relowner)
              || ' acl ' || coalesce(c.relacl::text, '-') || ' rls ' || c.relrowsecurity::text as item
       from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
     union all
     select 'routine ' || p.oid::regprocedure::text || ' owner ' || pg_get_userbyid(p.proowner)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
     union all
     select 'column ' || attrelid::regclass::text || '.' || attname from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped
     union all
     select 'policy ' || polname || ' on ' || polrelid::regclass::text from pg_policy
     union all
     select 'default acl ' || pg_get_userbyid(defaclrole) || ' ' || defaclacl::text from pg_default_acl`,
    [],
    suite.database,
  );
  return rows.map((row) => row.item).sort();
}

/** Runs `sql` and returns the SQLSTATE it failed with, or `ok`. */
async function outcome(client: pg.Client, sql: string): Promise<string> {
  return client.query(sql).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'error',
  );
}

describePostgres('security: a grant holder cannot leave anything owned by the granted role', (suite) => {
  beforeAll(async () => {
    await adminQuery(
      `create table writer_owned (id int, secret text);
       alter table writer_owned owner to ${suite.writer};
       alter table writer_owned enable row level security;
       create function writer_fn() returns int language sql as 'select 1';
       alter function writer_fn() owner to ${suite.writer};`,
      [],
      suite.database,
    );
  });

  it('every way to act as, or change what belongs to, the granted role is refused during the grant and nothing stays', async () => {
    const before = await grantedRoleFootprint(suite);
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'rw'));
    const login = String(granted.handle.role);
    const client = await loginWith(granted.credential);
    const attempts: Record<string, string> = {};
    try {
      attempts['GRANT on its table to PUBLIC'] = await outcome(client, 'grant select on writer_owned to public');
      attempts['REVOKE on its function'] = await outcome(client, 'revoke execute on function writer_fn() from public');
      attempts['its default privileges'] = await outcome(
        client,
        `alter default privileges for role ${suite.writer} grant select on tables to public`,
      );
      attempts['a policy on its table'] = await outcome(client, 'create policy open_all on writer_owned using (true)');
      attempts['row security off on its table'] = await outcome(
        client,
        'alter table writer_owned disable row level security',
      );
      attempts['a column on its table'] = await outcome(client, 'alter table writer_owned add column extra text');
      attempts['ALTER … OWNER TO it'] = await outcome(
        client,
        `create function handed_over() returns int language sql as 'select 2';
         alter function handed_over() owner to ${suite.writer}`,
      );
      attempts['SET ROLE, then a SECURITY DEFINER function'] = await outcome(
        client,
        `set role ${suite.writer};
         create function as_writer() returns text language sql security definer as 'select current_user::text'`,
      );
      await client.query('reset role');
      attempts['its own scratch table, index and function'] = await outcome(
        client,
        `create table scratch (id int primary key); create index scratch_idx on scratch (id);
         insert into scratch values (1);
         create function scratch_fn() returns int language sql as 'select 3'`,
      );
      // The login makes later sessions start as the granted role: DDL there runs as another role too.
      await client.query(`alter role ${pg.escapeIdentifier(login)} set role = ${pg.escapeIdentifier(suite.writer)}`);
    } finally {
      await client.end();
    }
    const later = await loginWith(granted.credential);
    try {
      attempts['a session that starts as the granted role'] = await outcome(
        later,
        `create function from_start() returns int language sql as 'select 4'`,
      );
    } finally {
      await later.end();
    }

    expect(attempts).toEqual({
      'GRANT on its table to PUBLIC': '42501',
      'REVOKE on its function': '42501',
      'its default privileges': '42501',
      'a policy on its table': '42501',
      'row security off on its table': '42501',
      'a column on its table': '42501',
      'ALTER … OWNER TO it': '42501',
      'SET ROLE, then a SECURITY DEFINER function': '42501',
      'its own scratch table, index and function': 'ok',
      'a session that starts as the granted role': '42501',
    });
    await suite.provider.revoke(granted.handle, suite.resource, profile);
    expect(await grantedRoleFootprint(suite)).toEqual(before);
  });

  it('the refusal names the command and the owner it would leave behind', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'rw'));
    const client = await loginWith(granted.credential);
    try {
      const refused = await rejectionOf(client.query('create policy named on writer_owned using (true)'));
      expect(refused.message).toBe(
        `Countersign: CREATE POLICY would leave policy named on public.writer_owned owned by "${suite.writer}", which outlives the grant`,
      );
      const asRole = await rejectionOf(client.query(`set role ${suite.writer}; create table t_as_role (id int)`));
      expect(asRole.message).toBe(`Countersign: CREATE TABLE as role "${suite.writer}" is refused during a grant`);
    } finally {
      await client.end();
    }
    await suite.provider.revoke(granted.handle, suite.resource, profile);
  });

  it('sessions that are not a grant login, members of the granted role included, are not touched', async () => {
    const member = `${suite.prefix}member`;
    await adminQuery(`create role ${member} login in role ${suite.writer}`);
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'rw'));
    const url = new URL(urlOf(suite.database));
    url.username = member;
    url.password = '';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      expect(await outcome(client, 'alter table writer_owned add column by_member text')).toBe('ok');
      expect(await outcome(client, 'alter table writer_owned drop column by_member')).toBe('ok');
    } finally {
      await client.end();
    }
    await suite.provider.revoke(granted.handle, suite.resource, profile);
  });

  it('an admin connection that cannot install the guard gets no grant at all', async () => {
    const weakAdmin = `${suite.prefix}weak_admin`;
    await adminQuery(`create role ${weakAdmin} login createrole`);
    const url = new URL(urlOf(suite.database));
    url.username = weakAdmin;
    url.password = '';
    const env = { [suite.dsnEnv]: url.toString() };
    const provider = new PostgresProvider({ env, installationId: `n${suite.installationId}` });
    try {
      const refused = await rejectionOf(provider.grant(suite.call(suite.profile(), 'read')));
      expect(refused.message).toContain("the admin connection cannot install Countersign's DDL guard");
      const made = await adminQuery(`select rolname from pg_roles where starts_with(rolname, $1)`, [
        `cs_n${suite.installationId}_`,
      ]);
      expect(made).toEqual([]);
    } finally {
      await provider.close();
    }
  });
  it('a database dropped while the guard goes in does not fail a grant', async () => {
    // Each round: a fresh provider lists every database, while another session drops one of them.
    for (let round = 0; round < 8; round += 1) {
      const doomed = `${suite.database}_gone${round}`;
      await adminQuery(`create database ${doomed}`);
      const provider = new PostgresProvider({ env: suite.env, installationId: suite.installationId });
      try {
        const profile = suite.profile();
        const [granted] = await Promise.all([
          provider.grant(suite.call(profile, 'read')),
          new Promise((resolve) => setTimeout(resolve, round * 3)).then(() =>
            adminQuery(`drop database ${doomed} with (force)`),
          ),
        ]);
        await provider.revoke(granted.handle, suite.resource, profile);
      } finally {
        await provider.close();
        await adminQuery(`drop database if exists ${doomed} with (force)`);
      }
    }
  });
});
