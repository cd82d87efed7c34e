/**
 * Attack: a grant holder under a profile that allows read-only statements only (docs/policy.md's `reads` rule)
 * writes through objects of the session's database that stand behind a built-in's name. PostgreSQL calls, among
 * all functions of a name on the search path, the one whose argument types fit best: `lower(name)` on a `varchar`
 * column calls a user's `lower(varchar)`, not the built-in; `name = 'A'` (and `IN`, `CASE name WHEN`) a user's
 * `=` for `varchar`; a cast to a domain runs its CHECK; a user's implicit cast runs where a value converts unwritten.
 * Each object here writes a row into `hits`: the test shows on the real server that the statement writes, then that
 * the gateway (Countersign's own wiring, catalog read on the session's connection) refuses it and nothing was
 * written. Also: objects the session itself creates (its profile allows DDL), and pg_cron's `cron.schedule`, which
 * runs SQL text later, outside the session. Each case runs in a database of its own making, so no other test's
 * sessions see these objects.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import {
  activeGatewayGrant,
  connectThroughGateway,
  gatewayAppOptions,
  outcomeOf,
  PasswordProvider,
} from '../features/sessions/gateway-fixtures.js';
import { adminSql } from '../gateway/admin-sql.js';
import { describeEachDialect, type DialectContext } from '../store/dialects.js';
import { policy, rule } from './statement-decisions.js';

const DATABASE = `shadowed_${process.pid}_${Date.now()}`;
const SCHEMA = 'app';

/** Only what provably changes nothing; and a profile that also allows DDL, as a profile with approved DDL would. */
const READS_ONLY = policy([rule('reads', 'statement.readOnly', { allow: true })], 'deny');
const READS_AND_DDL = policy(
  [rule('reads', 'statement.readOnly', { allow: true }), rule('ddl', 'statement.kind == "ddl"', { allow: true })],
  'deny',
);

/** A login role in DATABASE for each grant, with `app` first on its search path. */
class ScratchRoleProvider extends PasswordProvider {
  readonly roles: string[] = [];

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const issued = await super.grant(call);
    const role = `cs_shadow_${this.roles.length}_${Date.now()}`;
    await adminSql(`create role ${role} login password '${String(issued.credential?.['password'])}'`);
    this.roles.push(role);
    await adminSql(
      `alter role ${role} in database ${DATABASE} set search_path = ${SCHEMA}, public;` +
        `grant usage, create on schema ${SCHEMA} to ${role}; grant all on all tables in schema ${SCHEMA} to ${role};` +
        `grant usage on schema cron to ${role}; grant execute on all functions in schema cron to ${role}`,
      DATABASE,
    );
    return { ...issued, handle: { role }, credential: { ...issued.credential, username: role, database: DATABASE } };
  }

  async dropRoles(): Promise<void> {
    for (const role of this.roles) {
      await adminSql(`drop owned by ${role}`, DATABASE).catch(() => undefined);
      await adminSql(`drop role if exists ${role}`).catch(() => undefined);
    }
  }
}

