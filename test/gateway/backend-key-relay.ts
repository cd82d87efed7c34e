/**
 * A TCP relay between the gateway and the real PostgreSQL server that notes the BackendKeyData the server sends on
 * each connection: the upstream process id and secret key, which a gateway keeps and which no SQL can read. Tests
 * use it as an independent witness of the upstream secret (to look for it where it must not be). Plain TCP only:
 * the test resources' DSNs ask for no TLS.
 */
import net from 'node:net';
import { ADMIN_URL } from '../store/dialects.js';

export interface BackendKey {
  readonly processId: number;
  readonly secretKey: number;
}

export class BackendKeyRelay {
  readonly keys: BackendKey[] = [];
  readonly #server = net.createServer((client) => this.#relay(client));
  readonly #sockets = new Set<net.Socket>();
  readonly #upstream = new URL(ADMIN_URL);

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #relay(client: net.Socket): void {
    const server = net.connect({ host: this.#upstream.hostname, port: Number(this.#upstream.port || 5432) });
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    // The server's messages up to BackendKeyData ('K'), which comes once, right after authentication.
    let pending = Buffer.alloc(0);
    const watch = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
        const type = String.fromCharCode(pending[0]!);
        if (type === 'K') {
          this.keys.push({ processId: pending.readInt32BE(5), secretKey: pending.readInt32BE(9) });
          server.removeListener('data', watch);
          return;
        }
        pending = pending.subarray(1 + pending.readInt32BE(1));
      }
    };
    server.on('data', watch);
    server.pipe(client);
  }
}
