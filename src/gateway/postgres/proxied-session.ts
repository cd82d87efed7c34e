/**
 * One authenticated client joined to its upstream connection: frontend messages through the `StatementGate`,
 * upstream answers through the `BackendScanner` and `ResponseTracker`, with backpressure both ways (a slow client
 * pauses the upstream socket, so a large result is never held in memory), cancel forwarding with the upstream's
 * key, and one way to end: `terminate(reason)`, which tells the client why (FATAL) and closes the record. A
 * statement still running upstream when the session ends is cancelled, so nothing runs after the end is recorded.
 *
 * A Query or Parse whose text is long is parsed on a worker thread (sql-parse-pool.ts) before the gate sees it,
 * so that the event loop goes on serving the other sessions meanwhile. Until the gate has taken it, the session
 * reads nothing more from its client (TCP backpressure holds the rest: a client cannot make the gateway buffer)
 * and holds the messages already read, which the gate then takes strictly in order, a Sync or Terminate included.
 */
import type net from 'node:net';
import type { GatewaySession, SessionEndReason, UpstreamCancelTarget } from '../backend.js';
import type { ResolvedMasks } from './column-masks.js';
import type { LiveSession } from '../session-registry.js';
import { errorResponse, type ErrorFields } from './protocol/backend-messages.js';
import { BackendScanner } from './protocol/backend-scanner.js';
import { TERMINATE } from './protocol/frontend-builders.js';
import { decodeParse, decodeQuery, Frontend } from './protocol/frontend-messages.js';
import type { MessageReader } from './protocol/message-reader.js';
import { ProtocolError } from './protocol/protocol-error.js';
import { ResponseTracker } from './response-tracker.js';
import { LONG_SQL_CHARS, sqlParsePool, type SqlParsePool } from './sql-parse-pool.js';
import { maskRules, type MaskRules } from './sql-text-analysis.js';
import { StatementGate, type ParsedAhead } from './statement-gate.js';
import { resetUpstream, sendCancel, type UpstreamConnection } from './upstream.js';

export interface GatewayLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ProxiedSessionOptions {
  readonly client: net.Socket;
  readonly reader: MessageReader;
  readonly upstream: UpstreamConnection;
  readonly session: GatewaySession;
  /** The session's masks as catalog columns (resolved on its upstream connection); none: no masking. */
  readonly masks?: ResolvedMasks;
  readonly log: GatewayLog;
  /** Called once when the session ended, whatever ended it. */
  readonly onEnd: (session: ProxiedSession) => void;
  /** Reads now whether the session's grant ended, and how (see `#upstreamFatal`). */
  readonly grantEnd: () => Promise<'revoked' | 'expired' | undefined>;
  /** Where long statement texts are parsed; the gateway's shared pool when not given. */
  readonly parsePool?: SqlParsePool;
}

interface HeldMessage {
  readonly type: number;
  readonly body: Buffer;
  readonly whole: Buffer;
}

/** admin_shutdown: what `pg_terminate_backend` and a server shutting down end a session with. */
const ADMIN_SHUTDOWN = '57P01';
/**
 * How long the upstream's own 57P01 is held while the grant is read: the close stays within a second of the
 * revoke, and a read that takes longer lets the server's own message through.
 */
const GRANT_READ_TIMEOUT_MS = 400;
const ASK_AGAIN = 'To connect again, ask for access anew (countersign request create) and use the login it gives.';

const END_MESSAGES: Record<Exclude<SessionEndReason, 'client' | 'error'>, ErrorFields> = {
  revoked: {
    severity: 'FATAL',
    code: '57P01',
    message: 'terminating connection: the Countersign grant of this session was revoked',
    hint: ASK_AGAIN,
  },
  expired: {
    severity: 'FATAL',
    code: '57P01',
    message: 'terminating connection: the Countersign grant of this session expired',
    hint: ASK_AGAIN,
  },
  shutdown: { severity: 'FATAL', code: '57P01', message: 'terminating connection: the gateway is shutting down' },
  budget: {
    severity: 'FATAL',
    code: '53400',
    message: "terminating connection: the session used up the row or byte budget of the grant's profile",
  },
};

/**
 * Why the client is not read: a long text being parsed, the upstream socket's buffer full, or too many messages
 * forwarded and not yet answered. The last bounds what the gateway holds per session: each Sync or Query waiting
 * for its ReadyForQuery is a little bookkeeping, and a client can send millions of them (5 bytes each) while the
 * server is busy — PostgreSQL itself would hold them in its socket buffer only.
 */
