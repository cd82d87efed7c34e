/**
 * Starts the PostgreSQL access gateway inside a process that has an `AppContext` (`serve --gateway-listen`, or the
 * stateless `countersign gateway`): the SQL parser, the TLS certificate (files, or generated and announced), the
 * session recorder on its journal directory, the Countersign backend and the listener. `stop()` ends every session
 * (FATAL 57P01, recorded as `shutdown`), then flushes the recorder.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AppContext } from '../app/context.js';
import { AppError } from '../core/errors.js';
import { startSessionRecorder, type SessionRecorder } from '../features/sessions/index.js';
import { countersignBackend } from '../gateway/countersign-backend.js';
import { generatedGatewayTls, gatewayTlsFromFiles, type GatewayTls } from '../gateway/gateway-tls.js';
import type { GatewayClientAuth } from '../gateway/postgres/client-auth.js';
import { PostgresGateway } from '../gateway/postgres/server.js';
import { loadSqlParser } from '../gateway/postgres/sql-classify.js';
import { sqlParsePool } from '../gateway/postgres/sql-parse-pool.js';
import { createGatewayMetrics, withGatewayMetrics } from '../gateway/gateway-metrics.js';
import type { Registry } from 'prom-client';

export interface GatewaySettings {
  /** `HOST:PORT` (`[::1]:15432` for IPv6; port 0 picks a free one). */
  readonly listen: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** How clients over TLS authenticate: `password` (default, API tokens work) or `scram` (channel-bound SCRAM). */
  readonly clientAuth?: GatewayClientAuth;
  /** Where statements are journaled before they are forwarded; keep it across restarts (see the recorder). */
  readonly journalDir: string;
  /** How often the gateway renews its lease, and how long the lease lasts (defaults 5 s and three heartbeats). */
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /** Where the gateway's instruments are registered (`/metrics` of `serve`, or of `countersign gateway`). */
  readonly metrics?: Registry;
}

export interface RunningGateway {
  readonly host: string;
  readonly port: number;
  readonly gatewayId: string;
  readonly tls: GatewayTls;
  stop(): Promise<void>;
}

/** `HOST:PORT` → its parts; `invalid` naming the flag's value otherwise. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !(port >= 0 && port <= 65_535)) {
    throw new AppError('invalid', `'${text}' is not a HOST:PORT address to listen on (e.g. 127.0.0.1:15432)`);
  }
  return { host, port };
}

export async function startGateway(
  app: AppContext,
  logger: Logger,
  settings: GatewaySettings,
  remoteGrantChanges?: (listener: () => void) => () => void,
): Promise<RunningGateway> {
  const { host, port } = parseListenAddress(settings.listen);
  if ((settings.tlsCert === undefined) !== (settings.tlsKey === undefined)) {
    throw new AppError(
      'invalid',
      'the gateway TLS certificate and key are given together (--gateway-tls-cert and --gateway-tls-key)',
    );
  }
  await loadSqlParser();
  const tls =
    settings.tlsCert !== undefined && settings.tlsKey !== undefined
      ? await gatewayTlsFromFiles(resolve(settings.tlsCert), resolve(settings.tlsKey))
      : await generatedGatewayTls(host);
  const clientAuth = settings.clientAuth ?? 'password';
  if (clientAuth === 'scram' && tls.channelBinding === undefined) {
    // Offering SCRAM-SHA-256-PLUS on such a certificate would break psql (libpq cannot hash it either).
    throw new AppError(
      'invalid',
      "the gateway's TLS certificate is signed with an algorithm that has no channel binding hash (Ed25519, Ed448): give an RSA or ECDSA certificate for client authentication 'scram'",
    );
  }
  const gatewayId = `gw-${randomUUID()}`;
  const log = logger.child({ component: 'gateway' });
  // The instruments come first: a shipping attempt may fail (and be counted) as soon as the recorder runs.
  const started: { recorder?: SessionRecorder } = {};
  const metrics =
    settings.metrics === undefined
      ? undefined
      : createGatewayMetrics(settings.metrics, {
          backlog: () => started.recorder?.backlog() ?? { records: 0, oldestAgeMs: 0 },
          parsing: () => ({ waiting: sqlParsePool().waiting, parsing: sqlParsePool().parsing }),
        });
  const recorder = await startSessionRecorder(app, {
    gatewayId,
    journalDir: resolve(settings.journalDir),
    ...(settings.heartbeatMs === undefined ? {} : { heartbeatMs: settings.heartbeatMs }),
    ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
    onShipError: (error) => {
      metrics?.shipFailures.inc();
      log.error({ err: error }, 'gateway session records could not be shipped; retrying');
    },
  });
  started.recorder = recorder;
  const backend = countersignBackend({
    app,
    recorder,
    gatewayId,
    ...(remoteGrantChanges ? { remoteGrantChanges } : {}),
  });
  const gateway = new PostgresGateway({
    backend: metrics === undefined ? backend : withGatewayMetrics(backend, metrics),
    host,
    port,
    tls: tls.context,
    clientAuth,
    log,
  });
  let address: { host: string; port: number };
  try {
    address = await gateway.listen();
  } catch (error) {
    await recorder.stop();
    throw new AppError('invalid', `the gateway cannot listen on ${settings.listen}: ${(error as Error).message}`);
  }
  log.info(
    {
      listen: `${address.host}:${address.port}`,
      tls: tls.generated ? 'generated self-signed certificate' : 'certificate from files',
      fingerprint256: tls.fingerprint256,
      clientAuth,
    },
    'PostgreSQL gateway listening',
  );
  return {
    ...address,
    gatewayId,
    tls,
    async stop() {
      await gateway.close();
      await recorder.stop();
    },
  };
}
