/**
 * The gateway's own login to the real PostgreSQL server for one session: a raw socket (TLS when the target asks
 * for it, through SSLRequest), a StartupMessage with only the parameters the gateway chose, and authentication
 * with the grant's provider credential — trust, cleartext, MD5 or SCRAM-SHA-256 (the server's signature checked).
 * Returns the connected socket with the server's ParameterStatus messages and backend key, ready to proxy.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { UpstreamCancelTarget, UpstreamTarget } from '../backend.js';
import { ScramClient, SCRAM_MECHANISM } from './scram.js';
import { Backend, readErrorFields } from './protocol/backend-messages.js';
import {
  cancelRequest,
  passwordMessage,
  saslInitialResponse,
  saslResponse,
  sslRequest,
  startupMessage,
} from './protocol/frontend-builders.js';
import { MessageReader } from './protocol/message-reader.js';
import { BodyReader } from './protocol/frontend-messages.js';

export interface UpstreamConnection {
  readonly socket: net.Socket;
  /** The server's ParameterStatus messages, as sent (relayed to the client). */
  readonly parameterMessages: readonly Buffer[];
  readonly processId: number;
  readonly secretKey: number;
  /** Bytes the server sent after its first ReadyForQuery (none from a well-behaved server). */
  readonly leftover: Buffer;
}

/** The upstream server refused or failed the login; `code` is its SQLSTATE when it said one. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Sends the server a CancelRequest for the query running under `target`'s key (fire and forget, as libpq does). */
export function sendCancel(target: UpstreamCancelTarget): void {
  const socket = net.connect({ host: target.host, port: target.port }, () => {
    socket.end(cancelRequest(target.processId, target.secretKey));
  });
  socket.on('error', () => socket.destroy());
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy());
}

/**
 * Ends the connection at once, whatever the server is doing, with nothing more sent. A Terminate would be read only
 * after the running statement and every message the client pipelined behind it, which would all still run. A plain
 * TCP connection is reset: the server's next write fails, and it then ends the session before reading another
 * message (so with `sendCancel` for the running statement nothing more runs; without, the running statement still
 * finishes, as the server notices only when it writes). A TLS connection is only closed: its TCP handle is shared
 * with the TLS layer (resetting it under that layer crashed Node 20), so the server's writes fail only once the
 * reset its first write draws comes back, which over a slow network may be after it read a pipelined message.
 */
export function resetUpstream(upstream: UpstreamConnection): void {
  const { socket } = upstream;
  if (socket.destroyed) return;
  socket.on('error', () => undefined);
  if (socket instanceof tls.TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}

export async function connectUpstream(
  target: UpstreamTarget,
  parameters: ReadonlyMap<string, string>,
): Promise<UpstreamConnection> {
  let socket: net.Socket = await openSocket(target);
  try {
    socket.setNoDelay(true);
    if (target.ssl !== false) socket = await upgradeToTls(socket, target);
    const startup = new Map<string, string>([['user', target.user], ['database', target.database], ...parameters]);
    return await login(socket, target, startup);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

function openSocket(target: UpstreamTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new UpstreamError('the upstream server did not answer in time', undefined));
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new UpstreamError(`cannot reach the upstream server: ${error.message}`, undefined));
    });
  });
}

async function upgradeToTls(socket: net.Socket, target: UpstreamTarget): Promise<net.Socket> {
  const answer = await new Promise<number>((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => (chunk.length === 1 ? resolve(chunk[0]!) : reject(new Error('bad answer'))));
    socket.once('error', reject);
    socket.write(sslRequest());
  }).catch((error: unknown) => {
    throw new UpstreamError(`the upstream server's answer to SSLRequest failed: ${String(error)}`, undefined);
  });
  socket.removeAllListeners('error');
  if (answer !== 0x53) throw new UpstreamError('the upstream server does not accept TLS', undefined);
  const options = typeof target.ssl === 'object' ? (target.ssl as tls.ConnectionOptions) : {};
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ servername: net.isIP(target.host) ? undefined : target.host, ...options, socket });
    secure.once('secureConnect', () => {
      secure.removeAllListeners('error');
      resolve(secure);
    });
    secure.once('error', (error) => reject(new UpstreamError(`upstream TLS failed: ${error.message}`, undefined)));
  });
}