type PauseReason = 'parse' | 'upstream' | 'answers';
/** Forwarded messages a session may have unanswered before its client is no longer read (until half are). */
export const MAX_UNANSWERED = 65_536;

export class ProxiedSession implements LiveSession {
  readonly #options: ProxiedSessionOptions;
  readonly #gate: StatementGate;
  readonly #scanner: BackendScanner;
  readonly #tracker: ResponseTracker;
  #ended = false;
  /** The upstream server ended the session; the client's last message waits for `#upstreamFatal` to choose it. */
  #upstreamEnding = false;
  /** What the worker checks a long text against, as Countersign's backend would (undefined: no masks). */
  readonly #maskRules: MaskRules | undefined;
  /** A long text is being parsed on a worker; the messages read after it wait in `#held`. */
  #parsing = false;
  readonly #held: HeldMessage[] = [];
  /** Why the client is not being read: a parse under way, the upstream socket's buffer full, or both. */
  readonly #pauses = new Set<PauseReason>();

  constructor(options: ProxiedSessionOptions) {
    this.#options = options;
    const { client, upstream, session, log, masks } = options;
    const hashKey = session.masking?.hashKey;
    const masking = masks !== undefined && hashKey !== undefined ? { masks, hashKey } : undefined;
    this.#tracker = new ResponseTracker({
      emit: (bytes) => client.write(bytes),
      outcome: (seq, outcome) => session.outcome(seq, outcome),
      ...(session.limits.maxRows !== undefined ? { maxRows: session.limits.maxRows } : {}),
      ...(session.limits.maxBytes !== undefined ? { maxBytes: session.limits.maxBytes } : {}),
      ...(masking ? { masking } : {}),
      onBudgetExhausted: () => queueMicrotask(() => this.terminate('budget')),
      onIdle: (cycle) => this.#gate.transactionEnded(cycle),
      onAnswered: () => {
        if (this.#pauses.has('answers') && this.#tracker.unanswered <= MAX_UNANSWERED / 2) this.#resume('answers');
      },
      onUpstreamFatal: (reason, fatal) => {
        log.warn({ sessionId: session.sessionId, reason }, 'gateway session ended by the upstream server');
        this.#upstreamEnding = true;
        queueMicrotask(() => this.#upstreamFatal(fatal));
      },
    });
    this.#gate = new StatementGate({
      session,
      responses: this.#tracker,
      forward: (bytes) => upstream.socket.write(bytes),
      describeBeforeExecute: masking !== undefined,
      ...(masks?.catalog ? { maskCatalog: masks.catalog } : {}),
      onTerminate: () => this.#end('client', undefined),
      onRefusal: ({ seq, refusalId, reason }) =>
        log.info({ sessionId: session.sessionId, seq, refusalId, reason }, 'gateway statement refused'),
    });
    this.#scanner = new BackendScanner(this.#tracker);
    this.#maskRules = maskRulesOf(session, masks);
  }

  get sessionId(): string {
    return this.#options.session.sessionId;
  }

  get grantId(): string {
    return this.#options.session.grantId;
  }

  get expiresAt(): number {
    return this.#options.session.expiresAt;
  }

  /** Starts proxying; `queued` are frontend messages the client sent before the session was ready. */
  start(queued: readonly { type: number; body: Buffer; whole: Buffer }[]): void {
    const { client, upstream } = this.#options;
    upstream.socket.on('data', (chunk: Buffer) => this.#fromUpstream(chunk));
    // Once the upstream server sent its FATAL, `#upstreamFatal` ends the session (within its timeout).
    const end = (reason: SessionEndReason) => () => {
      if (!this.#upstreamEnding) this.#end(reason, undefined);
    };
    upstream.socket.on('close', end('error'));
    upstream.socket.on('error', end('error'));
    client.on('close', end('client'));
    client.on('error', end('client'));
    upstream.socket.cork();
    try {
      for (const message of queued) this.message(message.type, message.body, message.whole);
    } finally {
      upstream.socket.uncork();
    }
    if (upstream.leftover.length > 0) this.#fromUpstream(upstream.leftover);
  }

  /** Bytes from the client: the reader calls `message` for each whole message. */
  fromClient(chunk: Buffer): void {
    const { reader, upstream } = this.#options;
    upstream.socket.cork();
    try {
      reader.feed(chunk);
    } catch (error) {
      this.#protocolError(error);
    } finally {
      upstream.socket.uncork();
    }
    this.#holdUpstreamBackpressure();
    if (this.#tracker.unanswered > MAX_UNANSWERED && !this.#pauses.has('answers')) this.#pause('answers');
  }

  message(type: number, body: Buffer, whole: Buffer): void {
    if (this.#ended || this.#upstreamEnding) return;
    if (this.#parsing || this.#held.length > 0) {
      // Read in the same chunk as a long text, or before the client was paused: it waits its turn. A copy, so
      // that what is held never pins the rest of a large chunk.
      const copy = Buffer.from(whole);
      this.#held.push({ type, body: copy.subarray(whole.length - body.length), whole: copy });
      return;
    }
    this.#take(type, body, whole);
  }

  /** Gives a message to the gate, or, when it holds a long text, first to a parse worker. */
  #take(type: number, body: Buffer, whole: Buffer): void {
    try {
      const sql = longText(type, body);
      if (sql !== undefined) return this.#parseAhead(sql, { type, body, whole });
      this.#gate.message(type, body, whole);
    } catch (error) {
      this.#protocolError(error);
    }
  }

  /**
   * Parses a long text on a worker, then gives its message to the gate with the result and the held messages
   * after it. A worker that fails refuses the statement (the gate says so); a session that ended meanwhile
   * forwards nothing.
   */
  #parseAhead(sql: string, message: HeldMessage): void {
    this.#parsing = true;
    this.#pause('parse');
    const pool = this.#options.parsePool ?? sqlParsePool();
    pool.analyse(sql, this.#maskRules).then(
      (parsed) => this.#parsed(message, { parsed }),
      (error: unknown) => this.#parsed(message, { failed: error instanceof Error ? error.message : String(error) }),
    );
  }

  #parsed(message: HeldMessage, ahead: ParsedAhead): void {
    this.#parsing = false;
    if (this.#ended || this.#upstreamEnding) return;
    const { upstream } = this.#options;
    upstream.socket.cork();
    try {
      this.#gate.message(message.type, message.body, message.whole, ahead);
      while (!this.#parsing && !this.#ended && !this.#upstreamEnding && this.#held.length > 0) {
        const next = this.#held.shift()!;
        this.#take(next.type, next.body, next.whole);
      }
    } catch (error) {
      this.#protocolError(error);
    } finally {
      upstream.socket.uncork();
    }
    if (!this.#parsing) this.#resume('parse');
    this.#holdUpstreamBackpressure();
  }

  /** The upstream socket's buffer is full: the client is not read until it drains. */
  #holdUpstreamBackpressure(): void {
    const { upstream } = this.#options;
    if (!upstream.socket.writableNeedDrain || this.#pauses.has('upstream')) return;
    this.#pause('upstream');
    upstream.socket.once('drain', () => this.#resume('upstream'));
  }

  #pause(reason: PauseReason): void {
    this.#pauses.add(reason);
    this.#options.client.pause();
  }

  #resume(reason: PauseReason): void {
    this.#pauses.delete(reason);
    if (this.#pauses.size === 0 && !this.#ended) this.#options.client.resume();
  }

  /** Where this session's query runs upstream and the server's own key to cancel it. */
  get cancelTarget(): UpstreamCancelTarget {
    const { upstream, session } = this.#options;
    return {
      host: session.upstream.host,
      port: session.upstream.port,
      processId: upstream.processId,
      secretKey: upstream.secretKey,
    };
  }

  /** Forwards a CancelRequest to the upstream server with its own key (the client only knows the gateway's). */
  cancel(): void {
    sendCancel(this.cancelTarget);
  }

  terminate(reason: SessionEndReason): void {
    const message = reason === 'client' || reason === 'error' ? undefined : END_MESSAGES[reason];
    this.#end(reason, message);
  }

  #fromUpstream(chunk: Buffer): void {
    const { client, upstream } = this.#options;
    if (this.#ended || this.#upstreamEnding) return;
    client.cork();
    try {
      this.#scanner.feed(chunk);
    } catch (error) {
      this.#options.log.warn({ sessionId: this.sessionId, err: error }, 'the upstream server broke the protocol');
      this.#end('error', { severity: 'FATAL', code: '08P01', message: 'the upstream server broke the protocol' });
    } finally {
      client.uncork();
    }
    if (client.writableNeedDrain && !upstream.socket.isPaused()) {
      upstream.socket.pause();
      client.once('drain', () => upstream.socket.resume());
    }
  }

  /**
   * The upstream server ended the session (`fatal`: its FATAL, not passed on yet). The postgres provider's revoke
   * terminates the grant's upstream sessions (57P01, "terminating connection due to administrator command") right
   * after the grant is claimed for revocation, usually before this gateway has heard of the revoke: so on 57P01
   * the grant is read first, and if it ended the client reads the gateway's own 57P01 naming the reason and how to
   * get access again, as when the gateway ends the session itself. Otherwise (an administrator, a server shutting
   * down, any other FATAL) the client reads the server's message. Nothing reaches either side meanwhile.
   */
  #upstreamFatal(fatal: { readonly code: string; readonly message: Buffer } | undefined): void {
    if (this.#ended) return;
    if (fatal?.code !== ADMIN_SHUTDOWN) return this.#end('error', fatal?.message);
    const timeout = setTimeout(() => this.#end('error', fatal.message), GRANT_READ_TIMEOUT_MS);
    this.#options.grantEnd().then(
      (reason) => {
        clearTimeout(timeout);
        if (reason === undefined) this.#end('error', fatal.message);
        else this.terminate(reason);
      },
      () => {
        clearTimeout(timeout);
        this.#end('error', fatal.message);
      },
    );
  }

  #protocolError(error: unknown): void {
    const protocol = error instanceof ProtocolError ? error : new ProtocolError('internal error', 'XX000');
    if (!(error instanceof ProtocolError)) {
      this.#options.log.warn({ sessionId: this.sessionId, err: error }, 'gateway session failed');
    }
    this.#end('error', { severity: 'FATAL', code: protocol.code, message: protocol.message });
  }

  /**
   * Closes the upstream connection; true when a statement may have been running there and was cancelled. The
   * server reads a Terminate only after the running statement, which would commit after the session ended (an
   * autocommit INSERT … SELECT pg_sleep(…), whatever the grant's revoke did to the server or failed to), and after
   * the statements the client pipelined behind it. So then the running statement is cancelled with the server's
   * own key for this connection (no other session's) and the connection reset (see `resetUpstream` for TLS): the
   * server's answer to the cancel then fails to reach anyone, and it ends the session (rolling back any
   * transaction) before reading another message. A session the server itself ended, or one with nothing running,
   * gets the orderly Terminate.
   */
  #stopUpstream(): boolean {
    const { upstream } = this.#options;
    if (this.#upstreamEnding || !this.#tracker.busy) {
      if (!upstream.socket.destroyed) upstream.socket.end(TERMINATE);
      return false;
    }
    sendCancel(this.cancelTarget);
    resetUpstream(upstream);
    return true;
  }

  /** Ends the session once; the client reads `message` last (the gateway's own, or the upstream's as it came). */
  #end(reason: SessionEndReason, message: ErrorFields | Buffer | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const { client, upstream, session, reader } = this.#options;
    reader.stop();
    this.#held.length = 0;
    if (message && !client.destroyed) client.end(Buffer.isBuffer(message) ? message : errorResponse(message));
    else client.end();
    const cancelled = this.#stopUpstream();
    setTimeout(() => {
      client.destroy();
      upstream.socket.destroy();
    }, 1000).unref();
    try {
      session.close(reason);
    } catch (error) {
      this.#options.log.warn({ sessionId: session.sessionId, err: error }, 'the session end could not be recorded');
    }
    this.#options.log.info({ sessionId: session.sessionId, reason, cancelled }, 'gateway session ended');
    this.#options.onEnd(this);
  }
}

/** A Query's or Parse's statement text when it is long enough to parse on a worker (`LONG_SQL_CHARS`). */
function longText(type: number, body: Buffer): string | undefined {
  // A text never has more characters than its message has bytes.
  if ((type !== Frontend.query && type !== Frontend.parse) || body.length <= LONG_SQL_CHARS) return undefined;
  const sql = type === Frontend.query ? decodeQuery(body) : decodeParse(body).sql;
  return sql.length > LONG_SQL_CHARS ? sql : undefined;
}

/** The masks Countersign's backend checks a session's statements against (countersign-backend.ts), as plain data. */
function maskRulesOf(session: GatewaySession, masks: ResolvedMasks | undefined): MaskRules | undefined {
  const declared = session.masking?.masks ?? [];
  const catalog = masks?.catalog;
  if (declared.length === 0 || catalog === undefined) return undefined;
  return maskRules(declared, catalog);
}
