/**
 * Red team of the statement classifier: statements whose facts misstate what PostgreSQL 15 (the server here) does
 * with them, each shown on the shared server before it is classified.
 *
 * Functions that read relations the gateway never sees named: `ts_stat` and `ts_rewrite` run a query given as text (code the gateway cannot check, like a DO block),
 * `table_to_xml` reads the table a string names, `schema_to_xml` and `database_to_xml` every table of a schema or of
 * the database. Under a profile that keeps secret tables off limits by name over an allowing default, they read
 * the secret table with `statement.tables` empty.
 *
 * Calls PostgreSQL 15 makes that the parser (PostgreSQL 18's) does not show as calls: the SQL/JSON syntax of
 * PostgreSQL 16 and later (`JSON_VALUE(…)`, `JSON_ARRAYAGG(…)`, `MERGE_ACTION()`) is a plain call on PostgreSQL 15,
 * of whatever function of that name the search path holds, and `json_object(a, b)` comes back from the parser as
 * `pg_catalog.json_object` although the server resolves it through the search path; an operator in `x op ANY
 * (subquery)` is a user's as much as one in `x op y`; `uuid_generate_v4` is no built-in at all (uuid-ossp installs
 * it where it is told to). Each was read-only, so the example profile of docs/policy.md allowed a user's function
 * that writes.
 *
 * Refused statements put off until later: a SQL function's body runs whatever statements it holds when called, role
 * management, COPY … TO PROGRAM and LOAD included. The body's writes and settings were checked, but not the built-in
 * refusals, so under a profile that allows DDL a grant holder could create a function that sets their own role's
 * password (and then log in directly, past the gateway) or plants `GRANT admin TO me` for a privileged caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySql, loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { decide, rule, SECRETS_DENIED } from './statement-decisions.js';

/** The example of docs/policy.md: read-only statements allowed, everything else refused. */
const READS_ONLY: GatewayPolicy = {
  rules: [rule('reads', 'statement.readOnly && !("pg_catalog" in statement.schemas)', { allow: true })],
  otherwise: 'deny',
  masks: [],
};

const suffix = `${process.pid}_${Date.now()}`;
const SECRET = `secret_words_${suffix}`;

beforeAll(async () => {
  await loadSqlParser();
  await testDbSql(`create table ${SECRET} (k text); insert into ${SECRET} values ('swordfish')`);
});
afterAll(async () => {
  await testDbSql(`drop table if exists ${SECRET}`);
});

describe('functions that read relations the statement does not name are refused', () => {
  it('ts_stat runs a query given as text and hands back the words of a secret table', async () => {
    const sql = `SELECT word FROM ts_stat('SELECT to_tsvector(k) FROM ${SECRET}')`;
    expect(await testDbSql(sql)).toEqual([{ word: 'swordfish' }]);
    expect(decide(SECRETS_DENIED, sql)).toMatchObject({ allowed: false, builtIn: true, rule: 'opaque-code' });
  });

  it('table_to_xml reads the table a string names', async () => {
    const sql = `SELECT table_to_xml('${SECRET}', true, false, '')::text AS x`;
    const [row] = await testDbSql<{ x: string }>(sql);
    expect(row?.x).toContain('swordfish');
    expect(decide(SECRETS_DENIED, sql)).toMatchObject({ allowed: false, builtIn: true, rule: 'outside-function' });
  });

  it('whole schemas and databases as XML are refused, and so is every table named in a string', () => {
    for (const sql of [
      `SELECT schema_to_xml('public', true, false, '')`,
      `SELECT schema_to_xml_and_xmlschema('public', true, false, '')`,
      `SELECT database_to_xml(true, false, '')`,
      `SELECT table_to_xmlschema('${SECRET}', true, false, '')`,
      `SELECT table_to_xml('open_' || 'words', true, false, '')`,
    ]) {
      expect(decide(SECRETS_DENIED, sql), sql).toMatchObject({ allowed: false, rule: 'outside-function' });
    }
  });

  it('ts_rewrite with a query and the query runners of tablefunc run code the gateway cannot check', () => {
    for (const sql of [
      `SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, to_tsquery(k) FROM ${SECRET}')`,
      `SELECT * FROM crosstab('SELECT k, k, k FROM ${SECRET}') AS c(a text, b text)`,
      `SELECT * FROM public.connectby('${SECRET}', 'k', 'k', 'x', 0) AS c(a text, b text, l int)`,
    ]) {
      expect(decide(SECRETS_DENIED, sql), sql).toMatchObject({ allowed: false, rule: 'opaque-code' });
    }
  });

  it('ordinary text search and XML over named tables stay allowed', () => {
    for (const sql of [
      `SELECT to_tsvector(k) @@ to_tsquery('fish') FROM open_words`,
      `SELECT ts_rewrite('a & b'::tsquery, 'a'::tsquery, 'c'::tsquery)`,
      `SELECT xmlelement(name k, k) FROM open_words`,
    ]) {
      expect(decide(SECRETS_DENIED, sql).allowed, sql).toBe(true);
    }
  });
});

