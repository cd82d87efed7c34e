/**
 * Attack: a user whose gateway session masks `email` (a `hash` mask on the `people` table, every statement
 * otherwise allowed) tries to read the address in clear anyway, through Countersign's own wiring (the real
 * parser's mask check, the catalog-resolved masks, the real PostgreSQL): computing from it, filtering on it,
 * whole-row values, COPY, subqueries and CTEs that rename it, set operations, casts, sorting. Every attempt is
 * refused with 42501 before it reaches the server, and no answer of the session ever holds the address; plain
 * selects, renamed or `*`, are answered with the keyed digest.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { ActivationView } from '../../src/features/requests/request.view.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, connectThroughGateway, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { adminSql } from '../gateway/admin-sql.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { describeEachDialect } from '../store/dialects.js';

const PEOPLE = `mask_people_${process.pid}_${Date.now()}`;
const SECRET = 'ada.lovelace@example.com';

const ESCAPES: readonly [string, string][] = [
  ['a function of it', `select lower(email) from ${PEOPLE}`],
  ['a cast of it', `select email::bytea from ${PEOPLE}`],
  ['a concatenation', `select email || '' as email from ${PEOPLE}`],
  ['a condition on it (an oracle)', `select id from ${PEOPLE} where email like 'ada%'`],
  ['sorting by it', `select id from ${PEOPLE} order by email`],
  ['the whole row as JSON', `select row_to_json(p) from ${PEOPLE} p`],
  ['the whole row as a value', `select p from ${PEOPLE} p`],
  ['a function written as a column', `select p.to_jsonb from ${PEOPLE} p`],
  ['COPY of the table', `copy ${PEOPLE} to stdout`],
  ['COPY of a query', `copy (select email from ${PEOPLE}) to stdout`],
  ['a derived table that renames it', `select x.e from (select email as e from ${PEOPLE}) x`],
  ['a CTE', `with c as (select email from ${PEOPLE}) select * from c`],
  ['a set operation', `select email from ${PEOPLE} union select 'x'`],
  ['a second statement in the same message', `select 1; select upper(email) from ${PEOPLE}`],
  ['a query-to-XML function', `select query_to_xml('select email from ${PEOPLE}', true, false, '')`],
];
/**
 * The same attempts in texts longer than the gateway parses on its event loop (8 KiB): their classification and
 * mask check come from the parse worker (sql-parse-pool.ts), and refuse alike.
 */
const LONG = (sql: string): string => `${sql} -- ${'x'.repeat(9000)}`;
const LONG_ESCAPES: readonly [string, string][] = ESCAPES.map(([name, sql]) => [`${name}, in a long text`, LONG(sql)]);

describeEachDialect('gateway column masks against an attacker', (ctx) => {
  const provider = new RealRoleProvider([`grant select on ${PEOPLE} to \${role}`]);
  let app: AppContext;
  let gateway: RunningGateway;
  let activation: ActivationView;
  const answers: string[] = [];

  beforeAll(async () => {
    await adminSql(`create table if not exists ${PEOPLE} (id int primary key, email text)`, 'test');
    await adminSql(`insert into ${PEOPLE} values (1, '${SECRET}') on conflict do nothing`, 'test');
    const { options } = gatewayAppOptions({
      rules: [],
      otherwise: 'allow',
      masks: [{ table: PEOPLE, column: 'email', mask: 'hash' }],
    });
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    gateway = await startGateway(app, pino({ level: 'silent' }), {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
    activation = await activeGatewayGrant(app, 'judy');
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await adminSql(`drop table if exists ${PEOPLE}`, 'test');
  });

  const connect = (): Promise<pg.Client> => connectThroughGateway(gateway.port, activation, answers);

  it.each([...ESCAPES, ...LONG_ESCAPES])('%s is refused before it reaches the server', async (_name, sql) => {
    const client = await connect();
    try {
      const outcome = await client.query(sql).then(
        (result) => JSON.stringify(result),
        (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
      );
      answers.push(JSON.stringify(outcome));
      // Refused by the mask check, or earlier by a built-in rule (SQL given as text is never allowed).
      expect(outcome).toMatchObject({ code: '42501', message: expect.stringMatching(/masked|built-in rule/) });
      // The session goes on, still masked.
      const after = await client.query(`select email from ${PEOPLE}`);
      answers.push(JSON.stringify(after.rows));
      expect(after.rows[0].email).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await client.end();
    }
  });

  it('plain selects, renamed or with *, answer the keyed digest, never the address', async () => {
    const client = await connect();
    try {
      const renamed = await client.query(`select email as contact from ${PEOPLE}`);
      const star = await client.query({ text: `select * from ${PEOPLE} where id = $1`, values: [1] });
      const long = await client.query({ text: LONG(`select * from ${PEOPLE} where id = $1`), values: [1] });
      answers.push(JSON.stringify(renamed.rows), JSON.stringify(star.rows), JSON.stringify(long.rows));
      expect(renamed.rows[0].contact).toMatch(/^[0-9a-f]{16}$/);
      expect(star.rows[0].email).toBe(renamed.rows[0].contact);
      expect(long.rows[0].email).toBe(renamed.rows[0].contact);
    } finally {
      await client.end();
    }
  });

  it('no answer of any session held the address', () => {
    expect(answers.length).toBeGreaterThan(ESCAPES.length + LONG_ESCAPES.length);
    for (const answer of answers) expect(answer).not.toContain(SECRET);
  });
});
