import { inspect } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src/core/errors.js';
import { openDatabase, parseDatabaseUrl, redactUrl } from '../../src/store/database.js';

const SECRET = 's3cr3t-Pa55';

async function openFailure(url: string): Promise<AppError> {
  try {
    const database = await openDatabase(url);
    await database.close();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`expected opening '${url}' to fail`);
}

/** Everything a log line or an HTTP answer could show of an error. */
function everythingShownOf(error: AppError): string {
  return [error.message, JSON.stringify(error.details), JSON.stringify(error), String(error), inspect(error)].join(
    '\n',
  );
}

describe('parseDatabaseUrl', () => {
  it.each([
    ['countersign.db', { dialect: 'sqlite', filename: 'countersign.db' }],
    ['/var/lib/countersign/state.db', { dialect: 'sqlite', filename: '/var/lib/countersign/state.db' }],
    ['sqlite:data/countersign.db', { dialect: 'sqlite', filename: 'data/countersign.db' }],
    ['sqlite:///var/lib/cs.db', { dialect: 'sqlite', filename: '/var/lib/cs.db' }],
    [':memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['sqlite::memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['postgres://cs@db:5432/cs', { dialect: 'postgres', connectionString: 'postgres://cs@db:5432/cs' }],
    [
      'postgresql://cs@db/cs?sslmode=require',
      { dialect: 'postgres', connectionString: 'postgresql://cs@db/cs?sslmode=require' },
    ],
    ['  postgres://cs@db/cs  ', { dialect: 'postgres', connectionString: 'postgres://cs@db/cs' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each([
    ['', 'the database URL is empty'],
    ['sqlite:', "database URL 'sqlite:' names no SQLite file"],
    [
      `mysql://root:${SECRET}@db/cs`,
      "database URL 'mysql://root:***@db/cs' has unsupported scheme 'mysql'; use a SQLite path, sqlite:PATH or postgres://…",
    ],
    [`postgres://root:${SECRET}@[db/cs`, "database URL 'postgres://root:***@[db/cs' is not a valid URL"],
  ])('refuses %j with a message that hides the password', (url, message) => {
    let thrown: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && { code: thrown.code, message: thrown.message }).toEqual({ code: 'invalid', message });
  });
});

describe('redactUrl', () => {
  it.each([
    [`postgres://cs:${SECRET}@db:5432/cs`, 'postgres://cs:***@db:5432/cs'],
    [`postgresql://cs:${SECRET}@db/cs?sslmode=require`, 'postgresql://cs:***@db/cs?sslmode=require'],
    ['postgres://cs:p@ss@word@db/cs', 'postgres://cs:***@db/cs'],
    ['postgres://cs:p/ss#w?rd@db/cs', 'postgres://cs:***@db/cs'],
    [
      `postgres://db/cs?user=cs&password=${SECRET}&sslmode=require`,
      'postgres://db/cs?user=cs&password=***&sslmode=require',
    ],
    [`postgres://db/cs?sslpassword=${SECRET}`, 'postgres://db/cs?sslpassword=***'],
    ['postgres://cs@db/cs', 'postgres://cs@db/cs'],
    ['postgres://db/cs', 'postgres://db/cs'],
    ['/var/lib/countersign/state.db', '/var/lib/countersign/state.db'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('openDatabase', () => {
  it('reports a PostgreSQL server that does not answer without showing the password', async () => {
    const error = await openFailure(`postgres://cs:${SECRET}@127.0.0.1:1/countersign`);
    expect(error.message).toBe(
      "database 'postgres://cs:***@127.0.0.1:1/countersign' is unavailable: no server answers at that address",
    );
    expect(error.details).toMatchObject({ reason: 'database_unavailable' });
    expect(everythingShownOf(error)).not.toContain(SECRET);
  });

  it('reports a SQLite file in a directory that does not exist', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'countersign-test-'));
    try {
      const error = await openFailure(join(directory, 'missing', 'countersign.db'));
      expect(error.message).toMatch(/is unavailable: the directory of the file does not exist$/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('opens an in-memory SQLite database that answers queries', async () => {
    const database = await openDatabase(':memory:');
    try {
      expect(database.dialect).toBe('sqlite');
      const result = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(result.rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await database.close();
    }
  });
});
