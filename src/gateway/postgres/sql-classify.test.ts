import { beforeAll, describe, expect, it } from 'vitest';
import type { StatementFacts } from '../../decide/gateway-statement.decide.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  MAX_RECORDED_SQL_BYTES,
  MAX_SQL_LENGTH,
  classifySql,
  classifySqlStatements,
  classifyStatement,
  loadSqlParser,
  splitSql,
} from './sql-classify.js';
import { statementKind } from './sql-statement-kind.js';

beforeAll(async () => {
  await loadSqlParser();
});

function only(sql: string): StatementFacts {
  const result = classifySql(sql);
  if ('error' in result) throw new Error(result.error);
  expect(result.statements).toHaveLength(1);
  return result.statements[0] as StatementFacts;
}

type Expected = Partial<Omit<StatementFacts, 'fingerprint'>>;

// SQL → what the classifier must find. Lists are compared as sets (order is the walk's).
const TABLE: readonly [string, Expected][] = [
  ['select 1', { kind: 'select', command: 'SELECT', readOnly: true, tables: [], functions: [] }],
  [
    'SELECT a FROM public.accounts WHERE id = 1',
    { kind: 'select', readOnly: true, tables: ['public.accounts', 'accounts'], schemas: ['public'] },
  ],
  ['select * from t join s.u on true', { tables: ['t', 's.u', 'u'], schemas: ['s'] }],
  ['select * from pg_authid', { kind: 'select', tables: ['pg_authid'], schemas: ['pg_catalog'] }],
  ['select * from "PG_CATALOG".x', { tables: ['PG_CATALOG.x', 'x'], schemas: ['PG_CATALOG'] }],
  [
    'select relname from "pg_catalog"."pg_class"',
    { tables: ['pg_catalog.pg_class', 'pg_class'], schemas: ['pg_catalog'] },
  ],
  ['select count(*), lower(name) from t', { readOnly: true, functions: ['count', 'lower'] }],
  [
    "select substring('abc' from 1), extract(year from now())",
    { readOnly: true, functions: ['substring', 'extract', 'now'], schemas: [] },
  ],
  [
    'select pg_catalog.lower(x) from t',
    { readOnly: true, functions: ['lower', 'pg_catalog.lower'], schemas: ['pg_catalog'] },
  ],
  ['select my_func(1)', { kind: 'select', readOnly: false, functions: ['my_func'] }],
  ['select public.lower(x) from t', { readOnly: false }],
  ["select nextval('s')", { kind: 'select', readOnly: false, functions: ['nextval'] }],
  ['select * from t for update', { kind: 'select', readOnly: false }],
  ["select a from t where b like 'x%' and c @> '{}' and d between 1 and 2 and e in (1, 2)", { readOnly: true }],
  ['select a ### b from t', { kind: 'select', readOnly: false }],
  ['select a operator(myschema.+) b from t', { readOnly: false }],
  ['select 1 <<< any (select 2)', { readOnly: false }],
  ['select a from t order by a using <<<', { readOnly: false }],
  ['select a from t where a = any (select b from u) order by a using <', { readOnly: true }],
  ["select json_value('{}', '$.a'), json_arrayagg(1)", { readOnly: false, functions: ['json_value', 'json_arrayagg'] }],
  ["select json_object('a', 1)", { readOnly: false }],
  ['select uuid_generate_v4()', { readOnly: false }],
  ['table secret', { kind: 'select', readOnly: true, tables: ['secret'] }],
  ['select * from only s.t', { tables: ['s.t', 't'], schemas: ['s'] }],
  ['select * into t2 from t', { kind: 'ddl', command: 'SELECT INTO', readOnly: false, tables: ['t2', 't'] }],
  ['values (1), (2)', { kind: 'select', readOnly: true }],
  ['select 1 union select 2', { kind: 'select', readOnly: true }],
  ['with d as (delete from s.t returning *) select * from d', { kind: 'delete', command: 'SELECT', readOnly: false }],
  ['with d as (delete from t returning *) insert into log select * from d', { kind: 'delete', command: 'INSERT' }],
  ['with u as (update t set a = 1 returning *) select * from u', { kind: 'update' }],
  ['insert into t (a) values (1)', { kind: 'insert', command: 'INSERT', readOnly: false, tables: ['t'] }],
  ['update s.t set a = 1 where b in (select b from u)', { kind: 'update', tables: ['s.t', 't', 'u'] }],
  ['delete from t using u where t.id = u.id', { kind: 'delete', tables: ['t', 'u'] }],
  ['merge into t using s on t.id = s.id when matched then delete', { kind: 'delete', command: 'MERGE' }],
  ['merge into t using s on t.id = s.id when matched then update set a = 1', { kind: 'update', command: 'MERGE' }],
  ['merge into t using s on t.id = s.id when not matched then insert values (1)', { kind: 'merge', command: 'MERGE' }],
  [
    'create table k as with d as (delete from t returning *) select * from d',
    { kind: 'delete', command: 'CREATE TABLE AS', readOnly: false },
  ],
  ['create table k as select * from t', { kind: 'ddl', command: 'CREATE TABLE AS', tables: ['k', 't'] }],
  ['truncate t, u', { kind: 'delete', command: 'TRUNCATE TABLE', tables: ['t', 'u'] }],
  [
    "create table t (a int default nextval('s'))",
    { kind: 'ddl', command: 'CREATE TABLE', tables: ['t', 's'], functions: ['nextval'] },
  ],
  ['drop table a.b, c', { kind: 'ddl', command: 'DROP TABLE', tables: ['a.b', 'b', 'c'], schemas: ['a'] }],
  ['drop schema x cascade', { kind: 'ddl', command: 'DROP SCHEMA', schemas: ['x'] }],
  [`select 's.Seq'::regclass, currval('"T"')`, { tables: ['s.seq', 'seq', 'T'], schemas: ['s'] }],
  ["select nextval(name) from t, lower('u')", { tables: ['t'] }],
  ['grant select on all tables in schema s to public', { kind: 'privilege', schemas: ['s'] }],
  ['alter schema s rename to u', { kind: 'ddl', schemas: ['s', 'u'] }],
  ['create schema authorization joe', { kind: 'ddl', schemas: ['joe'] }],
  ['drop trigger tr on s.t', { kind: 'ddl', tables: ['s.t', 't'], schemas: ['s'] }],
  ['drop function f(int)', { kind: 'ddl', tables: [] }],
  ["comment on column s.t.c is 'x'", { kind: 'ddl', tables: ['s.t', 't'], schemas: ['s'] }],
  ['alter table t add column b text', { kind: 'ddl', command: 'ALTER TABLE', tables: ['t'] }],
  ['create index on t (a)', { kind: 'ddl', command: 'CREATE INDEX', tables: ['t'] }],
  ['create view v as select * from secret', { kind: 'ddl', command: 'CREATE VIEW', tables: ['v', 'secret'] }],
  ['create table t2 as select * from t', { kind: 'ddl', command: 'CREATE TABLE AS' }],
  ['create schema s', { kind: 'ddl', command: 'CREATE SCHEMA' }],
  ['grant select on t to public', { kind: 'privilege', command: 'GRANT', tables: ['t'] }],
  ['revoke all on t from bob', { kind: 'privilege', command: 'REVOKE' }],
  ['alter default privileges grant select on tables to public', { kind: 'privilege' }],
  ['create role r', { kind: 'role', command: 'CREATE ROLE' }],
  ['create user u', { kind: 'role', command: 'CREATE USER' }],
  ["alter role current_user password 'x'", { kind: 'role', command: 'ALTER ROLE' }],
  ['grant analytics_ro to mallory', { kind: 'role', command: 'GRANT ROLE' }],
  ['drop role r', { kind: 'role', command: 'DROP ROLE' }],
  ['set role admin', { kind: 'role', command: 'SET ROLE', settings: ['role'] }],
  ['SET LOCAL ROLE admin', { kind: 'role', command: 'SET ROLE' }],
  ['set role none', { kind: 'role', command: 'SET ROLE' }],
  ['reset role', { kind: 'role', command: 'RESET ROLE' }],
  ['set session authorization admin', { kind: 'role', command: 'SET SESSION AUTHORIZATION' }],
  ['reset session authorization', { kind: 'role', command: 'RESET SESSION AUTHORIZATION' }],
  ['set session authorization default', { kind: 'role' }],
  ['reset all', { kind: 'session', command: 'RESET ALL', settings: ['*'] }],
  ['discard all', { kind: 'session', command: 'DISCARD ALL', settings: ['*'] }],
  ['discard plans', { kind: 'session', command: 'DISCARD PLANS', settings: [] }],
  ['set search_path = s, public', { kind: 'session', command: 'SET', settings: ['search_path'] }],
  ['set statement_timeout = 0', { kind: 'session', settings: ['statement_timeout'] }],
  ['reset statement_timeout', { kind: 'session', command: 'RESET', settings: ['statement_timeout'] }],
  ['show search_path', { kind: 'session', command: 'SHOW', readOnly: true }],
  ["select set_config('role', 'admin', false)", { kind: 'select', readOnly: false, settings: ['role'] }],
  ["select set_config('ROLE ', 'admin', false)", { settings: ['role'] }],
  ["select set_config(name, 'x', false) from names", { settings: ['*'] }],
  ["select * from set_config('session_authorization', 'x', false)", { settings: ['session_authorization'] }],
  [
    'set session characteristics as transaction read write',
    { kind: 'session', command: 'SET SESSION CHARACTERISTICS', settings: ['transaction_read_only'] },
  ],
  ['set transaction isolation level serializable', { kind: 'transaction', command: 'SET TRANSACTION' }],
  ['begin', { kind: 'transaction', command: 'BEGIN', readOnly: true }],
  ['start transaction read only', { kind: 'transaction', command: 'START TRANSACTION' }],
  ['commit', { kind: 'transaction', command: 'COMMIT' }],
  ['rollback to savepoint a', { kind: 'transaction', command: 'ROLLBACK TO SAVEPOINT' }],
  ["prepare transaction 'x'", { kind: 'transaction', command: 'PREPARE TRANSACTION' }],
  ['set constraints all deferred', { kind: 'transaction', command: 'SET CONSTRAINTS' }],
  [
    'copy t to stdout',
    { kind: 'copy', command: 'COPY', readOnly: true, copy: { direction: 'to', program: false, file: false } },
  ],
  ['copy t from stdin', { kind: 'copy', readOnly: false, copy: { direction: 'from', program: false, file: false } }],
  [
    "copy t to program 'curl x'",
    { kind: 'copy', readOnly: false, copy: { direction: 'to', program: true, file: false } },
  ],
  ["copy t from program 'id'", { copy: { direction: 'from', program: true, file: false } }],
  ["copy t from '/etc/passwd'", { copy: { direction: 'from', program: false, file: true } }],
  ["copy (select pg_read_file('x')) to stdout", { kind: 'copy', readOnly: false, functions: ['pg_read_file'] }],
  ['call p(1)', { kind: 'call', command: 'CALL', readOnly: false, functions: ['p'] }],
  ["do $$ begin execute 'set role admin'; end $$", { kind: 'call', command: 'DO', opaqueCode: true }],
  ['prepare p as select * from t', { kind: 'select', command: 'PREPARE', readOnly: true, tables: ['t'] }],
  ['prepare p as delete from t', { kind: 'delete', command: 'PREPARE', readOnly: false }],
  ['execute p', { kind: 'prepare', command: 'EXECUTE', readOnly: false }],
  ['deallocate all', { kind: 'prepare', command: 'DEALLOCATE' }],
  ['declare c cursor for select * from t', { kind: 'select', command: 'DECLARE CURSOR', readOnly: true }],
  ['fetch 10 from c', { kind: 'select', command: 'FETCH', readOnly: true }],
  ['move c', { kind: 'select', command: 'MOVE' }],
  ['close c', { kind: 'select', command: 'CLOSE CURSOR' }],
  ['explain select * from t', { kind: 'utility', command: 'EXPLAIN', readOnly: true, tables: ['t'] }],
  ['explain delete from t', { kind: 'utility', command: 'EXPLAIN', readOnly: true }],
  ['explain analyze delete from t', { kind: 'delete', command: 'EXPLAIN ANALYZE', readOnly: false }],
  ['explain (analyze) select * from t', { kind: 'select', command: 'EXPLAIN ANALYZE', readOnly: true }],
  ['explain (analyze false) delete from t', { kind: 'utility', command: 'EXPLAIN' }],
  ["alter system set shared_preload_libraries = 'x'", { kind: 'utility', command: 'ALTER SYSTEM' }],
  ["load '/tmp/evil.so'", { kind: 'utility', command: 'LOAD' }],
  ['vacuum t', { kind: 'utility', command: 'VACUUM', tables: ['t'] }],
  ['analyze t', { kind: 'utility', command: 'ANALYZE' }],
  ['lock table t in exclusive mode', { kind: 'utility', command: 'LOCK TABLE', readOnly: false }],
  ['listen ch', { kind: 'utility', command: 'LISTEN' }],
  ['checkpoint', { kind: 'utility', command: 'CHECKPOINT' }],
  ['create extension dblink', { kind: 'ddl', command: 'CREATE EXTENSION' }],
  ['create server s foreign data wrapper postgres_fdw', { kind: 'ddl', command: 'CREATE SERVER' }],
  [
    "create user mapping for current_user server s options (password 'x')",
    { kind: 'privilege', command: 'CREATE USER MAPPING' },
  ],
  [
    "create function f() returns int language sql security definer as 'select 1'",
    { kind: 'ddl', command: 'CREATE FUNCTION', securityDefiner: true },
  ],
  ['alter function f() security definer', { kind: 'ddl', command: 'ALTER FUNCTION', securityDefiner: true }],
  ["create function f() returns int language sql set role = admin as 'select 1'", { settings: ['role'] }],
  [
    "create function f() returns text language sql as 'select set_config(''role'', ''admin'', false)'",
    { settings: ['role'], functions: ['set_config'] },
  ],
  ["create function f() returns void language plpgsql as 'begin end'", { opaqueCode: true }],
  [
    'create function g() returns void begin atomic delete from t; end',
    { kind: 'ddl', tables: ['t'], opaqueCode: false },
  ],
  ['create procedure p() language sql as $$ select 1 $$', { kind: 'ddl', command: 'CREATE PROCEDURE' }],
  ['alter database d set role = admin', { kind: 'ddl', settings: ['role'] }],
  ['alter role current_user set statement_timeout = 0', { kind: 'role', settings: ['statement_timeout'] }],
  ["select dblink_exec('host=x', 'drop table t')", { functions: ['dblink_exec'] }],
  ["select query_to_xml('set role admin', true, true, '')", { functions: ['query_to_xml'] }],
  ['comment on table t is $$x$$', { kind: 'ddl', command: 'COMMENT' }],
  ['refresh materialized view v', { kind: 'utility', command: 'REFRESH MATERIALIZED VIEW' }],
];

