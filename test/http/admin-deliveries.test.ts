/** Notification deliveries over HTTP: listing the outbox and retrying a failed delivery, audited; on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { seedFailedAndDeliveredDeliveries } from '../store/factories.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('notification deliveries over HTTP', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    const at = t.clock.now() - 60_000;
    await seedFailedAndDeliveredDeliveries(ctx.database.db, at);
  });

  it('an administrator lists failed deliveries without their payloads', async () => {
    const response = await t.call('GET', '/v1/notifications/deliveries?status=failed', await t.tokenFor('peggy'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      deliveries: [
        {
          id: 'dlv_failed',
          event: 'break_glass.used',
          notifier: 'security-webhook',
          status: 'failed',
          urgent: true,
          attempts: 8,
          nextAttemptAt: new Date(t.clock.now() - 60_000).toISOString(),
          lastError: 'HTTP 502 from the receiver',
          createdAt: new Date(t.clock.now() - 60_000).toISOString(),
          deliveredAt: null,
        },
      ],
    });
  });

  it('retrying a failed delivery puts it back in the queue, due now, with a notification.retry event', async () => {
    const peggy = await t.tokenFor('peggy');
    const response = await t.call('POST', '/v1/notifications/deliveries/dlv_failed/retry', peggy);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'dlv_failed',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(t.clock.now()).toISOString(),
    });
    const events = (await t.auditEvents()).filter((e) => e.action === 'notification.retry');
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'peggy',
        subject: 'delivery:dlv_failed',
        details: expect.objectContaining({ event: 'break_glass.used', notifier: 'security-webhook' }),
      }),
    ]);
  });

  it('only a failed delivery can be retried', async () => {
    const peggy = await t.tokenFor('peggy');
    const delivered = await t.call('POST', '/v1/notifications/deliveries/dlv_done/retry', peggy);
    expect(delivered.statusCode).toBe(409);
    expect((await t.call('POST', '/v1/notifications/deliveries/dlv_nope/retry', peggy)).statusCode).toBe(404);
    expect((await t.auditEvents()).filter((e) => e.subject === 'delivery:dlv_done')).toEqual([]);
  });
});
