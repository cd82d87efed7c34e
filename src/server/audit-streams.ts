/**
 * Wiring of the audit streams (issue 13): one `AuditStreamer` per configured sink, each run by a `PeriodicWorker`
 * that polls every few seconds, runs at once when this process appends audit events (the change feed), backs off
 * while its sink fails, and gives the sink's lease back on stop. Missing secrets stop the start with an error
 * naming the variable; an unreachable sink does not (it shows as lag and failures, and is retried).
 */
import type { AppContext } from '../app/context.js';
import { wakeOnAuditAppends } from '../app/change-events.js';
import { AppError } from '../core/errors.js';
import { AuditStreamer, createSink, secretVariablesOf, type AuditSinkSpec } from '../features/audit-stream/index.js';
import type { Metrics } from '../http/metrics.js';
import { PeriodicWorker, type WorkerLogger } from './periodic-worker.js';

/** The longest wait between runs of a stream's worker (the backoff's cap); it usually runs far sooner. */
const STREAM_WORKER_INTERVAL_MS = 60_000;

export interface AuditStreamsOptions {
  readonly app: AppContext;
  readonly sinks: readonly AuditSinkSpec[];
  readonly installationId: string;
  readonly metrics: Metrics;
  readonly logger: WorkerLogger & { warn(fields: Readonly<Record<string, unknown>>, message: string): void };
  readonly env?: NodeJS.ProcessEnv;
}

/** Fails naming every environment variable a sink needs but is not set (never a value). */
export function checkStreamSecrets(sinks: readonly AuditSinkSpec[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = sinks.flatMap((spec) =>
    secretVariablesOf(spec)
      .filter((variable) => (env[variable] ?? '') === '')
      .map((variable) => `audit stream '${spec.name}': the environment variable ${variable} is not set`),
  );
  if (missing.length > 0) {
    throw new AppError('invalid', `the server configuration is invalid:\n  ${missing.join('\n  ')}`, {
      problems: missing,
    });
  }
}

/** Starts a worker per sink; resolves to the function that stops them all. */
export function startAuditStreams(options: AuditStreamsOptions): () => Promise<void> {
  const { app, metrics, logger } = options;
  checkStreamSecrets(options.sinks, options.env);
  const stops = options.sinks.map((spec) => {
    const streamer = new AuditStreamer({
      database: app.database,
      sink: createSink(spec, options.env),
      installationId: options.installationId,
      clock: app.clock,
      onFailure: (sink, error) => {
        metrics.auditStreamFailures.inc({ sink });
        logger.warn({ sink, error }, `audit stream '${sink}' failed; it is retried from its cursor`);
      },
      onDelivered: (sink, events) => metrics.auditStreamDelivered.inc({ sink }, events),
    });
    const worker = new PeriodicWorker({
      name: `the audit stream '${spec.name}'`,
      run: () => streamer.runOnce(),
      intervalMs: STREAM_WORKER_INTERVAL_MS,
      nextDelayMs: async () => streamer.nextDelayMs(),
      lease: streamer.lease,
      logger,
    });
    // Not awaited: a first pass against a slow or absent sink must not hold up the start.
    void worker.start();
    const unfollow = wakeOnAuditAppends(app.changes, worker);
    return async () => {
      unfollow();
      await worker.stop();
      await streamer.close();
    };
  });
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
