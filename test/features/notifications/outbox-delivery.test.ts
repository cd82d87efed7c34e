import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import type { AppError } from '../../../src/core/errors.js';
import { listDeliveries, retryFailedDelivery } from '../../../src/features/notifications/outbox.repo.js';
import { OutboxDelivery, type OutboxLogger } from '../../../src/features/notifications/outbox-delivery.job.js';
import type { WebhookNotifier } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { insertOutboxRow, notifier, outboxRow } from './outbox-fixtures.js';
import { startReceiver, type Answer, type SignedReceiver } from './signed-receiver.js';

const SECRET = 'notify-secret-8d1e77';
const SECRET_PATH = '/services/T0/B0/XSECRETPATHX';
const BACKOFF_MS = 1000;

describeEachDialect('outbox worker', (context) => {
  let receiver: SignedReceiver;
  let answers: Answer[];
  let clock: ManualClock;
  let logs: string[];

  const logger: OutboxLogger = {
    warn: (fields, message) => logs.push(JSON.stringify({ message, ...fields })),
    error: (fields, message) => logs.push(JSON.stringify({ message, ...fields })),
  };

  beforeEach(async () => {
    answers = [];
    logs = [];
    clock = new ManualClock(Date.now());
    receiver = await startReceiver({ secret: SECRET, respond: (_request, index) => answers[index] ?? { status: 200 } });
    await context.database.db.deleteFrom('outbox').execute();
  });
  afterEach(() => receiver.close());

  function worker(
    notifiers: readonly WebhookNotifier[] = [notifier('security')],
    options: { maxAttempts?: number } = {},
  ) {
    const env: Record<string, string> = {};
    for (const item of notifiers) {
      env[item.urlEnv] = `${receiver.url}${SECRET_PATH}`;
      env[item.secretEnv] = SECRET;
    }
    return new OutboxDelivery({
      database: context.database,
      notifiers: () => notifiers,
      clock,
      env,
      backoffBaseMs: BACKOFF_MS,
      maxAttempts: options.maxAttempts ?? 3,
      timeoutMs: 5000,
      logger,
    });
  }

  it('delivers a pending notification, signed, and marks it delivered', async () => {
    const id = await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    expect(await worker().deliverDue()).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
    const [request] = receiver.received;
    expect(request?.refused).toBeUndefined();
    expect(request?.path).toBe(SECRET_PATH);
    expect(request?.headers['countersign-event']).toBe('request.approved');
    expect(request?.headers['countersign-delivery']).toBe(id);
    expect(request?.headers['countersign-priority']).toBeUndefined();
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id,
      event: 'request.approved',
      time: clock.now(),
      urgent: false,
      data: { requestId: 'req_1', requester: 'alice' },
    });
    expect(await outboxRow(context.database, id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      delivered_at: clock.now(),
      last_error: null,
      lease_owner: null,
    });
    expect(await worker().deliverDue()).toEqual({ claimed: 0, delivered: 0, retrying: 0, failed: 0 });
  });

  it('a captured delivery replayed more than five minutes later is refused by the receiver', async () => {
    let receiverNow = Date.now();
    await receiver.close();
    receiver = await startReceiver({ secret: SECRET, now: () => receiverNow });
    await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    await worker().deliverDue();
    const captured = receiver.received[0];
    expect(captured?.refused).toBeUndefined();
    receiverNow += 6 * 60_000;
    const headers = Object.fromEntries(
      Object.entries(captured?.headers ?? {}).filter(
        ([name]) => name.startsWith('countersign-') || name === 'content-type',
      ),
    ) as Record<string, string>;
    const replay = await fetch(`${receiver.url}${SECRET_PATH}`, {
      method: 'POST',
      headers,
      body: captured?.body ?? '',
    });
    expect(replay.status).toBe(401);
    expect(receiver.received[1]?.refused).toBe('stale timestamp (replay?)');
  });

  it('a delivery answered with 500 is retried after the backoff and then delivered', async () => {
    answers = [{ status: 500 }];
    const id = await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    expect(await worker().deliverDue()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await outboxRow(context.database, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'attempt 1: HTTP 500',
      next_attempt_at: clock.now() + BACKOFF_MS,
    });
    expect(await worker().deliverDue()).toMatchObject({ claimed: 0 });
    clock.advance(BACKOFF_MS);
    expect(await worker().deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await outboxRow(context.database, id)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    expect(receiver.received).toHaveLength(2);
  });

  it('after the last allowed attempt a delivery is failed, stays visible, and can be retried', async () => {
    answers = [{ status: 503 }, { status: 503 }, { status: 503 }];
    const id = await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    const outcomes = [];
    for (const wait of [0, BACKOFF_MS, 2 * BACKOFF_MS]) {
      clock.advance(wait);
      outcomes.push(await worker().deliverDue());
    }
    expect(outcomes.map((run) => [run.retrying, run.failed])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    clock.advance(10 * BACKOFF_MS);
    expect(await worker().deliverDue()).toMatchObject({ claimed: 0 });
    const failed = await listDeliveries(context.database.db, { status: 'failed' });
    expect(failed).toEqual([
      expect.objectContaining({ id, status: 'failed', attempts: 3, lastError: 'attempt 3: HTTP 503' }),
    ]);

    const retried = await retryFailedDelivery(context.database.db, id, clock.now());
    expect(retried).toMatchObject({ id, status: 'pending', attempts: 0, nextAttemptAt: clock.now() });
    expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
    expect(await outboxRow(context.database, id)).toMatchObject({ status: 'delivered' });
  });

  it('only a failed delivery can be retried', async () => {
    const id = await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as AppError,
      );
    expect(await refusal(retryFailedDelivery(context.database.db, id, clock.now()))).toMatchObject({
      code: 'conflict',
      message: `delivery '${id}' is pending, not failed`,
    });
    expect(await refusal(retryFailedDelivery(context.database.db, 'ntf_missing', clock.now()))).toMatchObject({
      code: 'not_found',
    });
  });

  it('urgent notifications are delivered first and marked urgent', async () => {
    for (const requester of ['a', 'b', 'c']) {
      await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() - 5000, data: { requester } });
    }
    await insertOutboxRow(context.database, {
      notifier: 'security',
      event: 'break_glass.used',
      urgent: true,
      at: clock.now(),
      data: { requester: 'oncall' },
    });
    await worker().deliverDue();
    const bodies = receiver.received.map(
      (request) => JSON.parse(request.body) as { urgent: boolean; data: { requester: string } },
    );
    expect(bodies.map((body) => body.data.requester)).toEqual(['oncall', 'a', 'b', 'c']);
    expect(bodies[0]?.urgent).toBe(true);
    expect(receiver.received.map((request) => request.headers['countersign-priority'] ?? null)).toEqual([
      'urgent',
      null,
      null,
      null,
    ]);
  });

  it('a slack notifier receives a Slack incoming-webhook body with a readable summary', async () => {
    await insertOutboxRow(context.database, {
      notifier: 'chat',
      event: 'grant.revoke_failed',
      urgent: true,
      at: clock.now(),
      data: { grantId: 'grt_9', resource: 'payments-db', error: 'role still has <!channel> sessions' },
    });
    await worker([notifier('chat', 'slack')]).deliverDue();
    const body = JSON.parse(receiver.received[0]?.body ?? '') as { text: string; blocks: { type: string }[] };
    expect(body.text).toBe(
      '[URGENT] Revoke failed: resource payments-db, grantId grt_9, error role still has &lt;!channel&gt; sessions',
    );
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🚨 URGENT: Revoke failed', emoji: true },
    });
    expect(body.blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*resource*\npayments-db' },
        { type: 'mrkdwn', text: '*grantId*\ngrt_9' },
        { type: 'mrkdwn', text: '*error*\nrole still has &lt;!channel&gt; sessions' },
      ],
    });
    expect(JSON.stringify(body.blocks[2])).toContain('grant.revoke_failed');
  });

  it('the secret and the URL never reach last_error or the logs', async () => {
    answers = [{ status: 500, body: { echo: SECRET, url: SECRET_PATH } }];
    const good = await insertOutboxRow(context.database, { notifier: 'security', at: clock.now() });
    const unconfigured = await insertOutboxRow(context.database, { notifier: 'pager', at: clock.now() });
    const removed = await insertOutboxRow(context.database, { notifier: 'gone', at: clock.now() });
    const security = notifier('security');
    const pager = notifier('pager');
    const run = new OutboxDelivery({
      database: context.database,
      notifiers: () => [security, pager],
      clock,
      env: {
        SECURITY_URL: `${receiver.url}${SECRET_PATH}`,
        SECURITY_SECRET: SECRET,
        PAGER_URL: `${receiver.url}${SECRET_PATH}`,
      },
      logger,
    });
    expect(await run.deliverDue()).toMatchObject({ claimed: 3, retrying: 3 });
    const errors = await Promise.all(
      [good, unconfigured, removed].map(async (id) => (await outboxRow(context.database, id)).last_error),
    );
    expect(errors).toEqual([
      'attempt 1: HTTP 500',
      "attempt 1: environment variable 'PAGER_SECRET' is not set",
      "attempt 1: notifier 'gone' is not in the policy",
    ]);
    expect(logs).toHaveLength(3);
    for (const text of [...errors, ...logs]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('XSECRETPATHX');
    }
  });
});
