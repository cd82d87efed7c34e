/**
 * `countersign gateway`: a gateway-only process against the same database as the servers — no HTTP API, no
 * scheduler, no provider — that can be run as many times as needed. It loads (never creates) the installation's
 * audit and gateway keys, follows the policy in force and grant changes like a replica (the change follower), and
 * runs the gateway (`gateway-runner.ts`). The database must already be migrated by `serve` or `db migrate`.
 */
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { defaultKeysDir, loadAuditKeys } from '../audit/store/audit-keys.js';
import { AuditLog } from '../audit/store/audit-log.js';
import { ChangeFeed } from '../app/change-events.js';
import type { AppContext } from '../app/context.js';
import { StorePolicyRuntime } from '../app/policy-runtime.js';
import { systemClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { GatewayClientAuth } from '../gateway/postgres/client-auth.js';
import { restorePolicy } from '../features/governance/index.js';
import { openDatabase } from '../store/database.js';
import { ChangeFollower } from './change-follower.js';
import { loadGatewayKeys } from './gateway-keys.js';
import { startGateway, type RunningGateway } from './gateway-runner.js';
import { startMetricsListener, type MetricsListener } from './gateway-metrics-listener.js';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface GatewayProcessConfig {
  readonly db: string;
  readonly listen: string;
  readonly keys?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientAuth?: GatewayClientAuth;
  readonly journal?: string;
  /** The lease's timings (see features/sessions/gateway-liveness.ts); checked by the command before this starts. */
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /** Where to serve `/metrics` (and `/healthz`); needs `metricsToken`, the scrape secret. */
  readonly metricsListen?: string;
  readonly metricsToken?: string | undefined;
}

export interface RunningGatewayProcess {
  readonly gateway: RunningGateway;
  readonly metrics?: MetricsListener;
  close(): Promise<void>;
}

export async function startGatewayProcess(
  config: GatewayProcessConfig,
  logger: Logger,
): Promise<RunningGatewayProcess> {
  const database = await openDatabase(config.db);
  const stops: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    const keysDir = config.keys ? resolve(config.keys) : defaultKeysDir(config.db);
    const keys = await loadAuditKeys(keysDir);
    const restored = await restorePolicy(database);
    if (restored === undefined) {
      throw new AppError('invalid', 'the database has no policy loaded yet: start `countersign serve` on it first');
    }
    const runtime = new StorePolicyRuntime(restored.policy);
    const app: AppContext = {
      database,
      clock: systemClock,
      auditLog: new AuditLog(database.dialect, keys.hmacKey, keys.dataKey ? { dataKey: keys.dataKey } : {}),
      policy: runtime,
      providers: new Map(),
      changes: new ChangeFeed((error) => logger.error({ err: error }, 'a change listener failed')),
      gateway: await loadGatewayKeys(keysDir),
    };
    const listeners = new Set<() => void>();
    const follower = new ChangeFollower({
      database,
      url: config.db,
      runtime,
      logger,
      onGrantsChanged: () => listeners.forEach((listener) => listener()),
    });
    await follower.start();
    stops.push(() => follower.stop());
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'countersign_' });
    const gateway = await startGateway(
      app,
      logger,
      {
        metrics: registry,
        listen: config.listen,
        ...(config.tlsCert !== undefined ? { tlsCert: config.tlsCert } : {}),
        ...(config.tlsKey !== undefined ? { tlsKey: config.tlsKey } : {}),
        ...(config.clientAuth !== undefined ? { clientAuth: config.clientAuth } : {}),
        journalDir: config.journal ?? join(dirname(keysDir), 'gateway-journal'),
        ...(config.heartbeatMs === undefined ? {} : { heartbeatMs: config.heartbeatMs }),
        ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
      },
      (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    );
    stops.push(() => gateway.stop());
    if (config.metricsListen === undefined) return { gateway, close: stopAll };
    const metrics = await startMetricsListener(config.metricsListen, registry, config.metricsToken);
    stops.push(() => metrics.close());
    return { gateway, metrics, close: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
