/**
 * The clients of the channel-binding tests (channel-binding.test.ts, and the attacks in
 * test/security/gateway-channel-binding.test.ts): node-postgres over TLS and psql, each logging in as alice to
 * payments-db on whatever listens at `port` (a gateway, or a relay in front of one).
 */
import { execFile } from 'node:child_process';
import pg from 'pg';

export interface PsqlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** node-postgres over TLS without checking the certificate, bound to it when `enableChannelBinding`. */
export function tlsPgClient(
  port: number,
  password: string,
  enableChannelBinding: boolean,
  more: pg.ClientConfig = {},
): pg.Client {
  return new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'alice',
    database: 'payments-db',
    password,
    ssl: { rejectUnauthorized: false },
    enableChannelBinding,
    ...more,
  });
}

/** psql running `sql` (unaligned, tuples only) with the libpq `settings` (PGSSLMODE, PGCHANNELBINDING, …). */
export function psqlAsAlice(
  port: number,
  password: string,
  settings: Record<string, string>,
  sql = 'select 6 * 7',
): Promise<PsqlResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: '127.0.0.1',
    PGPORT: String(port),
    PGUSER: 'alice',
    PGDATABASE: 'payments-db',
    PGPASSWORD: password,
    PGGSSENCMODE: 'disable',
    PGCONNECT_TIMEOUT: '5',
    ...settings,
  };
  return new Promise((resolve) =>
    execFile('psql', ['-X', '-A', '-t', '-c', sql], { env, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
