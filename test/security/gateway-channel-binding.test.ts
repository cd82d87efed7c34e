/**
 * SCRAM channel binding between clients and the gateway (`clientAuth: 'scram'`), as the attacks it exists for:
 * a man in the middle who terminates the client's TLS with a certificate of its own and relays the login to the
 * gateway, and a man in the middle who strips SCRAM-SHA-256-PLUS from the offer so that the client logs in
 * without binding (RFC 5802 §6: the client says `y`, and the server that offered PLUS refuses). The relay is
 * real (two TLS connections and a byte pipe); the clients are node-postgres, psql and a SCRAM client written
 * here from RFC 5802 and RFC 5929 alone, so that the gateway's computation is not checked against itself.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedGatewayTls, type GatewayTls } from '../../src/gateway/gateway-tls.js';
import { Backend, readErrorFields } from '../../src/gateway/postgres/protocol/backend-messages.js';
import {
  saslInitialResponse,
  saslResponse,
  sslRequest,
  startupMessage,
} from '../../src/gateway/postgres/protocol/frontend-builders.js';
import { MessageReader } from '../../src/gateway/postgres/protocol/message-reader.js';
import { psqlAsAlice, tlsPgClient } from '../gateway/channel-binding-client.js';
import { ProtocolBackend, startTestGateway } from '../gateway/protocol-backend.js';

const SECRET = 'csg_channel-bound-secret';
const backend = new ProtocolBackend();
let gatewayTls: GatewayTls;
let scramGateway: Awaited<ReturnType<typeof startTestGateway>>;
let passwordGateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  backend.addLogin('alice', 'payments-db', SECRET, { token: 'cs_token_for_alice' });
  gatewayTls = await generatedGatewayTls('127.0.0.1');
  scramGateway = await startTestGateway(backend, { tls: gatewayTls.context, clientAuth: 'scram' });
  passwordGateway = await startTestGateway(backend, { tls: gatewayTls.context, clientAuth: 'password' });
});
afterAll(async () => {
  await scramGateway.close();
  await passwordGateway.close();
});

/** Reads exactly `count` bytes from a paused socket (the bytes before a TLS handshake). */
function readExactly(socket: net.Socket, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const bytes = socket.read(count) as Buffer | null;
      if (bytes === null) return;
      socket.off('readable', attempt);
      resolve(bytes);
    };
    socket.on('readable', attempt);
    socket.once('error', reject);
    attempt();
  });
}

/** A TLS connection to a gateway (or relay) on `port`, after its SSLRequest was answered `S`. */
async function tlsTo(port: number): Promise<tls.TLSSocket> {
  const raw = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => raw.once('connect', resolve));
  raw.write(sslRequest());
  expect((await readExactly(raw, 1)).toString()).toBe('S');
  const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
  await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  return secure;
}

/**
 * A man in the middle on a port of its own: it answers the client's SSLRequest with its own certificate, opens
 * its own TLS connection to the gateway and relays the bytes both ways, keeping what the client sent.
 */
