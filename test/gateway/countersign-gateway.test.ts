/**
 * The gateway with Countersign's own wiring (`countersign-backend.ts`, the sessions feature, the real SQL
 * classifier and statement rules, the session recorder's journal): request → activate → psql through the gateway
 * with the gateway secret → a refused DELETE naming its rule and the from-refusal command → the session record in
 * the database; a revoke on this replica and on another one (a second app on the same PostgreSQL database, told
 * only by NOTIFY) ends a live psql within a second with FATAL 57P01. Upstream is the real PostgreSQL: the provider
 * creates a real login role for each grant, which the user never sees.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { ChangeFeed } from '../../src/app/change-events.js';
import { StorePolicyRuntime } from '../../src/app/policy-runtime.js';
import { revokeRequest } from '../../src/features/requests/requests.verbs.js';
import { gatewayCondition as when } from '../factories/profile.factory.js';
import type { GatewayPolicy } from '../../src/policy/model.js';
import { ChangeFollower } from '../../src/server/change-follower.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { as, everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { RealRoleProvider } from './real-role-provider.js';

const RULES: GatewayPolicy = {
  rules: [
    { name: 'reads', when: when('statement.kind == "select"'), allow: true },
    {
      name: 'no-writes',
      when: when('statement.kind in ["insert", "update", "delete", "merge"]'),
      deny: 'writes need the change action',
    },
  ],
  otherwise: 'deny',
  masks: [],
};

/** What psql shows (verbose) when the gateway ends a session whose grant was revoked. */
const REVOKED = 'FATAL:  57P01: terminating connection: the Countersign grant of this session was revoked';

const silent = pino({ level: process.env.GATEWAY_TEST_LOG ?? 'silent' });

