/**
 * Reads fail the way writes do (`snapshot.queries.ts`): a SQLite file another process holds the write lock on,
 * or a database already closed, gives a read the same `AppError` that `inTransaction` gives a write —
 * `database_unavailable` with `retryable` for the lock — and never the driver's own error or text.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inReadTransaction, readWithSnapshot } from '../../src/app/snapshot.queries.js';
import { inTransaction } from '../../src/app/transaction.js';
import { AppError } from '../../src/core/errors.js';
import { describeMe } from '../../src/features/access/me.verbs.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createTestApp, type TestApp } from './harness.js';

/** What a call failed with; the test fails if it did not fail. */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** The parts of an error a caller sees: its class, code, message and details. */
function asSeen(error: unknown) {
  return error instanceof AppError
    ? { appError: true, code: error.code, message: error.message, details: error.details }
    : { appError: false, error: String(error) };
}

describe('a read on a SQLite database it cannot use', () => {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-read-'));
  const url = join(directory, 'countersign.db');
  let database: Database;
  let test: TestApp;
  /** Another process's connection: it holds the write lock while a test needs it held. */
  let other: BetterSqlite3.Database;

  beforeAll(async () => {
    // A short wait for the lock, so the refusal comes quickly.
    database = await openDatabase(url, { busyTimeoutMs: 50 });
    test = await createTestApp({ dialect: 'sqlite', database, url, open: () => openDatabase(url) });
    other = new BetterSqlite3(url);
  });

  afterAll(async () => {
    other?.close();
    await database?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
    other.exec('begin exclusive');
    try {
      return await work();
    } finally {
      other.exec('rollback');
    }
  }

  it('answers database_unavailable, retryable, with no driver text, while another process holds the lock', async () => {
    const error = await whileLocked(() => failureOf(() => readWithSnapshot(test.app, async () => 'read')));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'database_unavailable', details: { retryable: true } });
    expect((error as Error).message).not.toMatch(/sqlite|busy|locked/i);
  });

  it('fails a read exactly as inTransaction fails a write on the same lock', async () => {
    const { read, write } = await whileLocked(async () => ({
      read: await failureOf(() => inReadTransaction(test.app, async (trx) => trx.selectFrom('requests').execute())),
      write: await failureOf(() => inTransaction(test.app, async ({ trx }) => trx.selectFrom('requests').execute())),
    }));
    expect(asSeen(read)).toEqual(asSeen(write));
    expect(asSeen(read)).toMatchObject({ appError: true, code: 'database_unavailable' });
  });

  it('a read verb called outside HTTP (the CLI, a job) gets the same mapped error', async () => {
    const error = await whileLocked(() => failureOf(() => describeMe({ app: test.app, actor: 'alice', input: {} })));
    expect(error).toMatchObject({ code: 'database_unavailable', details: { retryable: true } });
  });

  it('lets an AppError the read itself throws through unchanged', async () => {
    const own = new AppError('not_found', "request 'req_nowhere' does not exist");
    expect(await failureOf(() => inReadTransaction(test.app, () => Promise.reject(own)))).toBe(own);
  });

  it('reads again once the lock is released', async () => {
    await whileLocked(() => failureOf(() => readWithSnapshot(test.app, async () => 'read')));
    expect(await readWithSnapshot(test.app, async ({ snapshot }) => snapshot.policy.identities.has('alice'))).toBe(
      true,
    );
  });

  it('fails a read on a closed database exactly as a write, in product words', async () => {
    const closed = await openDatabase(url);
    await closed.close();
    const app = { ...test.app, database: closed };
    const read = await failureOf(() => inReadTransaction(app, async (trx) => trx.selectFrom('requests').execute()));
    const write = await failureOf(() => inTransaction(app, async ({ trx }) => trx.selectFrom('requests').execute()));
    expect(read).toBeInstanceOf(AppError);
    expect(asSeen(read)).toEqual(asSeen(write));
  });
});
