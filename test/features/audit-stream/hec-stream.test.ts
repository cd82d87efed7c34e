/**
 * The audit stream to an HTTP Event Collector in Splunk's format: a real HTTP server the test starts on loopback
 * stands in for Splunk (simulated: it implements the documented `POST /services/collector/event` contract — the
 * `Authorization: Splunk <token>` header, a batch of event objects, `{"text":"Success","code":0}` on success).
 * Checks the batch format, the token from the environment, order, and retries on a non-2xx answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSink, parseSinkSpecs, readCursor } from '../../../src/features/audit-stream/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { distinctInOrder, oneTo, runUntilCaughtUp, seqsOf, StreamedLog, verifyLines } from './stream-fixtures.js';

const TOKEN = '0f3c8a9e-5d0b-4d8e-9b1e-6f2a7c4d9e10';

interface Collector {
  readonly lines: string[];
  readonly requests: { path: string; authorization: string | undefined }[];
  /** Status to answer next (503 simulates an outage of the indexers). */
  status: number;
  readonly port: number;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startCollector(): Promise<Collector> {
  const collector = { lines: [] as string[], requests: [] as Collector['requests'], status: 200 };
  const server: Server = createServer((request, response) => {
    void body(request).then((text) => {
      collector.requests.push({ path: request.url ?? '', authorization: request.headers.authorization });
      if (request.headers.authorization !== `Splunk ${TOKEN}`) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"text":"Invalid token","code":4}');
        return;
      }
      if (collector.status !== 200) {
        response
          .writeHead(collector.status, { 'content-type': 'application/json' })
          .end('{"text":"Server is busy","code":9}');
        return;
      }
      collector.lines.push(...text.split('\n').filter((line) => line !== ''));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return Object.assign(collector, {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describeEachDialect('the Splunk HEC sink', (ctx) => {
  let collector: Collector;
  const env = { HEC_TOKEN: TOKEN };

  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => collector.close());

  function sink(variable = 'HEC_TOKEN') {
    const parsed = parseSinkSpecs(`splunk=hec+http://127.0.0.1:${collector.port}?tokenEnv=${variable}&index=audit`);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    return createSink(parsed.sinks[0]!, env);
  }

  it('posts batches of events to /services/collector/event with the token from the environment, in order', async () => {
    const log = new StreamedLog(ctx.database);
    await log.append(450);
    const streamer = log.streamer(sink(), { batchSize: 200 });
    await runUntilCaughtUp(streamer, log.clock);
    expect(collector.requests.map((request) => request.path)).toEqual(Array(3).fill('/services/collector/event'));
    expect(collector.requests[0]?.authorization).toBe(`Splunk ${TOKEN}`);
    const first = JSON.parse(collector.lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ source: 'countersign', sourcetype: 'countersign:audit', index: 'audit' });
    expect(first.event).toMatchObject({ type: 'countersign.audit.event', seq: 1 });
    expect(seqsOf(collector.lines)).toEqual(oneTo(450));
    // HEC envelopes, one per line, verify as a stream copy.
    expect(await verifyLines(collector.lines)).toMatchObject({ ok: true, eventsVerified: 450 });
    await streamer.lease.release();
  });

  it('retries a batch the collector refused (non-2xx) from the cursor, and records why', async () => {
    const log = new StreamedLog(ctx.database);
    const streamer = log.streamer(sink());
    collector.status = 503;
    await log.append(30);
    const failed = await streamer.runOnce();
    expect(failed.error).toMatch(/the collector answered 503 for events 451–480/);
    expect(await readCursor(ctx.database.db, 'splunk')).toMatchObject({
      deliveredSeq: 450,
      consecutiveFailures: 1,
      lastError: expect.stringMatching(/503/),
    });
    collector.status = 200;
    log.clock.advance(61_000);
    await runUntilCaughtUp(streamer, log.clock);
    expect(distinctInOrder(seqsOf(collector.lines))).toEqual(oneTo(480));
    await streamer.lease.release();
  });

  it('never sends the token anywhere but the header, and fails naming the variable when it is not set', async () => {
    const log = new StreamedLog(ctx.database);
    await log.append(1);
    const streamer = log.streamer(sink('HEC_TOKEN_MISSING'));
    const failed = await streamer.runOnce();
    expect(failed.error).toBe("audit stream 'splunk': the environment variable HEC_TOKEN_MISSING is not set");
    const cursor = await readCursor(ctx.database.db, 'splunk');
    expect(JSON.stringify(cursor)).not.toContain(TOKEN);
    expect(collector.lines.join('\n')).not.toContain(TOKEN);
    await streamer.lease.release();
  });
});
