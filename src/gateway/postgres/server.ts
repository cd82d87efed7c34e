/**
 * The PostgreSQL gateway listener: accepts clients, runs each through `ClientConnection`, keeps the gateway's own
 * backend keys (so a CancelRequest reaches the right session without exposing the upstream's key) and hands every
 * live session to the protocol-independent `SessionRegistry`, which ends it when its grant ends. With a backend
 * that shares cancel keys, a CancelRequest for a session of another gateway of the installation (a load balancer
 * sends each new connection anywhere) is looked up and forwarded to that session's upstream server; such lookups
 * are rate-limited, since anyone can send a CancelRequest.
 */
import net from 'node:net';
import type tls from 'node:tls';
import type { GatewayBackend, GatewayLoginFacts } from '../backend.js';
import { SessionRegistry } from '../session-registry.js';
import type { GatewayClientAuth } from './client-auth.js';
import { ClientConnection, newBackendKey } from './client-connection.js';
import type { GatewayLog, ProxiedSession } from './proxied-session.js';
import { sendCancel } from './upstream.js';
import { errorResponse } from './protocol/backend-messages.js';

/** Lookups of other gateways' cancel keys allowed per second (a CancelRequest needs no authentication). */
const CANCEL_LOOKUPS_PER_SECOND = 20;

export interface PostgresGatewayOptions<Login extends GatewayLoginFacts> {
  readonly backend: GatewayBackend<Login>;
  readonly host: string;
  readonly port: number;
  /** TLS offered on SSLRequest; without it clients get 'N' (and SCRAM is the only authentication). */
  readonly tls?: tls.SecureContext;
  /**
   * How clients over TLS authenticate: `password` (default: cleartext inside TLS, so API tokens work) or `scram`
   * (SCRAM-SHA-256-PLUS bound to the certificate, and SCRAM-SHA-256; the secret never reaches the gateway).
   */
  readonly clientAuth?: GatewayClientAuth;
  /** Time from accept to ReadyForQuery (default 10 s). */
  readonly startupTimeoutMs?: number;
  /** Largest frontend message accepted (default 16 MiB). */
  readonly maxMessageBytes?: number;
  /** Connections that may be logging in at once (default 256); more are refused with 53300 until some finish. */
  readonly maxStartingConnections?: number;
  readonly log: GatewayLog & { error(fields: object, message: string): void };
  /** Registry tuning (tests); see `SessionRegistryOptions`. */
  readonly revocationPollMs?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/**
 * Connections logging in at once. Each may hold up to about 320 KiB until its login completes (client-connection.ts)
 * and costs a login lookup; without a bound, connections opened faster than the 10 s startup timeout ends them
 * would make that unbounded for anyone who can reach the port. Sessions, once open, are not counted.
 */
export const DEFAULT_MAX_STARTING_CONNECTIONS = 256;

export class PostgresGateway<Login extends GatewayLoginFacts = GatewayLoginFacts> {
  readonly #options: PostgresGatewayOptions<Login>;
  readonly #server: net.Server;
  readonly #registry: SessionRegistry;
  readonly #byProcessId = new Map<number, { session: ProxiedSession; secretKey: number }>();
  readonly #processIdOf = new WeakMap<ProxiedSession, number>();
  readonly #sockets = new Set<net.Socket>();
  /** Sockets accepted whose session has not started (logging in). */
  readonly #starting = new Set<net.Socket>();
  #lookupWindow = { startedAt: 0, used: 0 };
  /** Each live session's cancel-key publication, which its withdrawal waits for. */
  readonly #published = new WeakMap<ProxiedSession, Promise<void>>();

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

  /** Client connections open now (logging in or in a session), and of those still logging in. */
  get connections(): { readonly open: number; readonly starting: number } {
    return { open: this.#sockets.size, starting: this.#starting.size };
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
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.#starting.delete(socket);
    });
    const { backend, log } = this.#options;
    if (this.#starting.size >= (this.#options.maxStartingConnections ?? DEFAULT_MAX_STARTING_CONNECTIONS)) {
      backend.connectionFailed?.('busy');
      socket.on('error', () => undefined);
      socket.end(
        errorResponse({
          severity: 'FATAL',
          code: '53300',
          message: 'too many connections are logging in to the gateway at once; try again',
        }),
      );
      return;
    }
    this.#starting.add(socket);
    const connection = new ClientConnection(socket, {
      backend,
      tls: this.#options.tls,
      clientAuth: this.#options.clientAuth ?? 'password',
      startupTimeoutMs: this.#options.startupTimeoutMs ?? 10_000,
      maxMessageBytes: this.#options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      log,
      register: (session) => {
        this.#starting.delete(socket);
        return this.#register(session);
      },
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
    const { backend, log } = this.#options;
    const published = backend.cancelKeys
      ?.publish({ sessionId: session.sessionId, ...key, upstream: session.cancelTarget })
      .catch((error: unknown) =>
        log.warn({ sessionId: session.sessionId, err: error }, 'the session cancel key could not be shared'),
      );
    if (published) this.#published.set(session, published);
    return key;
  }

  #cancel(processId: number, secretKey: number): void {
    const entry = this.#byProcessId.get(processId);
    if (entry !== undefined) {
      if (entry.secretKey === secretKey) entry.session.cancel();
      return;
    }
    const keys = this.#options.backend.cancelKeys;
    if (keys === undefined || !this.#mayLookUp()) return;
    keys
      .find(processId, secretKey)
      .then((target) => target && sendCancel(target))
      .catch((error: unknown) => this.#options.log.warn({ err: error }, 'a cancel key could not be looked up'));
  }

  #mayLookUp(): boolean {
    const now = Date.now();
    if (now - this.#lookupWindow.startedAt >= 1000) this.#lookupWindow = { startedAt: now, used: 0 };
    this.#lookupWindow.used += 1;
    return this.#lookupWindow.used <= CANCEL_LOOKUPS_PER_SECOND;
  }

  #ended(session: ProxiedSession): void {
    this.#registry.remove(session.sessionId);
    const processId = this.#processIdOf.get(session);
    if (processId !== undefined) this.#byProcessId.delete(processId);
    const keys = this.#options.backend.cancelKeys;
    if (keys === undefined) return;
    // After the publication: a session that ends at once must not have its key inserted after it was withdrawn.
    const published = this.#published.get(session) ?? Promise.resolve();
    this.#published.delete(session);
    void published
      .then(() => keys.withdraw(session.sessionId))
      .catch((error: unknown) =>
        this.#options.log.warn({ sessionId: session.sessionId, err: error }, 'the session cancel key stays shared'),
      );
  }
}
