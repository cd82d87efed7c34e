import { beforeAll, describe, expect, it } from 'vitest';
import type { ColumnMask } from '../../policy/model.js';
import { decideDependents, dependentsQuery, readDependents, type CatalogNode } from './mask-dependents.js';
import { loadSqlParser } from './sql-classify.js';

beforeAll(async () => {
  await loadSqlParser();
});

const USERS_EMAIL: readonly ColumnMask[] = [{ table: 'users', column: 'email', mask: 'hash' }];
const SEEDS = new Map([['10', "masked column 'email' of 'app.users'"]]);
const USERS: CatalogNode = node('relation', '10', 'users', { subkind: 'r' });
const USERS_TYPE = node('type', '11', 'users', { dependsOn: ['relation:10'] });

function node(
  kind: CatalogNode['kind'],
  oid: string,
  name: string,
  rest: Partial<Omit<CatalogNode, 'kind' | 'oid' | 'name'>> = {},
): CatalogNode {
  return {
    kind,
    oid,
    schema: 'app',
    name,
    subkind: kind === 'function' ? 'f' : '',
    columns: [],
    dependsOn: [],
    ...rest,
  };
}

function view(oid: string, name: string, definition: string, columns: string[], dependsOn: string[]): CatalogNode {
  const numbered = columns.map((column, index) => [index + 1, column] as const);
  return node('relation', oid, name, { subkind: 'v', definition, columns: numbered, dependsOn });
}

const decide = (nodes: readonly CatalogNode[], masks = USERS_EMAIL, seeds = SEEDS) =>
  decideDependents(masks, seeds, [USERS, USERS_TYPE, ...nodes]);

describe('views over a masked table', () => {
  it('a view column that is the masked column as it is, renamed, is masked alike, for the check too', () => {
    const decided = decide([
      view(
        '20',
        'contacts',
        'SELECT users.id, users.email AS contact FROM app.users',
        ['id', 'contact'],
        ['relation:10'],
      ),
    ]);
    expect([...decided.columns]).toEqual([['20:2', 'hash']]);
    expect(decided.catalog.columns).toEqual([{ table: 'app.contacts', column: 'contact', mask: 'hash' }]);
    expect(decided.catalog.refused.size).toBe(0);
  });

  it('a view over that view is masked through it, and a materialized view like a view', () => {
    const decided = decide([
      view('30', 'again', 'SELECT contacts.contact AS c FROM app.contacts', ['c'], ['relation:20']),
      view('20', 'contacts', 'SELECT users.email AS contact FROM app.users', ['contact'], ['relation:10']),
      { ...view('40', 'copy', 'SELECT users.email AS e FROM app.users', ['e'], ['relation:10']), subkind: 'm' },
    ]);
    expect(new Set(decided.columns.keys())).toEqual(new Set(['20:1', '30:1', '40:1']));
  });

  it.each([
    ['an expression of the column', 'SELECT upper(users.email) AS e FROM app.users', ['e']],
    ['a condition on it', 'SELECT users.id FROM app.users WHERE users.email LIKE $$a%$$', ['id']],
    ['whole rows', 'SELECT u.id, row_to_json(u.*) AS r FROM app.users u', ['id', 'r']],
    ['a whole row cast', 'SELECT u.*::app.users AS r FROM app.users u', ['r']],
    ['a sort on it', 'SELECT users.id FROM app.users ORDER BY users.email', ['id']],
  ])('a view that computes from it (%s) is refused by name, saying which column', (_name, definition, columns) => {
    const decided = decide([view('20', 'Leaky', definition, columns, ['relation:10'])]);
    expect(decided.columns.size).toBe(0);
    expect(decided.catalog.refused.get('leaky')).toBe(
      "view 'app.Leaky' depends on masked column 'email' of 'app.users' in a way the gateway cannot mask, so it cannot be used in this session",
    );
  });

  it('a view that reads the table but not the column, or no masked table, is left as it is', () => {
    const decided = decide([
      view('20', 'ids', 'SELECT users.id, users.name FROM app.users', ['id', 'name'], ['relation:10']),
      view('21', 'counted', 'SELECT count(*) AS count FROM app.users', ['count'], ['relation:10']),
      view('22', 'over_ids', 'SELECT ids.id FROM app.ids', ['id'], ['relation:20']),
    ]);
    expect(decided.columns.size).toBe(0);
    expect(decided.catalog).toEqual({ columns: [], refused: new Map() });
  });

  it('a view over a refused view or function is refused, as is a table whose rule reads the masked table', () => {
    const decided = decide([
      view('20', 'leaky', 'SELECT upper(users.email) AS e FROM app.users', ['e'], ['relation:10']),
      view('21', 'over_leaky', 'SELECT leaky.e FROM app.leaky', ['e'], ['relation:20']),
      node('function', '30', 'lookup', { dependsOn: ['relation:10'] }),
      view('22', 'calls', 'SELECT app.lookup(1) AS x', ['x'], ['function:30']),
      node('relation', '23', 'audit_log', { subkind: 'r', dependsOn: ['relation:10'] }),
    ]);
    expect([...decided.catalog.refused.keys()].sort()).toEqual(['audit_log', 'calls', 'leaky', 'lookup', 'over_leaky']);
  });

  it('a view whose columns cannot be matched to its select list is refused rather than guessed', () => {
    const decided = decide([
      view('20', 'odd', 'SELECT users.email AS e FROM app.users', ['e', 'extra'], ['relation:10']),
    ]);
    expect(decided.catalog.refused.has('odd')).toBe(true);
  });

  it('under a mask without a table, a view with the column as it is stays readable; one that also computes from it does not', () => {
    const anyEmail: readonly ColumnMask[] = [{ column: 'email', mask: 'redact' }];
    const seeds = new Map([...SEEDS, ['20', "masked column 'email' of 'app.plain'"]]);
    const decided = decide(
      [
        view('20', 'plain', 'SELECT users.id, users.email FROM app.users', ['id', 'email'], ['relation:10']),
        view(
          '21',
          'both',
          'SELECT users.email, upper(users.email) AS up FROM app.users',
          ['email', 'up'],
          ['relation:10'],
        ),
      ],
      anyEmail,
      seeds,
    );
    expect(decided.columns.get('20:2')).toBe('redact');
    expect(decided.catalog.columns).toEqual([]); // the mask without a table already names `email` everywhere
    expect([...decided.catalog.refused.keys()]).toEqual(['both']);
  });
});

