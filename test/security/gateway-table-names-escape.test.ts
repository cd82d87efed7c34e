/**
 * Attack: a grant holder whose profile keeps some relations or a schema off limits by name reaches them under a
 * name the rule does not see, although PostgreSQL reads the same relation:
 * - the schema-qualified name: the example profile of docs/policy.md refuses `statement.tables.exists(t,
 *   t.startsWith("secret"))`, and `public.secret_…` (or `test.public.secret_…`) does not start with "secret";
 * - a relation named in a string, which the server reads as a relation name (`'secret_seq'::regclass`,
 *   `pg_sequence_last_value('secret_seq')`, `setval('secret_seq', 1)`);
 * - a schema named by a statement about the schema itself (`GRANT … ON ALL TABLES IN SCHEMA secret`,
 *   `ALTER SCHEMA secret RENAME TO …`), or a relation named by `COMMENT ON TABLE`.
 * Through the real parser and the real decision; what the server does with each is shown on the shared server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySql, loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { decide, DOCS_EXAMPLE, NO_SECRET_TABLES, rule } from './statement-decisions.js';

/** A deny list over an allowing default: secret relations and the schema `secret_…` are off limits. */
const SECRETS_DENIED: GatewayPolicy = {
  rules: [
    NO_SECRET_TABLES,
    rule('no-secret-schema', 'statement.schemas.exists(s, s.startsWith("secret"))', { deny: 'off limits' }),
  ],
  otherwise: 'allow',
  masks: [],
};

const suffix = `${process.pid}_${Date.now()}`;
const TABLE = `secret_keys_${suffix}`;
const SEQUENCE = `secret_seq_${suffix}`;
const SCHEMA = `secret_schema_${suffix}`;

beforeAll(async () => {
  await loadSqlParser();
  await testDbSql(`create table public.${TABLE} (k text); insert into public.${TABLE} values ('the key')`);
  await testDbSql(`create sequence public.${SEQUENCE}; select setval('public.${SEQUENCE}', 42)`);
});
afterAll(async () => {
  await testDbSql(`drop table if exists public.${TABLE}; drop sequence if exists public.${SEQUENCE}`);
});

