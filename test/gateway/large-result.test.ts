/**
 * A 100 MB result through the gateway streams: rows reach the client as the server sends them, a client that
 * stops reading stops the server (backpressure), and the gateway's memory stays bounded the whole time — it never
 * buffers a result. The row budget of a profile ends a session that exceeds it.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';

const MiB = 1024 * 1024;

describe('large results through the gateway', () => {
  const backend = new ProtocolBackend();
  const limited = new ProtocolBackend({ limits: { maxRows: 1000 } });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let limitedGateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    backend.addLogin('alice', 'payments-db', 'secret-l');
    limited.addLogin('alice', 'payments-db', 'secret-l');
    gateway = await startTestGateway(backend);
    limitedGateway = await startTestGateway(limited);
  });
  afterAll(async () => {
    await gateway.close();
    await limitedGateway.close();
  });

  it('streams a 100 MB result with bounded memory, and a paused client pauses the server', async () => {
    const socket = new net.Socket();
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'alice',
      database: 'payments-db',
      password: 'secret-l',
      stream: () => socket,
    });
    await client.connect();
    global.gc?.();
    // What the gateway would hold is JavaScript memory (the Buffers it read), so that is what is measured. The
    // process's RSS moves with the allocator as well: with the SQL parser's WebAssembly loaded it rose by about
    // 150 MB for this 100 MB result and by 105 MB for a 400 MB one (freed chunks kept, not a buffer that grows
    // with the result), while the memory held below stayed at 19 MB for both.
    const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const baseline = held();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, held() - baseline)), 20);
    let rows = 0;
    let bytes = 0;
    let paused = false;
    let pausedGrowth = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const query = new pg.Query("select repeat('x', 1000) as filler from generate_series(1, 100000)");
        query.on('row', (row: { filler: string }) => {
          rows++;
          bytes += row.filler.length;
          if (rows === 10_000 && !paused) {
            // The client stops reading for a second: the gateway must stop reading the server, not buffer.
            paused = true;
            socket.pause();
            const atPause = held();
            setTimeout(() => {
              pausedGrowth = held() - atPause;
              socket.resume();
            }, 1000);
          }
        });
        query.on('end', () => resolve());
        query.on('error', reject);
        client.query(query);
      });
    } finally {
      clearInterval(sampler);
      await client.end();
    }
    expect(rows).toBe(100_000);
    expect(bytes).toBe(100_000_000);
    // Client and gateway share this process: 100 MB went through it, far less than that was ever held.
    expect(pausedGrowth).toBeLessThan(16 * MiB);
    expect(peak).toBeLessThan(64 * MiB);
    const outcome = backend.outcomes.at(-1)?.outcome;
    expect(outcome).toMatchObject({ commandTag: 'SELECT 100000', rows: 100_000 });
    expect(outcome!.bytes).toBeGreaterThan(100_000_000);
  }, 60_000);

  it('a session that exceeds the row budget is ended with FATAL 53400 and recorded as such', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: limitedGateway.port,
      user: 'alice',
      database: 'payments-db',
      password: 'secret-l',
    });
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    expect((await client.query('select generate_series(1, 600)')).rowCount).toBe(600);
    await expect(client.query('select generate_series(1, 600)')).rejects.toMatchObject({ code: '53400' });
    await expect.poll(() => limited.closed.at(-1)?.reason).toBe('budget');
    await client.end().catch(() => undefined);
  });
});
