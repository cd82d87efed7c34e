/**
 * The PostgreSQL gateway listener: accepts clients, runs each through `ClientConnection`, keeps the gateway's own
 * backend keys (so a CancelRequest reaches the right session without exposing the upstream's key) and hands every
 * live session to the protocol-independent `SessionRegistry`, which ends it when its grant ends.
 */
import net from 'node:net';
import type tls from 'node:tls';
import type { GatewayBackend, GatewayLoginFacts } from '../backend.js';
import { SessionRegistry } from '../session-registry.js';
import { ClientConnection, newBackendKey } from './client-connection.js';
import type { GatewayLog, ProxiedSession } from './proxied-session.js';

export interface PostgresGatewayOptions<Login extends GatewayLoginFacts> {
  readonly backend: GatewayBackend<Login>;
  readonly host: string;
  readonly port: number;
  /** TLS offered on SSLRequest; without it clients get 'N' (and SCRAM is the only authentication). */
  readonly tls?: tls.SecureContext;
  /** Time from accept to ReadyForQuery (default 10 s). */
  readonly startupTimeoutMs?: number;
  /** Largest frontend message accepted (default 16 MiB). */
  readonly maxMessageBytes?: number;
  readonly log: GatewayLog & { error(fields: object, message: string): void };
  /** Registry tuning (tests); see `SessionRegistryOptions`. */
  readonly revocationPollMs?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class PostgresGateway<Login extends GatewayLoginFacts = GatewayLoginFacts> {
  readonly #options: PostgresGatewayOptions<Login>;
  readonly #server: net.Server;
  readonly #registry: SessionRegistry;
  readonly #byProcessId = new Map<number, { session: ProxiedSession; secretKey: number }>();
  readonly #processIdOf = new WeakMap<ProxiedSession, number>();
  readonly #sockets = new Set<net.Socket>();

  constructor(options: PostgresGatewayOptions<Login>) {
    this.#options = options;
    this.#registry = new SessionRegistry(options.backend, {
      onError: (error) => options.log.error({ err: error }, 'gateway: could not read which grants ended'),
      ...(options.revocationPollMs !== undefined ? { pollIntervalMs: options.revocationPollMs } : {}),
    });
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  /** Listens; resolves with the address actually bound (port 0 picks a free one). */
  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.removeListener('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as net.AddressInfo;
    return { host: address.address, port: address.port };
  }

  get liveSessions(): number {
    return this.#registry.size;
  }

  /** Reads at once which live grants ended (tests; the registry does it by itself on every hint). */
  checkGrantsNow(): Promise<void> {
    return this.#registry.checkNow();
  }

  /** Stops accepting, ends every session (FATAL 57P01, recorded as `shutdown`) and closes every socket. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#registry.terminateAll('shutdown');
    this.#registry.stop();
    for (const socket of this.#sockets) socket.destroySoon();
    setTimeout(() => {
      for (const socket of this.#sockets) socket.destroy();
    }, 1000).unref();
    await closed;
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    const { backend, log } = this.#options;
    const connection = new ClientConnection(socket, {
      backend,
      tls: this.#options.tls,
      startupTimeoutMs: this.#options.startupTimeoutMs ?? 10_000,
      maxMessageBytes: this.#options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      log,
      register: (session) => this.#register(session),
      cancel: (processId, secretKey) => this.#cancel(processId, secretKey),
      ended: (session) => this.#ended(session),
    });
    void connection.run();
  }

  #register(session: ProxiedSession): { processId: number; secretKey: number } {
    let key = newBackendKey();
    while (this.#byProcessId.has(key.processId)) key = newBackendKey();
    this.#byProcessId.set(key.processId, { session, secretKey: key.secretKey });
    this.#processIdOf.set(session, key.processId);
    this.#registry.add(session);
    return key;
  }

  #cancel(processId: number, secretKey: number): void {
    const entry = this.#byProcessId.get(processId);
    if (entry === undefined || entry.secretKey !== secretKey) return;
    entry.session.cancel();
  }

  #ended(session: ProxiedSession): void {
    this.#registry.remove(session.sessionId);
    const processId = this.#processIdOf.get(session);
    if (processId !== undefined) this.#byProcessId.delete(processId);
  }
}