describe('functions and operators over a masked table', () => {
  it('a function that reads the masked table, takes or returns its rows, or calls such a function is refused, and so is an operator over one', () => {
    const decided = decide([
      node('function', '30', 'lookup', { dependsOn: ['relation:10'] }),
      node('function', '31', 'contact_of', { dependsOn: ['type:11'] }),
      node('type', '12', '_users', { dependsOn: ['type:11'] }),
      node('function', '32', 'first_of', { dependsOn: ['type:12'] }),
      node('function', '33', 'wrapper', { subkind: 'p', dependsOn: ['function:30'] }),
      node('operator', '34', '===', { dependsOn: ['function:30'] }),
    ]);
    expect([...decided.catalog.refused.keys()].sort()).toEqual(['===', 'contact_of', 'first_of', 'lookup', 'wrapper']);
    expect(decided.catalog.refused.get('wrapper')).toMatch(/^procedure 'app.wrapper' depends on masked column 'email'/);
  });

  it('a function over a view with no masked column is left as it is', () => {
    const decided = decide([
      view('20', 'ids', 'SELECT users.id FROM app.users', ['id'], ['relation:10']),
      node('function', '30', 'count_ids', { dependsOn: ['relation:20'] }),
    ]);
    expect(decided.catalog.refused.size).toBe(0);
  });

  it('functions left undecided by a cycle of dependencies are refused', () => {
    const decided = decide([
      node('function', '30', 'ping', { dependsOn: ['function:31'] }),
      node('function', '31', 'pong', { dependsOn: ['function:30'] }),
    ]);
    expect([...decided.catalog.refused.keys()].sort()).toEqual(['ping', 'pong']);
  });
});

