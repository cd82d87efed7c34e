/**
 * What the gateway logs when the upstream server ends a session with a FATAL error: the SQLSTATE, never the
 * server's message, which may quote values (the log is read by operators, not only by auditors). Before, the
 * message went into the log line as it was. Through the real gateway and PostgreSQL: the session terminates its
 * own upstream backend, and the server answers FATAL 57P01 with its message.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';
import { RawClient } from '../gateway/raw-client.js';

describe('the log of a session the upstream server ended', () => {
  const lines: string[] = [];
  const backend = new ProtocolBackend();
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    backend.addLogin('alice', 'payments-db', 'gw-secret-1');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    gateway = await startTestGateway(backend, { log: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('names the SQLSTATE of the FATAL error and leaves its message out', async () => {
    const raw = await RawClient.connect(gateway.port, 'alice', 'payments-db', 'gw-secret-1');
    try {
      raw.send(query('select pg_terminate_backend(pg_backend_pid())'));
      await expect.poll(() => lines.some((line) => line.includes('ended by the upstream server'))).toBe(true);
    } finally {
      raw.close();
    }
    const logged = lines.find((line) => line.includes('ended by the upstream server'))!;
    expect(logged).toContain('57P01');
    expect(logged).not.toContain('administrator command');
  });
});
