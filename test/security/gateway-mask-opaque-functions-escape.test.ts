/**
 * Attack: a user whose gateway session masks `email` of one table (a `hash` mask, every statement otherwise
 * allowed) reads it through functions whose bodies PostgreSQL keeps as text, so that the catalog records nothing
 * of what they read: a PL/pgSQL function that selects the address by id, a `LANGUAGE sql` function with a string
 * body, a view that calls the PL/pgSQL function (over no table at all), an operator whose function it is, a
 * procedure that hands the address back in an INOUT argument, an explicit cast whose function reads the table, and
 * the owner's `internal` alias of `query_to_xml`, which runs SQL given as text under a name the gateway does not
 * know. Through Countersign's own wiring (catalog resolution on the session's connection, the real parser, the
 * real PostgreSQL) each is refused with 42501 and says what to ask for, and no answer of the session holds the
 * address. The masked session can still call built-ins and an extension's C functions (pgcrypto), SQL-standard
 * functions that read no masked table, and write the masked table through its PL/pgSQL trigger; a session without
 * masks calls the PL/pgSQL function as before.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { ActivationView } from '../../src/features/requests/request.view.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
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
import { describeEachDialect, type DialectContext } from '../store/dialects.js';

const PEOPLE = `opaque_people_${process.pid}_${Date.now()}`;
const LOG = `${PEOPLE}_log`;
const LEAK = `${PEOPLE}_leak`;
const LEAK_SQL = `${PEOPLE}_leak_sql`;
const LEAK_VIEW = `${PEOPLE}_leak_view`;
const LEAK_PROC = `${PEOPLE}_leak_proc`;
const MAIL = `${PEOPLE}_mail`;
const TO_MAIL = `${PEOPLE}_to_mail`;
const RUN_SQL = `${PEOPLE}_run_sql`;
const ADD_ONE = `${PEOPLE}_add_one`;
const COPY_OUT = `${PEOPLE}_copy_out`;
const OPERATOR = '@#@#@';
const EXTENSION_SCHEMA = `${PEOPLE}_ext`;
const SECRET = 'katherine.johnson@example.com';

/** Calls of the owner's functions whose bodies are text: refused, naming what was called. */
const REFUSED_READS: readonly [string, string, readonly string[]][] = [
  ['a PL/pgSQL function that selects the address', `select ${LEAK}(1) as found`, [LEAK, 'plpgsql']],
  ['that function in FROM', `select * from ${LEAK}(1) as l(e)`, [LEAK]],
  ['that function in a condition', `select 1 as one where ${LEAK}(1) like 'k%'`, [LEAK]],
  ['a LANGUAGE sql function whose body is a string', `select ${LEAK_SQL}(1) as found`, [LEAK_SQL]],
  ['a view that calls the PL/pgSQL function', `select e from ${LEAK_VIEW}`, [LEAK_VIEW, LEAK]],
  ['an operator whose function is the PL/pgSQL one', `select ${OPERATOR} 1 as found`, [OPERATOR, LEAK]],
  ['a procedure that hands the address back', `call ${LEAK_PROC}(1, null)`, [LEAK_PROC]],
  ['an explicit cast whose function reads the table', `select (1::${MAIL}).address as found`, [MAIL, TO_MAIL]],
  ['the same cast written with CAST', `select (cast(1 as ${MAIL})).address as found`, [MAIL]],
  [
    "the owner's internal alias of query_to_xml",
    `select ${RUN_SQL}('select email from ${PEOPLE}', false, false, '') as found`,
    [RUN_SQL],
  ],
];

const connectTo = (gateway: RunningGateway, activation: ActivationView, answers: string[]) =>
  connectThroughGateway(gateway.port, activation, answers);

/**
 * The owner's objects, made once per file as the superuser; pgcrypto and tablefunc in a schema of their own when
 * they are not installed yet (and then dropped after), else where they are. Returns the extensions' schemas.
 */
