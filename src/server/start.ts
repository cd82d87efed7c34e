/**
 * The one place that wires Countersign together: configuration → database (migrated) → audit keys → policy →
 * providers → verbs' context → background workers (scheduler, checkpointer, outbox, change follower) → HTTP. `startCountersign`
 * returns once the server listens and `/readyz` answers 200; `close()` stops everything in reverse order and
 * writes a last checkpoint so the tail of the log is signed.
 */
import { dirname, join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { pino, type Logger } from 'pino';
import { ensureAuditKeys } from '../audit/store/audit-keys.js';
import { AuditLog } from '../audit/store/audit-log.js';
import { Checkpointer } from '../audit/store/checkpointer.js';
import { JsonlFileWitness } from '../audit/witness.js';
import { BearerAuthenticator } from '../http/auth/authenticator.js';
import { CachedAuthenticator } from '../http/auth/cached-authenticator.js';
import { systemClock, type Clock } from '../core/clock.js';
import { CheckService } from '../features/access/index.js';
import type { AppContext } from '../app/context.js';
import { ChangeFeed, wakeOnUrgentNotifications } from '../app/change-events.js';
import { StorePolicyRuntime } from '../app/policy-runtime.js';
import { ObservationJob } from '../features/grants/index.js';
import { RevocationJournal } from '../app/revocation-journal.js';
import { Scheduler } from './scheduler.js';
import { buildApp } from '../http/app.js';
import { createMetrics } from '../http/metrics.js';
import { OutboxDelivery } from '../features/notifications/index.js';
import { chatWebhookSender, slackSender } from '../features/chat/index.js';
import type { ProviderType } from '../policy/model.js';
import type { Provider } from '../providers/provider.js';
import { openDatabase } from '../store/database.js';
import { readInstallationId } from '../store/installation.js';
import { migrateToLatest } from '../store/migrate.js';
import { defaultKeysDir } from '../audit/store/audit-keys.js';
import { ChangeFollower } from './change-follower.js';
import { startGateway } from './gateway-runner.js';
import { gatewayKeysIn } from './gateway-keys.js';
import { checkStreamSecrets, startAuditStreams } from './audit-streams.js';
import { METRICS_FEED_INTERVAL_MS, MetricsFeed } from './metrics-feed.js';
import { PeriodicWorker } from './periodic-worker.js';
import { buildProviderRegistry, closeProviders, dryRunProviderRegistry } from './providers.js';
import type { ServeConfig } from './serve-config.js';
import { apiOidcVerifier, chatSettings, signInConfig } from './sign-in-config.js';
import { emptyPolicy, establishPolicy } from './establish-policy.js';

export interface RunningServer {
  /** `http://host:port` the API listens on. */
  readonly url: string;
  readonly app: AppContext;
  readonly keysDir: string;
  /** Where the policy in force came from: a directory, or the database (restored). */
  readonly policySource: string;
  /** True when every provider is `noop` (the bundled example, or `--dry-run`). */
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** `host:port` the PostgreSQL gateway listens on, when `--gateway-listen` asked for one. */
  readonly gatewayAddress?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  /** A logger to use instead of the JSON logger on stdout (tests pass a silent one). */
  readonly logger?: Logger;
}

/** Redacted wherever they appear in a log line: credentials, tokens and secrets never reach the logs. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.credential',
  '*.secret',
  '*.dsn',
];

export function createLogger(level: ServeConfig['logLevel']): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** Starts the whole server; throws an `AppError` naming the problem when something cannot start. */
export async function startCountersign(config: ServeConfig, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.db);
  const stops: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.error({ error }, 'stop failed'));
  };
  try {
    checkStreamSecrets(config.auditStream);
    const migrated = await migrateToLatest(database);
    if (migrated.error) throw migrated.error;

    const keysDir = config.keys ? resolve(config.keys) : defaultKeysDir(config.db);
    const { keys, created, createdDataKey } = await ensureAuditKeys(keysDir);
    if (created)
      logger.info({ keysDir }, 'generated audit signing, HMAC and data keys; keep a copy of the public key elsewhere');
    else if (createdDataKey)
      logger.info(
        { keysDir },
        'generated the audit data key (audit-data.key), which keeps output values readable to auditors; back it up, and give every replica the same one',
      );

    // Gateway-only actions seal their provider credential under this key (issue 14); every replica needs the same.
    const gateway = await gatewayKeysIn(keysDir);
    if (gateway.created) logger.info({ keysDir }, 'generated the gateway credential key (gateway-credential.key)');

    // Revokes done while the store refuses writes wait here to be recorded (SPEC §2.8); opened before the scheduler.
    const journalDir = config.revocationJournal
      ? resolve(config.revocationJournal)
      : join(dirname(keysDir), 'revocations');
    const revocations = await RevocationJournal.open(journalDir);
    stops.push(() => revocations.close());
    const metrics = createMetrics();
    const runtime = new StorePolicyRuntime(emptyPolicy());
    // Filled once the policy in force is known: a dry run answers every provider type with `noop`.
    const providers = new Map<ProviderType, Provider>();
    const witnessPath = config.witness ? resolve(config.witness) : join(dirname(keysDir), 'witness.jsonl');
    const app: AppContext = {
      database,
      clock,
      auditLog: new AuditLog(database.dialect, keys.hmacKey, {
        dataKey: keys.dataKey,
        onAppended: (seconds) => metrics.auditAppendLatency.observe(seconds),
        onFailed: () => metrics.auditAppendFailures.inc(),
      }),
      policy: runtime,
      providers,
      // What verbs commit reaches the outbox (below), the check index and the token cache (`buildApp`).
      changes: new ChangeFeed((error) => logger.error({ err: error }, 'a change listener failed')),
      auditSigningKey: keys.privateKey,
      certificationMinWindowMs: config.certificationMinWindow,
      allowedConnections: config.allowConnection,
      revocations,
      auditWitnessPath: witnessPath,
      gateway: gateway.keys,
    };
    const policy = await establishPolicy(app, runtime, database, config.policy);
    const dryRun = config.dryRun ?? policy.isBundledExample;
    const registry = dryRun
      ? dryRunProviderRegistry()
      : buildProviderRegistry({ installationId: await readInstallationId(database) });
    for (const [type, provider] of registry) {
      providers.set(type, provider);
    }
    stops.push(() => closeProviders(app.providers));
    logger.info({ policy: policy.source, dryRun }, 'policy in force');
    const policySource = policy.source;

    const scheduler = new Scheduler(app, {
      logger,
      intervalMs: config.schedulerIntervalMs,
      abandonGraceMs: config.gatewayAbandonGrace,
    });
    await scheduler.start();
    stops.push(() => scheduler.stop());

    // Each background job runs in a PeriodicWorker: at once on start, then every interval; stop waits for its run.
    const observation = new ObservationJob(app, { logger, intervalMs: config.observeIntervalMs });
    const observer = new PeriodicWorker({
      name: 'the resource observer',
      run: () => observation.runOnce(),
      intervalMs: observation.intervalMs,
      lease: observation.lease,
      logger,
    });
    await observer.start();
    stops.push(() => observer.stop());

    const checkpointer = new Checkpointer({
      database,
      keys,
      clock,
      witnesses: [new JsonlFileWitness(witnessPath)],
      logger,
    });
    const checkpoints = new PeriodicWorker({
      name: 'the audit checkpointer',
      run: () => checkpointer.tick(),
      intervalMs: checkpointer.intervalMs,
      lease: checkpointer.lease,
      logger,
    });
    await checkpoints.start();
    stops.push(async () => {
      await checkpointer.checkpointNow();
      await checkpoints.stop();
    });

    // Slack, Teams and Mattermost notifiers are delivered by the chat feature's senders (issue 13).
    const slack = chatSettings(config);
    const chatWebhooks = chatWebhookSender({
      ...(slack.publicUrl !== undefined ? { publicUrl: slack.publicUrl } : {}),
    });
    const delivery = new OutboxDelivery({
      database,
      notifiers: () => runtime.notifiers(),
      clock,
      logger,
      senders: { slack: slackSender(app, slack), teams: chatWebhooks, mattermost: chatWebhooks },
    });
    const outbox = new PeriodicWorker({
      name: 'the outbox delivery',
      run: () => delivery.deliverDue(),
      intervalMs: delivery.intervalMs,
      logger,
      keepsProcessAlive: true,
    });
    // Not awaited: a first pass against slow receivers must not hold up the start.
    void outbox.start();
    stops.push(() => outbox.stop());
    const unfollowUrgent = wakeOnUrgentNotifications(app.changes, outbox);
    stops.push(async () => {
      unfollowUrgent();
    });

    // The audit streams (operator-configured sinks) deliver every event at least once, in order.
    const stopStreams = startAuditStreams({
      app,
      sinks: config.auditStream,
      installationId: await readInstallationId(database),
      metrics,
      logger,
    });
    stops.push(stopStreams);

    const metricsFeed = new MetricsFeed(database, metrics, {
      auditStreams: config.auditStream.map((sink) => sink.name),
      clock,
    });
    const metricsWorker = new PeriodicWorker({
      name: 'the metrics feed',
      run: () => metricsFeed.refresh(),
      intervalMs: METRICS_FEED_INTERVAL_MS,
      logger,
    });
    await metricsWorker.start();
    stops.push(() => metricsWorker.stop());

    // Shared with the HTTP routes, and told by the follower when another replica changed grants.
    const checks = new CheckService(app, {
      onError: (error) => logger.error({ err: error }, 'check service: background refresh or flush failed'),
    });
    stops.push(() => checks.close());
    const remoteGrantListeners = new Set<() => void>();
    const follower = new ChangeFollower({
      database,
      url: config.db,
      runtime,
      checks,
      logger,
      onGrantsChanged: () => remoteGrantListeners.forEach((listener) => listener()),
    });
    await follower.start();
    stops.push(() => follower.stop());

    // The PostgreSQL access gateway (issue 14), when asked for: its sessions end when their grant ends here or on
    // another replica (the follower's NOTIFY).
    let gatewayAddress: string | undefined;
    if (config.gatewayListen !== undefined) {
      const running = await startGateway(
        app,
        logger,
        {
          listen: config.gatewayListen,
          ...(config.gatewayTlsCert !== undefined ? { tlsCert: config.gatewayTlsCert } : {}),
          ...(config.gatewayTlsKey !== undefined ? { tlsKey: config.gatewayTlsKey } : {}),
          clientAuth: config.gatewayClientAuth,
          journalDir: config.gatewayJournal ?? join(dirname(keysDir), 'gateway-journal'),
          heartbeatMs: config.gatewayHeartbeat,
          leaseMs: config.gatewayLease,
          metrics: metrics.registry,
        },
        (listener) => {
          remoteGrantListeners.add(listener);
          return () => remoteGrantListeners.delete(listener);
        },
      );
      stops.push(() => running.stop());
      const host = running.host.includes(':') ? `[${running.host}]` : running.host;
      gatewayAddress = `${host}:${running.port}`;
    }

    let ready = false;
    const oidc = apiOidcVerifier(config, clock);
    const http = buildApp({
      app,
      signIn: await signInConfig(config, clock),
      ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
      auth: new CachedAuthenticator(new BearerAuthenticator(app, oidc), { now: () => app.clock.now() }),
      logger: logger as FastifyBaseLogger,
      metrics,
      checks,
      ready: () => ready,
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
      slack,
    });
    await http.listen({ port: config.port, host: config.host });
    stops.push(async () => {
      ready = false;
      await http.close();
    });
    ready = true;
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `http://${host}:${port}`,
      app,
      keysDir,
      policySource,
      dryRun,
      logger,
      ...(gatewayAddress !== undefined ? { gatewayAddress } : {}),
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
