/**
 * The operator's liveness timings (serve --gateway-heartbeat/--gateway-lease/--gateway-abandon-grace,
 * countersign gateway --heartbeat/--lease) reach the lease a gateway renews and the scheduler that closes the
 * sessions of a dead one: a short lease and grace close them in seconds, not after the default 30 s, and a live
 * gateway on the same short lease keeps its sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import {
  findGatewayLogin,
  gatewayLeaseName,
  openGatewaySession,
  startSessionRecorder,
  type GatewayLogin,
} from '../../../src/features/sessions/index.js';
import { Scheduler, type SchedulerLogger } from '../../../src/server/scheduler.js';
import { openDatabase } from '../../../src/store/database.js';
import { describeEachDialect } from '../../store/dialects.js';
import { eventsOf } from '../../app/requests-fixtures.js';
import { activeGatewayGrant, createGatewayApp } from './gateway-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'countersign-liveness-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function openSession(app: AppContext, identity: string, gatewayId: string): Promise<string> {
  await activeGatewayGrant(app, identity);
  const login = (await findGatewayLogin(app, { user: identity, database: 'payments-db' })) as GatewayLogin;
  const meta = { gatewayId, clientAddress: '127.0.0.1:5000', tls: true, method: 'scram' as const };
  return (await openGatewaySession(app, login, meta)).sessionId;
}

async function endReason(app: AppContext, sessionId: string): Promise<string | null> {
  const row = await app.database.db
    .selectFrom('gateway_sessions')
    .select('end_reason')
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return row.end_reason;
}

/** Waits (real time) until the gateway's heartbeat has renewed its lease past the app clock's now. */
async function renewed(app: AppContext, gatewayId: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const row = await app.database.db
      .selectFrom('scheduler_leases')
      .select('lease_until')
      .where('name', '=', gatewayLeaseName(gatewayId))
      .executeTakeFirst();
    if (row !== undefined && Number(row.lease_until) > app.clock.now()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the lease of ${gatewayId} was not renewed`);
}

describeEachDialect('the gateway liveness settings', (ctx) => {
  it('a gateway on a 2 s lease whose heartbeat stops has its sessions closed as abnormal after 2 s, not after 30 s', async () => {
    const { t, app } = await createGatewayApp(ctx);
    const errors: unknown[] = [];
    const logger: SchedulerLogger = { error: (fields) => errors.push(fields) };
    // A connection of its own, closed under the running recorder: its heartbeats stop reaching the database.
    const cut = await openDatabase(ctx.url);
    const dying = await startSessionRecorder(
      { ...app, database: cut },
      { gatewayId: 'gw-short-dead', journalDir: join(scratch, 'dead'), heartbeatMs: 1_000, leaseMs: 2_000 },
    );
    // A live gateway on an even shorter lease (renewed every 50 ms of real time, stamped with the test's clock).
    const live = await startSessionRecorder(app, {
      gatewayId: 'gw-short-live',
      journalDir: join(scratch, 'live'),
      heartbeatMs: 50,
      leaseMs: 100,
    });
    try {
      const orphan = await openSession(app, 'nina', 'gw-short-dead');
      const served = await openSession(app, 'omar', 'gw-short-live');
      await cut.close();
      const configured = new Scheduler(app, { logger, abandonGraceMs: 2_000 });
      const byDefault = new Scheduler(app, { logger });

      t.clock.advance(1_500); // the lease holds
      const young = await openSession(app, 'pia', 'gw-short-dead');
      await renewed(app, 'gw-short-live');
      await configured.runOnce();
      expect(await endReason(app, orphan)).toBeNull();

      t.clock.advance(1_000); // the lease lapsed 0.5 s ago
      await renewed(app, 'gw-short-live');
      await byDefault.runOnce();
      expect(await endReason(app, orphan)).toBeNull(); // the default 30 s grace would wait much longer
      await configured.runOnce();
      expect(await endReason(app, orphan)).toBe('abnormal');
      expect(await endReason(app, young)).toBeNull(); // opened 1 s ago: within the 2 s grace

      t.clock.advance(1_500); // the young session is past the grace too
      await renewed(app, 'gw-short-live');
      await configured.runOnce();
      expect(await endReason(app, young)).toBe('abnormal');
      expect(await endReason(app, served)).toBeNull();

      const closes = eventsOf(await t.auditEvents(), 'gateway.session.close', `session:${orphan}`);
      expect(closes.map((event) => [event.actor, event.details['reason'], event.details['gatewayId']])).toEqual([
        ['system:scheduler', 'abnormal', 'gw-short-dead'],
      ]);
      expect(errors).toEqual([]);
    } finally {
      await live.stop();
      await dying.stop();
    }
  });

  it('a recorder refuses a lease shorter than two heartbeats before it takes the lease', async () => {
    const { app } = await createGatewayApp(ctx);
    await expect(
      startSessionRecorder(app, {
        gatewayId: 'gw-thin',
        journalDir: join(scratch, 'thin'),
        heartbeatMs: 1_000,
        leaseMs: 1_500,
      }),
    ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('at least twice') });
    const lease = await app.database.db
      .selectFrom('scheduler_leases')
      .select('name')
      .where('name', '=', gatewayLeaseName('gw-thin'))
      .executeTakeFirst();
    expect(lease).toBeUndefined();
  });
});
