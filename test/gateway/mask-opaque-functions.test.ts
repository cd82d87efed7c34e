/**
 * Which functions a masked session refuses because the gateway cannot see through their bodies, as the real
 * catalog answers (mask-resolution.ts on a real upstream connection, in a database of this test's own): PL/pgSQL,
 * `LANGUAGE sql` with a string body, `c` and `internal` code no extension installed, and what is built over them
 * (views, operators, aggregates, casts by their target type's names); not built-ins, SQL-standard bodies that
 * read no masked table, trigger functions, or an extension's C and SQL functions (an extension's PL/pgSQL
 * function is refused). And what the question costs on a database with thousands of PL/pgSQL functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMasks } from '../../src/gateway/postgres/mask-resolution.js';
import { connectUpstream, type UpstreamConnection } from '../../src/gateway/postgres/upstream.js';
import type { ColumnMask } from '../../src/policy/model.js';
import { adminSql } from './admin-sql.js';

const DATABASE = `cs_opaque_${process.pid}_${Date.now()}`;
const MASKS: readonly ColumnMask[] = [{ table: 'people', column: 'email', mask: 'hash' }];
const MANY = 2_000;

const sql = (text: string) => adminSql(text, DATABASE);

async function connect(): Promise<UpstreamConnection> {
  return connectUpstream(
    { host: '127.0.0.1', port: 5432, database: DATABASE, user: 'postgres', password: '', ssl: false },
    new Map(),
  );
}

async function refusedNames(): Promise<Map<string, string>> {
  const upstream = await connect();
  try {
    return new Map((await resolveMasks(upstream, MASKS)).catalog?.refused ?? []);
  } finally {
    upstream.socket.destroy();
  }
}

describe('functions a masked session cannot see through, as the catalog answers', () => {
  let refused: Map<string, string>;

  beforeAll(async () => {
    await adminSql(`create database ${DATABASE}`);
    await sql(
      'create extension pgcrypto;' +
        'create table people (id int primary key, email text);' +
        'create table notes (body text);' +
        // Opaque: refused by name.
        'create function leak(int) returns text language plpgsql as $$begin return (select email from people where id = $1); end$$;' +
        "create function leak_sql(int) returns text language sql as 'select email from people where id = $1';" +
        "create function my_digest(bytea, text) returns bytea language c as '$libdir/pgcrypto', 'pg_digest';" +
        "create function run_sql(text, boolean, boolean, text) returns xml language internal as 'query_to_xml';" +
        'create procedure leak_proc(inout found text) language plpgsql as $$begin found := (select email from people limit 1); end$$;' +
        // Built over them: refused by name too.
        'create view calls_leak as select leak(1) as e;' +
        'create view over_calls as select e from calls_leak;' +
        'create operator @#@ (rightarg = int, function = leak);' +
        'create function concat_step(text, text) returns text language plpgsql as $$begin return $1 || $2; end$$;' +
        'create aggregate concat_all(text) (sfunc = concat_step, stype = text);' +
        'create type mail as (address text);' +
        'create domain work_mail as mail;' +
        'create function to_mail(int) returns mail language plpgsql as $$begin return row(leak($1)); end$$;' +
        'create cast (int as mail) with function to_mail(int);' +
        // Not opaque: left as they are.
        'create function add_one(n int) returns int language sql return n + 1;' +
        'create function add_two(n int) returns int language sql begin atomic select n + 2; end;' +
        'create aggregate text_all(text) (sfunc = textcat, stype = text);' +
        'create function copy_out() returns trigger language plpgsql as $$begin insert into notes values (new.email); return new; end$$;' +
        'create trigger copy_out after insert on people for each row execute function copy_out();' +
        // Made members of an extension: its SQL one stays, its PL/pgSQL one is refused.
        "create function ext_wrapper(text) returns bytea language sql as 'select digest($1, ''sha256'')';" +
        'create function ext_procedural(text) returns text language plpgsql as $$begin return upper($1); end$$;' +
        'alter extension pgcrypto add function ext_wrapper(text);' +
        'alter extension pgcrypto add function ext_procedural(text);',
    );
    refused = await refusedNames();
  });
  afterAll(async () => {
    await adminSql(`drop database if exists ${DATABASE} with (force)`);
  });

  it('refuses PL/pgSQL, string-bodied SQL, and c or internal code no extension installed, saying why', () => {
    expect(refused.get('leak')).toBe(
      "function 'public.leak' is written in plpgsql, which the gateway cannot see through, so it cannot be used in this session",
    );
    expect(refused.get('leak_sql')).toBe(
      "function 'public.leak_sql' has a body kept as a string, which the gateway cannot see through, so it cannot be used in this session",
    );
    expect(refused.get('my_digest')).toMatch(/^function 'public.my_digest' is c code that no extension installed/);
    expect(refused.get('run_sql')).toMatch(/^function 'public.run_sql' is internal code that no extension installed/);
    expect(refused.get('leak_proc')).toMatch(/^procedure 'public.leak_proc' is written in plpgsql/);
  });

  it('refuses what is built over them: views (through views), operators, aggregates, and casts by their target type', () => {
    expect(refused.get('calls_leak')).toBe(
      "view 'public.calls_leak' depends on function 'public.leak', written in plpgsql, which the gateway cannot see through, so it cannot be used in this session",
    );
    expect(refused.get('over_calls')).toMatch(/^view 'public.over_calls' depends on function 'public.leak'/);
    expect(refused.get('@#@')).toMatch(/^operator 'public.@#@' depends on function 'public.leak'/);
    expect(refused.get('concat_all')).toMatch(
      /^aggregate 'public.concat_all' depends on function 'public.concat_step'/,
    );
    for (const name of ['mail', 'work_mail', '_mail', '_work_mail']) {
      expect(refused.get(name)).toMatch(/^cast to type 'public.mail' depends on function 'public.to_mail'/);
    }
  });

  it("leaves built-ins, SQL-standard bodies, plain aggregates, trigger functions and an extension's C and SQL functions alone", () => {
    for (const name of ['add_one', 'add_two', 'text_all', 'copy_out', 'digest', 'crypt', 'ext_wrapper', 'upper']) {
      expect(refused.has(name), name).toBe(false);
    }
  });

  it("refuses an extension's PL/pgSQL function: procedural code is where EXECUTE reads what its caller names", () => {
    expect(refused.get('ext_procedural')).toMatch(/^function 'public.ext_procedural' is written in plpgsql/);
  });

  // How long this takes is not asserted here (timings belong in `npm run bench`): ~50 ms measured on 2 cores, and
  // 1.5–2.9 s before the walk turned JIT off, which the functional check below does not catch.
  it(`refuses each of ${MANY} PL/pgSQL functions`, async () => {
    await sql(
      `do $$begin for i in 1..${MANY} loop execute format(` +
        `'create function many_%s(int) returns int language plpgsql as $f$begin return $1 + %s; end$f$', i, i); end loop; end$$`,
    );
    const many = await refusedNames();
    expect(many.has('many_1')).toBe(true);
    expect(many.has(`many_${MANY}`)).toBe(true);
    expect(many.size).toBeGreaterThan(MANY);
  });
});