describe('a call the server makes is never read-only unless the gateway knows the function', () => {
  const schema = `shadow_${suffix}`;
  const log = `${schema}.calls`;
  const writes = (name: string, args: string, returns: string, value: string) =>
    `create function ${schema}.${name}(${args}) returns ${returns} language sql as $$ insert into ${log} values ('${name}') returning ${value} $$`;

  beforeAll(async () => {
    await testDbSql(`create schema ${schema}; create table ${log} (called text)`);
    await testDbSql(writes('json_value', 'text, text', 'text', "'v'"));
    await testDbSql(writes('json_object', 'text, int', 'text', "'o'"));
    await testDbSql(writes('json_arrayagg', 'int', 'text', "'a'"));
    await testDbSql(writes('merge_action', '', 'text', "'m'"));
    await testDbSql(writes('uuid_generate_v4', '', 'text', "'u'"));
    await testDbSql(writes('less', 'int, int', 'boolean', 'true'));
    await testDbSql(`create operator ${schema}.<<< (leftarg = int, rightarg = int, function = ${schema}.less)`);
  });
  afterAll(async () => {
    await testDbSql(`drop schema if exists ${schema} cascade`);
  });

  const CALLS: readonly [string, string][] = [
    ['json_value', `SELECT json_value('{}', '$.a')`],
    ['json_object', `SELECT json_object('a', 1)`],
    ['json_arrayagg', 'SELECT json_arrayagg(1)'],
    ['merge_action', 'SELECT merge_action()'],
    ['uuid_generate_v4', 'SELECT uuid_generate_v4()'],
    ['less', 'SELECT 1 <<< ANY (SELECT 2)'],
  ];

  it.each(CALLS)(
    '%s: PostgreSQL 15 calls the function of the search path, and the gateway does not allow it as read-only',
    async (name, sql) => {
      await testDbSql(`set search_path = ${schema}, public; ${sql}`);
      const calls = await testDbSql<{ called: string }>(`select called from ${log} where called = '${name}'`);
      expect(calls.length, 'the server ran the function').toBeGreaterThan(0);
      const classified = classifySql(sql);
      expect('statements' in classified && classified.statements[0]?.readOnly, sql).toBe(false);
      expect(decide(READS_ONLY, sql).allowed, sql).toBe(false);
    },
  );

  it('the built-ins the gateway knows stay read-only, operators and subqueries included', () => {
    for (const sql of [
      "SELECT jsonb_build_object('a', 1), lower('X'), 1 = ANY (SELECT 2), 1 < ALL (SELECT 2)",
      `SELECT * FROM orders WHERE id IN (SELECT id FROM refunds) ORDER BY total`,
    ]) {
      expect(decide(READS_ONLY, sql).allowed, sql).toBe(true);
    }
  });
});

/** A deny list over an allowing default, where DDL is allowed (migrations). */
const NO_DELETES: GatewayPolicy = {
  rules: [rule('no-deletes', 'statement.kind == "delete"', { deny: 'deletes need approval' })],
  otherwise: 'allow',
  masks: [],
};

describe('a statement refused on its own is refused in the body of a SQL function or procedure', () => {
  const role = `mallory_${suffix}`;
  const fn = `set_my_password_${suffix}`;
  afterAll(async () => {
    await testDbSql(`drop function if exists ${fn}(); drop role if exists ${role}`);
  });

  it('a function whose body sets its caller’s password does so for a role without any privilege, and is refused', async () => {
    const create = `CREATE FUNCTION ${fn}() RETURNS void LANGUAGE sql AS $$ ALTER ROLE CURRENT_USER PASSWORD 'known' $$`;
    await testDbSql(`create role ${role} nologin; ${create}; grant execute on function ${fn}() to ${role}`);
    await testDbSql(`set role ${role}; select ${fn}(); reset role`);
    const [row] = await testDbSql<{ set: boolean }>(
      `select rolpassword is not null as set from pg_authid where rolname = '${role}'`,
    );
    expect(row?.set, 'the role set its own password through the function').toBe(true);

    expect(decide(NO_DELETES, create)).toMatchObject({ allowed: false, builtIn: true, rule: 'role-change' });
  });

  it.each([
    [
      'role-change',
      `CREATE FUNCTION f(x varchar) RETURNS text LANGUAGE sql AS $$ GRANT admin TO mallory; SELECT lower(x::text) $$`,
    ],
    ['copy-program', `CREATE PROCEDURE p() LANGUAGE sql AS $$ COPY (SELECT 1) TO PROGRAM 'id' $$`],
    ['copy-file', `CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ COPY orders TO '/tmp/orders' $$`],
    ['load', `CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE sql AS $$ LOAD 'plugin' $$`],
    ['extension', `CREATE PROCEDURE p() LANGUAGE sql AS 'CREATE EXTENSION dblink'`],
    [
      'role-change',
      `CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ CREATE FUNCTION g() RETURNS void LANGUAGE sql AS 'DROP ROLE x' $$`,
    ],
  ])('a body that the %s rule would refuse is refused', (refusedBy, sql) => {
    expect(decide(NO_DELETES, sql), sql).toMatchObject({ allowed: false, builtIn: true, rule: refusedBy });
  });

  it('a body of ordinary statements stays allowed', () => {
    for (const sql of [
      `CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql AS $$ INSERT INTO log VALUES (x); SELECT count(*) FROM orders $$`,
      `CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO log VALUES (1); END`,
      `CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ CREATE TABLE t (a int); ANALYZE t $$`,
    ]) {
      expect(decide(NO_DELETES, sql).allowed, sql).toBe(true);
    }
  });
});