/** Runs the startup exchange up to the first ReadyForQuery. */
function login(socket: net.Socket, target: UpstreamTarget, startup: Map<string, string>): Promise<UpstreamConnection> {
  return new Promise((resolve, reject) => {
    const parameterMessages: Buffer[] = [];
    const auth: AuthState = { scram: undefined, scramVerified: false };
    let processId = 0;
    let secretKey = 0;
    let done = false;
    let ready = false;
    const finish = (error: Error | undefined, leftover: Buffer = Buffer.alloc(0)): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (error) reject(error);
      else resolve({ socket, parameterMessages, processId, secretKey, leftover });
    };
    const reader = new MessageReader(
      {
        startup: () => undefined,
        message: (type, body, whole) => {
          if (type === Backend.authentication) {
            const answer = authenticate(body, target, auth);
            if (answer !== undefined) socket.write(answer);
          } else if (type === Backend.parameterStatus) {
            parameterMessages.push(Buffer.from(whole));
          } else if (type === Backend.backendKeyData) {
            const key = new BodyReader(body);
            processId = key.int32();
            secretKey = key.int32();
          } else if (type === Backend.errorResponse) {
            const fields = readErrorFields(body);
            throw new UpstreamError(`the upstream server refused the login: ${fields.get('M') ?? ''}`, fields.get('C'));
          } else if (type === Backend.readyForQuery) {
            reader.stop();
            ready = true;
          }
        },
      },
      { maxMessageBytes: 1024 * 1024 },
    );
    reader.endStartupPhase();
    const onData = (chunk: Buffer): void => {
      try {
        const taken = reader.feed(chunk);
        if (ready) finish(undefined, chunk.subarray(taken));
      } catch (error) {
        finish(
          error instanceof UpstreamError
            ? error
            : new UpstreamError(`the upstream login failed: ${(error as Error).message}`, undefined),
        );
      }
    };
    const onError = (error: Error): void =>
      finish(new UpstreamError(`upstream connection failed: ${error.message}`, undefined));
    const onClose = (): void =>
      finish(new UpstreamError('the upstream server closed the connection during login', undefined));
    const timer = setTimeout(
      () => finish(new UpstreamError('the upstream login timed out', undefined)),
      CONNECT_TIMEOUT_MS,
    );
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(startupMessage(startup));
  });
}

interface AuthState {
  scram: ScramClient | undefined;
  /** Set once the server proved it holds the verifier; AuthenticationOk before that is a forgery. */
  scramVerified: boolean;
}

/** One authentication request of the server → the answer to send, if any. */
function authenticate(body: Buffer, target: UpstreamTarget, auth: AuthState): Buffer | undefined {
  const reader = new BodyReader(body);
  const code = reader.int32();
  switch (code) {
    case 0:
      if (auth.scram !== undefined && !auth.scramVerified) {
        throw new UpstreamError('the upstream server skipped the end of the SCRAM exchange', undefined);
      }
      return undefined;
    case 3:
      return passwordMessage(target.password);
    case 5: {
      const salt = reader.bytes(4);
      const inner = createHash('md5')
        .update(target.password + target.user)
        .digest('hex');
      const outer = createHash('md5')
        .update(Buffer.concat([Buffer.from(inner), salt]))
        .digest('hex');
      return passwordMessage(`md5${outer}`);
    }
    case 10: {
      const mechanisms: string[] = [];
      for (let name = reader.cstring(); name !== ''; name = reader.cstring()) mechanisms.push(name);
      if (!mechanisms.includes(SCRAM_MECHANISM)) {
        throw new UpstreamError(
          `the upstream server offers no usable SASL mechanism (${mechanisms.join(', ')})`,
          undefined,
        );
      }
      auth.scram = new ScramClient(target.password);
      return saslInitialResponse(SCRAM_MECHANISM, auth.scram.clientFirst());
    }
    case 11:
      if (!auth.scram) throw new UpstreamError('SASLContinue before SASL', undefined);
      return saslResponse(auth.scram.serverFirst(body.toString('utf8', 4)));
    case 12:
      if (!auth.scram) throw new UpstreamError('SASLFinal before SASL', undefined);
      auth.scram.serverFinal(body.toString('utf8', 4));
      auth.scramVerified = true;
      return undefined;
    default:
      throw new UpstreamError(`the upstream server asks for an unsupported authentication (${code})`, undefined);
  }
}
