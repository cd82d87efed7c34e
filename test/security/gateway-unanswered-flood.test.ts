/**
 * Attack by a grant holder alone: while the server is busy (`pg_sleep`), send millions of 5-byte Syncs. The gateway
 * read them as fast as they came and kept a little bookkeeping for each one the server had not answered yet: about
 * 76 MB of its heap for 10 MB of Syncs, per session, where PostgreSQL itself holds them in its socket buffer. It
 * now stops reading a client with 65,536 messages unanswered, until half are; every Sync is still answered, in
 * order, and the session goes on.
 */
import type net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';
import { RawClient } from '../gateway/raw-client.js';

const backend = new ProtocolBackend();
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  backend.addLogin('alice', 'payments-db', 'secret-9');
  gateway = await startTestGateway(backend);
});
afterAll(async () => {
  await gateway.close();
});

const SYNCS = 400_000;
// A full collection before each reading, so that only what is still referenced counts.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

const READY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

describe('a flood of Syncs while the server is busy', () => {
  it('holds a bounded amount of the gateway heap, and every Sync is answered in order', async () => {
    const raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'secret-9');
    const socket: net.Socket = raw.socket;
    socket.removeAllListeners('data');
    const received: Buffer[] = [];
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      bytes += chunk.length;
    });
    collect();
    const before = process.memoryUsage().heapUsed;
    socket.write(query('select pg_sleep(3)'));
    const sync = Buffer.from([0x53, 0, 0, 0, 4]);
    const megabyte = Buffer.concat(Array.from({ length: 200_000 }, () => sync));
    for (let i = 0; i < SYNCS / 200_000; i += 1) socket.write(megabyte);
    // The server is still asleep: whatever the gateway holds now, it holds for messages nobody answered yet.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    collect();
    const held = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    // About 10 MB with the bound (65,536 unanswered); before it, 65 MB for 600,000 Syncs, growing with each one.
    expect(held).toBeLessThan(20);
    // Then all of them are answered: the sleep's result and 400,000 ReadyForQuery, the last one idle.
    await expect.poll(() => bytes, { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(SYNCS * 6);
    const all = Buffer.concat(received);
    expect(all.subarray(all.length - 6)).toEqual(READY_IDLE);
    expect(all.indexOf(Buffer.from('pg_sleep'))).toBeGreaterThanOrEqual(0);
    socket.destroy();
  }, 120_000);
});
