/**
 * docs/gateway.md's walkthrough as a newcomer runs it: the BUILT binary (`dist/cli/main.js`) serves a policy
 * written to disk (a `postgres` profile whose `query` action has a `gateway` block, and a `change` execute action
 * that takes `sql`) with `serve --policy ./policy --gateway-listen 127.0.0.1:PORT` on the embedded SQLite store,
 * and the REAL `postgres` provider makes a temporary login role on the PostgreSQL server at 127.0.0.1:5432
 * (`COUNTERSIGN_TEST_PG_URL`, trust auth) for every grant, in a scratch database with an `orders` table.
 *
 * Every other step is the built CLI over HTTP, or the real `psql` through the gateway: request → approval by
 * another identity → activation printing the gateway login and its one-time secret → psql with that secret
 * (PGPASSWORD, sslmode=require) running an allowed SELECT → a refused DELETE (42501, the from-refusal hint with
 * its refusal id) after which the session still answers → `request create --from-refusal` → its approval and
 * `request execute` → `sessions list` and `sessions show` with the session and the refusal → `request revoke`
 * ends the live psql with FATAL 57P01.
 *
 * Without a server the suite is skipped with a message, except under CI=true, where it fails.
 */
import { execFile, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDdlGuard } from '../../src/providers/postgres/postgres-guard.js';
import { temporaryRolePrefix } from '../../src/providers/postgres/postgres-sql.js';
import { openDatabase } from '../../src/store/database.js';
import { readInstallationId } from '../../src/store/installation.js';
import { BUILT_CLI } from '../cli/run-cli.js';
import { ADMIN_URL, adminQuery, urlOf } from '../providers/postgres-fixtures.js';

const IN_CI = process.env.CI === 'true';
const POSTGRES_AVAILABLE = await adminQuery('select 1').then(
  () => true,
  () => false,
);
const NAME = 'walkthrough: the PostgreSQL gateway (docs/gateway.md)';
const SUFFIX = randomBytes(4).toString('hex');
const SCRATCH = `countersign_gw_${SUFFIX}`;
/** The roles the grants are members of: `query` reads as the first, `change` runs one statement as the second. */
const READER = `gw_${SUFFIX}_ro`;
const WRITER = `gw_${SUFFIX}_rw`;
const DELETE = 'delete from orders where id = 7';

const PEOPLE = `
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: payments }
spec: { description: Payments engineers }
---
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: { description: Database administrators }
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: alice }
spec: { kind: human, email: alice@example.com, groups: [payments] }
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: bob }
spec: { kind: human, email: bob@example.com, groups: [payments] }
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: erin }
spec: { kind: human, email: erin@example.com, groups: [dba] }
---
apiVersion: countersign.dev/v1
kind: Role
metadata: { name: payments-engineer }
spec: { duties: [request], profiles: [payments-postgres], subjects: [group:payments] }
---
apiVersion: countersign.dev/v1
kind: Role
metadata: { name: dba }
spec: { duties: [approve, audit], profiles: [payments-postgres], subjects: [group:dba] }
`;

