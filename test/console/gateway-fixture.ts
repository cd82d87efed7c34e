/**
 * A real gateway session for the console's Sessions pages (test/console/sessions.test.ts): the built `serve` with
 * `--gateway-listen` on its SQLite file, a `postgres` profile (a gateway-only `query` action whose rules refuse
 * writes, and a `change` execute action taking `sql`, which a refusal becomes) and the REAL postgres provider, which
 * makes a temporary login role on the PostgreSQL server at 127.0.0.1:5432 (`COUNTERSIGN_TEST_PG_URL`) for the
 * grant, in a scratch database with an `orders` table. node-postgres then connects through the gateway with the
 * one-time gateway secret, runs an allowed SELECT and a refused DELETE, and disconnects: the session and its
 * refusal are recorded by the gateway itself, as in production.
 *
 * People: ana and cara are payments engineers (`request`); ben is the DBA who approves and audits the profile.
 * Teardown removes what the provider made on the server (the DDL guard, the temporary logins), then the scratch
 * database and the target roles.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { removeDdlGuard } from '../../src/providers/postgres/postgres-guard.js';
import { temporaryRolePrefix } from '../../src/providers/postgres/postgres-sql.js';
import { openDatabase } from '../../src/store/database.js';
import { readInstallationId } from '../../src/store/installation.js';
import { ADMIN_URL, adminQuery, urlOf } from '../providers/postgres-fixtures.js';
import { api, freePort, issueToken, startServer, type RunningServer } from './browser.js';

export const REFUSED_SQL = 'delete from orders where id = 7';

function policyYaml(database: string, reader: string, writer: string): string {
  const people = ['ana', 'cara']
    .map(
      (name) => `apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: ${name} }
spec: { kind: human, email: ${name}@example.test, groups: [payments] }`,
    )
    .join('\n---\n');
  return `apiVersion: countersign.dev/v1
kind: Group
metadata: { name: payments }
spec: { description: Payments engineers }
---
apiVersion: countersign.dev/v1
kind: Group
metadata: { name: dba }
spec: { description: Database administrators }
---
${people}
---
apiVersion: countersign.dev/v1
kind: Identity
metadata: { name: ben }
spec: { kind: human, email: ben@example.test, groups: [dba] }
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
---
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
      grant: { role: ${reader} }
      maxDuration: 8h
      approval:
        - { name: a-dba, steps: [ { from: [group:dba], count: 1 } ] }
      gateway:
        rules:
          - { name: reads, when: 'statement.readOnly && !("pg_catalog" in statement.schemas)', allow: true }
          - { name: no-writes, when: 'statement.kind in ["insert", "update", "delete", "merge"]', deny: 'writes need the change action' }
        default: deny
    change:
      risk: high
      params:
        type: object
        required: [sql]
        additionalProperties: false
        properties: { sql: { type: string, minLength: 1, maxLength: 20000 } }
      execute: { role: ${writer}, statementTimeout: 30s, maxRows: 100 }
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
  attributes: { database: ${database}, host: 127.0.0.1 }
`;
}

export interface GatewaySessionFixture {
  readonly server: RunningServer;
  readonly tokens: Readonly<Record<'ana' | 'ben' | 'cara', string>>;
  /** ana's session through the gateway: one allowed SELECT, then the refused DELETE; closed by the client. */
  readonly sessionId: string;
  readonly refusalId: string;
  tearDown(): Promise<void>;
}

