/**
 * A client connection from accept to a proxied session: SSLRequest (TLS when configured, else 'N'), GSSENCRequest
 * (always 'N'), CancelRequest (handed to the gateway, which knows the key), the StartupMessage, authentication,
 * the recorded session and the upstream login; then AuthenticationOk, the server's parameters, the gateway's own
 * BackendKeyData and ReadyForQuery, and the `ProxiedSession` takes over. The whole startup must finish within the
 * startup timeout (slow-loris). Any protocol violation is answered with a FATAL ErrorResponse and the connection
 * closed; nothing reaches the upstream server before the client authenticated and the session is recorded.
 */
import { randomInt } from 'node:crypto';
import type net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../../core/errors.js';
import type { ConnectionFailure, GatewayBackend, GatewayLoginFacts, GatewaySession } from '../backend.js';
import { tlsServerEndPoint } from './channel-binding.js';
import {
  AuthenticationFailed,
  authenticateClient,
  type AwaitedMessage,
  type ClientTransport,
  type GatewayClientAuth,
} from './client-auth.js';
import {
  authenticationOk,
  backendKeyData,
  errorResponse,
  negotiateProtocolVersion,
  readyForQuery,
  type ErrorFields,
} from './protocol/backend-messages.js';
import { decodeStartupPacket, type StartupPacket } from './protocol/frontend-messages.js';
import { MessageReader } from './protocol/message-reader.js';
import { ProtocolError } from './protocol/protocol-error.js';
import type { ResolvedMasks } from './column-masks.js';
import { resolveMasks, resolveShadows } from './mask-resolution.js';
import { ProxiedSession, type GatewayLog } from './proxied-session.js';
import { grantEndOf } from '../session-registry.js';
import { connectUpstream, UpstreamError, type UpstreamConnection } from './upstream.js';

/** Startup parameters passed on to the upstream server; anything else (`options`, `role`, GUCs) is dropped. */
const PASSED_PARAMETERS = ['application_name', 'DateStyle', 'TimeZone', 'IntervalStyle', 'extra_float_digits'];

export interface ConnectionContext<Login extends GatewayLoginFacts> {
  readonly backend: GatewayBackend<Login>;
  readonly tls: tls.SecureContext | undefined;
  /** How clients over TLS authenticate (see client-auth.ts). */
  readonly clientAuth: GatewayClientAuth;
  readonly startupTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly log: GatewayLog;
  /** Registers the session under a fresh gateway backend key; the returned pair is what the client gets. */
  readonly register: (session: ProxiedSession) => { processId: number; secretKey: number };
  readonly cancel: (processId: number, secretKey: number) => void;
  readonly ended: (session: ProxiedSession) => void;
}

/** What the metrics call a startup that failed with `error` (the same classes `#failWith` answers). */
function failureOf(error: unknown): ConnectionFailure {
  if (error instanceof AuthenticationFailed) return 'authentication';
  if (error instanceof ProtocolError) return 'protocol';
  if (error instanceof AppError) return 'refused';
  if (error instanceof UpstreamError) return 'upstream';
  return 'internal';
}

/**
 * Until the login completes, the gateway reads messages as PostgreSQL does: none larger than a password or SASL
 * message may be (PG_MAX_AUTH_TOKEN_LENGTH), and no more than this in all may wait behind the login. Without these,
 * anyone reaching the port could make the gateway allocate a message's whole announced size from its header alone,
 * or queue what it sends while its login is looked up, with no credential at all.
 */
const LOGIN_MAX_MESSAGE_BYTES = 65_535;
const LOGIN_MAX_QUEUED_BYTES = 256 * 1024;

interface Queued extends AwaitedMessage {
  readonly whole: Buffer;
}

export class ClientConnection<Login extends GatewayLoginFacts> {
  readonly #context: ConnectionContext<Login>;
  #socket: net.Socket;
  readonly #reader: MessageReader;
  #secure = false;
  readonly #startups: StartupPacket[] = [];
  readonly #queue: Queued[] = [];
  /** Bytes of the messages in `#queue` (before the session starts). */
  #queuedBytes = 0;
  #waiter: (() => void) | undefined;
  #proxied: ProxiedSession | undefined;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  #unlisten: () => void = () => undefined;

