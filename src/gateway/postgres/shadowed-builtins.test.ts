import { beforeAll, describe, expect, it } from 'vitest';
import type { StatementFacts } from '../../decide/gateway-statement.decide.js';
import { classifySql, loadSqlParser } from './sql-classify.js';
import { readShadows, SessionShadows, UNREAD_CATALOG, type ShadowCatalog } from './shadowed-builtins.js';

const facts = (sql: string): readonly StatementFacts[] => {
  const classified = classifySql(sql);
  if ('error' in classified) throw new Error(classified.error);
  return classified.statements;
};
const readOnly = (shadows: SessionShadows, sql: string): boolean[] =>
  shadows.apply(facts(sql)).map((statement) => statement.readOnly);

const NOTHING: ShadowCatalog = readShadows([]);

describe('a session’s catalog of names under built-ins', () => {
  beforeAll(loadSqlParser);

  it('reads the catalog query’s rows; an unknown cast context counts as implicit', () => {
    const catalog = readShadows([
      ['function', 'Lower'],
      ['operator', '='],
      ['type', 'Checked'],
      ['cron', 'schedule'],
      ['cast', 'e'],
    ]);
    expect(catalog).toEqual({
      functions: new Set(['lower']),
      operators: new Set(['=']),
      types: new Set(['checked']),
      cron: new Set(['schedule']),
      casts: 'explicit',
    });
    expect(readShadows([['cast', 'a']]).casts).toBe('explicit');
    expect(readShadows([['cast', 'i']]).casts).toBe('implicit');
    expect(readShadows([['something', 'new']]).casts).toBe('implicit');
  });

  it('an unqualified call of a taken name is not read-only; written pg_catalog.* it is the built-in', () => {
    const shadows = new SessionShadows(readShadows([['function', 'lower']]));
    expect(readOnly(shadows, 'select lower(name) from t')).toEqual([false]);
    expect(readOnly(shadows, `select lower($1)`)).toEqual([false]);
    expect(readOnly(shadows, 'select pg_catalog.lower(name) from t')).toEqual([true]);
    expect(readOnly(shadows, 'select upper(name) from t')).toEqual([true]);
    expect(readOnly(shadows, 'explain select lower(name) from t')).toEqual([false]);
  });

  it('a taken operator symbol counts written, and where IN, CASE, BETWEEN and JOIN USING look it up', () => {
    const shadows = new SessionShadows(
      readShadows([
        ['operator', '='],
        ['operator', '<='],
      ]),
    );
    for (const sql of [
      `select 1 from t where name = 'a'`,
      `select 1 from t where name in ('a')`,
      `select case name when 'a' then 1 end from t`,
      `select 1 from t where name is distinct from 'a'`,
      `select nullif(name, 'a') from t`,
      'select 1 from t join u using (id)',
      'select 1 from t natural join u',
      'select 1 from t where id between 1 and 2',
      'select 1 from t where id = any (select id from u)',
    ]) {
      expect(readOnly(shadows, sql), sql).toEqual([false]);
    }
    expect(readOnly(shadows, `select 1 from t where name operator(pg_catalog.=) 'a'`)).toEqual([true]);
    expect(readOnly(shadows, `select 1 from t where name like 'a%'`)).toEqual([true]);
  });

  it('a cast to a taken type is not read-only; user casts make every cast, or everything, suspect', () => {
    const types = new SessionShadows(readShadows([['type', 'checked']]));
    for (const sql of [`select 'x'::checked`, `select cast('x' as app.checked)`, `select '{x}'::checked[]`]) {
      expect(readOnly(types, sql), sql).toEqual([false]);
    }
    expect(readOnly(types, `select 'x'::text`)).toEqual([true]);
    const explicit = new SessionShadows(readShadows([['cast', 'e']]));
    expect(readOnly(explicit, `select b::text from boxes`)).toEqual([false]);
    expect(readOnly(explicit, 'select length(b) from boxes')).toEqual([true]);
    const implicit = new SessionShadows(readShadows([['cast', 'i']]));
    expect(readOnly(implicit, 'select length(b) from boxes')).toEqual([false]);
    expect(readOnly(implicit, 'select b from boxes where b')).toEqual([false]);
    expect(readOnly(implicit, 'show search_path')).toEqual([true]);
    expect(readOnly(implicit, 'begin')).toEqual([true]);
  });

  it('a session whose catalog was never read trusts nothing that evaluates a value', () => {
    const shadows = new SessionShadows(UNREAD_CATALOG);
    expect(readOnly(shadows, 'select 1')).toEqual([false]);
    expect(readOnly(shadows, 'commit')).toEqual([true]);
  });

  it('what the session defines counts for the rest of its message at once, and for the session once forwarded', () => {
    const shadows = new SessionShadows(NOTHING);
    const define = 'create function lower(varchar) returns text language sql as $$select $1::text$$';
    expect(readOnly(shadows, `${define}; select lower(name) from t`)).toEqual([false, false]);
    // Not forwarded (say refused): nothing learnt.
    expect(readOnly(shadows, 'select lower(name) from t')).toEqual([true]);
    shadows.learn(facts(define));
    expect(readOnly(shadows, 'select lower(name) from t')).toEqual([false]);
  });

  it.each([
    ['create operator = (leftarg = varchar, rightarg = varchar, function = f)', `select 1 from t where a = 'x'`],
    ['create aggregate max(varchar) (sfunc = f, stype = varchar)', 'select max(a) from t'],
    ['alter function f(varchar) rename to lower', 'select lower(a) from t'],
    ['alter function lower(varchar) set schema app', 'select lower(a) from t'],
    ['alter operator =(varchar, varchar) set schema app', `select 1 from t where a = 'x'`],
    ['create domain checked as text', `select 'x'::checked`],
    ['alter domain checked add constraint c check (f(value))', `select 'x'::checked`],
    ['create type pair as (a int)', 'select row(1)::pair'],
    ['alter type pair rename to couple', 'select row(1)::couple'],
    ['create table boxes (b checked)', 'select row(1)::boxes'],
    ['create cast (pair as text) with function f(pair) as implicit', 'select 1'],
    [
      'create function outer_f() returns void language sql as $$create function lower(varchar) returns text ' +
        'language sql as $b$select 1$b$ $$',
      'select lower(a) from t',
    ],
  ])('after %s, %s is not read-only', (define, sql) => {
    const shadows = new SessionShadows(NOTHING);
    expect(readOnly(shadows, sql)).toEqual([true]);
    shadows.learn(facts(define));
    expect(readOnly(shadows, sql)).toEqual([false]);
  });

  it('never changes the shared classification it is given', () => {
    const shadows = new SessionShadows(readShadows([['function', 'lower']]));
    const shared = facts('select lower(name) from t');
    shadows.apply(shared);
    expect(shared[0]?.readOnly).toBe(true);
    expect(facts('select lower(name) from t')[0]?.readOnly).toBe(true);
  });

  it('an unqualified pg_cron scheduler is named as pg_cron’s only when the database has pg_cron’s', () => {
    const sql = `select schedule('* * * * *', 'delete from t')`;
    expect(new SessionShadows(NOTHING).apply(facts(sql))[0]?.functions).toEqual(['schedule']);
    const cron = new SessionShadows(readShadows([['cron', 'schedule']]));
    expect(cron.apply(facts(sql))[0]?.functions).toEqual(['schedule', 'cron.schedule']);
    // In a SQL function's body too.
    const body = cron.apply(facts(`create function f() returns bigint language sql as $$${sql}$$`))[0]?.body;
    expect(body?.[0]?.functions).toEqual(['schedule', 'cron.schedule']);
  });
});
