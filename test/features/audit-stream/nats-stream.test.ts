/**
 * The audit stream to NATS JetStream, against the real server on 127.0.0.1:4222 (CI starts it; elsewhere the
 * tests are skipped when it is absent): every event published in order with `Nats-Msg-Id` = installation:seq and
 * acknowledged by the stream; a restarted streamer resumes after its cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, connect, DeliverPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { parseSinkSpecs, createSink, readCursor } from '../../../src/features/audit-stream/index.js';
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

const NATS_AVAILABLE = await serviceAvailable('NATS', 4222);

async function receivedLines(
  jsm: JetStreamManager,
  nc: NatsConnection,
  stream: string,
): Promise<{ lines: string[]; ids: string[] }> {
  const consumer = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
  const info = await jsm.streams.info(stream);
  const messages = await nc.jetstream().consumers.get(stream, consumer.name);
  const lines: string[] = [];
  const ids: string[] = [];
  const total = info.state.messages;
  while (lines.length < total) {
    const batch = await messages.fetch({ max_messages: 1000, expires: 2000 });
    for await (const message of batch) {
      lines.push(message.string());
      ids.push(message.headers?.get('Nats-Msg-Id') ?? '');
    }
  }
  await jsm.consumers.delete(stream, consumer.name);
  return { lines, ids };
}

describe.runIf(NATS_AVAILABLE)('audit streaming to NATS JetStream', () => {
  describeEachDialect('the JetStream sink', (ctx) => {
    let nc: NatsConnection;
    let jsm: JetStreamManager;
    const stream = uniqueName('CS_AUDIT_');
    const subject = `countersign.test.${stream.toLowerCase()}`;

    beforeAll(async () => {
      nc = await connect({ servers: '127.0.0.1:4222' });
      jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: stream, subjects: [subject] });
    });
    afterAll(async () => {
      await jsm?.streams.delete(stream).catch(() => undefined);
      await nc?.close();
    });

    function sink() {
      const parsed = parseSinkSpecs(`jet=nats://127.0.0.1:4222?subject=${subject}&stream=${stream}`);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return createSink(parsed.sinks[0]!);
    }

    it('publishes a burst of events in order, each acknowledged, with Nats-Msg-Id = installation:seq', async () => {
      const log = new StreamedLog(ctx.database);
      await log.append(1200);
      const streamer = log.streamer(sink(), { batchSize: 250 });
      const runs = await runUntilCaughtUp(streamer, log.clock);
      await streamer.close();
      expect(runs.reduce((sum, run) => sum + run.delivered, 0)).toBe(1200);
      expect((await readCursor(ctx.database.db, 'jet'))?.deliveredSeq).toBe(1200);
      const { lines, ids } = await receivedLines(jsm, nc, stream);
      expect(seqsOf(lines)).toEqual(oneTo(1200));
      expect(ids.slice(0, 2)).toEqual([`${INSTALLATION}:1`, `${INSTALLATION}:2`]);
      expect(await verifyLines(lines)).toMatchObject({ ok: true, eventsVerified: 1200 });
      await streamer.lease.release();
    });

    it('a restarted streamer resumes after the cursor it left: the stream holds every event once, with no gap', async () => {
      const log = new StreamedLog(ctx.database);
      await log.append(300);
      // A new streamer and connection, as after a restart of Countersign.
      const streamer = log.streamer(sink());
      await runUntilCaughtUp(streamer, log.clock);
      await streamer.close();
      await streamer.lease.release();
      const { lines } = await receivedLines(jsm, nc, stream);
      expect(distinctInOrder(seqsOf(lines))).toEqual(oneTo(1500));
      expect(seqsOf(lines)).toEqual(oneTo(1500));
      expect(await verifyLines(lines)).toMatchObject({ ok: true, eventsVerified: 1500 });
    });

    it('fails (and keeps its cursor) when no stream of that name stores the subject, then recovers once it does', async () => {
      const log = new StreamedLog(ctx.database);
      const parsed = parseSinkSpecs(`lost=nats://127.0.0.1:4222?subject=${subject}.lost&stream=${stream}`);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const streamer = log.streamer(createSink(parsed.sinks[0]!));
      const failed = await streamer.runOnce();
      expect(failed.error).toMatch(/JetStream did not acknowledge event 1/);
      expect(await readCursor(ctx.database.db, 'lost')).toMatchObject({ deliveredSeq: 0, consecutiveFailures: 1 });
      expect(await streamer.runOnce()).toMatchObject({ skipped: 'backing_off' });
      await jsm.streams.update(stream, { subjects: [subject, `${subject}.lost`] });
      log.clock.advance(61_000);
      await runUntilCaughtUp(streamer, log.clock);
      expect(await readCursor(ctx.database.db, 'lost')).toMatchObject({ deliveredSeq: 1500, consecutiveFailures: 0 });
      await streamer.close();
      await streamer.lease.release();
    });
  });
});