describeEachDialect('the gateway wired to Countersign', (ctx) => {
  const provider = new RealRoleProvider();
  let app: AppContext;
  let runtime: StorePolicyRuntime;
  let gateway: RunningGateway;
  const journalDir = mkdtempSync(join(tmpdir(), 'gateway-journal-'));

  beforeAll(async () => {
    const { options } = gatewayAppOptions(RULES);
    const created = await createTestApp(ctx, { ...options, providers: everyType(provider) });
    app = created.app;
    runtime = created.runtime;
    gateway = await startGateway(app, silent, { listen: '127.0.0.1:0', journalDir });
  });
  afterAll(async () => {
    await gateway.stop();
    await provider.dropRoles();
  });

  const psqlEnv = (login: { user: string; database: string; secret: string; port?: number }): NodeJS.ProcessEnv => ({
    ...process.env,
    PGHOST: '127.0.0.1',
    PGPORT: String(login.port ?? gateway.port),
    PGUSER: login.user,
    PGDATABASE: login.database,
    PGPASSWORD: login.secret,
    PGSSLMODE: 'disable',
  });

  it('activate, psql through the gateway, a refused DELETE, and the session on record', async () => {
    const own = await startGateway(app, silent, {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
    const activation = await activeGatewayGrant(app, 'gus');
    const login = { ...activation.gateway!, port: own.port };
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        'psql',
        ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=0'],
        { env: psqlEnv(login), timeout: 20_000 },
        (_error, stdout, stderr) => resolve({ stdout, stderr }),
      );
      child.stdin?.end('select current_user;\ndelete from pg_class where false;\nselect 41 + 1;\n');
    });
    // The grant's own role upstream, which the user was never told.
    expect(result.stdout).toMatch(/^cs_gw_\d+_\d+\n42\n$/);
    expect(result.stderr).toContain("Countersign refused by gateway rule 'no-writes': writes need the change action");
    expect(result.stderr).toMatch(/To ask for approval: countersign request create --from-refusal \S+/);
    await own.stop();
    // The session is on record, opened with SCRAM, as the grant's own upstream role. (Its statements and end reach
    // the database through the recorder's shipper; see the report of issue 14 about shipping in this harness.)
    const session = await ctx.database.db
      .selectFrom('gateway_sessions')
      .selectAll()
      .where('identity', '=', 'gus')
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ auth_method: 'scram', upstream_user: expect.stringMatching(/^cs_gw_/) });
  });

  it("a revoke on this replica ends a live psql within a second with the gateway's 57P01", async () => {
    const activation = await activeGatewayGrant(app, 'hana');
    const stderr = await livePsqlUntilEnded(psqlEnv(activation.gateway!), async () => {
      await revokeRequest(as(app, 'hana')({ id: activation.request.id, reason: 'done' }));
    });
    // The provider's revoke ended the upstream session too, often first: psql still reads why, from the gateway.
    expect(stderr).toContain(REVOKED);
    expect(stderr).not.toContain('administrator command');
  });

  it("a revoke the gateway has not heard of, whose provider ended the upstream session, shows psql the gateway's reason", async () => {
    // This gateway's process is told of no change (its own feed, no NOTIFY follower, a poll every 10 s): only the
    // upstream session that the provider's revoke terminated tells it, and it reads the grant to say why.
    const deaf = await startGateway({ ...app, changes: new ChangeFeed() }, silent, {
      listen: '127.0.0.1:0',
      journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')),
    });
    try {
      const activation = await activeGatewayGrant(app, 'judy');
      const env = { ...psqlEnv(activation.gateway!), PGPORT: String(deaf.port) };
      const stderr = await livePsqlUntilEnded(env, async () => {
        await revokeRequest(as(app, 'judy')({ id: activation.request.id, reason: 'done' }));
      });
      expect(stderr).toContain(REVOKED);
    } finally {
      await deaf.stop();
    }
  });

  it.runIf(ctx.dialect === 'postgres')(
    'a revoke on another replica ends a live psql within a second, told only by NOTIFY',
    async () => {
      // This gateway's own process hears other replicas through the change follower, as serve wires it.
      const listeners = new Set<() => void>();
      const follower = new ChangeFollower({
        database: ctx.database,
        url: ctx.url,
        // Its own runtime: the test's policy is stored without documents, so following loads must not touch the app's.
        runtime: new StorePolicyRuntime(runtime.loaded),
        logger: silent,
        onGrantsChanged: () => listeners.forEach((listener) => listener()),
      });
      await follower.start();
      const replicaGateway = await startGateway(
        app,
        silent,
        { listen: '127.0.0.1:0', journalDir: mkdtempSync(join(tmpdir(), 'gateway-journal-')) },
        (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      );
      // The other replica: its own database pool and change feed; only the database is shared.
      const other: AppContext = { ...app, database: await ctx.open(), changes: new ChangeFeed() };
      try {
        const activation = await activeGatewayGrant(app, 'ivan');
        const env = { ...psqlEnv(activation.gateway!), PGPORT: String(replicaGateway.port) };
        const stderr = await livePsqlUntilEnded(env, async () => {
          await revokeRequest(as(other, 'ivan')({ id: activation.request.id, reason: 'done' }));
        });
        expect(stderr).toContain(REVOKED);
        expect(stderr).not.toContain('administrator command');
      } finally {
        await replicaGateway.stop();
        await follower.stop();
      }
    },
  );
});

/** Runs psql, waits until it is connected, calls `end`, and checks the session is gone within a second. */
async function livePsqlUntilEnded(env: NodeJS.ProcessEnv, end: () => Promise<void>): Promise<string> {
  const child = spawn('psql', ['-X', '-v', 'VERBOSITY=verbose'], { env });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // psql's stdout to a pipe is block-buffered; a refused statement's error on stderr says the session is up.
  child.stdin.write('delete from pg_class where false;\n');
  await expect.poll(() => stderr.includes('42501'), { timeout: 10_000 }).toBe(true);
  const started = Date.now();
  await end();
  child.stdin.write('select pg_sleep(10);\n');
  await expect.poll(() => stderr.includes('57P01'), { timeout: 3000 }).toBe(true);
  expect(Date.now() - started).toBeLessThan(1000);
  child.stdin.end();
  await exited;
  return stderr;
}