async function startRelay(gatewayPort: number, certificate: GatewayTls) {
  const seen: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    void (async () => {
      const request = await readExactly(client, 8);
      if (request.readInt32BE(4) !== 80877103) return client.destroy();
      client.write('S');
      const fromClient = new tls.TLSSocket(client, { isServer: true, secureContext: certificate.context });
      const toGateway = await tlsTo(gatewayPort);
      sockets.add(toGateway);
      fromClient.on('data', (chunk: Buffer) => {
        seen.push(Buffer.from(chunk));
        toGateway.write(chunk);
      });
      toGateway.on('data', (chunk: Buffer) => fromClient.write(chunk));
      fromClient.on('error', () => toGateway.destroy());
      toGateway.on('error', () => fromClient.destroy());
      fromClient.on('close', () => toGateway.destroy());
      toGateway.on('close', () => fromClient.destroy());
    })().catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Everything the client sent through the relay, decrypted. */
    seen: () => Buffer.concat(seen).toString('latin1'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** RFC 5929 §4.1 for an ECDSA-with-SHA256 certificate (the generated ones): SHA-256 of its DER. */
const endPointOf = (certificate: GatewayTls): Buffer =>
  createHash('sha256').update(new X509Certificate(certificate.certificatePem).raw).digest();

interface Login {
  /** The mechanisms the gateway offered. */
  readonly offered: readonly string[];
  /** The SQLSTATE and message of the gateway's refusal, or `ok` once it said AuthenticationOk. */
  readonly outcome: string;
}

/**
 * A SCRAM-SHA-256 login written from RFC 5802 alone, over TLS: the client picks `mechanism` and `gs2Header`
 * (`n,,`, `y,,` or `p=tls-server-end-point,,`) and binds `bindingData` into its client-final message.
 */
async function rawScramLogin(mechanism: string, gs2Header: string, bindingData: Buffer = Buffer.alloc(0)) {
  const socket = await tlsTo(scramGateway.port);
  const messages: { type: number; body: Buffer }[] = [];
  let wake: (() => void) | undefined;
  const reader = new MessageReader(
    {
      startup: () => undefined,
      message: (type, body) => {
        messages.push({ type, body: Buffer.from(body) });
        wake?.();
      },
    },
    { maxMessageBytes: 1 << 20 },
  );
  reader.endStartupPhase();
  socket.on('data', (chunk: Buffer) => reader.feed(chunk));
  socket.on('close', () => wake?.());
  const next = async (): Promise<{ type: number; body: Buffer } | undefined> => {
    if (messages.length === 0 && !socket.destroyed) await new Promise<void>((resolve) => (wake = resolve));
    return messages.shift();
  };
  socket.write(
    startupMessage(
      new Map([
        ['user', 'alice'],
        ['database', 'payments-db'],
      ]),
    ),
  );
  const nonce = randomBytes(18).toString('base64');
  const clientFirstBare = `n=,r=${nonce}`;
  let offered: string[] = [];
  let salted = Buffer.alloc(0);
  for (;;) {
    const message = await next();
    if (message === undefined) return { offered, outcome: 'closed' } satisfies Login;
    if (message.type === Backend.errorResponse) {
      const fields = readErrorFields(message.body);
      socket.destroy();
      return { offered, outcome: `${fields.get('C')} ${fields.get('M')}` } satisfies Login;
    }
    if (message.type !== Backend.authentication) continue;
    const code = message.body.readInt32BE(0);
    const data = message.body.toString('utf8', 4);
    if (code === 0) {
      socket.destroy();
      return { offered, outcome: 'ok' } satisfies Login;
    }
    if (code === 10) {
      offered = data.split('\0').filter((name) => name !== '');
      socket.write(saslInitialResponse(mechanism, `${gs2Header}${clientFirstBare}`));
    } else if (code === 11) {
      const fields = new Map(data.split(',').map((part) => [part[0], part.slice(2)] as const));
      salted = pbkdf2Sync(SECRET, Buffer.from(fields.get('s') ?? '', 'base64'), Number(fields.get('i')), 32, 'sha256');
      const binding = Buffer.concat([Buffer.from(gs2Header), bindingData]).toString('base64');
      const withoutProof = `c=${binding},r=${fields.get('r')}`;
      const authMessage = `${clientFirstBare},${data},${withoutProof}`;
      const clientKey = createHmac('sha256', salted).update('Client Key').digest();
      const storedKey = createHash('sha256').update(clientKey).digest();
      const signature = createHmac('sha256', storedKey).update(authMessage).digest();
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
      socket.write(saslResponse(`${withoutProof},p=${proof.toString('base64')}`));
    } else if (code !== 12) {
      socket.destroy();
      return { offered, outcome: `authentication request ${code}` } satisfies Login;
    }
  }
}

const REFUSED = '28P01 password authentication failed for user "alice"';

describe('channel binding between clients and the gateway', () => {
  it('over TLS the gateway offers SCRAM-SHA-256-PLUS first and a client bound to its certificate logs in', async () => {
    const login = await rawScramLogin('SCRAM-SHA-256-PLUS', 'p=tls-server-end-point,,', endPointOf(gatewayTls));
    expect(login).toEqual({ offered: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'], outcome: 'ok' });
  });

  it('a client that chose SCRAM-SHA-256 with gs2 flag y while PLUS was offered (a stripped offer) is refused', async () => {
    const login = await rawScramLogin('SCRAM-SHA-256', 'y,,');
    expect(login).toEqual({ offered: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'], outcome: REFUSED });
    // The same client saying `n` (it cannot bind at all) is let in: the refusal is the downgrade's.
    expect((await rawScramLogin('SCRAM-SHA-256', 'n,,')).outcome).toBe('ok');
  });

  it("a client whose binding data is another certificate's (the relay's) is refused", async () => {
    const relayTls = await generatedGatewayTls('127.0.0.1');
    const login = await rawScramLogin('SCRAM-SHA-256-PLUS', 'p=tls-server-end-point,,', endPointOf(relayTls));
    expect(login.outcome).toBe(REFUSED);
    // Binding claimed but no data bound (the hash left out) is the same refusal.
    expect((await rawScramLogin('SCRAM-SHA-256-PLUS', 'p=tls-server-end-point,,')).outcome).toBe(REFUSED);
  });

  describe('through a man in the middle with a certificate of its own', () => {
    let relayTls: GatewayTls;
    beforeAll(async () => {
      relayTls = await generatedGatewayTls('127.0.0.1');
    });

    const pgClient = (port: number, enableChannelBinding: boolean): pg.Client => {
      const client = tlsPgClient(port, SECRET, enableChannelBinding, { connectionTimeoutMillis: 5000 });
      // The relay closing under a connected client must not become an unhandled error of the run.
      client.on('error', () => undefined);
      return client;
    };

    it('node-postgres with channel binding is refused, and the relay never sees the secret', async () => {
      const relay = await startRelay(scramGateway.port, relayTls);
      const client = pgClient(relay.port, true);
      try {
        await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
        expect(relay.seen()).toContain('SCRAM-SHA-256-PLUS');
        expect(relay.seen()).not.toContain(SECRET);
      } finally {
        await client.end().catch(() => undefined);
        await relay.close();
      }
    });

    it('psql with channel_binding=require is refused through the relay', async () => {
      const relay = await startRelay(scramGateway.port, relayTls);
      try {
        const { stderr } = await psqlAsAlice(
          relay.port,
          SECRET,
          { PGSSLMODE: 'require', PGCHANNELBINDING: 'require' },
          'select 1',
        );
        expect(stderr).toContain('password authentication failed for user "alice"');
        expect(relay.seen()).not.toContain(SECRET);
      } finally {
        await relay.close();
      }
    });

    it('in password mode the same relay reads the secret in clear (what scram mode is for)', async () => {
      const relay = await startRelay(passwordGateway.port, relayTls);
      const client = pgClient(relay.port, false);
      try {
        await client.connect();
        expect(relay.seen()).toContain(SECRET);
      } finally {
        await client.end().catch(() => undefined);
        await relay.close();
      }
    });
  });
});
