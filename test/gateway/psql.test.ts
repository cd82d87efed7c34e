/**
 * The real `psql` through the gateway to the real PostgreSQL: SCRAM without TLS, cleartext only over TLS
 * (`sslmode=require`, the gateway secret or an API token), `\copy` both ways, a refused `RESET ROLE` followed by
 * an allowed statement, cancel (Ctrl-C sends a CancelRequest with the gateway's key), and a live session ended
 * by a revoke within a second with FATAL 57P01. The backend is the in-test one (protocol-backend.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedGatewayTls } from '../../src/gateway/gateway-tls.js';
import { ADMIN_URL } from '../store/dialects.js';
import { ProtocolBackend, startTestGateway, type TestLogin } from './protocol-backend.js';

const refuse = (sql: string): string | undefined =>
  /^\s*(delete|reset\s+role|set\s+role)\b/i.test(sql) ? "rule 'no-role-changes'" : undefined;

interface PsqlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('psql through the gateway', () => {
  const backend = new ProtocolBackend({ refuse });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let login: TestLogin;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-psql-'));

  beforeAll(async () => {
    login = backend.addLogin('alice', 'payments-db', 'gw-secret-2', { token: 'cs_token_for_alice' });
    const tls = await generatedGatewayTls('127.0.0.1');
    gateway = await startTestGateway(backend, { tls: tls.context });
  });
  afterAll(async () => {
    await gateway.close();
  });

  const environment = (password: string, sslmode: string): NodeJS.ProcessEnv => ({
    ...process.env,
    PGHOST: '127.0.0.1',
    PGPORT: String(gateway.port),
    PGUSER: 'alice',
    PGDATABASE: 'payments-db',
    PGPASSWORD: password,
    PGSSLMODE: sslmode,
    PGCONNECT_TIMEOUT: '5',
  });

  const psql = (args: string[], password = 'gw-secret-2', sslmode = 'disable', input?: string): Promise<PsqlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        'psql',
        ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=0', ...args],
        { env: environment(password, sslmode), timeout: 20_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });

  it('psql logs in with SCRAM over a plain connection and runs simple queries', async () => {
    const result = await psql(['-c', 'select 6 * 7']);
    expect(result).toMatchObject({ code: 0, stdout: '42\n' });
  });

  it('over TLS (sslmode=require) psql logs in with the gateway secret, and with an API token', async () => {
    const secret = await psql(
      ['-c', 'select ssl from pg_stat_ssl where pid = pg_backend_pid()'],
      'gw-secret-2',
      'require',
    );
    // TLS is between psql and the gateway; the gateway's own upstream connection here is plain.
    expect(secret).toMatchObject({ code: 0, stdout: 'f\n' });
    const token = await psql(['-c', 'select 1'], 'cs_token_for_alice', 'require');
    expect(token).toMatchObject({ code: 0, stdout: '1\n' });
  });

  it('a wrong password is refused, over TLS and without', async () => {
    const plain = await psql(['-c', 'select 1'], 'not-the-secret');
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain('password authentication failed for user "alice"');
    const secure = await psql(['-c', 'select 1'], 'not-the-secret', 'require');
    expect(secure.stderr).toContain('password authentication failed for user "alice"');
  });

  it('a refused RESET ROLE answers 42501 and the next statement of the session runs', async () => {
    const result = await psql(['-v', 'VERBOSITY=verbose'], undefined, undefined, 'reset role;\nselect current_user;\n');
    expect(result.stderr).toMatch(/ERROR: {2}42501: Countersign refused the statement: rule 'no-role-changes'/);
    expect(result.stdout).toBe('postgres\n');
  });

  it('\\copy copies rows in from a file and out to a file through the gateway', async () => {
    const input = join(dir, 'in.csv');
    const output = join(dir, 'out.csv');
    writeFileSync(input, Array.from({ length: 500 }, (_, i) => `${i + 1},row ${i + 1}`).join('\n') + '\n');
    const script = [
      'create temp table copied (n int, label text);',
      `\\copy copied from '${input}' with (format csv)`,
      'select count(*), sum(n) from copied;',
      `\\copy (select * from copied where n <= 3 order by n) to '${output}' with (format csv)`,
    ].join('\n');
    const result = await psql([], undefined, undefined, `${script}\n`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('500|125250');
    expect(readFileSync(output, 'utf8')).toBe('1,row 1\n2,row 2\n3,row 3\n');
    const copyIn = backend.statements.find(
      (s) => s.sql.startsWith('COPY  copied FROM STDIN') || /copy\s+copied\s+from\s+stdin/i.test(s.sql),
    );
    expect(copyIn).toMatchObject({ allowed: true });
  });

  it('Ctrl-C in psql cancels the running statement through the gateway', async () => {
    const child = spawn('psql', ['-X', '-c', 'select pg_sleep(30)'], { env: environment('gw-secret-2', 'disable') });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect
      .poll(() => backend.statements.some((s) => s.sql === 'select pg_sleep(30)'), { timeout: 5000 })
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(code).not.toBe(0);
    expect(stderr).toContain('canceling statement due to user request');
  });

  /** A live psql as `user` whose upstream session is named `application` (so the test can find it upstream). */
  async function livePsql(user: string, secret: string, application: string) {
    const env = { ...environment(secret, 'disable'), PGUSER: user, PGAPPNAME: application };
    const child = spawn('psql', ['-X', '-v', 'VERBOSITY=verbose'], { env });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const live = { child, exited, stderr: '' };
    child.stderr.on('data', (chunk: Buffer) => (live.stderr += chunk.toString()));
    child.stdin.write(`select 1 as ${application};\n`);
    await expect.poll(() => backend.statements.some((s) => s.sql.includes(application)), { timeout: 5000 }).toBe(true);
    return live;
  }

  /** Ends the upstream session named `application` as the postgres provider's revoke does (pg_terminate_backend). */
  async function terminateUpstream(application: string): Promise<void> {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const ended = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [application],
      );
      expect(ended.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
  }

  it("a revoke whose provider ends the upstream session before the gateway hears of it still shows psql the gateway's reason", async () => {
    const bob = backend.addLogin('bob', 'payments-db', 'gw-secret-bob');
    const application = `revoked_${process.pid}`;
    const live = await livePsql('bob', 'gw-secret-bob', application);
    // The registry reads a new session's grant once when it registers it: the grant ends after that read, so that
    // it is the upstream's end, not the registry, that tells the gateway.
    await expect.poll(() => backend.grantChecks.get(bob.grantId) ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    // The postgres provider's order: the grant is claimed for revocation (it no longer allows access), then the
    // role's sessions are terminated; the grant-change hint reaches the gateway later (here: not at all).
    backend.ended.add(bob.grantId);
    const revokedAt = Date.now();
    await terminateUpstream(application);
    live.child.stdin.write('select pg_sleep(5);\n');
    await expect.poll(() => live.stderr.includes('57P01'), { timeout: 2000 }).toBe(true);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(live.stderr).toContain(
      'FATAL:  57P01: terminating connection: the Countersign grant of this session was revoked',
    );
    expect(live.stderr).not.toContain('administrator command');
    live.child.stdin.end();
    await live.exited;
    const session = backend.statements.find((s) => s.sql.includes(application))!.sessionId;
    expect(backend.closed.find((closed) => closed.sessionId === session)).toMatchObject({ reason: 'revoked' });
  });

  it("an upstream session ended by an administrator while the grant still allows access shows PostgreSQL's own 57P01", async () => {
    backend.addLogin('carol', 'payments-db', 'gw-secret-carol');
    const application = `terminated_${process.pid}`;
    const live = await livePsql('carol', 'gw-secret-carol', application);
    await terminateUpstream(application);
    live.child.stdin.write('select pg_sleep(5);\n');
    await expect.poll(() => live.stderr.includes('57P01'), { timeout: 2000 }).toBe(true);
    expect(live.stderr).toContain('FATAL:  57P01: terminating connection due to administrator command');
    live.child.stdin.end();
    await live.exited;
    const session = backend.statements.find((s) => s.sql.includes(application))!.sessionId;
    expect(backend.closed.find((closed) => closed.sessionId === session)).toMatchObject({ reason: 'error' });
  });

  it('a revoke ends a live psql session within a second with FATAL 57P01', async () => {
    const child = spawn('psql', ['-X', '-v', 'VERBOSITY=verbose'], { env: environment('gw-secret-2', 'disable') });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.write('select 1 as still_here;\n');
    // psql's stdout to a pipe is block-buffered: the statement's record says it ran.
    await expect.poll(() => backend.statements.some((s) => s.sql.includes('still_here')), { timeout: 5000 }).toBe(true);
    const revokedAt = Date.now();
    backend.revoke(login.grantId);
    child.stdin.write('select pg_sleep(5);\n');
    await expect.poll(() => stderr.includes('57P01'), { timeout: 2000 }).toBe(true);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(stderr).toContain('the Countersign grant of this session was revoked');
    child.stdin.end();
    await exited;
    expect(backend.closed.at(-1)).toMatchObject({ reason: 'revoked' });
  });
});
