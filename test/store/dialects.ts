/**
 * Runs one integration suite on every database dialect: SQLite (a temporary file under the OS temp
 * directory) and PostgreSQL (a scratch database `countersign_test_<random>` created through the `postgres`
 * maintenance database and dropped afterwards).
 *
 * PostgreSQL is found at `COUNTERSIGN_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
 * When no server answers, its suites are skipped with a message on the console, except under `CI=true`, where
 * they fail: CI must never pass by testing only SQLite.
 *
 * `COUNTERSIGN_TEST_DIALECTS` (a comma-separated list, default `sqlite,postgres`) narrows the dialects: the `http`
 * and `cli` projects run on SQLite only, since the layers below them are tested on both.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openDatabase, type Database, type DialectName } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export const ADMIN_URL = process.env.COUNTERSIGN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const IN_CI = process.env.CI === 'true';

/** True when a PostgreSQL server answers at `ADMIN_URL` (checked once per test file). */
export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const POSTGRES_AVAILABLE = await postgresAnswers();

/** The dialects `describeEachDialect` runs on (see the top of this file). */
const TEST_DIALECTS = (['sqlite', 'postgres'] as const).filter((dialect) =>
  (process.env.COUNTERSIGN_TEST_DIALECTS ?? 'sqlite,postgres').split(',').includes(dialect),
);
let warned = false;

export interface DialectContext {
  readonly dialect: DialectName;
  /** The database of this suite; set from `beforeAll` on. */
  readonly database: Database;
  /** The URL of this suite's database (for opening more handles, or a child process). */
  readonly url: string;
  /**
   * Opens another handle on the same database: on PostgreSQL, another pool, like another replica. On SQLite,
   * use it only for sequential work (see `src/store/dialects/sqlite.ts`).
   */
  open(): Promise<Database>;
}

export interface DialectSuiteOptions {
  /** Apply every migration before the suite (default true). */
  readonly migrate?: boolean;
}

interface Scratch {
  readonly url: string;
  drop(): Promise<void>;
}

function sqliteScratch(): Scratch {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-test-'));
  return {
    url: join(directory, 'countersign.db'),
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function postgresScratch(): Promise<Scratch> {
  const name = `countersign_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/** Declares `fn`'s tests once per dialect, each dialect on a fresh database of its own. */
export function describeEachDialect(
  name: string,
  fn: (context: DialectContext) => void,
  options: DialectSuiteOptions = {},
): void {
  for (const dialect of TEST_DIALECTS) {
    const title = `${name} [${dialect}]`;
    if (dialect === 'postgres' && !POSTGRES_AVAILABLE) {
      if (IN_CI) {
        describe(title, () => {
          it('has a PostgreSQL server to run against', () => {
            throw new Error(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}; CI requires it (CI=true)`);
          });
        });
        continue;
      }
      if (!warned) {
        warned = true;
        console.warn(`\n⚠ PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: skipping the PostgreSQL suites.\n`);
      }
      describe.skip(title, () => fn(unavailableContext(dialect)));
      continue;
    }
    describe(title, () => {
      let scratch: Scratch | undefined;
      let database: Database | undefined;
      const others: Database[] = [];
      const context: DialectContext = {
        dialect,
        get database() {
          if (!database) throw new Error('the database is opened in beforeAll');
          return database;
        },
        get url() {
          if (!scratch) throw new Error('the database is created in beforeAll');
          return scratch.url;
        },
        async open() {
          const other = await openDatabase(context.url);
          others.push(other);
          return other;
        },
      };
      beforeAll(async () => {
        scratch = dialect === 'sqlite' ? sqliteScratch() : await postgresScratch();
        database = await openDatabase(scratch.url);
        if (options.migrate ?? true) {
          const outcome = await migrateToLatest(database);
          if (outcome.error) throw outcome.error;
        }
      });
      afterAll(async () => {
        await Promise.all(others.map((other) => other.close()));
        await database?.close();
        await scratch?.drop();
      });
      fn(context);
    });
  }
}

function unavailableContext(dialect: DialectName): DialectContext {
  const missing = (): never => {
    throw new Error('PostgreSQL is not available');
  };
  return {
    dialect,
    get database() {
      return missing();
    },
    get url() {
      return missing();
    },
    open: async () => missing(),
  };
}
