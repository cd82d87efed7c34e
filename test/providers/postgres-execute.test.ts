import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { sqlDigest } from '../../src/providers/postgres/postgres-sql.js';
import { adminQuery, describePostgres, rejectionOf, roleExists } from './postgres-fixtures.js';

describePostgres('postgres provider: execute on a real server', (suite) => {
  const run = async (sql: string, execute: Record<string, unknown> = {}) => {
    const profile = suite.profile({ execute });
    return suite.provider.execute(suite.call(profile, 'run-sql', { sql }));
  };
  const notes = async () =>
    (await adminQuery<{ body: string }>('select body from notes order by id', [], suite.database)).map(
      (row) => row.body,
    );

  it('returns columns and rows as PostgreSQL prints them, with a summary', async () => {
    const result = await run('select id, label, id * 1.5 as scaled, null as nothing from public_data order by id');
    expect(result.output).toEqual({
      columns: ['id', 'label', 'scaled', 'nothing'],
      rows: [
        ['1', 'first', '1.5', null],
        ['2', 'second', '3.0', null],
      ],
    });
    expect(result.summary).toEqual({ rowCount: 2, truncated: false, command: 'SELECT' });
  });

  it('runs under the target role, not the admin or its own login', async () => {
    const result = await run('select current_user, session_user');
    const [row] = result.output.rows as string[][];
    expect(row?.[0]).toBe(suite.writer);
    expect(row?.[1]).toMatch(/^csx_/);
  });

  it('drops its one-statement login afterwards, also when the statement fails', async () => {
    const result = await run('select session_user');
    const login = (result.output.rows as string[][])[0]?.[0] ?? '';
    await rejectionOf(run('select 1/0'));
    expect(await roleExists(login)).toBe(false);
    const logins = await suite.provider.listManagedRoles(suite.resource);
    expect(logins.filter((role) => role.kind === 'execute')).toEqual([]);
  });

  it('commits a write that succeeds and reports the rows affected', async () => {
    const result = await run("insert into notes (body) values ('committed')");
    expect(result.summary).toEqual({ rowCount: 1, truncated: false, command: 'INSERT' });
    expect(await notes()).toContain('committed');
  });

  it('rolls back a statement that fails, and reports the first line and SQLSTATE only', async () => {
    const error = await rejectionOf(
      run("insert into notes (body) select 'rolled back' || (1 / (id - id)) from public_data"),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toBe(
      `resource '${suite.resource.name}': running the approved statement failed: division by zero (SQLSTATE 22012)`,
    );
    expect((await notes()).some((body) => body.startsWith('rolled back'))).toBe(false);
  });

  it('truncates a million-row result at maxRows without reading the rest', async () => {
    const before = process.memoryUsage().heapUsed;
    const result = await run('select n, repeat($$x$$, 100) from generate_series(1, 1000000) as n', { maxRows: 500 });
    expect(result.summary).toEqual({ rowCount: 500, truncated: true, command: null });
    const rows = result.output.rows as string[][];
    expect(rows).toHaveLength(500);
    expect(rows.at(-1)?.[0]).toBe('500');
    // A million such rows would take hundreds of megabytes.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('truncates at maxBytes, keeping only whole rows that fit', async () => {
    const result = await run('select repeat($$y$$, 1000) from generate_series(1, 100)', { maxBytes: 10_500 });
    expect(result.summary).toMatchObject({ rowCount: 10, truncated: true });
  });

  it('a result of exactly maxRows rows is not truncated', async () => {
    const result = await run('select n from generate_series(1, 3) as n', { maxRows: 3 });
    expect(result.summary).toEqual({ rowCount: 3, truncated: false, command: 'SELECT' });
  });

  it('cancels a statement that runs longer than the statement timeout', async () => {
    const started = Date.now();
    const error = await rejectionOf(run('select pg_sleep(10)', { statementTimeout: '1s' }));
    expect(error.message).toContain('canceling statement due to statement timeout (SQLSTATE 57014)');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it.each([
    'select 1; drop table notes',
    'select 1;drop table notes;',
    "insert into notes (body) values ('smuggled'); drop table notes",
  ])('refuses more than one statement (%j) and runs none of it', async (sql) => {
    const error = await rejectionOf(run(sql));
    expect(error.message).toContain('cannot insert multiple commands into a prepared statement (SQLSTATE 42601)');
    expect(await notes()).not.toContain('smuggled');
    expect(await adminQuery("select 1 from pg_tables where tablename = 'notes'", [], suite.database)).toHaveLength(1);
  });

  it('a statement cannot escape the target role through set_config or SET SESSION AUTHORIZATION', async () => {
    for (const sql of [
      "select set_config('role', 'postgres', true), current_user",
      "select set_config('session_authorization', 'postgres', true)",
      "select set_config('role', 'none', true), (select count(*) from secret_data)",
    ]) {
      const error = await rejectionOf(run(sql));
      expect(error.message).toMatch(/permission denied/);
    }
  });

  it('values with quotes, backslashes and comment markers come back verbatim and run nothing', async () => {
    const hostile = String.raw`x"; drop role postgres; -- it's \'\\ $$ */`;
    const quoted = `select ${'$q$'}${hostile}${'$q$'} as value`;
    const result = await run(quoted);
    expect(result.output.rows).toEqual([[hostile]]);
    expect(await roleExists('postgres')).toBe(true);
  });

  it('refuses a missing or empty sql parameter', async () => {
    const profile = suite.profile();
    for (const params of [{}, { sql: '  ' }, { sql: 42 }]) {
      const error = await rejectionOf(suite.provider.execute(suite.call(profile, 'run-sql', params)));
      expect((error as AppError).code).toBe('invalid');
    }
  });
});

describe('sqlDigest', () => {
  const approved = 'select * from payments where id = 42';
  it.each([
    ['a trailing space', `${approved} `],
    ['a changed digit', approved.replace('42', '43')],
    ['a different case', approved.toUpperCase()],
    ['a trailing semicolon', `${approved};`],
    ['a decomposed accent', 'select \u0065\u0301'],
  ])('a statement differing by %s has a different digest', (_what, changed) => {
    expect(sqlDigest(changed)).not.toBe(sqlDigest(approved));
  });

  it('the same bytes have the same digest, the SHA-256 of their UTF-8 encoding', () => {
    expect(sqlDigest(`select 'é'`)).toBe(sqlDigest(`select 'é'`));
    expect(sqlDigest('select \u00e9')).not.toBe(sqlDigest('select \u0065\u0301'));
    expect(sqlDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
