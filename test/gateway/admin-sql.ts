/**
 * SQL run as the shared server's superuser, outside any gateway: what the gateway tests use to set up and drop
 * their tables and roles and to read back what a statement sent through the gateway did. Each call has a
 * connection of its own, so nothing it runs shares a session (or a transaction) with the test's clients.
 */
import pg from 'pg';
import { ADMIN_URL } from '../store/dialects.js';

/** Runs `sql` in `database` (by default ADMIN_URL's own) and returns its rows. */
export async function adminSql<T extends pg.QueryResultRow = Record<string, unknown>>(
  sql: string,
  database?: string,
): Promise<T[]> {
  const url = database === undefined ? ADMIN_URL : ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `sql` in the database `test`, where the gateway's upstream sessions run, and returns its rows. */
export const testDbSql = <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string): Promise<T[]> =>
  adminSql<T>(sql, 'test');