describe('functions whose bodies the gateway cannot see through', () => {
  const LEAK = node('function', '50', 'Leak', { opaque: 'plpgsql' });

  it.each([
    ['plpgsql', "function 'app.Leak' is written in plpgsql, which the gateway cannot see through"],
    ['plpython3u', "function 'app.Leak' is written in plpython3u, which the gateway cannot see through"],
    ['sql', "function 'app.Leak' has a body kept as a string, which the gateway cannot see through"],
    ['c', "function 'app.Leak' is c code that no extension installed, which the gateway cannot see through"],
    [
      'internal',
      "function 'app.Leak' is internal code that no extension installed, which the gateway cannot see through",
    ],
  ])('a function in %s is refused by name as it is, saying why', (language, why) => {
    const decided = decide([{ ...LEAK, opaque: language }]);
    expect([...decided.catalog.refused]).toEqual([['leak', `${why}, so it cannot be used in this session`]]);
  });

  it('a view, a view over it, an operator, an aggregate and a SQL-standard function built on one are refused, naming it', () => {
    const decided = decide([
      LEAK,
      view('60', 'calls', 'SELECT app.leak(1) AS e', ['e'], ['function:50']),
      view('61', 'over_calls', 'SELECT calls.e FROM app.calls', ['e'], ['relation:60']),
      node('operator', '62', '@#@', { dependsOn: ['function:50'] }),
      node('function', '63', 'concat_all', { subkind: 'a', dependsOn: ['function:50'] }),
      node('function', '64', 'wrapper', { dependsOn: ['function:50'] }),
    ]);
    expect([...decided.catalog.refused.keys()].sort()).toEqual([
      '@#@',
      'calls',
      'concat_all',
      'leak',
      'over_calls',
      'wrapper',
    ]);
    expect(decided.catalog.refused.get('calls')).toBe(
      "view 'app.calls' depends on function 'app.Leak', written in plpgsql, which the gateway cannot see through, so it cannot be used in this session",
    );
    expect(decided.catalog.refused.get('concat_all')).toMatch(
      /^aggregate 'app.concat_all' depends on function 'app.Leak'/,
    );
    expect(decided.columns.size).toBe(0);
  });

  it("one that also takes the masked table's rows is refused for the masked column", () => {
    const decided = decide([{ ...LEAK, dependsOn: ['type:11'] }]);
    expect(decided.catalog.refused.get('leak')).toMatch(/depends on masked column 'email' of 'app.users'/);
  });

  it("a cast through one is refused by every name its target type is cast to by: its own, its domains', their arrays'", () => {
    const decided = decide([
      LEAK,
      node('cast', '70', 'mail', {
        subkind: 'e',
        dependsOn: ['function:50'],
        aliases: ['_mail', 'work_mail', '_work_mail'],
      }),
    ]);
    expect([...decided.catalog.refused.keys()].sort()).toEqual(['_mail', '_work_mail', 'leak', 'mail', 'work_mail']);
    expect(decided.catalog.refused.get('work_mail')).toBe(
      "cast to type 'app.mail' depends on function 'app.Leak', written in plpgsql, which the gateway cannot see through, so it cannot be used in this session",
    );
  });

  it("a cast whose function is left as it is is left alone, even from the masked table's row type", () => {
    const decided = decide([
      node('function', '51', 'to_text', {}),
      node('cast', '71', 'text', { subkind: 'a', dependsOn: ['function:51'] }),
      node('cast', '72', 'json', { subkind: 'e', dependsOn: ['type:11'] }),
    ]);
    expect(decided.catalog.refused.size).toBe(0);
  });

  it('with no relation holding a masked column, such functions are still refused', () => {
    const decided = decideDependents(USERS_EMAIL, new Map(), [LEAK]);
    expect([...decided.catalog.refused.keys()]).toEqual(['leak']);
  });
});

describe('the dependents query', () => {
  it('takes only OIDs, so nothing but digits reaches its text', () => {
    const sql = dependentsQuery(['16411', "1}'::oid[]); drop table x; --", '20']);
    expect(sql).toContain("'{16411,20}'::pg_catalog.oid[]");
    expect(sql).not.toContain('drop table');
  });

  it('its rows are read as nodes, and a row of unknown kind fails the resolution', () => {
    const [read] = readDependents([
      ['relation', '20', 'app', 'v', 'v', 'SELECT 1', '[[1, "x"]]', 'relation:10 type:11'],
    ]);
    expect(read).toEqual(view('20', 'v', 'SELECT 1', ['x'], ['relation:10', 'type:11']));
    expect(() => readDependents([['trigger', '1', 'app', 't', '', '', '', '']])).toThrow(/unknown kind/);
  });

  it("reads a function's language when the gateway cannot see through it, and a cast's other names", () => {
    const [leak, cast] = readDependents([
      ['function', '50', 'app', 'leak', 'f', '', '', '', 'plpgsql', ''],
      ['cast', '70', 'app', 'mail', 'e', '', '', 'function:50', '', '["_mail", "mail"]'],
    ]);
    expect(leak).toEqual(node('function', '50', 'leak', { opaque: 'plpgsql' }));
    expect(cast).toEqual(
      node('cast', '70', 'mail', { subkind: 'e', dependsOn: ['function:50'], aliases: ['_mail', 'mail'] }),
    );
  });
});
