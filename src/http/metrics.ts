/**
 * The Prometheus instruments of one Countersign process (SPEC §4 `/metrics`). `createMetrics()` builds them on
 * a registry of their own (never prom-client's global one, so that several apps can live in one process, as in
 * tests); the HTTP layer feeds the request counter, and the wiring hands the same `Metrics` to the scheduler,
 * the audit log and the verbs that feed the rest.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** HTTP requests answered, by method, route template (`/v1/requests/:id`, never the raw URL) and status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Time to answer HTTP requests, in seconds, by method and route template. */
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** Seconds from a request's creation to its final approval. */
  readonly approvalLatency: Histogram<string>;
  /** Requests waiting for approval now. */
  readonly pendingRequests: Gauge<string>;
  /** Grants active now. */
  readonly activeGrants: Gauge<string>;
  /** Revocations that failed (each attempt), by provider type. */
  readonly revokeFailures: Counter<'provider'>;
  /** Seconds to append one batch of audit events. */
  readonly auditAppendLatency: Histogram<string>;
  /** Open drift findings, by severity. */
  readonly driftFindings: Gauge<'severity'>;
  /** Audit appends that failed (each one refused a change: the log is fail-closed). */
  readonly auditAppendFailures: Counter<string>;
  /** Seconds the oldest pending request has waited for approval (0 when none waits). */
  readonly pendingRequestOldestAge: Gauge<string>;
  /** Audit events not yet covered by a signed checkpoint. */
  readonly auditUnsignedEvents: Gauge<string>;
  /** Seconds the oldest event not covered by a signed checkpoint has waited (0 when all are signed). */
  readonly auditUnsignedOldestAge: Gauge<string>;
  /** Events appended but not yet acknowledged by an audit stream sink, by sink. */
  readonly auditStreamLagEvents: Gauge<'sink'>;
  /** Age of the oldest event a sink has not acknowledged, in seconds (0 when caught up), by sink. */
  readonly auditStreamLagSeconds: Gauge<'sink'>;
  /** Failed deliveries to an audit stream sink (each batch attempt), by sink. */
  readonly auditStreamFailures: Counter<'sink'>;
  /** Events acknowledged by an audit stream sink (by this process), by sink. */
  readonly auditStreamDelivered: Counter<'sink'>;
}

export interface MetricsOptions {
  /** Also collect Node's process metrics (event loop lag, memory, …); default true. */
  readonly processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'countersign_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'countersign_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'countersign_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method and route template',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    approvalLatency: new Histogram({
      name: 'countersign_approval_latency_seconds',
      help: 'Seconds from request creation to final approval',
      buckets: [1, 10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600],
      registers,
    }),
    pendingRequests: new Gauge({
      name: 'countersign_pending_requests',
      help: 'Requests waiting for approval',
      registers,
    }),
    activeGrants: new Gauge({ name: 'countersign_active_grants', help: 'Grants active now', registers }),
    revokeFailures: new Counter({
      name: 'countersign_revoke_failures_total',
      help: 'Failed revocation attempts, by provider type',
      labelNames: ['provider'],
      registers,
    }),
    auditAppendLatency: new Histogram({
      name: 'countersign_audit_append_latency_seconds',
      help: 'Seconds to append one batch of audit events',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    }),
    driftFindings: new Gauge({
      name: 'countersign_drift_findings',
      help: 'Open drift findings, by severity',
      labelNames: ['severity'],
      registers,
    }),
    auditAppendFailures: new Counter({
      name: 'countersign_audit_append_failures_total',
      help: 'Audit appends that failed; each refused the change it recorded (fail closed)',
      registers,
    }),
    pendingRequestOldestAge: new Gauge({
      name: 'countersign_pending_request_oldest_age_seconds',
      help: 'Seconds the oldest request waiting for approval has waited (0 when none waits)',
      registers,
    }),
    auditUnsignedEvents: new Gauge({
      name: 'countersign_audit_unsigned_events',
      help: 'Audit events not yet covered by a signed checkpoint',
      registers,
    }),
    auditUnsignedOldestAge: new Gauge({
      name: 'countersign_audit_unsigned_oldest_age_seconds',
      help: 'Seconds the oldest audit event not covered by a signed checkpoint has waited (0 when all are signed)',
      registers,
    }),
    auditStreamLagEvents: new Gauge({
      name: 'countersign_audit_stream_lag_events',
      help: 'Audit events appended but not yet acknowledged by the sink',
      labelNames: ['sink'],
      registers,
    }),
    auditStreamLagSeconds: new Gauge({
      name: 'countersign_audit_stream_lag_seconds',
      help: 'Age of the oldest audit event the sink has not acknowledged (0 when caught up)',
      labelNames: ['sink'],
      registers,
    }),
    auditStreamFailures: new Counter({
      name: 'countersign_audit_stream_failures_total',
      help: 'Failed deliveries of a batch of audit events to the sink',
      labelNames: ['sink'],
      registers,
    }),
    auditStreamDelivered: new Counter({
      name: 'countersign_audit_stream_delivered_events_total',
      help: 'Audit events the sink acknowledged, delivered by this process',
      labelNames: ['sink'],
      registers,
    }),
  };
}
