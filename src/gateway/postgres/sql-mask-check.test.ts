import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from './sql-classify.js';
import { maskViolation, viewColumnMasks, type MaskedColumn } from './sql-mask-check.js';

beforeAll(async () => {
  await loadSqlParser();
});

const USERS_EMAIL: readonly MaskedColumn[] = [{ column: 'email', table: 'users' }];
const ANY_EMAIL: readonly MaskedColumn[] = [{ column: 'email' }];
const QUALIFIED: readonly MaskedColumn[] = [{ column: 'email', table: 'crm.users' }];

const ALLOWED = undefined;
/** A refusal: the reason must contain this. */
const refused = (fragment: string) => fragment;
const MASKED = refused("column 'email' is masked in this session");
const WHOLE_ROW = refused('whole row of a table with masked column');

// [statement, masks, expected]
const CASES: readonly [string, readonly MaskedColumn[], string | undefined][] = [
  // The masked column selected as it is, in the outermost SELECT.
  ['SELECT email FROM users WHERE id = 1', USERS_EMAIL, ALLOWED],
  ['SELECT u.email AS e FROM users u', USERS_EMAIL, ALLOWED],
  ['select id, EMAIL from USERS order by id', USERS_EMAIL, ALLOWED],
  ['SELECT public.users.email FROM public.users', USERS_EMAIL, ALLOWED],
  ['SELECT * FROM users', USERS_EMAIL, ALLOWED],
  ['SELECT u.*, o.total FROM users u JOIN orders o ON o.user_id = u.id', USERS_EMAIL, ALLOWED],
  ['TABLE users', USERS_EMAIL, ALLOWED],
  ['SELECT count(*) FROM users', USERS_EMAIL, ALLOWED],
  ['SELECT email FROM users WHERE id = $1 LIMIT $2', USERS_EMAIL, ALLOWED],
  ['SELECT email FROM users GROUP BY id', USERS_EMAIL, ALLOWED],
  ['SELECT id, email FROM users ORDER BY 1', USERS_EMAIL, ALLOWED],
  ['SELECT id FROM orders o WHERE EXISTS (SELECT * FROM users u WHERE u.id = o.user_id)', USERS_EMAIL, ALLOWED],
  [
    'WITH recent AS (SELECT id FROM users WHERE id > 10) SELECT email FROM users JOIN recent USING (id)',
    USERS_EMAIL,
    ALLOWED,
  ],
  ['SELECT email FROM users; SELECT lower(email) FROM orders', USERS_EMAIL, ALLOWED],
  // Masks on another table are not touched.
  ['SELECT lower(email) FROM orders WHERE email LIKE $1', USERS_EMAIL, ALLOWED],
  ['SELECT lower(email) FROM other.users', QUALIFIED, ALLOWED],
  // Writing a masked column is not reading it.
  ["INSERT INTO users (email) VALUES ('x')", USERS_EMAIL, ALLOWED],
  ["UPDATE users SET name = 'x' WHERE id = 1", USERS_EMAIL, ALLOWED],
  ["UPDATE users SET email = 'x' WHERE id = $1 RETURNING id", USERS_EMAIL, ALLOWED],
  ['DELETE FROM users WHERE id = 1', USERS_EMAIL, ALLOWED],
  ['COPY users FROM STDIN', USERS_EMAIL, ALLOWED],
  ['COPY users (id, name) TO STDOUT', USERS_EMAIL, ALLOWED],
  ['BEGIN; SET statement_timeout = 1000; SHOW search_path; COMMIT', ANY_EMAIL, ALLOWED],
  ['CREATE VIEW v AS SELECT id FROM users', USERS_EMAIL, ALLOWED],
  ['', USERS_EMAIL, ALLOWED],
  ['SELECT email FROM users', ANY_EMAIL, ALLOWED],
  ['SELECT "Users".email FROM "Users"', USERS_EMAIL, ALLOWED],
  ['SELECT lower(email) FROM users WHERE email = $1', [], ALLOWED],

  // Used in a condition, an expression, a function, a sort or a grouping.
  ['SELECT id FROM users ORDER BY email', USERS_EMAIL, MASKED],
  ["SELECT * FROM users WHERE email LIKE 'a%'", USERS_EMAIL, MASKED],
  ['SELECT lower(email) FROM users', USERS_EMAIL, MASKED],
  ['SELECT email::int FROM users', USERS_EMAIL, MASKED],
  ['SELECT email COLLATE "C" FROM users', USERS_EMAIL, MASKED],
  ["SELECT CASE WHEN email = 'a@b.c' THEN 1 END FROM users", USERS_EMAIL, MASKED],
  ['SELECT email, count(*) FROM users GROUP BY email', USERS_EMAIL, MASKED],
  ['SELECT id FROM users GROUP BY id HAVING max(email) > $1', USERS_EMAIL, MASKED],
  ['SELECT DISTINCT ON (email) id FROM users', USERS_EMAIL, MASKED],
  ['SELECT DISTINCT email FROM users', USERS_EMAIL, MASKED],
  ['SELECT email, id FROM users ORDER BY 1', USERS_EMAIL, MASKED],
  ['SELECT id, * FROM users ORDER BY 3', USERS_EMAIL, MASKED],
  ['SELECT email AS e FROM users ORDER BY e', USERS_EMAIL, MASKED],
  ['SELECT email, count(*) FROM users GROUP BY ROLLUP (1)', USERS_EMAIL, MASKED],
  ['SELECT id, row_number() OVER (ORDER BY email) FROM users', USERS_EMAIL, MASKED],
  ['SELECT id FROM users LIMIT length(email)', USERS_EMAIL, MASKED],
  ['SELECT o.id FROM orders o JOIN users u ON u.email = o.contact', USERS_EMAIL, MASKED],
  ['SELECT o.id FROM orders o JOIN users u USING (email)', USERS_EMAIL, MASKED],
  ["DELETE FROM users WHERE email = 'x'", USERS_EMAIL, MASKED],
  ['UPDATE users SET email = lower(email)', USERS_EMAIL, MASKED],
  ['UPDATE users SET name = email WHERE id = 1', USERS_EMAIL, MASKED],
  ['SELECT id FROM users WHERE "EMAIL" = $1', USERS_EMAIL, MASKED],
  ['SELECT id FROM crm.users WHERE email = $1', QUALIFIED, MASKED],
  ['SELECT id FROM users WHERE email = $1', QUALIFIED, MASKED],
  ['SELECT o.id FROM orders o, users u WHERE o.email = $1', USERS_EMAIL, MASKED],
  ['SELECT id FROM anything WHERE email IS NULL', ANY_EMAIL, MASKED],
  ['SELECT id FROM users WHERE "Email" = $1', USERS_EMAIL, MASKED],
  ['SELECT id, rank() OVER w FROM users WINDOW w AS (PARTITION BY email)', USERS_EMAIL, MASKED],
  ["SELECT string_agg(name, ',' ORDER BY email) FROM users", USERS_EMAIL, MASKED],
  ["INSERT INTO users (email) VALUES ('x') ON CONFLICT (id) DO UPDATE SET name = excluded.email", USERS_EMAIL, MASKED],
  [
    "MERGE INTO users u USING staged s ON u.email = s.email WHEN MATCHED THEN UPDATE SET name = 'x'",
    USERS_EMAIL,
    MASKED,
  ],
  ['SELECT 1; SELECT id FROM users WHERE email = $1', USERS_EMAIL, MASKED],

  // Laundered through a subquery, a CTE, an alias, a set operation or another statement.
  ['SELECT lower(x.email) FROM (SELECT email FROM users) x', USERS_EMAIL, MASKED],
  ['SELECT lower(e) FROM (SELECT email AS e FROM users) x', USERS_EMAIL, MASKED],
  ['WITH c AS (SELECT email AS e FROM users) SELECT upper(e) FROM c', USERS_EMAIL, MASKED],
  ['SELECT x.n FROM users u, LATERAL (SELECT length(u.email) AS n) x', USERS_EMAIL, MASKED],
  ['SELECT (SELECT email FROM users LIMIT 1)', USERS_EMAIL, MASKED],
  ["SELECT email FROM users UNION SELECT 'x'", USERS_EMAIL, MASKED],
  ['INSERT INTO archive SELECT email FROM users', USERS_EMAIL, MASKED],
  ['CREATE TABLE copy AS SELECT email FROM users', USERS_EMAIL, MASKED],
  ['SELECT email INTO copy FROM users', USERS_EMAIL, MASKED],
  ['CREATE VIEW v AS SELECT email FROM users', USERS_EMAIL, MASKED],
  ['EXPLAIN ANALYZE SELECT email FROM users', USERS_EMAIL, MASKED],
  ['DECLARE c CURSOR FOR SELECT email FROM users', USERS_EMAIL, MASKED],
  ['PREPARE p AS SELECT id FROM users WHERE email = $1', USERS_EMAIL, MASKED],
  ['WITH c AS (SELECT * FROM users) SELECT * FROM c', USERS_EMAIL, refused("'*' over a table")],
  ['SELECT x.* FROM users u, LATERAL (SELECT u.*) x', USERS_EMAIL, WHOLE_ROW],
  ['SELECT lower(e) FROM users AS u(i, e)', USERS_EMAIL, refused('renamed by an alias list')],
  ['SELECT lower(x.e) FROM (SELECT * FROM users) AS x(i, e)', USERS_EMAIL, refused("'*' over a table")],
  ['INSERT INTO archive SELECT * FROM users', USERS_EMAIL, refused("'*' over a table")],
  ['SELECT o.id FROM orders o NATURAL JOIN users', USERS_EMAIL, refused('NATURAL join')],

  // RETURNING is not the outermost SELECT's column list.
  ["UPDATE users SET name = 'x' RETURNING email", USERS_EMAIL, MASKED],
  ['DELETE FROM users WHERE id = 1 RETURNING *', USERS_EMAIL, refused("'*' over a table")],
  ["INSERT INTO users (email) VALUES ('x') RETURNING email", USERS_EMAIL, MASKED],

  // A whole row holds the masked column.
  ['SELECT u FROM users u', USERS_EMAIL, WHOLE_ROW],
  ['SELECT row_to_json(u) FROM users u', USERS_EMAIL, WHOLE_ROW],
  ['SELECT to_jsonb(users.*) FROM users', USERS_EMAIL, WHOLE_ROW],
  ['SELECT (u).email FROM users u', USERS_EMAIL, WHOLE_ROW],
  ['SELECT ROW(u.*) FROM users u', USERS_EMAIL, WHOLE_ROW],
  ['SELECT u.to_jsonb FROM users u', USERS_EMAIL, WHOLE_ROW],
  ["SELECT id FROM users WHERE users::text LIKE '%@example.com%'", USERS_EMAIL, WHOLE_ROW],

  // COPY data is not a DataRow.
  ['COPY users TO STDOUT', USERS_EMAIL, refused("COPY out of table 'users'")],
  ['COPY users (id, email) TO STDOUT', USERS_EMAIL, refused("COPY out of table 'users'")],
  ['COPY (SELECT id FROM users) TO STDOUT', USERS_EMAIL, refused('COPY (query)')],
  ['COPY (SELECT 1) TO STDOUT', ANY_EMAIL, refused('COPY (query)')],

  // What the parser cannot see into, and the catalog's sampled values.
  ["SELECT query_to_xml('select email from users', true, true, '')", USERS_EMAIL, refused("'query_to_xml'")],
  ["SELECT * FROM crosstab('select email, 1, 1 from users') AS t(e text, a int)", USERS_EMAIL, refused("'crosstab'")],
  ["SELECT * FROM crosstab3('select 1')", USERS_EMAIL, refused("'crosstab3'")],
  ["SELECT * FROM connectby('users', 'email', 'name', 'x', 0) AS t(e text)", USERS_EMAIL, refused("'connectby'")],
  ['DO $$ BEGIN PERFORM 1; END $$', USERS_EMAIL, refused('DO runs code')],
  ["CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT email FROM users'", USERS_EMAIL, refused('runs code')],
  ["SELECT most_common_vals FROM pg_stats WHERE attname = 'email'", USERS_EMAIL, refused("'pg_stats'")],
  [
    'ALTER TABLE users RENAME COLUMN email TO e',
    USERS_EMAIL,
    refused("may not name table 'users' in this session: it has masked column 'email'"),
  ],
  ['ALTER TABLE users RENAME TO people', USERS_EMAIL, refused('may not name table')],
  ['ALTER TABLE crm.users SET SCHEMA archive', QUALIFIED, refused('may not name table')],
  ['CREATE INDEX ON users (lower(email))', USERS_EMAIL, refused('may not name table')],
  ['CREATE TABLE scratch (id int)', ANY_EMAIL, refused('may not name table')],
  ['SELECT email FROM users WHERE', USERS_EMAIL, refused('could not be parsed')],
];