const createdExtensions: string[] = [];
async function createObjects(): Promise<Record<string, string>> {
  await adminSql(`create schema if not exists ${EXTENSION_SCHEMA}`, 'test');
  const schemas: Record<string, string> = {};
  for (const extension of ['pgcrypto', 'tablefunc']) {
    const find = `select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = '${extension}'`;
    let [installed] = await adminSql<{ nspname: string }>(find, 'test');
    if (installed === undefined) {
      await adminSql(`create extension ${extension} schema ${EXTENSION_SCHEMA}`, 'test');
      createdExtensions.push(extension);
      [installed] = await adminSql<{ nspname: string }>(find, 'test');
    }
    schemas[extension] = installed!.nspname;
  }
  await adminSql(
    `create table if not exists ${PEOPLE} (id int primary key, email text, name text);` +
      `create table if not exists ${LOG} (email text);` +
      `insert into ${PEOPLE} values (1, '${SECRET}', 'Katherine') on conflict do nothing;` +
      `create or replace function ${LEAK}(wanted int) returns text language plpgsql ` +
      `as $$begin return (select email from ${PEOPLE} where id = wanted); end$$;` +
      `create or replace function ${LEAK_SQL}(int) returns text language sql ` +
      `as 'select email from ${PEOPLE} where id = $1';` +
      `create or replace view ${LEAK_VIEW} as select ${LEAK}(n) as e from pg_catalog.generate_series(1, 1) n;` +
      `create operator ${OPERATOR} (rightarg = int, function = ${LEAK});` +
      `create or replace procedure ${LEAK_PROC}(wanted int, inout found text) language plpgsql ` +
      `as $$begin found := (select email from ${PEOPLE} where id = wanted); end$$;` +
      `create type ${MAIL} as (address text);` +
      `create or replace function ${TO_MAIL}(wanted int) returns ${MAIL} language plpgsql ` +
      `as $$begin return row((select email from ${PEOPLE} where id = wanted)); end$$;` +
      `create cast (int as ${MAIL}) with function ${TO_MAIL}(int);` +
      `create or replace function ${RUN_SQL}(text, boolean, boolean, text) returns xml language internal ` +
      `as 'query_to_xml';` +
      `create or replace function ${ADD_ONE}(n int) returns int language sql return n + 1;` +
      `create or replace function ${COPY_OUT}() returns trigger language plpgsql ` +
      `as $$begin insert into ${LOG} values (new.email); return new; end$$;` +
      `create trigger ${COPY_OUT} after insert on ${PEOPLE} for each row execute function ${COPY_OUT}()`,
    'test',
  );
  return schemas;
}

async function dropObjects(): Promise<void> {
  await adminSql(
    `drop operator if exists ${OPERATOR} (none, int); drop view if exists ${LEAK_VIEW};` +
      `drop cast if exists (int as ${MAIL});` +
      `drop function if exists ${LEAK}(int), ${LEAK_SQL}(int), ${TO_MAIL}(int), ${ADD_ONE}(int),` +
      ` ${RUN_SQL}(text, boolean, boolean, text);` +
      `drop procedure if exists ${LEAK_PROC}(int, text); drop type if exists ${MAIL};` +
      `drop table if exists ${PEOPLE}, ${LOG}; drop function if exists ${COPY_OUT}();` +
      `drop schema if exists ${EXTENSION_SCHEMA}${createdExtensions.length > 0 ? ' cascade' : ''}`,
    'test',
  );
}

const GRANTS = [
  `grant select, insert on ${PEOPLE}, ${LOG} to \${role}`,
  `grant select on ${LEAK_VIEW} to \${role}`,
  `grant usage on schema ${EXTENSION_SCHEMA} to \${role}`,
];

/** A gateway of its own, for a session of the policy `gateway`. */
async function gatewayFor(ctx: DialectContext, gateway: GatewayPolicy, provider: RealRoleProvider) {
  const { options } = gatewayAppOptions(gateway);
  const app: AppContext = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
  const running = await startGateway(app, pino({ level: 'silent' }), {
    listen: '127.0.0.1:0',
    journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
  });
  return { running, activation: await activeGatewayGrant(app, 'nina') };
}