  constructor(socket: net.Socket, context: ConnectionContext<Login>) {
    this.#context = context;
    this.#socket = socket;
    this.#reader = new MessageReader(
      {
        startup: (body) => this.#startups.push(decodeStartupPacket(body)),
        message: (type, body, whole) => {
          if (this.#proxied) return this.#proxied.message(type, body, whole);
          this.#queuedBytes += whole.length;
          if (this.#queuedBytes > LOGIN_MAX_QUEUED_BYTES) {
            throw new ProtocolError('more than 256 KiB was sent before the login completed');
          }
          this.#queue.push({ type, body, whole });
        },
      },
      { maxMessageBytes: Math.min(LOGIN_MAX_MESSAGE_BYTES, context.maxMessageBytes) },
    );
    this.#timer = setTimeout(() => {
      context.backend.connectionFailed?.('protocol');
      this.#fail({ severity: 'FATAL', code: '08P01', message: 'the startup did not finish in time' });
    }, context.startupTimeoutMs);
    this.#timer.unref();
    socket.setNoDelay(true);
    this.#unlisten = this.#listen(socket);
  }

  /** Runs the startup; never throws (failures are answered to the client and logged). */
  async run(): Promise<void> {
    try {
      await this.#startup();
    } catch (error) {
      this.#failWith(error);
    }
  }

  /** Listens to `socket`; returns what stops listening (only these listeners: the server has its own). */
  #listen(socket: net.Socket): () => void {
    const onData = (chunk: Buffer): void => {
      if (this.#proxied) return this.#proxied.fromClient(chunk);
      try {
        this.#reader.feed(chunk);
      } catch (error) {
        this.#failWith(error);
      }
      this.#wake();
    };
    const onError = (): void => this.#close();
    const onClose = (): void => {
      this.#closed = true;
      this.#wake();
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    return () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
  }

  async #startup(): Promise<void> {
    let packet = await this.#nextStartup();
    while (packet.kind !== 'startup') {
      if (packet.kind === 'cancel') {
        this.#context.cancel(packet.processId, packet.secretKey);
        return this.#close();
      }
      if (packet.kind === 'ssl' && this.#context.tls && !this.#secure) {
        // Bytes after an SSLRequest would be plaintext slipped in before the handshake (CVE-2021-23214).
        if (this.#reader.holdsBytes || this.#startups.length > 0) throw new ProtocolError('data after SSLRequest');
        this.#socket.write('S');
        await this.#upgrade(this.#context.tls);
      } else {
        this.#socket.write('N');
      }
      packet = await this.#nextStartup();
    }
    this.#reader.endStartupPhase();
    const unsupported = [...packet.parameters.keys()].filter((name) => name.startsWith('_pq_.'));
    if (packet.minor > 0 || unsupported.length > 0) this.#socket.write(negotiateProtocolVersion(0, unsupported));
    const user = packet.parameters.get('user') ?? '';
    const database = packet.parameters.get('database') || user;
    if (user === '') throw new ProtocolError('no user name in the startup packet', '28000');
    if (packet.parameters.has('replication')) {
      throw new ProtocolError('replication connections are not allowed through the gateway', '28000');
    }
    const { backend } = this.#context;
    const login = await backend.findLogin({ user, database });
    const { method, channelBound } = await authenticateClient(backend, { user, database }, login, this.#transport(), {
      send: (bytes) => this.#socket.write(bytes),
      next: () => this.#nextMessage(),
    });
    if (login === undefined) throw new AuthenticationFailed(user);
    const applicationName = packet.parameters.get('application_name');
    const session = await backend.openSession(login, {
      clientAddress: this.#socket.remoteAddress ?? 'unknown',
      ...(applicationName ? { applicationName } : {}),
      tls: this.#secure,
      method,
      channelBound,
    });
    let upstream: UpstreamConnection;
    try {
      upstream = await connectUpstream(session.upstream, upstreamParameters(packet.parameters, session));
    } catch (error) {
      session.close('error');
      throw error;
    }
    let masks: ResolvedMasks | undefined;
    try {
      const declared = session.masking?.masks ?? [];
      if (declared.length > 0) masks = await resolveMasks(upstream, declared);
      // Every session: which built-ins' names the database's own objects take (readOnly cannot trust them).
      if (session.useShadows) session.useShadows(await resolveShadows(upstream));
    } catch (error) {
      session.close('error');
      upstream.socket.destroy();
      throw error;
    }
    if (this.#closed) {
      session.close('client');
      upstream.socket.destroy();
      return;
    }
    clearTimeout(this.#timer);
    const proxied = new ProxiedSession({
      client: this.#socket,
      reader: this.#reader,
      upstream,
      session,
      ...(masks ? { masks } : {}),
      log: this.#context.log,
      onEnd: (ended) => this.#context.ended(ended),
      grantEnd: () => grantEndOf(backend, session),
    });
    const key = this.#context.register(proxied);
    this.#socket.cork();
    this.#socket.write(authenticationOk());
    for (const parameter of upstream.parameterMessages) this.#socket.write(parameter);
    this.#socket.write(backendKeyData(key.processId, key.secretKey));
    this.#socket.write(readyForQuery('I'));
    this.#socket.uncork();
    this.#proxied = proxied;
    this.#reader.limitMessageBytes(this.#context.maxMessageBytes);
    proxied.start(this.#queue.splice(0));
    this.#context.log.info(
      { sessionId: session.sessionId, method, tls: this.#secure, channelBinding: channelBound },
      'gateway session opened',
    );
  }

  /** The channel binding data is of the certificate this very connection presented (tls-server-end-point). */
  #transport(): ClientTransport {
    const { clientAuth } = this.#context;
    const socket = this.#socket;
    if (!(socket instanceof tls.TLSSocket) || clientAuth !== 'scram') return { tls: this.#secure, clientAuth };
    const certificate = socket.getCertificate();
    const raw = certificate !== null && 'raw' in certificate ? certificate.raw : undefined;
    const channelBinding = raw === undefined ? undefined : tlsServerEndPoint(raw);
    return { tls: this.#secure, clientAuth, ...(channelBinding ? { channelBinding } : {}) };
  }

  async #upgrade(context: tls.SecureContext): Promise<void> {
    const raw = this.#socket;
    this.#unlisten();
    // The TLS socket reports the connection's errors from now on; one on the raw socket must not go unheard.
    raw.on('error', () => undefined);
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    this.#socket = secure;
    this.#secure = true;
    this.#unlisten = this.#listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
      secure.once('close', () => reject(new ProtocolError('the client left during the TLS handshake')));
    });
  }

  async #nextStartup(): Promise<StartupPacket> {
    for (;;) {
      const packet = this.#startups.shift();
      if (packet) return packet;
      await this.#waitForInput();
    }
  }

  async #nextMessage(): Promise<AwaitedMessage> {
    for (;;) {
      const message = this.#queue.shift();
      if (message) {
        this.#queuedBytes -= message.whole.length;
        return message;
      }
      await this.#waitForInput();
    }
  }

  #waitForInput(): Promise<void> {
    if (this.#closed) return Promise.reject(new ClientGone());
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  #failWith(error: unknown): void {
    if (error instanceof ClientGone) return this.#close();
    this.#context.backend.connectionFailed?.(failureOf(error));
    if (error instanceof AuthenticationFailed) {
      this.#context.log.info({ user: error.user }, 'gateway authentication failed');
      return this.#fail({ severity: 'FATAL', code: '28P01', message: error.message });
    }
    if (error instanceof ProtocolError)
      return this.#fail({ severity: 'FATAL', code: error.code, message: error.message });
    if (error instanceof AppError) {
      this.#context.log.info({ code: error.code, message: error.message }, 'gateway session refused');
      return this.#fail({ severity: 'FATAL', code: '28000', message: error.message });
    }
    if (error instanceof UpstreamError) {
      this.#context.log.warn({ err: error }, 'gateway upstream login failed');
      return this.#fail({
        severity: 'FATAL',
        code: '08004',
        message: 'the gateway could not log in to the database server for this grant',
      });
    }
    this.#context.log.warn({ err: error }, 'gateway connection failed');
    this.#fail({ severity: 'FATAL', code: 'XX000', message: 'internal error in the Countersign gateway' });
  }

  #fail(error: ErrorFields): void {
    if (this.#proxied) return;
    this.#reader.stop();
    if (!this.#socket.destroyed) this.#socket.end(errorResponse(error));
    this.#close();
  }

  #close(): void {
    clearTimeout(this.#timer);
    this.#closed = true;
    const socket = this.#socket;
    setTimeout(() => socket.destroy(), 1000).unref();
    if (!socket.writableLength) socket.end();
    this.#wake();
  }
}

class ClientGone extends Error {}

function upstreamParameters(client: ReadonlyMap<string, string>, session: GatewaySession): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const name of PASSED_PARAMETERS) {
    const value = client.get(name);
    if (value !== undefined) parameters.set(name, value);
  }
  // The gateway reads statements as UTF-8 with standard strings (a backslash is no escape in '…'); the server must
  // read them the same way, whatever the database's or role's defaults (see the decision's LEXER_SETTINGS).
  parameters.set('client_encoding', 'UTF8');
  parameters.set('standard_conforming_strings', 'on');
  if (session.limits.statementTimeoutSeconds !== undefined) {
    parameters.set('statement_timeout', `${Math.round(session.limits.statementTimeoutSeconds * 1000)}`);
  }
  return parameters;
}

/** A fresh backend key for the client: random, positive, never the upstream's. */
export function newBackendKey(): { processId: number; secretKey: number } {
  return { processId: randomInt(1, 2 ** 31 - 1), secretKey: randomInt(-(2 ** 31), 2 ** 31 - 1) };
}
