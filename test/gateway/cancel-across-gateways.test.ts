/**
 * Several gateways behind one address: a client's CancelRequest opens a new connection, which a load balancer may
 * send to a gateway other than the one holding the session. With Countersign's wiring each session's key is shared
 * through the database (gateway_cancel_keys), so the other gateway forwards the cancel to the session's upstream
 * server with the server's own key; a wrong key cancels nothing, and the key is withdrawn when the session ends.
 * Real PostgreSQL upstream, node-postgres client, the gateways in this process on one app and database.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { ActivationView } from '../../src/features/requests/request.view.js';
import { cancelRequest } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway-runner.js';
import { createTestApp } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { activeGatewayGrant, ALLOW_ALL, gatewayAppOptions } from '../features/sessions/gateway-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { RealRoleProvider } from './real-role-provider.js';

const silent = pino({ level: 'silent' });

function sendCancelTo(port: number, processId: number, secretKey: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.end(cancelRequest(processId, secretKey)));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

describeEachDialect('a cancel that reaches another gateway', (ctx) => {
  const provider = new RealRoleProvider();
  let app: AppContext;
  const gateways: RunningGateway[] = [];
  let activation: ActivationView;

  beforeAll(async () => {
    const { options } = gatewayAppOptions(ALLOW_ALL);
    app = (await createTestApp(ctx, { ...options, providers: everyType(provider) })).app;
    for (let i = 0; i < 2; i++) {
      const journalDir = mkdtempSync(join(tmpdir(), 'gateway-journal-'));
      gateways.push(await startGateway(app, silent, { listen: '127.0.0.1:0', journalDir }));
    }
    activation = await activeGatewayGrant(app, 'kim');
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await provider.dropRoles();
  });

  const connect = async (port: number): Promise<pg.Client> => {
    const login = activation.gateway!;
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: login.user,
      database: login.database,
      password: login.secret,
    });
    await client.connect();
    return client;
  };
  const keyOf = (client: pg.Client): { processId: number; secretKey: number } => {
    const internal = client as unknown as { processID: number; secretKey: number };
    return { processId: internal.processID, secretKey: internal.secretKey };
  };
  const sharedKeys = (sessionless = false) =>
    ctx.database.db
      .selectFrom('gateway_cancel_keys')
      .select(['process_id', 'session_id'])
      .execute()
      .then((rows) => (sessionless ? rows.length : rows));

  it("cancels the running query of a session held by another gateway, with the server's own key", async () => {
    const client = await connect(gateways[0]!.port);
    try {
      const { processId, secretKey } = keyOf(client);
      await expect.poll(() => sharedKeys(true), { timeout: 5000 }).toBeGreaterThan(0);
      const started = Date.now();
      const sleeping = client.query('select pg_sleep(30)').catch((error: { code?: string }) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sendCancelTo(gateways[1]!.port, processId, secretKey);
      expect(await sleeping).toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(10_000);
      // The session goes on.
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('a wrong key cancels nothing, and the key is withdrawn when the session ends', async () => {
    const client = await connect(gateways[0]!.port);
    try {
      const { processId, secretKey } = keyOf(client);
      const sleeping = client.query('select pg_sleep(1.5) as slept');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sendCancelTo(gateways[1]!.port, processId, secretKey ^ 1);
      await sendCancelTo(gateways[1]!.port, processId ^ 1, secretKey);
      expect((await sleeping).rows).toEqual([{ slept: '' }]);
    } finally {
      await client.end();
    }
    await expect.poll(() => sharedKeys(true), { timeout: 5000 }).toBe(0);
  });
});
