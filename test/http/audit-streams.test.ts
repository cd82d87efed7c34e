/**
 * `GET /v1/audit/streams` over HTTP: each sink's cursor and lag as the `audit` duty sees them, targets without
 * credentials, and no answer for anyone else. The sink here is a recorder inside the test (it implements the sink
 * interface); the real sinks are tested against their servers in test/features/audit-stream.
 */
import { beforeAll, expect, it } from 'vitest';
import { auditStreamsViewSchema } from '../../src/features/audit-stream/audit-stream.view.js';
import { AuditStreamer, parseSinkSpecs, type AuditSink } from '../../src/features/audit-stream/index.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('the audit streams over HTTP', (ctx) => {
  let t: HttpTestApp;
  let auditor: string;
  let failing = false;

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    auditor = await t.tokenFor('olivia');
    const parsed = parseSinkSpecs('rabbit=amqp://guest:s3cret-password@127.0.0.1:5672?exchange=audit');
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const sink: AuditSink = {
      name: 'rabbit',
      kind: 'amqp',
      target: parsed.sinks[0]!.target,
      deliver: async () => {
        if (failing) throw new Error('RabbitMQ did not confirm event 3: the channel closed');
      },
      close: async () => undefined,
    };
    const streamer = new AuditStreamer({ database: t.app.database, sink, installationId: 'inst', clock: t.app.clock });
    await streamer.runOnce();
    await streamer.lease.release();
    failing = true;
    // More events after the cursor, which the sink then fails to take.
    await t.tokenFor('bob');
    await streamer.runOnce();
    await streamer.lease.release();
  });

  it("answers each sink's cursor, lag and last failure to the audit duty, without the sink's password", async () => {
    const response = await t.call('GET', '/v1/audit/streams', auditor);
    expect(response.statusCode).toBe(200);
    const view = auditStreamsViewSchema.parse(response.json());
    const [stream] = view.streams;
    expect(view.streams).toHaveLength(1);
    expect(stream).toMatchObject({
      sink: 'rabbit',
      kind: 'amqp',
      consecutiveFailures: 1,
      lastError: 'RabbitMQ did not confirm event 3: the channel closed',
    });
    expect(stream!.deliveredSeq).toBeGreaterThan(0);
    expect(stream!.lagEvents).toBe(view.headSeq - stream!.deliveredSeq);
    expect(stream!.lagEvents).toBeGreaterThan(0);
    expect(stream!.target).toBe('amqp://guest@127.0.0.1:5672?exchange=audit');
    expect(response.body).not.toContain('s3cret-password');
  });

  it('refuses anyone without the audit duty', async () => {
    const bob = await t.call('GET', '/v1/audit/streams', await t.tokenFor('bob'));
    expect(bob.statusCode).toBe(403);
    expect(bob.json()).toMatchObject({ code: 'forbidden' });
    expect((await t.call('GET', '/v1/audit/streams')).statusCode).toBe(401);
  });
});