describe('maskViolation', () => {
  it.each(CASES)('%s (masks %j) → %s', (sql, masks, expected) => {
    const violation = maskViolation(sql, masks);
    if (expected === undefined) expect(violation).toBeUndefined();
    else expect(violation).toContain(expected);
  });

  it('names the masked column as the policy writes it', () => {
    expect(maskViolation('SELECT lower(email) FROM users', [{ column: 'EMail', table: 'Users' }])).toBe(
      "column 'EMail' is masked in this session: it can only be selected as it is, not used in a condition, expression or function",
    );
  });

  it('refuses everything when several masks apply and only one is misused', () => {
    const masks = [...USERS_EMAIL, { column: 'ssn', table: 'people' }];
    expect(maskViolation('SELECT email FROM users', masks)).toBeUndefined();
    expect(maskViolation('SELECT id FROM people WHERE ssn = $1', masks)).toContain("column 'ssn'");
  });
});

describe('maskViolation with objects the catalog refused', () => {
  const REFUSED = new Map([
    ['people_json', "view 'app.people_json' depends on masked column 'email' of 'app.users'"],
    ['lookup', "function 'app.lookup' depends on masked column 'email' of 'app.users'"],
    ['===', "operator 'app.===' depends on masked column 'email' of 'app.users'"],
  ]);

  it.each([
    'SELECT r FROM people_json',
    'SELECT * FROM other.PEOPLE_JSON j JOIN users u ON true',
    'TABLE people_json',
    'SELECT lookup(1)',
    'SELECT * FROM app.lookup(1) AS l(e)',
    'SELECT u.lookup FROM users u',
    'CALL lookup(1)',
    'SELECT 1 === 2',
    'SELECT id FROM users WHERE id OPERATOR(app.===) 1',
    'ALTER FUNCTION lookup(int) RENAME TO harmless',
    'ALTER VIEW people_json SET SCHEMA elsewhere',
    'CREATE VIEW w AS SELECT r FROM people_json',
  ])('%s is refused, with why', (sql) => {
    expect(maskViolation(sql, USERS_EMAIL, REFUSED)).toMatch(/depends on masked column 'email' of 'app.users'/);
  });

  it('statements that name none of them are checked as before', () => {
    expect(maskViolation('SELECT email FROM users', USERS_EMAIL, REFUSED)).toBeUndefined();
    expect(maskViolation("SELECT 'lookup' AS people_json FROM orders", USERS_EMAIL, REFUSED)).toBeUndefined();
    expect(maskViolation('SELECT lower(email) FROM users', USERS_EMAIL, REFUSED)).toContain(MASKED);
  });
});

