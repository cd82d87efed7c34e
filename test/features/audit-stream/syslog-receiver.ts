/**
 * A syslog receiver for the tests: a real TCP (or TLS) listener on loopback that reads RFC 6587 octet-counted
 * frames (`LENGTH SP MESSAGE`) and keeps each RFC 5424 message. It can stop accepting (an outage: the listener
 * closes and open connections are cut) and start again on the same port.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export class SyslogReceiver {
  readonly messages: string[] = [];
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly tls?: { cert: string; key: string }) {}

  async start(port = 0): Promise<void> {
    const onSocket = (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const space = buffer.indexOf(0x20);
          if (space === -1) return;
          const length = Number(buffer.subarray(0, space).toString('ascii'));
          if (!Number.isInteger(length) || buffer.length < space + 1 + length) return;
          this.messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
          buffer = buffer.subarray(space + 1 + length);
        }
      });
    };
    const server = this.tls ? createTlsServer(this.tls, onSocket) : createTcpServer(onSocket);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : port;
    this.#server = server;
  }

  /** Stops accepting and cuts every open connection. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = undefined;
  }

  async waitFor(count: number): Promise<void> {
    for (let wait = 0; wait < 200 && this.messages.length < count; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
