/**
 * `countersign gateway --metrics-listen HOST:PORT`: the gateway process has no HTTP API, so its Prometheus
 * instruments are served here — `GET /metrics` with the scrape secret (`Authorization: Bearer
 * $COUNTERSIGN_METRICS_TOKEN`, as `serve` takes it; compared by digest, in constant time) and `GET /healthz`
 * without. Nothing else answers. Without a scrape secret the listener does not start: metrics name no user, but
 * they tell an outsider how busy and how healthy the gateway is, and SPEC §4 keeps everything but health checks
 * behind authentication.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { AppError } from '../core/errors.js';
import { PROBLEM_BY_CODE, PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { parseListenAddress } from './gateway-runner.js';

export const METRICS_TOKEN_VARIABLE = 'COUNTERSIGN_METRICS_TOKEN';
const MIN_TOKEN_LENGTH = 24;

export interface MetricsListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The address and scrape secret, checked before anything starts; `invalid` when either is not usable. */
export function checkMetricsSettings(listen: string, token: string | undefined): { host: string; port: number } {
  const address = parseListenAddress(listen);
  if (token === undefined || token.length < MIN_TOKEN_LENGTH) {
    throw new AppError(
      'invalid',
      `--metrics-listen needs the scrape secret in ${METRICS_TOKEN_VARIABLE} (at least ${MIN_TOKEN_LENGTH} characters)`,
    );
  }
  return address;
}

/** Starts the listener; `invalid` when the address or the scrape secret is not usable. */
export async function startMetricsListener(
  listen: string,
  registry: Registry,
  token: string | undefined,
): Promise<MetricsListener> {
  const { host, port } = checkMetricsSettings(listen, token);
  const expected = digest(`Bearer ${token ?? ''}`);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      const problem = {
        type: 'about:blank',
        title: PROBLEM_BY_CODE.unauthenticated.title,
        status: 401,
        detail: `GET /metrics needs the scrape secret: Authorization: Bearer $${METRICS_TOKEN_VARIABLE}`,
        code: 'unauthenticated',
        instance: '/metrics',
      };
      response
        .writeHead(401, { 'content-type': PROBLEM_CONTENT_TYPE, 'www-authenticate': 'Bearer' })
        .end(JSON.stringify(problem));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new AppError('invalid', `the metrics listener cannot listen on ${listen}: ${error.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    host,
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