describe('viewColumnMasks', () => {
  it('tells which select-list entries are a masked column as it is, by position', () => {
    expect(viewColumnMasks('SELECT users.id, users.email AS contact, users.name FROM app.users', USERS_EMAIL)).toEqual({
      columns: [undefined, 'email', undefined],
    });
    expect(viewColumnMasks('SELECT count(*) AS count FROM users', USERS_EMAIL)).toEqual({ columns: [undefined] });
    expect(viewColumnMasks('SELECT users.id FROM users UNION SELECT 1', USERS_EMAIL)).toEqual({ columns: [] });
  });

  it('says why when the definition computes from one, or cannot be read column by column', () => {
    expect(viewColumnMasks('SELECT upper(users.email) AS e FROM users', USERS_EMAIL)).toEqual({
      violation: expect.stringContaining(MASKED),
    });
    expect(viewColumnMasks('SELECT u.* FROM users u', USERS_EMAIL)).toEqual({
      violation: expect.stringContaining("'*'"),
    });
    expect(viewColumnMasks('SELECT 1; SELECT 2', USERS_EMAIL)).toEqual({
      violation: 'its definition is not one SELECT',
    });
  });
});

/** Expressions over a column, in which a masked column must never be accepted. */
const WRAPPERS: readonly ((inner: string) => string)[] = [
  (x) => `lower(${x})`,
  (x) => `${x} || 'a'`,
  (x) => `(${x})::text`,
  (x) => `CASE WHEN ${x} = 'a' THEN 1 ELSE 0 END`,
  (x) => `coalesce(${x}, '')`,
  (x) => `(${x} IS NULL)`,
  (x) => `NOT (${x} LIKE 'a%')`,
  (x) => `ARRAY[${x}]`,
  (x) => `ROW(${x}, 1)`,
  (x) => `(SELECT ${x})`,
  (x) => `max(${x})`,
  (x) => `jsonb_build_object('k', ${x})`,
];
/** Places an expression can stand in a statement reading `users`. */
const PLACES: readonly ((expression: string) => string)[] = [
  (e) => `SELECT ${e} FROM users`,
  (e) => `SELECT id FROM users WHERE ${e} IS NOT NULL`,
  (e) => `SELECT id FROM users ORDER BY ${e}`,
  (e) => `SELECT count(*) FROM users GROUP BY ${e}`,
  (e) => `SELECT o.id FROM orders o JOIN users u ON ${e} IS NOT NULL`,
  (e) => `SELECT id FROM users WHERE id IN (SELECT ${e} FROM users)`,
  (e) => `WITH c AS (SELECT ${e} AS v FROM users) SELECT v FROM c`,
  (e) => `UPDATE users SET name = ${e}`,
  (e) => `DELETE FROM users WHERE ${e} IS NULL`,
];
const composition = fc.record({
  wrappers: fc.array(fc.constantFrom(...WRAPPERS), { minLength: 1, maxLength: 4 }),
  place: fc.constantFrom(...PLACES),
  reference: fc.constantFrom('email', 'users.email', '"EMAIL"', 'u2.email'),
});
const compose = (wrappers: readonly ((inner: string) => string)[], inner: string) =>
  wrappers.reduce((expression, wrap) => wrap(expression), inner);

describe('maskViolation over random compositions', () => {
  it('never accepts a masked column inside any composition of expressions, in any place', () => {
    fc.assert(
      fc.property(composition, ({ wrappers, place, reference }) => {
        const sql = place(compose(wrappers, reference));
        expect(maskViolation(sql, USERS_EMAIL)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the same compositions over a column that is not masked', () => {
    fc.assert(
      fc.property(composition, ({ wrappers, place }) => {
        const sql = place(compose(wrappers, 'name'));
        expect(maskViolation(sql, USERS_EMAIL)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