/** Each escape: the objects the owner made, the statement, and what it writes into `hits`. */
const ESCAPES: readonly {
  name: string;
  objects: string;
  drop: string;
  sql: string;
  hit: string;
  /** An implicit cast of the user's may run anywhere: nothing that evaluates a value stays read-only. */
  nothingReads?: true;
}[] = [
  {
    name: 'a function lower(varchar) called by the built-in name on a varchar column',
    objects:
      `create function ${SCHEMA}.lower(varchar) returns text language plpgsql as ` +
      `$$begin insert into ${SCHEMA}.hits values ('lower'); return pg_catalog.lower($1::text); end$$`,
    drop: `drop function ${SCHEMA}.lower(varchar)`,
    sql: 'select lower(name) as l from people',
    hit: 'lower',
  },
  {
    name: 'the same function on a constant cast to varchar',
    objects:
      `create function ${SCHEMA}.lower(varchar) returns text language plpgsql as ` +
      `$$begin insert into ${SCHEMA}.hits values ('lower'); return pg_catalog.lower($1::text); end$$`,
    drop: `drop function ${SCHEMA}.lower(varchar)`,
    sql: `select lower('X'::varchar) as l`,
    hit: 'lower',
  },
  ...[`select id from people where name = 'A'`, `select id from people where name in ('A', 'B')`].map((sql) => ({
    name: `an operator = for varchar in: ${sql}`,
    objects:
      `create function ${SCHEMA}.eqv(varchar, varchar) returns boolean language plpgsql as ` +
      `$$begin insert into ${SCHEMA}.hits values ('='); return $1::text = $2::text; end$$;` +
      `create operator ${SCHEMA}.= (leftarg = varchar, rightarg = varchar, function = ${SCHEMA}.eqv)`,
    drop: `drop operator ${SCHEMA}.= (varchar, varchar); drop function ${SCHEMA}.eqv(varchar, varchar)`,
    sql,
    hit: '=',
  })),
  {
    name: 'a cast to a domain whose CHECK calls a writing function',
    objects:
      `create function ${SCHEMA}.chk(text) returns boolean language plpgsql as ` +
      `$$begin insert into ${SCHEMA}.hits values ('domain'); return true; end$$;` +
      `create domain ${SCHEMA}.checked as text check (${SCHEMA}.chk(value))`,
    drop: `drop domain ${SCHEMA}.checked; drop function ${SCHEMA}.chk(text)`,
    sql: `select 'x'::checked as c`,
    hit: 'domain',
  },
  {
    name: "a user's implicit cast, run by a built-in's call without any cast written",
    objects:
      `create type ${SCHEMA}.boxed as (x int); create table ${SCHEMA}.boxes (b ${SCHEMA}.boxed);` +
      `insert into ${SCHEMA}.boxes values (row(1));` +
      `create function ${SCHEMA}.unbox(${SCHEMA}.boxed) returns text language plpgsql as ` +
      `$$begin insert into ${SCHEMA}.hits values ('cast'); return 'x'; end$$;` +
      `create cast (${SCHEMA}.boxed as text) with function ${SCHEMA}.unbox(${SCHEMA}.boxed) as implicit`,
    drop:
      `drop cast (${SCHEMA}.boxed as text); drop function ${SCHEMA}.unbox(${SCHEMA}.boxed);` +
      `drop table ${SCHEMA}.boxes; drop type ${SCHEMA}.boxed`,
    sql: 'select length(b) as n from boxes',
    hit: 'cast',
    nothingReads: true,
  },
];

async function hits(): Promise<string[]> {
  const rows = await adminSql<{ what: string }>(`select what from ${SCHEMA}.hits`, DATABASE);
  await adminSql(`truncate ${SCHEMA}.hits`, DATABASE);
  return rows.map((row) => row.what);
}

/** A gateway of its own for `identity`'s session under `gateway` (each identity has one grant of `query`). */
async function gatewayFor(
  ctx: DialectContext,
  gateway: GatewayPolicy,
  provider: ScratchRoleProvider,
  identity: string,
) {
  const { options } = gatewayAppOptions(gateway);
  const app: AppContext = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
  const running = await startGateway(app, pino({ level: 'silent' }), {
    listen: '127.0.0.1:0',
    journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
  });
  return { running, activation: await activeGatewayGrant(app, identity) };
}