const PROFILE = `
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: payments-postgres }
spec:
  classification: restricted
  environment: production
  owners: [group:dba]
  provider: { type: postgres }
  requestDefaults: { requireJustification: true, pendingTimeout: 1h, activationWindow: 30m }
  actions:
    query:
      risk: medium
      grant: { role: ${READER} }
      maxDuration: 8h
      approval:
        - { name: a-dba, steps: [ { from: [group:dba], count: 1 } ] }
      gateway:
        rules:
          - { name: reads, when: 'statement.readOnly && !("pg_catalog" in statement.schemas)', allow: true }
          - { name: no-writes, when: 'statement.kind in ["insert", "update", "delete", "merge"]', deny: 'writes need the change action' }
        default: deny
        statementTimeout: 30s
    change:
      risk: high
      params:
        type: object
        required: [sql]
        additionalProperties: false
        properties: { sql: { type: string, minLength: 1, maxLength: 20000 } }
      execute: { role: ${WRITER}, statementTimeout: 30s, maxRows: 100 }
      maxDuration: 15m
      approval:
        - { name: a-dba, steps: [ { from: [group:dba], count: 1 } ] }
  governance: { approvers: [group:dba] }
---
apiVersion: countersign.dev/v1
kind: Resource
metadata: { name: payments-db }
spec:
  profile: payments-postgres
  owner: group:dba
  connection: { dsnEnv: PAYMENTS_DB_DSN }
  attributes: { database: ${SCRATCH}, host: 127.0.0.1 }
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let workDir = '';
let server: ChildProcess | undefined;
let serverOutput = '';
let apiUrl = '';
let gatewayPort = 0;
const tokens = new Map<string, string>();

/** The parent's environment without any `COUNTERSIGN_*` variable, as a newcomer's shell would be. */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.entries(process.env).filter(([key]) => !key.startsWith('COUNTERSIGN_'));
  return { ...Object.fromEntries(base), NO_COLOR: '1', ...extra };
}

/** `countersign …` (the built binary) in the walkthrough's directory. */
function countersign(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: workDir, env: shellEnv(env), timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** `countersign …` as `identity`, with a token issued once per identity (as the serve banner shows). */
async function as(identity: string, args: readonly string[]): Promise<Run> {
  let token = tokens.get(identity);
  if (token === undefined) {
    const issued = await countersign(['token', 'issue', '--db', 'countersign.db', '--identity', identity]);
    expect(issued.code, issued.stderr).toBe(0);
    token = issued.stdout.trim();
    tokens.set(identity, token);
  }
  const run = await countersign(args, { COUNTERSIGN_URL: apiUrl, COUNTERSIGN_TOKEN: token });
  expect(run.stdout + run.stderr, 'a command printed an API token').not.toContain(token);
  return run;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `countersign serve --policy ./policy --gateway-listen …`; resolves once its banner names both listeners. */
function startServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BUILT_CLI, 'serve', '--policy', './policy', '--gateway-listen', `127.0.0.1:${gatewayPort}`, '--port', '0'],
      { cwd: workDir, env: shellEnv({ PAYMENTS_DB_DSN: urlOf(SCRATCH) }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${serverOutput}`)), 30_000);
    const collect = (chunk: Buffer): void => {
      serverOutput += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput);
      if (match?.[1] && serverOutput.includes('  gateway:')) {
        apiUrl = match[1];
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${serverOutput}`));
    });
  });
}

async function setUp(): Promise<void> {
  await adminQuery(`create database ${SCRATCH}`);
  await adminQuery(`create role ${READER} nologin; create role ${WRITER} nologin`);
  await adminQuery(
    `create table orders (id int primary key, amount int);
     insert into orders select n, n * 10 from generate_series(1, 1042) as n;
     grant usage on schema public to ${READER}, ${WRITER};
     grant select on orders to ${READER}, ${WRITER};
     grant delete on orders to ${WRITER};`,
    [],
    SCRATCH,
  );
  workDir = mkdtempSync(join(tmpdir(), 'countersign-gateway-walkthrough-'));
  mkdirSync(join(workDir, 'policy'));
  writeFileSync(join(workDir, 'policy', 'people.yaml'), PEOPLE);
  writeFileSync(join(workDir, 'policy', 'payments.yaml'), PROFILE);
  gatewayPort = await freePort();
  await startServer();
}

async function tearDown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (workDir !== '') {
    const database = await openDatabase(join(workDir, 'countersign.db')).catch(() => undefined);
    if (database) {
      const installationId = await readInstallationId(database);
      await database.close();
      await removeDdlGuard(ADMIN_URL, installationId);
      // Whatever a failed run left behind: the grants' and executions' temporary logins.
      const left = await adminQuery<{ rolname: string }>(
        `select rolname from pg_roles where starts_with(rolname, $1) or starts_with(rolname, $2)`,
        [temporaryRolePrefix(installationId, 'grant'), temporaryRolePrefix(installationId, 'execute')],
      );
      await adminQuery(`drop database if exists ${SCRATCH} with (force)`);
      for (const { rolname } of left) await adminQuery(`drop role if exists "${rolname}"`).catch(() => undefined);
    }
    rmSync(workDir, { recursive: true, force: true });
  }
  await adminQuery(`drop database if exists ${SCRATCH} with (force)`);
  await adminQuery(`drop role if exists ${READER}`).catch(() => undefined);
  await adminQuery(`drop role if exists ${WRITER}`).catch(() => undefined);
}

/** A psql that stays connected across the steps; its stdout is flushed after each result, stderr at once. */
interface LivePsql {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  stdout: string;
  stderr: string;
}

function startPsql(secret: string): LivePsql {
  // As the doc runs it: the secret as PGPASSWORD, the connection string with sslmode=require.
  const child = spawn(
    'psql',
    ['-X', `host=127.0.0.1 port=${gatewayPort} user=alice dbname=payments-db sslmode=require`],
    {
      env: shellEnv({ PGPASSWORD: secret }),
    },
  );
  const live: LivePsql = {
    child,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    stdout: '',
    stderr: '',
  };
  child.stdout.on('data', (chunk: Buffer) => (live.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (live.stderr += chunk.toString()));
  return live;
}

function walkthrough(fn: () => void): void {
  if (!POSTGRES_AVAILABLE) {
    if (IN_CI) {
      describe(NAME, () => {
        it('has a PostgreSQL server to run against', () => {
          throw new Error(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}; CI requires it (CI=true)`);
        });
      });
      return;
    }
    console.warn(`\n⚠ PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: skipping '${NAME}'.\n`);
    describe.skip(NAME, fn);
    return;
  }
  describe(NAME, () => {
    beforeAll(setUp, 60_000);
    afterAll(tearDown, 60_000);
    fn();
  });
}

