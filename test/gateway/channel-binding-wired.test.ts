/**
 * Client authentication `scram` with Countersign's own wiring (`startGateway`, as `serve --gateway-client-auth
 * scram` and `countersign gateway --client-auth scram` run it): psql with `channel_binding=require` logs in with
 * the gateway secret of a real activation and the session is on record as SCRAM over TLS, channel-bound (with
 * `channel_binding=disable`, as not channel-bound); a certificate that no client can bind to (Ed25519) is refused
 * at start under `scram` rather than breaking psql at every login.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { listSessions } from '../../src/features/sessions/index.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { RealRoleProvider } from './real-role-provider.js';

const silent = pino({ level: process.env.GATEWAY_TEST_LOG ?? 'silent' });

describeEachDialect('the gateway wired to Countersign, with client authentication scram', (ctx) => {
  const provider = new RealRoleProvider();
  let app: AppContext;
  let gateway: RunningGateway;
  const dir = mkdtempSync(join(tmpdir(), 'gateway-scram-'));

  beforeAll(async () => {
    const { options } = gatewayAppOptions();
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    gateway = await startGateway(app, silent, {
      listen: '127.0.0.1:0',
      journalDir: join(dir, 'journal'),
      clientAuth: 'scram',
    });
  });
  afterAll(async () => {
    await gateway.stop();
    await provider.dropRoles();
  });

  /** psql as `identity` over TLS, with `channelBinding` (PGCHANNELBINDING), running `select current_user`. */
  async function psqlOverTls(identity: string, channelBinding: 'require' | 'disable') {
    const login = (await activeGatewayGrant(app, identity)).gateway!;
    return new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        'psql',
        ['-X', '-A', '-t', '-c', 'select current_user'],
        {
          env: {
            ...process.env,
            PGHOST: '127.0.0.1',
            PGPORT: String(gateway.port),
            PGUSER: login.user,
            PGDATABASE: login.database,
            PGPASSWORD: login.secret,
            PGSSLMODE: 'require',
            PGCHANNELBINDING: channelBinding,
            PGGSSENCMODE: 'disable',
          },
          timeout: 20_000,
        },
        (_error, stdout, stderr) => resolve({ stdout, stderr }),
      ),
    );
  }

  it('psql with channel_binding=require logs in with the gateway secret and the session is on record as channel-bound', async () => {
    const result = await psqlOverTls('maya', 'require');
    expect(result).toEqual({ stdout: expect.stringMatching(/^cs_gw_\d+_\d+\n$/), stderr: '' });
    const session = await ctx.database.db
      .selectFrom('gateway_sessions')
      .selectAll()
      .where('identity', '=', 'maya')
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ auth_method: 'scram', tls: 1, channel_bound: 1 });
    const [view] = await listSessions({ app, actor: 'maya', input: {} });
    expect(view).toMatchObject({ method: 'scram', tls: true, channelBound: true });
  });

  it('psql with channel_binding=disable logs in over TLS with SCRAM-SHA-256, on record as not channel-bound', async () => {
    const result = await psqlOverTls('nina', 'disable');
    expect(result).toEqual({ stdout: expect.stringMatching(/^cs_gw_\d+_\d+\n$/), stderr: '' });
    const [view] = await listSessions({ app, actor: 'nina', input: {} });
    expect(view).toMatchObject({ method: 'scram', tls: true, channelBound: false });
  });

  it('an Ed25519 certificate (no channel binding hash) is refused at start under scram, not under password', async () => {
    const [cert, key] = [join(dir, 'ed25519.pem'), join(dir, 'ed25519.key')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', key, '-out', cert].concat([
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ]),
    );
    const settings = { listen: '127.0.0.1:0', journalDir: join(dir, 'journal-ed'), tlsCert: cert, tlsKey: key };
    await expect(startGateway(app, silent, { ...settings, clientAuth: 'scram' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('no channel binding hash'),
    });
    const running = await startGateway(app, silent, { ...settings, clientAuth: 'password' });
    await running.stop();
  });
});