/** Calls the API as `token`, throwing on anything but success. */
async function call(server: RunningServer, token: string, method: string, path: string, body?: unknown) {
  const answer = await api(server, token, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** Connects to the gateway as `user`, retrying while its listener comes up after the HTTP one. */
async function connectThroughGateway(port: number, user: string, password: string): Promise<pg.Client> {
  for (let attempt = 0; ; attempt += 1) {
    const client = new pg.Client({ host: '127.0.0.1', port, user, database: 'payments-db', password });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt >= 50 || (error as { code?: string }).code !== 'ECONNREFUSED') throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function startGatewaySession(): Promise<GatewaySessionFixture> {
  const suffix = randomBytes(4).toString('hex');
  const database = `countersign_console_gw_${suffix}`;
  const reader = `console_gw_${suffix}_ro`;
  const writer = `console_gw_${suffix}_rw`;
  const policyDir = mkdtempSync(join(tmpdir(), 'countersign-console-gateway-policy-'));
  let server: RunningServer | undefined;
  let installationId: string | undefined;

  const tearDown = async (): Promise<void> => {
    await server?.stop();
    rmSync(policyDir, { recursive: true, force: true });
    const left =
      installationId === undefined
        ? []
        : await adminQuery<{ rolname: string }>(
            'select rolname from pg_roles where starts_with(rolname, $1) or starts_with(rolname, $2)',
            [temporaryRolePrefix(installationId, 'grant'), temporaryRolePrefix(installationId, 'execute')],
          );
    await adminQuery(`drop database if exists ${database} with (force)`);
    if (installationId !== undefined) await removeDdlGuard(ADMIN_URL, installationId);
    for (const role of [...left.map((row) => `"${row.rolname}"`), reader, writer]) {
      await adminQuery(`drop role if exists ${role}`).catch(() => undefined);
    }
  };

  try {
    await adminQuery(`create database ${database}`);
    await adminQuery(`create role ${reader} nologin; create role ${writer} nologin`);
    await adminQuery(
      `create table orders (id int primary key, amount int);
       insert into orders select n, n * 10 from generate_series(1, 20) as n;
       grant usage on schema public to ${reader}, ${writer};
       grant select on orders to ${reader}, ${writer};
       grant delete on orders to ${writer};`,
      [],
      database,
    );
    mkdirSync(join(policyDir, 'policy'));
    writeFileSync(join(policyDir, 'policy', 'payments.yaml'), policyYaml(database, reader, writer));
    const gatewayPort = await freePort();
    server = await startServer({
      policy: join(policyDir, 'policy'),
      args: ['--gateway-listen', `127.0.0.1:${gatewayPort}`],
      env: { PAYMENTS_DB_DSN: urlOf(database) },
    });
    const store = await openDatabase(server.db);
    installationId = await readInstallationId(store).finally(() => store.close());
    const running = server;
    const tokens = {
      ana: await issueToken(running, 'ana'),
      ben: await issueToken(running, 'ben'),
      cara: await issueToken(running, 'cara'),
    };

    const created = await call(running, tokens.ana, 'POST', '/v1/requests', {
      resource: 'payments-db',
      action: 'query',
      duration: '1h',
      justification: 'INC-1234 reconcile orders',
    });
    const requestId = String(created['id']);
    await call(running, tokens.ben, 'POST', `/v1/requests/${requestId}/approve`, {});
    const activated = await call(running, tokens.ana, 'POST', `/v1/requests/${requestId}/activate`, {});
    const secret = String((activated['gateway'] as { secret?: string } | undefined)?.secret);

    const client = await connectThroughGateway(gatewayPort, 'ana', secret);
    let refusal: { code?: string; detail?: string } = {};
    try {
      await client.query('select count(*) from orders');
      refusal = await client.query(REFUSED_SQL).then(
        () => ({}),
        (error: unknown) => error as { code?: string; detail?: string },
      );
    } finally {
      await client.end();
    }
    if (refusal.code !== '42501') throw new Error(`the DELETE was not refused: ${JSON.stringify(refusal)}`);
    const refusalId = /refusal (ref_\S+)/.exec(refusal.detail ?? '')?.[1] ?? '';

    // The recorder ships statements within about 100 ms and records the close once the client has gone.
    let sessionId = '';
    for (let attempt = 0; attempt < 100 && sessionId === ''; attempt += 1) {
      const listed = (await call(running, tokens.ana, 'GET', '/v1/sessions')) as {
        sessions: { id: string; refused: number; statements: number; status: string }[];
      };
      const done = listed.sessions.find((s) => s.refused === 1 && s.statements === 2 && s.status === 'closed');
      if (done !== undefined) sessionId = done.id;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (sessionId === '') throw new Error(`the session was not recorded:\n${running.output()}`);
    return { server: running, tokens, sessionId, refusalId, tearDown };
  } catch (error) {
    await tearDown();
    throw error;
  }
}
