/**
 * Attack: a grant holder under the profile docs/policy.md shows (read-only statements allowed, everything else
 * refused) runs something that is not read-only but was classified so:
 * - a plain `EXPLAIN` (no ANALYZE) is documented as running nothing, but the planner calls a function with
 *   constant arguments to fold it into the plan, so `EXPLAIN … f(1)` runs `f`: shown on the real server below,
 *   where a function that advances a sequence is called by EXPLAIN alone;
 * - `PREPARE TRANSACTION` leaves a transaction holding its locks after the session and the grant have ended,
 *   which only its role can finish (the revoke drops that role), and `COMMIT PREPARED` commits its writes.
 * Both were `readOnly` before the fix, so the profile's `reads` rule allowed them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideStatements, type StatementContext } from '../../src/decide/gateway-statement.decide.js';
import { classifySql, loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import { compileExpression } from '../../src/policy/cel.js';
import type { GatewayPolicy, GatewayRule } from '../../src/policy/model.js';
import { testDbSql } from '../gateway/admin-sql.js';

function rule(name: string, when: string, outcome: { allow: true } | { deny: string }): GatewayRule {
  const compiled = compileExpression(when, 'gateway');
  if (!compiled.ok) throw new Error(compiled.message);
  return { name, when: compiled.expression, ...outcome };
}

/** The example of docs/policy.md. */
const READS_ONLY: GatewayPolicy = {
  rules: [
    rule('no-secrets', 'statement.tables.exists(t, t.startsWith("secret"))', { deny: 'secret tables are off limits' }),
    rule('reads', 'statement.readOnly && !("pg_catalog" in statement.schemas)', { allow: true }),
    rule('no-writes', 'statement.kind in ["insert", "update", "delete", "merge"]', { deny: 'writes need run-sql' }),
  ],
  otherwise: 'deny',
  masks: [],
};

const ALLOW_ALL: GatewayPolicy = { rules: [rule('anything', 'true', { allow: true })], otherwise: 'allow', masks: [] };

const CONTEXT: StatementContext = {
  requester: { name: 'mallory', kind: 'human', groups: [], attributes: {}, disabled: false },
  resource: { name: 'orders-db', profile: 'pg', labels: {}, connection: {}, attributes: {} },
  profile: { name: 'pg', classification: 'internal', environment: 'prod' },
  now: 0,
};

const decide = (policy: GatewayPolicy, sql: string) => decideStatements(policy, classifySql(sql), CONTEXT);
const suffix = `${process.pid}_${Date.now()}`;
const SEQUENCE = `explained_${suffix}`;
const FUNCTION = `fold_me_${suffix}`;

describe('a statement that changes something is never read-only', () => {
  beforeAll(async () => {
    await loadSqlParser();
    await testDbSql(`create sequence ${SEQUENCE}`);
    // Immutable, so the planner folds a call with a constant argument, which runs its body.
    await testDbSql(
      `create function ${FUNCTION}(int) returns int language plpgsql immutable as $$ begin perform nextval('${SEQUENCE}'); return $1; end $$`,
    );
  });
  afterAll(async () => {
    await testDbSql(`drop function if exists ${FUNCTION}(int)`);
    await testDbSql(`drop sequence if exists ${SEQUENCE}`);
  });

  it('a plain EXPLAIN that calls a user’s function runs it on the server, so the gateway refuses it as not read-only', async () => {
    const explain = `EXPLAIN SELECT * FROM generate_series(1, 3) g WHERE g = ${FUNCTION}(1)`;
    await testDbSql(explain);
    const [after] = await testDbSql<{ is_called: boolean }>(`select is_called from ${SEQUENCE}`);
    expect(after?.is_called, 'the EXPLAIN alone advanced the sequence').toBe(true);

    const decision = decide(READS_ONLY, explain);
    expect(decision.allowed).toBe(false);
    expect(decision.rule).toBeUndefined(); // no rule allowed it: the default refused
  });

  it('a plain EXPLAIN of built-ins only, writes included, stays read-only', () => {
    for (const sql of [
      `EXPLAIN SELECT * FROM orders WHERE email = lower('Ada@Example.com')`,
      'EXPLAIN DELETE FROM orders',
      'EXPLAIN (ANALYZE false) UPDATE orders SET total = 0',
    ]) {
      expect(decide(READS_ONLY, sql).allowed, sql).toBe(true);
    }
  });

  it('PREPARE TRANSACTION is refused whatever the rules say', () => {
    const decision = decide(ALLOW_ALL, `PREPARE TRANSACTION 'later'`);
    expect(decision).toMatchObject({ allowed: false, builtIn: true, rule: 'two-phase' });
  });

  it('COMMIT PREPARED and ROLLBACK PREPARED are not read-only, while the rest of transaction control is', () => {
    expect(decide(READS_ONLY, `COMMIT PREPARED 'later'`).allowed).toBe(false);
    expect(decide(READS_ONLY, `ROLLBACK PREPARED 'later'`).allowed).toBe(false);
    for (const sql of ['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'RELEASE a', 'START TRANSACTION READ ONLY']) {
      expect(decide(READS_ONLY, sql).allowed, sql).toBe(true);
    }
  });
});
