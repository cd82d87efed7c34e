/**
 * Attack, by anyone who can reach the gateway's port, before authenticating: make the gateway hold memory for
 * messages it cannot read yet. It accepted a typed message of up to its post-login limit (16 MiB) during the login
 * exchange, allocating the whole buffer when only its 5-byte header had arrived, and it queued without limit
 * whatever a client sent after its startup packet while the login was looked up and checked. PostgreSQL reads a
 * password or SASL message of at most 65,535 bytes (PG_MAX_AUTH_TOKEN_LENGTH) and nothing else before the login
 * completes; the gateway now does the same: a larger message (54000), or more than 256 KiB queued before the session
 * begins (08P01), is refused and the connection closed at once. And connections opened faster than the startup
 * timeout ends them are bounded (53300 past 256 logging in at once); the bound must not count connections that
 * have gone, which a TLS connection's did (the gateway dropped its own listener on the socket at the handshake, so
 * every TLS connection, psql's default, stayed in its set of sockets for good).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import { startupMessage } from '../../src/gateway/postgres/protocol/frontend-builders.js';
import pg from 'pg';
import { generatedGatewayTls } from '../../src/gateway/gateway-tls.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';

const backend = new ProtocolBackend();
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  backend.addLogin('alice', 'payments-db', 'secret-9');
  // The default limits, as the server runs (16 MiB per message once logged in), and a startup timeout far away.
  gateway = await startTestGateway(backend, { startupTimeoutMs: 20_000 });
});
afterAll(async () => {
  await gateway.close();
});

const STARTUP = startupMessage(
  new Map([
    ['user', 'alice'],
    ['database', 'payments-db'],
  ]),
);

/**
 * Connects, sends the startup packet, waits for the gateway's authentication request (as a client must), sends
 * `bytes`, and resolves with what came back once the gateway closes, or after `waitMs`.
 */
function exchange(bytes: readonly Buffer[], waitMs = 3000): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: gateway.port });
    const chunks: Buffer[] = [];
    let asked = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (asked || chunk[0] !== Backend.authentication) return;
      asked = true;
      for (const part of bytes) socket.write(part);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closed: true });
    });
    socket.on('connect', () => socket.write(STARTUP));
  });
}

function errorOf(bytes: Buffer): Map<string, string> | undefined {
  const at = bytes.indexOf(Backend.errorResponse);
  if (at < 0) return undefined;
  return readErrorFields(bytes.subarray(at + 5, at + 1 + bytes.readInt32BE(at + 1)));
}

/** A typed message header announcing `length` body bytes, with none of them sent. */
function header(type: string, length: number): Buffer {
  const bytes = Buffer.alloc(5);
  bytes.write(type, 0, 'latin1');
  bytes.writeInt32BE(length + 4, 1);
  return bytes;
}

describe('memory a client can make the gateway hold before it logs in', () => {
  it('a password message announced at 16 MiB is refused at its header, and the connection closed', async () => {
    const { received, closed } = await exchange([header('p', 16 * 1024 * 1024 - 16)]);
    expect(closed).toBe(true);
    expect(errorOf(received)?.get('C')).toBe('54000');
    expect(backend.closed).toHaveLength(0);
  });

  it('a message of 65,535 bytes, the most PostgreSQL reads during a login, is still read and judged', async () => {
    // A SASLInitialResponse naming SCRAM-SHA-256 whose client-first message fills the rest: read, then refused.
    const mechanism = Buffer.from('SCRAM-SHA-256\0');
    const data = Buffer.alloc(65_535 - mechanism.length - 4, 0x61);
    const length = Buffer.alloc(4);
    length.writeInt32BE(data.length);
    const { received, closed } = await exchange([Buffer.concat([header('p', 65_535), mechanism, length, data])]);
    expect(closed).toBe(true);
    expect(errorOf(received)?.get('M')).not.toMatch(/exceeds|limit/);
  });

  it('more than 256 KiB sent behind a login being looked up is refused at once, and the connection closed', async () => {
    // A login looked up slowly (a busy database): what the client sends meanwhile waits in the gateway.
    const slow = new ProtocolBackend();
    slow.addLogin('alice', 'payments-db', 'secret-9');
    const find = slow.findLogin.bind(slow);
    slow.findLogin = async (who) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return find(who);
    };
    const slowGateway = await startTestGateway(slow, { startupTimeoutMs: 20_000 });
    try {
      const sync = Buffer.from([0x53, 0, 0, 0, 4]);
      const flood = Buffer.concat(Array.from({ length: 300_000 }, () => sync));
      const started = Date.now();
      const { received, closed } = await new Promise<{ received: Buffer; closed: boolean }>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: slowGateway.port });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve({ received: Buffer.concat(chunks), closed: true }));
        socket.on('connect', () => {
          socket.write(STARTUP);
          // Once the startup packet is read (not in the same write, which would be read as more startup packets).
          setTimeout(() => socket.write(flood), 200);
        });
      });
      expect(closed).toBe(true);
      // Before the login lookup even answered: nothing of it was held until then.
      expect(Date.now() - started).toBeLessThan(1800);
      expect(errorOf(received)?.get('C')).toBe('08P01');
      expect(errorOf(received)?.get('M')).toContain('before the login completed');
      await expect.poll(() => slowGateway.gateway.connections.starting).toBe(0);
    } finally {
      await slowGateway.close();
    }
  });

  it('connections opened faster than logins finish are refused past a bound (53300), and others log in after', async () => {
    const busy = await startTestGateway(backend, { startupTimeoutMs: 20_000, maxStartingConnections: 2 });
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < 2; i += 1) {
        const socket = net.connect({ host: '127.0.0.1', port: busy.port });
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        idle.push(socket);
      }
      await expect.poll(() => busy.gateway.connections.starting).toBe(2);
      const refused = await new Promise<Buffer>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: busy.port });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Buffer.concat(chunks)));
      });
      expect(errorOf(refused)?.get('C')).toBe('53300');
      for (const socket of idle) socket.destroy();
      await expect.poll(() => busy.gateway.connections.starting).toBe(0);
      const client = new pg.Client({
        host: '127.0.0.1',
        port: busy.port,
        user: 'alice',
        database: 'payments-db',
        password: 'secret-9',
      });
      await client.connect();
      await client.end();
    } finally {
      await busy.close();
    }
  });

  it('a connection that logged in over TLS and left is forgotten, as a plain one is', async () => {
    const tls = await generatedGatewayTls('127.0.0.1');
    const secure = await startTestGateway(backend, { tls: tls.context, maxStartingConnections: 2 });
    try {
      for (let i = 0; i < 4; i += 1) {
        const client = new pg.Client({
          host: '127.0.0.1',
          port: secure.port,
          user: 'alice',
          database: 'payments-db',
          password: 'secret-9',
          ssl: { rejectUnauthorized: false },
        });
        await client.connect();
        await client.end();
      }
      await expect.poll(() => secure.gateway.connections).toEqual({ open: 0, starting: 0 });
    } finally {
      await secure.close();
    }
  });
});
