/**
 * The audit stream to a RabbitMQ exchange, against the real broker on 127.0.0.1:5672 (guest/guest; CI starts it,
 * elsewhere the tests are skipped when it is absent): persistent messages with `message_id` = installation:seq,
 * confirmed by the broker, in order; an exchange that is gone (the sink's outage) fails the batch and keeps the
 * cursor, and delivery resumes from it once the exchange is back.
 */
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSink, parseSinkSpecs, readCursor } from '../../../src/features/audit-stream/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import {
  distinctInOrder,
  INSTALLATION,
  oneTo,
  runUntilCaughtUp,
  seqsOf,
  serviceAvailable,
  StreamedLog,
  uniqueName,
  verifyLines,
} from './stream-fixtures.js';

const RABBITMQ_AVAILABLE = await serviceAvailable('RabbitMQ', 5672);
const BROKER = 'amqp://guest:guest@127.0.0.1:5672';

describe.runIf(RABBITMQ_AVAILABLE)('audit streaming to RabbitMQ', () => {
  describeEachDialect('the RabbitMQ sink', (ctx) => {
    let connection: amqp.ChannelModel;
    let channel: amqp.Channel;
    const exchange = uniqueName('countersign.test.audit.');
    const queue = uniqueName('countersign.test.audit.q.');
    const received: amqp.ConsumeMessage[] = [];

    async function declare(): Promise<void> {
      await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
      await channel.bindQueue(queue, exchange, 'countersign.#');
    }

    beforeAll(async () => {
      connection = await amqp.connect(BROKER);
      channel = await connection.createChannel();
      await channel.assertQueue(queue, { durable: false, autoDelete: false });
      await declare();
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    });
    afterAll(async () => {
      await channel?.deleteQueue(queue).catch(() => undefined);
      await channel?.deleteExchange(exchange).catch(() => undefined);
      await connection?.close();
    });

    function sink() {
      const parsed = parseSinkSpecs(`rabbit=${BROKER}?exchange=${exchange}&routingKey=countersign.audit`);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return createSink(parsed.sinks[0]!);
    }

    async function receivedUpTo(seq: number): Promise<string[]> {
      for (let wait = 0; wait < 100; wait += 1) {
        const lines = received.map((message) => message.content.toString('utf8'));
        if (seqsOf(lines).includes(seq)) return lines;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`event ${seq} never arrived`);
    }

    it('publishes a burst of events in order as persistent, confirmed messages with message_id = installation:seq', async () => {
      const log = new StreamedLog(ctx.database);
      await log.append(600);
      const streamer = log.streamer(sink(), { batchSize: 200 });
      await runUntilCaughtUp(streamer, log.clock);
      const lines = await receivedUpTo(600);
      expect(seqsOf(lines)).toEqual(oneTo(600));
      expect(received[0]?.properties).toMatchObject({
        deliveryMode: 2,
        messageId: `${INSTALLATION}:1`,
        contentType: 'application/json',
      });
      expect(received[0]?.fields.routingKey).toBe('countersign.audit');
      expect(await verifyLines(lines)).toMatchObject({ ok: true, eventsVerified: 600 });
      await streamer.close();
      await streamer.lease.release();
    });

    it('keeps its cursor while the exchange is gone, and resumes from it with no gap once it is back', async () => {
      const log = new StreamedLog(ctx.database);
      const streamer = log.streamer(sink());
      await channel.deleteExchange(exchange);
      await log.append(50);
      const failed = await streamer.runOnce();
      expect(failed.error).toMatch(/RabbitMQ did not (confirm|take) event 601/);
      expect(await readCursor(ctx.database.db, 'rabbit')).toMatchObject({ deliveredSeq: 600, consecutiveFailures: 1 });
      await declare();
      log.clock.advance(61_000);
      await runUntilCaughtUp(streamer, log.clock);
      const lines = await receivedUpTo(650);
      expect(distinctInOrder(seqsOf(lines))).toEqual(oneTo(650));
      expect(await verifyLines(lines)).toMatchObject({ ok: true, eventsVerified: 650 });
      await streamer.close();
      await streamer.lease.release();
    });

    it('fails rather than dropping events when the exchange routes them to no queue', async () => {
      const log = new StreamedLog(ctx.database);
      const lonely = uniqueName('countersign.test.unbound.');
      await channel.assertExchange(lonely, 'topic', { durable: false });
      const parsed = parseSinkSpecs(`unrouted=${BROKER}?exchange=${lonely}`);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const streamer = log.streamer(createSink(parsed.sinks[0]!));
      const failed = await streamer.runOnce();
      expect(failed.error).toMatch(/routed message .* to no queue/);
      expect(await readCursor(ctx.database.db, 'unrouted')).toMatchObject({ deliveredSeq: 0 });
      await streamer.close();
      await streamer.lease.release();
      await channel.deleteExchange(lonely);
    });
  });
});
