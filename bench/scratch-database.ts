/**
 * Throw-away databases for benchmarks: a SQLite file in a temporary directory, or a scratch PostgreSQL database
 * `countersign_bench_<random>` created through the server at `COUNTERSIGN_BENCH_PG_URL` (or
 * `COUNTERSIGN_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ADMIN_URL =
  process.env.COUNTERSIGN_BENCH_PG_URL ??
  process.env.COUNTERSIGN_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export function sqliteScratch(): ScratchDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  return { url: join(directory, 'bench.db'), drop: async () => rmSync(directory, { recursive: true, force: true }) };
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A scratch PostgreSQL database, or a note saying why there is none (no server answers). */
export async function postgresScratch(): Promise<ScratchDatabase | { readonly unavailable: string }> {
  const name = `countersign_bench_${randomBytes(6).toString('hex')}`;
  try {
    await admin(`create database ${name}`);
  } catch {
    return { unavailable: `no PostgreSQL server answers at ${new URL(ADMIN_URL).host}` };
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
