/**
 * Attacks on the gateway's wire protocol, over raw sockets: garbage before startup, an oversized or malformed
 * message, slow-loris startup, plaintext slipped in after SSLRequest, binding a statement the gateway never
 * checked, fast-path function calls, and startup parameters that would change the role upstream. Each is answered
 * with an error and, where it must, the connection closed — the gateway never crashes and never forwards.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedGatewayTls } from '../../src/gateway/gateway-tls.js';
import { Backend, frame, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { Frontend } from '../../src/gateway/postgres/protocol/frontend-messages.js';
import { sslRequest, startupMessage } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';

const backend = new ProtocolBackend();
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  backend.addLogin('alice', 'payments-db', 'secret-9');
  gateway = await startTestGateway(backend, { startupTimeoutMs: 400, maxMessageBytes: 64 * 1024 });
});
afterAll(async () => {
  await gateway.close();
});

/** Sends `bytes`, collects what comes back until the gateway closes (or `waitMs` passes). */
function exchange(
  bytes: readonly Buffer[],
  waitMs = 3000,
  port = gateway.port,
): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closed: true });
    });
    socket.on('connect', () => {
      for (const part of bytes) socket.write(part);
    });
  });
}

/** The SQLSTATE of the first ErrorResponse in `bytes`. */
function errorCode(bytes: Buffer): string | undefined {
  const at = bytes.indexOf(Backend.errorResponse);
  if (at < 0) return undefined;
  const length = bytes.readInt32BE(at + 1);
  return readErrorFields(bytes.subarray(at + 5, at + 1 + length)).get('C');
}

const statementsBefore = (): number => backend.statements.length;

describe('hostile input to the gateway', () => {
  it('garbage before the startup (an HTTP request) is refused and closed, with nothing forwarded', async () => {
    const before = statementsBefore();
    const { received, closed } = await exchange([Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(closed).toBe(true);
    expect(errorCode(received)).toBe('08P01');
    expect(backend.closed).toHaveLength(0);
    expect(statementsBefore()).toBe(before);
  });

  it('a startup that never finishes (slow-loris) is closed at the startup timeout', async () => {
    const started = Date.now();
    const { received, closed } = await exchange([Buffer.from([0, 0])]);
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(errorCode(received)).toBe('08P01');
  });

  it('plaintext slipped in after SSLRequest is refused before any TLS (CVE-2021-23214)', async () => {
    const tls = await generatedGatewayTls('127.0.0.1');
    const secure = await startTestGateway(backend, { tls: tls.context, startupTimeoutMs: 5000 });
    try {
      const startup = startupMessage(
        new Map([
          ['user', 'alice'],
          ['database', 'payments-db'],
        ]),
      );
      const started = Date.now();
      const { received, closed } = await exchange([Buffer.concat([sslRequest(), startup])], 3000, secure.port);
      expect(closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(received[0]).not.toBe(0x53); // never 'S'
      expect(errorCode(received)).toBe('08P01');
    } finally {
      await secure.close();
    }
  });

  it('a message before the startup (a Query right away) is refused', async () => {
    const { received, closed } = await exchange([frame(Frontend.query, Buffer.from('select 1\0'))]);
    expect(closed).toBe(true);
    expect(errorCode(received)).toBe('08P01');
  });

  describe('after login', () => {
    /** A logged-in node-postgres client, and its raw socket for writing what no driver would. */
    async function loggedIn(): Promise<{ client: pg.Client; socket: net.Socket; errors: Error[] }> {
      const socket = new net.Socket();
      const client = new pg.Client({
        host: '127.0.0.1',
        port: gateway.port,
        user: 'alice',
        database: 'payments-db',
        password: 'secret-9',
        stream: () => socket,
      });
      const errors: Error[] = [];
      client.on('error', (error) => errors.push(error));
      await client.connect();
      return { client, socket, errors };
    }

    it('an oversized message is refused with 54000 and the connection closed, with nothing forwarded', async () => {
      const { socket, errors } = await loggedIn();
      const before = statementsBefore();
      const closed = new Promise((resolve) => socket.on('close', resolve));
      const header = Buffer.alloc(5);
      header[0] = Frontend.query;
      header.writeInt32BE(0x7fffffff, 1);
      socket.write(header);
      await closed;
      expect(statementsBefore()).toBe(before);
      expect(errors.map((error) => (error as Error & { code?: string }).code)).toContain('54000');
    });

    it('a malformed Query (no terminator) is refused and the connection closed, with nothing forwarded', async () => {
      const { socket } = await loggedIn();
      const before = statementsBefore();
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.write(frame(Frontend.query, Buffer.from('select pg_sleep(0)')));
      await closed;
      expect(statementsBefore()).toBe(before);
    });

    it('an unknown message type is refused and the connection closed', async () => {
      const { socket } = await loggedIn();
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.write(frame(0x7a, Buffer.from('zzz')));
      await closed;
    });

    it('a statement prepared by SQL PREPARE cannot be bound through the protocol; the session goes on', async () => {
      const { client } = await loggedIn();
      try {
        await client.query('prepare sneaky as select 1');
        // Bind to a statement the gateway never saw at Parse: refused before it reaches the server.
        const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
        const name = Buffer.from('sneaky\0');
        const bind = frame(Frontend.bind, Buffer.concat([Buffer.from('\0'), name, Buffer.from([0, 0, 0, 0, 0, 0])]));
        const answers: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => answers.push(chunk));
        socket.write(Buffer.concat([bind, frame(Frontend.sync, Buffer.alloc(0))]));
        await expect.poll(() => errorCode(Buffer.concat(answers)), { timeout: 3000 }).toBe('26000');
      } finally {
        await client.end().catch(() => undefined);
      }
    });

    it('a fast-path FunctionCall is refused with 42501 and never reaches the server', async () => {
      const { client } = await loggedIn();
      try {
        const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
        const answers: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => answers.push(chunk));
        // pg_terminate_backend's OID is 2096: a call by OID would bypass every SQL check.
        const call = Buffer.alloc(4 + 2 + 2 + 4 + 4 + 2);
        call.writeInt32BE(2096, 0);
        socket.write(frame(Frontend.functionCall, call));
        await expect.poll(() => errorCode(Buffer.concat(answers)), { timeout: 3000 }).toBe('42501');
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  });

  it('startup options that would set the role or search_path upstream are dropped', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'alice',
      database: 'payments-db',
      password: 'secret-9',
      options: '-c search_path=evil -c role=pg_monitor',
    });
    await client.connect();
    try {
      const { rows } = await client.query('select current_setting($1) as path, current_user as who', ['search_path']);
      expect(rows[0]).toEqual({ path: '"$user", public', who: 'postgres' });
    } finally {
      await client.end();
    }
  });

  it('the gateway is still serving after all of it', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: gateway.port,
      user: 'alice',
      database: 'payments-db',
      password: 'secret-9',
    });
    await client.connect();
    expect((await client.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    await client.end();
  });
});
