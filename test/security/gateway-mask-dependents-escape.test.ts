/**
 * Attack: a user whose gateway session masks `email` of one table (a `hash` mask, every statement otherwise
 * allowed) reads it through objects the table's owner made over it, which the statement check cannot see into: a
 * view that renames the column, a view over that view, a materialized view (a copy of the data), a view that
 * returns whole rows as JSON, a SQL-standard function (`BEGIN ATOMIC`) that returns the address, and a PL/pgSQL
 * function of the table's rows called as if it were a column (`p.contact`). Through
 * Countersign's own wiring (catalog resolution on the session's connection, the real parser, the real PostgreSQL)
 * a view column that is the masked column as it is answers the keyed digest, anything computed from it is refused
 * with 42501 and says what to ask for, and no answer of the session holds the address. A view that does not
 * touch the column stays readable.
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
import {
  activeGatewayGrant,
  connectThroughGateway,
  gatewayAppOptions,
  outcomeOf,
} from '../features/sessions/gateway-fixtures.js';
import { adminSql } from '../gateway/admin-sql.js';
import { RealRoleProvider } from '../gateway/real-role-provider.js';
import { describeEachDialect } from '../store/dialects.js';

const PEOPLE = `dep_people_${process.pid}_${Date.now()}`;
const RENAMED = `${PEOPLE}_renamed`;
const OVER = `${PEOPLE}_over`;
const COPY = `${PEOPLE}_copy`;
const JSON_ROWS = `${PEOPLE}_json`;
const IDS = `${PEOPLE}_ids`;
const LOOKUP = `${PEOPLE}_lookup`;
const CONTACT = `${PEOPLE}_contact`;
const SECRET = 'grace.hopper@example.com';

/** Reads through the owner's objects whose rows are the address as it is: masked like the column. */
const MASKED_READS: readonly [string, string][] = [
  ['a view that renames the column', `select contact from ${RENAMED}`],
  ['a view over that view', `select c from ${OVER}`],
  ['a materialized view', `select e from ${COPY}`],
];

/** Reads that compute from the address, or call what does: refused, naming what is masked. */
const REFUSED_READS: readonly [string, string, readonly string[]][] = [
  ['an expression over the renaming view', `select upper(contact) as contact from ${RENAMED}`, ["'contact'"]],
  ['a view of whole rows as JSON', `select r from ${JSON_ROWS}`, [JSON_ROWS, "'email'", PEOPLE]],
  ['a SQL-standard function that returns the address', `select ${LOOKUP}(1) as found`, [LOOKUP, "'email'", PEOPLE]],
  ['that function in FROM', `select * from ${LOOKUP}(1) as l(e)`, [LOOKUP, "'email'"]],
  // PL/pgSQL: its body is text, but the catalog records that it takes the table's rows.
  ['a PL/pgSQL function of the row, written as a column', `select p.${CONTACT} as found from ${PEOPLE} p`, [CONTACT]],
];

describeEachDialect('gateway column masks against views and functions over the masked table', (ctx) => {
  const provider = new RealRoleProvider([
    `grant select on ${PEOPLE}, ${RENAMED}, ${OVER}, ${COPY}, ${JSON_ROWS}, ${IDS} to \${role}`,
  ]);
  let app: AppContext;
  let gateway: RunningGateway;
  let activation: ActivationView;
  const answers: string[] = [];

  beforeAll(async () => {
    await adminSql(
      `create table if not exists ${PEOPLE} (id int primary key, email text, name text);` +
        `insert into ${PEOPLE} values (1, '${SECRET}', 'Grace') on conflict do nothing;` +
        `create or replace view ${RENAMED} as select id, email as contact from ${PEOPLE};` +
        `create or replace view ${OVER} as select contact as c from ${RENAMED};` +
        `create materialized view if not exists ${COPY} as select email as e from ${PEOPLE};` +
        `create or replace view ${JSON_ROWS} as select row_to_json(p) as r from ${PEOPLE} p;` +
        `create or replace view ${IDS} as select id, name from ${PEOPLE};` +
        `create or replace function ${LOOKUP}(wanted int) returns text language sql ` +
        `begin atomic select email from ${PEOPLE} where id = wanted; end;` +
        `create or replace function ${CONTACT}(p ${PEOPLE}) returns text language plpgsql ` +
        `as $$begin return p.email; end$$`,
      'test',
    );
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
    activation = await activeGatewayGrant(app, 'nina');
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await adminSql(
      `drop function if exists ${LOOKUP}(int), ${CONTACT}(${PEOPLE}); drop materialized view if exists ${COPY};` +
        `drop view if exists ${OVER}, ${RENAMED}, ${JSON_ROWS}, ${IDS}; drop table if exists ${PEOPLE}`,
      'test',
    );
  });

  const connect = (): Promise<pg.Client> => connectThroughGateway(gateway.port, activation, answers);

  it.each(MASKED_READS)('%s answers the keyed digest, not the address', async (_name, sql) => {
    const client = await connect();
    try {
      const digest = (await client.query(`select email from ${PEOPLE}`)).rows[0].email as string;
      const outcome = await outcomeOf(client, sql);
      answers.push(JSON.stringify(outcome));
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
      expect(digest).toMatch(/^[0-9a-f]{16}$/);
      const { rows } = outcome as { rows?: Record<string, unknown>[] };
      expect(rows?.map((row) => Object.values(row))).toEqual([[digest]]);
    } finally {
      await client.end();
    }
  });

  it.each(REFUSED_READS)('%s is refused before it reaches the server', async (_name, sql, named) => {
    const client = await connect();
    try {
      const outcome = await outcomeOf(client, sql);
      answers.push(JSON.stringify(outcome));
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
      expect(outcome).toMatchObject({ code: '42501' });
      const { message } = outcome as { message: string };
      for (const part of named) expect(message).toContain(part);
      expect(message).toMatch(/To ask for approval: countersign request create --from-refusal \S+/);
      // The session goes on, still masked.
      const after = await client.query(`select email from ${PEOPLE}`);
      expect(after.rows[0].email).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await client.end();
    }
  });

  it('a view that does not touch the masked column is read as it is', async () => {
    const client = await connect();
    try {
      const { rows } = await client.query(`select * from ${IDS}`);
      expect(rows).toEqual([{ id: 1, name: 'Grace' }]);
    } finally {
      await client.end();
    }
  });

  it('no answer of any session held the address', () => {
    expect(answers.length).toBeGreaterThanOrEqual(MASKED_READS.length + REFUSED_READS.length);
    for (const answer of answers) expect(answer).not.toContain(SECRET);
  });
});