walkthrough(() => {
  // The steps build on each other, in the doc's order: each test starts where the previous one ended.
  let requestId = '';
  let secret = '';
  let psql: LivePsql | undefined;
  let refusalId = '';
  let sessionId = '';

  it('serve prints the gateway address and logs the certificate fingerprint of its generated TLS', () => {
    expect(serverOutput).toMatch(/Countersign is listening on http:\/\/127\.0\.0\.1:\d+ {2}\(policy: .*policy\)/);
    expect(serverOutput).toContain(
      `  gateway:       postgres://IDENTITY@127.0.0.1:${gatewayPort}/RESOURCE  (psql; TLS offered)`,
    );
    const line = serverOutput.split('\n').find((text) => text.includes('PostgreSQL gateway listening'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      listen: `127.0.0.1:${gatewayPort}`,
      tls: 'generated self-signed certificate',
      fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });

  it('alice asks for the gateway-only query action and erin, a DBA, approves it', async () => {
    const created = await as('alice', [
      ...['request', 'create', '--resource', 'payments-db', '--action', 'query', '--duration', '1h'],
      ...['--justification', 'INC-1234', '--json'],
    ]);
    expect(created.code, created.stderr).toBe(0);
    const request = JSON.parse(created.stdout) as { id: string; status: string };
    expect(request.status).toBe('pending');
    requestId = request.id;

    const approved = await as('erin', ['request', 'approve', requestId]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('approved');
  });

  it('activation prints a gateway login with a one-time secret instead of the database credential', async () => {
    const activated = await as('alice', ['request', 'activate', requestId]);
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stderr).toContain('the gateway secret below is shown once and never again');
    expect(activated.stdout).toMatch(
      /gateway login \(connect through the Countersign gateway\):\n {2}user: {6}alice\n {2}database: {2}payments-db\n {2}password: {2}csg_\S+\n {2}expires: {3}\d{4}-\d\d-\d\dT[\d:.]+Z\n/,
    );
    secret = /password: {2}(csg_\S+)/.exec(activated.stdout)?.[1] ?? '';
    // The provider's temporary role and its password are never shown.
    expect(activated.stdout).not.toMatch(/\bcs_[0-9a-z]+_|credential:/);
  });

  it('psql through the gateway with the secret and sslmode=require runs an allowed SELECT', async () => {
    psql = startPsql(secret);
    psql.child.stdin.write('select count(*) from orders;\n');
    await expect.poll(() => psql?.stdout, { timeout: 15_000 }).toMatch(/ count \n-+\n +1042\n\(1 row\)/);
  });

  it('a DELETE is refused with 42501 and the from-refusal command, and the session still answers', async () => {
    const live = psql!;
    live.child.stdin.write(`${DELETE};\n\\echo sqlstate :LAST_ERROR_SQLSTATE\nselect 40 + 2 as answer;\n`);
    await expect.poll(() => live.stdout, { timeout: 10_000 }).toMatch(/answer \n-+\n +42\n/);
    expect(live.stdout).toContain('sqlstate 42501');
    const match =
      /ERROR: {2}Countersign refused by gateway rule 'no-writes': writes need the change action\. To ask for approval: countersign request create --from-refusal (ref_\S+)\nDETAIL: {2}refusal (ref_\S+)\n/.exec(
        live.stderr,
      );
    expect(match, live.stderr).not.toBeNull();
    expect(match?.[2]).toBe(match?.[1]);
    refusalId = match?.[1] ?? '';
    const rows = await adminQuery<{ count: string }>('select count(*) from orders where id = 7', [], SCRATCH);
    expect(rows[0]?.count).toBe('1');
  });

  it('the refusal becomes a request for the change action bound to that statement, for alice only, and runs once approved', async () => {
    const fromRefusal = ['request', 'create', '--from-refusal', refusalId];
    // Refused statements reach the database through the recorder's shipper, within about 100 ms.
    let created: Run | undefined;
    for (let attempt = 0; attempt < 40; attempt += 1) {
      created = await as('alice', [...fromRefusal, '--justification', 'remove duplicate order 7', '--json']);
      if (created.code === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(created?.code, created?.stderr).toBe(0);
    const request = JSON.parse(created?.stdout ?? '{}') as Record<string, unknown>;
    expect(request).toMatchObject({ resource: 'payments-db', action: 'change', status: 'pending' });
    expect(String((request.params as { sql?: string } | undefined)?.sql)).toMatch(
      /^delete from orders where id = 7;?$/,
    );

    // Bob may ask for the change action himself, but alice's refusal does not exist for him.
    const stranger = await as('bob', [...fromRefusal, '--justification', 'mine now']);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).toContain(`refusal '${refusalId}' does not exist or is not yours`);

    // As the doc goes on: once approved, `request execute` runs exactly that statement.
    const approved = await as('erin', ['request', 'approve', String(request.id)]);
    expect(approved.code, approved.stderr).toBe(0);
    const executed = await as('alice', ['request', 'execute', String(request.id)]);
    expect(executed.code, executed.stderr + executed.stdout).toBe(0);
    const rows = await adminQuery<{ count: string }>('select count(*) from orders where id = 7', [], SCRATCH);
    expect(rows[0]?.count).toBe('0');
  });

  it('sessions list and sessions show have the open session with its statements and the refusal', async () => {
    let listed: Run | undefined;
    await expect
      .poll(
        async () => {
          listed = await as('alice', ['sessions', 'list', '--identity', 'alice', '--json']);
          return JSON.parse(listed.stdout || '{"sessions":[]}') as { sessions: Record<string, unknown>[] };
        },
        { timeout: 10_000, interval: 250 },
      )
      .toMatchObject({
        sessions: [{ identity: 'alice', resource: 'payments-db', action: 'query', status: 'open', refused: 1 }],
      });
    const session = (JSON.parse(listed?.stdout ?? '{}') as { sessions: { id: string; statements: number }[] })
      .sessions[0];
    sessionId = session?.id ?? '';
    expect(sessionId).toMatch(/^gws_/);
    expect(session?.statements).toBeGreaterThanOrEqual(3);

    const table = await as('alice', ['sessions', 'list', '--identity', 'alice']);
    expect(table.stdout).toMatch(new RegExp(`${sessionId} +alice +payments-db +query +open `));

    const shown = await as('alice', ['sessions', 'show', sessionId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`session ${sessionId}: alice on payments-db (query, grant `);
    expect(shown.stdout).toMatch(/SELECT +orders +allowed \(reads\) +1 +SELECT 1/);
    expect(shown.stdout).toMatch(/DELETE +orders +REFUSED by rule no-writes +refusal (ref_\S+)/);
    expect(shown.stdout).toContain(`refusal ${refusalId}`);
    // Without --open the statements' text stays sealed.
    expect(shown.stdout).not.toContain(DELETE);
  });

  it('revoking the grant ends the live psql session with FATAL 57P01 within a second', async () => {
    const live = psql!;
    const started = Date.now();
    const revoked = await as('alice', ['request', 'revoke', requestId, '--reason', 'done with INC-1234']);
    expect(revoked.code, revoked.stderr).toBe(0);
    // The CLI's own start-up dominates the measured time, so the second is counted from its answer.
    const answered = Date.now();
    // Verbose errors show the SQLSTATE: 57P01, the session terminated, and why — from the gateway, even when the
    // provider's revoke ended the upstream session first.
    live.child.stdin.write('\\set VERBOSITY verbose\nselect pg_sleep(10);\n');
    await expect
      .poll(() => live.stderr, { timeout: 5000 })
      .toContain('FATAL:  57P01: terminating connection: the Countersign grant of this session was revoked');
    expect(Date.now() - answered).toBeLessThan(1000);
    live.child.stdin.end();
    await live.exited;
    expect(Date.now() - started).toBeLessThan(30_000);

    await expect
      .poll(
        async () => {
          const listed = await as('alice', ['sessions', 'list', '--identity', 'alice', '--json']);
          return (JSON.parse(listed.stdout) as { sessions: Record<string, unknown>[] }).sessions;
        },
        { timeout: 10_000, interval: 250 },
      )
      .toMatchObject([{ id: sessionId, status: 'closed', endReason: 'revoked' }]);
  });
});