describeEachDialect('gateway column masks against functions whose bodies are text', (ctx) => {
  const provider = new RealRoleProvider(GRANTS);
  let gateway: RunningGateway;
  let activation: ActivationView;
  let schemas: Record<string, string> = {};
  const answers: string[] = [];
  const connect = () => connectTo(gateway, activation, answers);

  beforeAll(async () => {
    schemas = await createObjects();
    ({ running: gateway, activation } = await gatewayFor(
      ctx,
      { rules: [], otherwise: 'allow', masks: [{ table: PEOPLE, column: 'email', mask: 'hash' }] },
      provider,
    ));
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await dropObjects();
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

  it.each([
    [
      'crosstab',
      (schema: string) => `select * from ${schema}.crosstab('select email, 1, 1 from ${PEOPLE}') as t(e text, a int)`,
    ],
    [
      'connectby',
      (schema: string) =>
        `select * from ${schema}.connectby('${PEOPLE}', 'email', 'name', 'x', 0) as t(e text, p text, l int)`,
    ],
  ])("tablefunc's %s, C code that runs SQL it is given as text, is refused", async (name, statement) => {
    const client = await connect();
    try {
      const outcome = await outcomeOf(client, statement(schemas['tablefunc']!));
      answers.push(JSON.stringify(outcome));
      expect(JSON.stringify(outcome)).not.toContain(SECRET);
      expect(outcome).toMatchObject({ code: '42501' });
      expect((outcome as { message: string }).message).toContain(`'${name}' runs SQL given as text`);
    } finally {
      await client.end();
    }
  });

  it("built-ins, an extension's C functions and a SQL-standard function that reads no masked table still run", async () => {
    const client = await connect();
    try {
      const { rows } = await client.query(
        `select upper('a') as up, md5('a') as md5, pg_catalog.now() is not null as now, ${ADD_ONE}(1) as two, ` +
          `encode(${schemas['pgcrypto']}.digest('abc', 'sha256'), 'hex') as digest`,
      );
      expect(rows).toEqual([
        {
          up: 'A',
          md5: '0cc175b9c0f1b6a831c399e269772661',
          now: true,
          two: 2,
          digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        },
      ]);
    } finally {
      await client.end();
    }
  });

  it('the masked table is still written, its PL/pgSQL trigger firing', async () => {
    const client = await connect();
    try {
      await client.query(`insert into ${PEOPLE} values (2, 'dorothy@example.com', 'Dorothy')`);
      const [copied] = await adminSql<{ count: string }>(`select count(*) from ${LOG}`, 'test');
      expect(copied?.count).toBe('1');
      const { rows } = await client.query(`select email from ${PEOPLE} where id = 2`);
      expect(rows[0].email).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await client.end();
    }
  });

  it('no answer of any session held the address', () => {
    expect(answers.length).toBeGreaterThanOrEqual(REFUSED_READS.length);
    for (const answer of answers) expect(answer).not.toContain(SECRET);
  });
});

describeEachDialect('a gateway session without masks and functions whose bodies are text', (ctx) => {
  const provider = new RealRoleProvider([`grant select on ${PEOPLE}_plain to \${role}`]);
  let gateway: RunningGateway;
  let activation: ActivationView;

  beforeAll(async () => {
    await adminSql(
      `create table if not exists ${PEOPLE}_plain (id int primary key, email text);` +
        `insert into ${PEOPLE}_plain values (1, '${SECRET}') on conflict do nothing;` +
        `create or replace function ${LEAK}_plain(wanted int) returns text language plpgsql ` +
        `as $$begin return (select email from ${PEOPLE}_plain where id = wanted); end$$`,
      'test',
    );
    ({ running: gateway, activation } = await gatewayFor(ctx, { rules: [], otherwise: 'allow', masks: [] }, provider));
  });
  afterAll(async () => {
    await gateway?.stop();
    await provider.dropRoles();
    await adminSql(`drop function if exists ${LEAK}_plain(int); drop table if exists ${PEOPLE}_plain`, 'test');
  });

  it('calls the PL/pgSQL function as the rules allow, as before', async () => {
    const client = await connectTo(gateway, activation, []);
    try {
      const { rows } = await client.query(`select ${LEAK}_plain(1) as found`);
      expect(rows).toEqual([{ found: SECRET }]);
    } finally {
      await client.end();
    }
  });
});
