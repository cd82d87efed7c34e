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
import { loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import { testDbSql } from '../gateway/admin-sql.js';
import { decide, DOCS_EXAMPLE, policy, rule } from './statement-decisions.js';

const ALLOW_ALL = policy([rule('anything', 'true', { allow: true })], 'allow');

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

    const decision = decide(DOCS_EXAMPLE, explain);
    expect(decision.allowed).toBe(false);
    expect(decision.rule).toBeUndefined(); // no rule allowed it: the default refused
  });

  it('a plain EXPLAIN of built-ins only, writes included, stays read-only', () => {
    for (const sql of [
      `EXPLAIN SELECT * FROM orders WHERE email = lower('Ada@Example.com')`,
      'EXPLAIN DELETE FROM orders',
      'EXPLAIN (ANALYZE false) UPDATE orders SET total = 0',
    ]) {
      expect(decide(DOCS_EXAMPLE, sql).allowed, sql).toBe(true);
    }
  });

  it('PREPARE TRANSACTION is refused whatever the rules say', () => {
    const decision = decide(ALLOW_ALL, `PREPARE TRANSACTION 'later'`);
    expect(decision).toMatchObject({ allowed: false, builtIn: true, rule: 'two-phase' });
  });

  it('COMMIT PREPARED and ROLLBACK PREPARED are not read-only, while the rest of transaction control is', () => {
    expect(decide(DOCS_EXAMPLE, `COMMIT PREPARED 'later'`).allowed).toBe(false);
    expect(decide(DOCS_EXAMPLE, `ROLLBACK PREPARED 'later'`).allowed).toBe(false);
    for (const sql of ['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'RELEASE a', 'START TRANSACTION READ ONLY']) {
      expect(decide(DOCS_EXAMPLE, sql).allowed, sql).toBe(true);
    }
  });
});
