/**
 * A real webhook receiver on 127.0.0.1 (random port) for the webhook provider and outbox tests. It checks each
 * request as a receiver in the wild would, written here independently of `src/` with `node:crypto`: the
 * HMAC-SHA256 of `<Countersign-Timestamp>.<raw body>` must equal the `v1=` signature (constant-time compare),
 * and the timestamp must be within five minutes of the receiver's clock, else it answers 401. Accepted
 * requests get the answer the test scripts (`respond`), by default 200 `{}`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Why the receiver refused the request, or undefined when the signature and timestamp held. */
  readonly refused?: string;
}

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface ReceiverOptions {
  readonly secret: string;
  /** The answer to the n-th (0-based) accepted request. */
  readonly respond?: (request: Received, index: number) => Answer;
  /** The receiver's clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
}

export interface SignedReceiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;

function check(secret: string, headers: IncomingHttpHeaders, body: string, nowMs: number): string | undefined {
  const timestamp = headers['countersign-timestamp'];
  const signature = headers['countersign-signature'];
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp)) return 'no timestamp';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return 'stale timestamp (replay?)';
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(typeof signature === 'string' ? signature : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature';
  return undefined;
}

export async function startReceiver(options: ReceiverOptions): Promise<SignedReceiver> {
  const received: Received[] = [];
  let accepted = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const refused = check(options.secret, request.headers, body, (options.now ?? Date.now)());
      const entry: Received = {
        path: request.url ?? '/',
        headers: request.headers,
        body,
        ...(refused ? { refused } : {}),
      };
      received.push(entry);
      const answer = refused
        ? { status: 401, body: { error: refused } }
        : (options.respond?.(entry, accepted++) ?? { status: 200, body: {} });
      const send = () => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if ('delayMs' in answer && answer.delayMs !== undefined) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