describeEachDialect('objects under a built-in name in the session database', (ctx) => {
  const provider = new ScratchRoleProvider();
  let reads: Awaited<ReturnType<typeof gatewayFor>>;
  let ddl: Awaited<ReturnType<typeof gatewayFor>>;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    await adminSql(`create database ${DATABASE}`);
    await adminSql(
      `create schema ${SCHEMA}; create table ${SCHEMA}.people (id int, name varchar(20));` +
        `insert into ${SCHEMA}.people values (1, 'A'); create table ${SCHEMA}.hits (what text);` +
        // Not pg_cron (it is not installable here): a function of its name in a schema of its name is enough.
        `create schema cron; create function cron.schedule(text, text) returns bigint language plpgsql as ` +
        `$$begin insert into ${SCHEMA}.hits values ('cron'); return 1; end$$`,
      DATABASE,
    );
    reads = await gatewayFor(ctx, READS_ONLY, provider, 'omar');
    ddl = await gatewayFor(ctx, READS_AND_DDL, provider, 'pia');
    gateways.push(reads.running, ddl.running);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await provider.dropRoles();
    await adminSql(`drop database if exists ${DATABASE} with (force)`);
  });

  it.each(ESCAPES)('$name writes on the server, and the gateway refuses it', async (escape) => {
    const { objects, drop, sql, hit } = escape;
    await adminSql(objects, DATABASE);
    try {
      await adminSql(`set search_path = ${SCHEMA}, public; ${sql}`, DATABASE);
      expect(await hits(), 'run directly, the statement writes').toContain(hit);

      const client = await connectThroughGateway(reads.running.port, reads.activation);
      try {
        const outcome = await outcomeOf(client, sql);
        expect(outcome).toMatchObject({ code: '42501' });
        expect(await hits(), 'nothing was written through the gateway').toEqual([]);
        // The session goes on: the built-in written qualified is still read-only (SHOW evaluates nothing).
        const after = await outcomeOf(client, `select pg_catalog.lower('X') as l`);
        if (escape.nothingReads) expect(after).toMatchObject({ code: '42501' });
        else expect(after).toEqual({ rows: [{ l: 'x' }] });
        expect(await outcomeOf(client, 'show search_path')).toHaveProperty('rows');
      } finally {
        await client.end();
      }
    } finally {
      await adminSql(drop, DATABASE);
    }
  });

  it('without such objects the same reads are allowed', async () => {
    const client = await connectThroughGateway(reads.running.port, reads.activation);
    try {
      for (const sql of [
        'select lower(name) as l from people',
        `select id from people where name in ('A', 'B')`,
        `select 'x'::text as c`,
      ]) {
        expect(await outcomeOf(client, sql), sql).toHaveProperty('rows');
      }
      expect(await hits()).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('a function the session itself creates under a built-in name is not read-only for it afterwards', async () => {
    const client = await connectThroughGateway(ddl.running.port, ddl.activation);
    try {
      const create =
        `create function ${SCHEMA}.lower(varchar) returns text language sql as ` +
        `$$insert into ${SCHEMA}.hits values ('ddl') returning 'x'$$`;
      expect(await outcomeOf(client, create)).toHaveProperty('rows');
      expect(await outcomeOf(client, 'select lower(name) as l from people')).toMatchObject({ code: '42501' });
      expect(await hits()).toEqual([]);
    } finally {
      await client.end();
      await adminSql(`drop function if exists ${SCHEMA}.lower(varchar)`, DATABASE);
    }
  });

  it('a function created and called in one message is refused as a whole', async () => {
    const client = await connectThroughGateway(ddl.running.port, ddl.activation);
    try {
      const both =
        `create function ${SCHEMA}.upper(varchar) returns text language sql as ` +
        `$$insert into ${SCHEMA}.hits values ('ddl') returning 'x'$$; select upper(name) as u from people`;
      expect(await outcomeOf(client, both)).toMatchObject({ code: '42501' });
      expect(await hits()).toEqual([]);
      const [created] = await adminSql<{ n: string }>(
        `select count(*) as n from pg_catalog.pg_proc where proname = 'upper' and pronamespace = '${SCHEMA}'::regnamespace`,
        DATABASE,
      );
      expect(created?.n).toBe('0');
    } finally {
      await client.end();
      await adminSql(`drop function if exists ${SCHEMA}.upper(varchar)`, DATABASE);
    }
  });

  it('pg_cron’s schedulers, which run SQL text later outside the session, are refused whatever the rules say', async () => {
    const client = await connectThroughGateway(ddl.running.port, ddl.activation);
    try {
      for (const sql of [
        `select cron.schedule('* * * * *', 'delete from ${SCHEMA}.people')`,
        // Unqualified, with pg_cron's functions in the database and cron on the search path.
        `set search_path = cron, ${SCHEMA}; select schedule('* * * * *', 'delete from ${SCHEMA}.people')`,
      ]) {
        const outcome = await outcomeOf(client, sql);
        expect(outcome, sql).toMatchObject({ code: '42501' });
        expect((outcome as { message: string }).message).toContain("built-in rule 'outside-function'");
      }
      expect(await hits()).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
