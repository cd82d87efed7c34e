/**
 * The audit stream to syslog: RFC 5424 messages with octet-counting framing (RFC 6587) over TCP and over TLS
 * (RFC 5425), received by a real listener the test starts on loopback. Checks the message format, the order, and
 * that a receiver that goes away and comes back gets every event from the cursor on (repeats allowed, no gap).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSink, parseSinkSpecs, readCursor } from '../../../src/features/audit-stream/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { distinctInOrder, oneTo, runUntilCaughtUp, seqsOf, StreamedLog, verifyLines } from './stream-fixtures.js';
import { SyslogReceiver } from './syslog-receiver.js';

const RFC5424 =
  /^<110>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ countersign - audit \[countersign@32473 seq="(\d+)" prevHash="[0-9a-f]{64}" hash="[0-9a-f]{64}" installation="inst_test"\] \uFEFF\{/;

function sinkFor(spec: string) {
  const parsed = parseSinkSpecs(spec);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return createSink(parsed.sinks[0]!);
}

describeEachDialect('the syslog sink', (ctx) => {
  const tcp = new SyslogReceiver();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-syslog-'));
    await tcp.start();
  });
  afterAll(async () => {
    await tcp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each event as an RFC 5424 message, octet-counted, in order, carrying seq and hashes in structured data', async () => {
    const log = new StreamedLog(ctx.database);
    await log.append(700);
    const streamer = log.streamer(sinkFor(`sys=syslog+tcp://127.0.0.1:${tcp.port}`), { batchSize: 300 });
    await runUntilCaughtUp(streamer, log.clock);
    await tcp.waitFor(700);
    expect(tcp.messages[0]).toMatch(RFC5424);
    expect(tcp.messages.map((message) => Number(RFC5424.exec(message)?.[1]))).toEqual(oneTo(700));
    expect(seqsOf(tcp.messages)).toEqual(oneTo(700));
    // The messages as a syslog server would write them, one per line, verify as a stream copy.
    expect(await verifyLines(tcp.messages)).toMatchObject({ ok: true, eventsVerified: 700 });
    await streamer.close();
    await streamer.lease.release();
  });

  it('keeps its cursor while the receiver is down, and resumes from it with no gap once it is back', async () => {
    const log = new StreamedLog(ctx.database);
    const streamer = log.streamer(sinkFor(`sys=syslog+tcp://127.0.0.1:${tcp.port}`));
    await runUntilCaughtUp(streamer, log.clock);
    const port = tcp.port;
    await tcp.stop();
    await log.append(40);
    const failed = await streamer.runOnce();
    expect(failed.error).toMatch(/syslog/);
    expect(await readCursor(ctx.database.db, 'sys')).toMatchObject({ deliveredSeq: 700, consecutiveFailures: 1 });
    await tcp.start(port);
    log.clock.advance(61_000);
    await runUntilCaughtUp(streamer, log.clock);
    await tcp.waitFor(740);
    expect(distinctInOrder(seqsOf(tcp.messages))).toEqual(oneTo(740));
    expect(await verifyLines(tcp.messages)).toMatchObject({ ok: true, eventsVerified: 740 });
    await streamer.close();
    await streamer.lease.release();
  });

  it('sends over TLS to a receiver whose certificate the configured CA file vouches for, and refuses an unknown one', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pems.cert);
    const receiver = new SyslogReceiver({ cert: pems.cert, key: pems.private });
    await receiver.start();
    try {
      const log = new StreamedLog(ctx.database);
      const untrusted = log.streamer(sinkFor(`nosecret=syslog+tls://127.0.0.1:${receiver.port}`));
      expect((await untrusted.runOnce()).error).toMatch(/cannot connect to syslog/);
      await untrusted.lease.release();
      const streamer = log.streamer(sinkFor(`tls=syslog+tls://127.0.0.1:${receiver.port}?ca=${caFile}`));
      await runUntilCaughtUp(streamer, log.clock);
      await receiver.waitFor(740);
      expect(receiver.messages[0]).toMatch(RFC5424);
      expect(seqsOf(receiver.messages)).toEqual(oneTo(740));
      await streamer.close();
      await streamer.lease.release();
    } finally {
      await receiver.stop();
    }
  });
});