describe('a relation kept off limits by name cannot be reached under another spelling of its name', () => {
  it('the schema-qualified name of a secret table reads it, so the example profile refuses it', async () => {
    for (const sql of [`SELECT k FROM public.${TABLE}`, `SELECT k FROM test.public.${TABLE}`]) {
      const [row] = await testDbSql<{ k: string }>(sql);
      expect(row?.k, sql).toBe('the key');
      expect(decide(DOCS_EXAMPLE, sql), sql).toMatchObject({ allowed: false, rule: 'no-secrets' });
    }
    const dropped = decide(SECRETS_DENIED, `DROP TABLE public.${TABLE}`);
    expect(dropped).toMatchObject({ allowed: false, rule: 'no-secrets' });
  });

  it('a sequence named in a string is read and written like one named in FROM, so the rule sees it', async () => {
    const [row] = await testDbSql<{ v: string }>(`SELECT pg_sequence_last_value('${SEQUENCE}') AS v`);
    expect(row?.v).toBe('42');
    for (const sql of [
      `SELECT pg_sequence_last_value('${SEQUENCE}')`,
      `SELECT setval('public.${SEQUENCE}', 1)`,
      `SELECT nextval('"${SEQUENCE}"'::regclass)`,
      `SELECT pg_relation_size('PUBLIC.${TABLE.toUpperCase()}'::pg_catalog.regclass)`,
      `SELECT * FROM pg_class WHERE oid = '${TABLE}'::regclass`,
      `SELECT pg_sequence_last_value(regclass('${SEQUENCE}'))`,
      `SELECT pg_sequence_last_value(('{open_seq, "${SEQUENCE}"}'::regclass[])[2])`,
    ]) {
      expect(decide(SECRETS_DENIED, sql), sql).toMatchObject({ allowed: false, rule: 'no-secrets' });
    }
  });

  it('a name in a string longer than PostgreSQL keeps is cut where the server cuts it (63 bytes)', async () => {
    const longest = `seq_${suffix}_`.padEnd(63, 'k');
    const exact: GatewayPolicy = {
      rules: [rule('not-that-one', `"${longest}" in statement.tables`, { deny: 'off limits' })],
      otherwise: 'allow',
      masks: [],
    };
    await testDbSql(`create sequence ${longest}`);
    try {
      const sql = `SELECT pg_sequence_last_value('${longest}_and_more')`;
      await testDbSql(sql); // the server reads the first 63 bytes: the sequence exists
      expect(decide(exact, sql)).toMatchObject({ allowed: false, rule: 'not-that-one' });
      expect(decide(exact, `SELECT pg_sequence_last_value('"${longest}é"')`).allowed).toBe(false);
    } finally {
      await testDbSql(`drop sequence if exists ${longest}`);
    }
  });

  it('a name in a string is read as PostgreSQL reads it: unquoted parts fold to lower case, quoted ones keep theirs', () => {
    const tables = (sql: string) => {
      const classified = classifySql(sql);
      return 'statements' in classified ? classified.statements[0]?.tables : classified.error;
    };
    expect(tables(`SELECT 'Public.Secret_Keys'::regclass`)).toEqual(['public.secret_keys', 'secret_keys']);
    expect(tables(`SELECT '"Public"."Secret Keys"'::regclass`)).toEqual(['Public.Secret Keys', 'Secret Keys']);
    expect(tables(`SELECT 'open_keys'::regclass`)).toEqual(['open_keys']);
    // A classification is reused for the same statement with other constants only when no name came from one.
    expect(tables(`SELECT 'secret_keys'::regclass`)).toEqual(['secret_keys']);
  });

  it('statements about a secret schema or a secret table by name are refused like any other naming it', () => {
    for (const sql of [
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${SCHEMA} TO PUBLIC`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${SCHEMA} GRANT SELECT ON TABLES TO PUBLIC`,
      `ALTER SCHEMA ${SCHEMA} RENAME TO open_schema`,
      `ALTER SCHEMA ${SCHEMA} OWNER TO mallory`,
      `DROP SCHEMA ${SCHEMA} CASCADE`,
      `CREATE SCHEMA ${SCHEMA}`,
      `ALTER TABLE open_keys SET SCHEMA ${SCHEMA}`,
      `GRANT USAGE ON SCHEMA ${SCHEMA} TO PUBLIC`,
      `CREATE PUBLICATION everything FOR TABLES IN SCHEMA ${SCHEMA}`,
    ]) {
      expect(decide(SECRETS_DENIED, sql), sql).toMatchObject({ allowed: false, rule: 'no-secret-schema' });
    }
    for (const sql of [
      `COMMENT ON TABLE ${TABLE} IS 'nothing here'`,
      `COMMENT ON COLUMN ${TABLE}.k IS 'x'`,
      // Objects named after their table: dropping a secret table's audit trigger, row policy or rule.
      `DROP TRIGGER audit ON ${TABLE}`,
      `DROP POLICY own_rows ON public.${TABLE}`,
      `DROP RULE keep ON ${TABLE}`,
      `COMMENT ON CONSTRAINT ${TABLE}_pkey ON ${TABLE} IS 'x'`,
    ]) {
      expect(decide(SECRETS_DENIED, sql), sql).toMatchObject({ allowed: false, rule: 'no-secrets' });
    }
  });

  it('ordinary statements on other relations stay allowed', () => {
    for (const sql of ['SELECT * FROM public.orders', "SELECT 'orders'::regclass", "SELECT nextval('orders_id_seq')"]) {
      expect(decide(SECRETS_DENIED, sql).allowed, sql).toBe(true);
    }
    expect(decide(DOCS_EXAMPLE, 'SELECT * FROM public.orders').allowed).toBe(true);
  });
});
