/**
 * Attack: a grant holder whose profile refuses some kinds of statement goes around the rule by wrapping the
 * statement in another one that PostgreSQL runs the same way: `COPY (DELETE … RETURNING *) TO STDOUT` deletes,
 * `PREPARE p AS DELETE …` followed by `EXECUTE p` deletes, and `INSERT … ON CONFLICT DO UPDATE` overwrites rows
 * that exist. `statement.kind` is documented as the most consequential thing a statement does, so each must be
 * that change, whatever wraps it. Through the real parser and the real decision (the gateway's own code path);
 * each of these statements runs on PostgreSQL as described (checked with psql against the shared server). They
 * were all allowed before the fix: `copy`, `prepare` and `insert` are none of the refused kinds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySql, loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { decide, rule } from './statement-decisions.js';

/** A deny list over an allowing default: deletes and updates need approval, anything else goes. */
const NO_DELETES_OR_UPDATES: GatewayPolicy = {
  rules: [
    rule('no-deletes', 'statement.kind == "delete"', { deny: 'deletes need approval' }),
    rule('no-updates', 'statement.kind == "update"', { deny: 'updates need approval' }),
  ],
  otherwise: 'allow',
  masks: [],
};

/** Append-only: reads and inserts, nothing that changes a row already there. */
const APPEND_ONLY: GatewayPolicy = {
  rules: [rule('append-only', 'statement.kind in ["select", "insert"]', { allow: true })],
  otherwise: 'deny',
  masks: [],
};

beforeAll(async () => {
  await loadSqlParser();
});

// [the way round, the SQL, the rule of NO_DELETES_OR_UPDATES that must refuse it]
const WRAPPED_CHANGES: readonly [string, string, string][] = [
  ['a DELETE copied out', 'COPY (DELETE FROM orders RETURNING *) TO STDOUT', 'no-deletes'],
  ['an UPDATE copied out', 'copy (update orders set total = 0 returning id) to stdout', 'no-updates'],
  ['a DELETE prepared to be executed later', 'PREPARE p AS DELETE FROM orders', 'no-deletes'],
  ['an UPDATE prepared with parameters', 'PREPARE p (int) AS UPDATE orders SET total = 0 WHERE id = $1', 'no-updates'],
  [
    'a DELETE in a CTE, prepared',
    'PREPARE p AS WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone',
    'no-deletes',
  ],
  [
    'an upsert overwriting rows',
    'INSERT INTO orders VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET total = 0',
    'no-updates',
  ],
  [
    'an upsert in a CTE',
    'WITH x AS (INSERT INTO orders VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET total = 0 RETURNING id) SELECT * FROM x',
    'no-updates',
  ],
  [
    'an upsert copied out',
    'COPY (INSERT INTO orders VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET total = 0 RETURNING *) TO STDOUT',
    'no-updates',
  ],
  [
    'an upsert prepared',
    'PREPARE p AS INSERT INTO orders VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET total = 0',
    'no-updates',
  ],
  [
    'an upsert run by EXPLAIN ANALYZE',
    'EXPLAIN ANALYZE INSERT INTO orders VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET total = 0',
    'no-updates',
  ],
  [
    'a DELETE whose rows fill a new table',
    'CREATE TABLE kept AS WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone',
    'no-deletes',
  ],
  [
    'a DELETE selected into a new table',
    'WITH gone AS (DELETE FROM orders RETURNING *) SELECT * INTO kept FROM gone',
    'no-deletes',
  ],
  [
    'an UPDATE in a CREATE TABLE AS run by EXPLAIN ANALYZE',
    'EXPLAIN ANALYZE CREATE TABLE kept AS WITH u AS (UPDATE orders SET total = 0 RETURNING *) SELECT * FROM u',
    'no-updates',
  ],
  ['a MERGE that deletes', 'MERGE INTO orders o USING refunds r ON o.id = r.id WHEN MATCHED THEN DELETE', 'no-deletes'],
  [
    'a MERGE that updates',
    'MERGE INTO orders o USING refunds r ON o.id = r.id WHEN MATCHED THEN UPDATE SET total = 0',
    'no-updates',
  ],
  [
    'a MERGE that inserts some rows and deletes others',
    'MERGE INTO orders o USING refunds r ON o.id = r.id WHEN NOT MATCHED THEN INSERT VALUES (r.id, 0) WHEN MATCHED AND r.total > 0 THEN DELETE',
    'no-deletes',
  ],
];

describe('a rule about a kind of statement cannot be gone around by wrapping the statement', () => {
  it.each(WRAPPED_CHANGES)('%s is refused by the rule about what it changes', (_way, sql, refusedBy) => {
    const decision = decide(NO_DELETES_OR_UPDATES, sql);
    expect(decision.allowed).toBe(false);
    expect(decision.rule).toBe(refusedBy);
  });

  it.each(WRAPPED_CHANGES)('%s is refused by an append-only profile', (_way, sql) => {
    expect(decide(APPEND_ONLY, sql).allowed).toBe(false);
  });

  it('what changes no row keeps its kind and stays allowed', () => {
    const kinds: readonly [string, string][] = [
      ['COPY (SELECT * FROM orders) TO STDOUT', 'copy'],
      ['PREPARE p AS SELECT * FROM orders WHERE id = $1', 'select'],
      ['INSERT INTO orders VALUES (1, 0) ON CONFLICT DO NOTHING', 'insert'],
      ['INSERT INTO orders VALUES (1, 0)', 'insert'],
      ['MERGE INTO orders o USING refunds r ON o.id = r.id WHEN NOT MATCHED THEN INSERT VALUES (r.id, 0)', 'merge'],
      ['CREATE TABLE kept AS SELECT * FROM orders', 'ddl'],
    ];
    for (const [sql, kind] of kinds) {
      const classified = classifySql(sql);
      expect('statements' in classified && classified.statements[0]?.kind, sql).toBe(kind);
      expect(decide(NO_DELETES_OR_UPDATES, sql).allowed, sql).toBe(true);
      if (kind === 'select' || kind === 'insert') expect(decide(APPEND_ONLY, sql).allowed, sql).toBe(true);
    }
  });

  it('a COPY FROM STDIN stays a copy, so rules about copies still see it', () => {
    const classified = classifySql('COPY orders FROM STDIN');
    expect('statements' in classified && classified.statements[0]?.kind).toBe('copy');
    expect(decide(APPEND_ONLY, 'COPY orders FROM STDIN').allowed).toBe(false);
  });
});

describe('on the server (PostgreSQL 15), the wrapped changes classified above do change rows', () => {
  const table = `kind_escape_${process.pid}_${Date.now()}`;
  afterAll(async () => {
    await testDbSql(`drop table if exists ${table}, ${table}_kept, ${table}_into`);
  });

  it('CREATE TABLE AS and SELECT INTO with a DELETE in WITH delete, and MERGE … THEN DELETE deletes', async () => {
    await testDbSql(
      `create table ${table} (id int primary key, total int); insert into ${table} values (1, 1), (2, 2), (3, 3)`,
    );
    const count = async () => (await testDbSql<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n;
    await testDbSql(
      `create table ${table}_kept as with gone as (delete from ${table} where id = 1 returning *) select * from gone`,
    );
    expect(await count()).toBe(2);
    await testDbSql(
      `with gone as (delete from ${table} where id = 2 returning *) select * into ${table}_into from gone`,
    );
    expect(await count()).toBe(1);
    await testDbSql(`merge into ${table} o using (values (3)) r(id) on o.id = r.id when matched then delete`);
    expect(await count()).toBe(0);
  });
});
