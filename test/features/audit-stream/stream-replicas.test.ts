/**
 * The audit stream across replicas and against a stuck sink. Two streamers on two connection pools to one
 * PostgreSQL database (two replicas) share one sink: the sink's lease lets only one of them deliver at a time,
 * and the other takes over from the cursor once the first lets go. And a sink that never answers holds up no
 * audit append (the stream only reads the log). The sink here is a recorder inside the test: it implements the
 * sink interface and notes who delivered what, and when deliveries overlap.
 */
import { expect, it } from 'vitest';
import type { AuditStreamRecord } from '../../../src/audit/stream-record.js';
import type { AuditSink } from '../../../src/features/audit-stream/index.js';
import { readCursor } from '../../../src/features/audit-stream/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { oneTo, runUntilCaughtUp, StreamedLog } from './stream-fixtures.js';

/** One destination shared by both replicas: notes every delivery, and the most that were ever in flight at once. */
class SharedDestination {
  readonly received: { seq: number; by: string }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  sinkFor(replica: string): AuditSink {
    return {
      name: 'shared',
      kind: 'hec',
      target: 'test://shared',
      deliver: async (records: readonly AuditStreamRecord[]) => {
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const record of records) this.received.push({ seq: record.seq, by: replica });
        this.inFlight -= 1;
      },
      close: async () => undefined,
    };
  }
}

describeEachDialect('the audit stream across replicas', (ctx) => {
  // SQLite has one writer, so one replica: the lease matters on PostgreSQL.
  it.runIf(ctx.dialect === 'postgres')(
    'lets only one replica deliver to a sink at a time, and the other take over from the cursor',
    async () => {
      const log = new StreamedLog(ctx.database);
      await log.append(400);
      const destination = new SharedDestination();
      const first = log.streamer(destination.sinkFor('a'), { owner: 'replica-a', batchSize: 25 });
      const second = log.streamer(destination.sinkFor('b'), {
        owner: 'replica-b',
        batchSize: 25,
        database: await ctx.open(),
      });
      // Both replicas run their loop at the same time while more events are appended.
      const loop = async (streamer: typeof first) => {
        for (let run = 0; run < 30; run += 1) await streamer.runOnce();
      };
      await Promise.all([loop(first), loop(second), log.append(100)]);
      expect(destination.maxInFlight).toBe(1);
      const deliverers = new Set(destination.received.map((entry) => entry.by));
      expect(deliverers.size).toBe(1);
      // The holder stops (its worker gives the lease back); the other replica goes on from the cursor.
      const holder = deliverers.has('a') ? first : second;
      const other = holder === first ? second : first;
      await holder.lease.release();
      await log.append(50);
      await runUntilCaughtUp(other, log.clock);
      expect(destination.received.map((entry) => entry.seq)).toEqual(oneTo(550));
      expect(new Set(destination.received.map((entry) => entry.by)).size).toBe(2);
      expect((await readCursor(ctx.database.db, 'shared'))?.deliveredSeq).toBe(550);
      await other.lease.release();
    },
  );

  it('never holds up an audit append while a sink does not answer', async () => {
    const log = new StreamedLog(ctx.database);
    let entered: () => void = () => undefined;
    const delivering = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const stuck: AuditSink = {
      name: 'stuck',
      kind: 'syslog',
      target: 'test://stuck',
      deliver: () => {
        entered();
        return released;
      },
      close: async () => undefined,
    };
    await log.append(1);
    const streamer = log.streamer(stuck);
    const run = streamer.runOnce();
    await delivering;
    const started = performance.now();
    await log.append(20);
    expect(performance.now() - started).toBeLessThan(5000);
    release();
    expect(await run).toMatchObject({ caughtUp: true });
    await streamer.lease.release();
  });
});