describe('classifying SQL with the PostgreSQL parser', () => {
  it.each(TABLE)('%s', (sql, expected) => {
    const facts = only(sql);
    for (const [key, value] of Object.entries(expected)) {
      const actual = facts[key as keyof StatementFacts];
      if (Array.isArray(value)) expect([...(actual as string[])].sort(), key).toEqual([...value].sort());
      else expect(actual, key).toEqual(value);
    }
    expect(facts.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives each statement of a SQL function body a fingerprint of its own, not an error message', () => {
    const body = only('create function f() returns void language sql as $$ delete from t; select 1 $$').body ?? [];
    expect(body).toHaveLength(2);
    for (const statement of body) expect(statement.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(body[0]?.fingerprint).not.toBe(body[1]?.fingerprint);
  });

  it('gives one fingerprint to one query shape, whatever the constants, case and spacing', () => {
    expect(only('SELECT * FROM t WHERE id = 1').fingerprint).toBe(only('select *\n  from t where id=42').fingerprint);
    expect(only('SELECT * FROM t WHERE id = 1').fingerprint).not.toBe(only('select * from u where id = 1').fingerprint);
    // A long statement's fingerprint is a digest of its text (libpg-query's would parse it a second time).
    const long = `select '${'x'.repeat(70_000)}'`;
    expect(only(long).fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(only(long).fingerprint).not.toBe(only(`${long} as y`).fingerprint);
  });

  it('splits a query string into its statements with their own text, multi-byte characters included', () => {
    const split = splitSql("select 'é'; /* two */ reset role;\n\nselect 3");
    if ('error' in split) throw new Error(split.error);
    expect(split.statements.map((statement) => statement.text)).toEqual(["select 'é'", 'reset role', 'select 3']);
    const classified = classifySqlStatements("select 'ü'; set role x");
    if ('error' in classified) throw new Error(classified.error);
    expect(classified.statements.map(({ text, facts }) => [text, facts.command])).toEqual([
      ["select 'ü'", 'SELECT'],
      ['set role x', 'SET ROLE'],
    ]);
  });

  it('has no statement in an empty query, a comment or semicolons alone', () => {
    for (const sql of ['', '   ', ';', ' ; ; ', '-- nothing', '/* nothing */']) {
      expect(classifySql(sql)).toEqual({ statements: [] });
    }
  });

  it('reports a syntax error instead of guessing', () => {
    expect(classifySql('select 1 +')).toEqual({ error: 'syntax error at end of input' });
    expect(classifySql("select 1; set role 'x")).toHaveProperty('error');
    expect(classifySql('selec 1')).toHaveProperty('error');
  });

  it('knows every statement type of the grammar; only those that cannot be top-level are unknown', () => {
    // The node types libpg-query declares (its @pgsql/types): a new PostgreSQL version's statement shows up here.
    const types = readFileSync(createRequire(import.meta.url).resolve('@pgsql/types/types.d.ts'), 'utf8');
    const statements = [...new Set([...types.matchAll(/^ {4}([A-Za-z]+Stmt): /gm)].map((match) => match[1] as string))];
    expect(statements.length).toBeGreaterThan(100);
    const unknown = statements.filter((type) => statementKind({ [type]: {} }).kind === 'unknown');
    expect(unknown.sort()).toEqual(['PLAssignStmt', 'RawStmt', 'ReturnStmt', 'SetOperationStmt']);
  });

  it('classifies each statement of a SQL routine body given as a string, nested routines included', () => {
    const facts = only(
      "create function f() returns void language sql as $$ insert into t values (1); create function g() returns void language sql as 'alter role x login' $$",
    );
    expect(facts.kind).toBe('ddl');
    expect(facts.body?.map((inner) => inner.command)).toEqual(['INSERT', 'CREATE FUNCTION', 'ALTER ROLE']);
    expect(only('create function f() returns int language sql return 1').body).toBeUndefined();
  });

  it('classifies a node type it does not know as unknown', () => {
    expect(classifyStatement({ text: 'FROBNICATE', node: { FrobnicateStmt: {} } })).toMatchObject({
      kind: 'unknown',
      command: 'FROBNICATE',
      readOnly: false,
    });
    expect(classifyStatement({ text: '', node: { toString: {} } }).kind).toBe('unknown');
  });

  it('refuses a query text longer than the bound before parsing it', () => {
    const result = classifySql(`select '${'x'.repeat(MAX_SQL_LENGTH)}'`);
    expect(result).toEqual({
      error: `query text longer than ${MAX_SQL_LENGTH} characters (send bulk data with COPY FROM STDIN)`,
    });
  });

  it('refuses a text the record could not keep readable, counting what JSON and UTF-8 make of it', () => {
    const tooLong = `select 1 /* ${'x'.repeat(MAX_RECORDED_SQL_BYTES)} */`;
    const escaped = `select 1 /* ${'\u0001'.repeat(Math.ceil(MAX_RECORDED_SQL_BYTES / 6) + 10)} */`;
    const wide = `select 1 /* ${'漢'.repeat(Math.ceil(MAX_RECORDED_SQL_BYTES / 3) + 10)} */`;
    for (const sql of [tooLong, escaped, wide]) {
      expect(classifySql(sql)).toEqual({
        error: 'query text longer than the 150 KiB the record can keep readable (send bulk data with COPY FROM STDIN)',
      });
    }
    expect(classifySql(`select 1 /* ${'x'.repeat(MAX_RECORDED_SQL_BYTES - 100)} */`)).toMatchObject({
      statements: [{ kind: 'select' }],
    });
  });

  it('classifies a statement repeated with other constants exactly as a fresh parse does', () => {
    for (let id = 0; id < 5; id++) {
      const sql = `SELECT abalance FROM pgbench_accounts WHERE aid = ${id * 7919}`;
      const fresh = splitSql(sql);
      if ('error' in fresh) throw new Error(fresh.error);
      expect(classifySql(sql)).toEqual({ statements: fresh.statements.map(classifyStatement) });
    }
  });

  it('never lets a constant that names a setting reuse the classification of another constant', () => {
    expect(only("select set_config('application_name', 'x', false)").settings).toEqual(['application_name']);
    expect(only("select set_config('role', 'x', false)").settings).toEqual(['role']);
    expect(only('update t set a = 1 where id = 2').kind).toBe('update');
    const escape = classifySql('update t set a = 1 where id = 2; set role admin');
    expect('statements' in escape && escape.statements.map((facts) => facts.kind)).toEqual(['update', 'role']);
  });

  it('does not overflow on deeply nested expressions', () => {
    const nested = `select ${'('.repeat(500)}1${')'.repeat(500)}`;
    const result = classifySql(nested);
    expect('error' in result || result.statements[0]?.kind === 'select').toBe(true);
  });
});
