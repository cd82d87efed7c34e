/**
 * The gateway's Prometheus instruments (docs/gateway.md "Monitoring"): what an operator needs to see at 3 a.m. —
 * sessions open and how they end, statements allowed and refused, logins refused, statements refused because they
 * could not be recorded (the gateway fails closed), and the records waiting for the database, whose age reaching
 * the recorder's limit makes the gateway refuse every statement. Counted around the backend the gateway calls
 * (`withGatewayMetrics`), so the protocol code stays as it is; the waiting records and parse queue are read when
 * Prometheus scrapes. No label carries a user, a resource or a statement: their number is bounded.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { AppError } from '../core/errors.js';
import type { ConnectionFailure, GatewayBackend, GatewayLoginFacts, GatewaySession } from './backend.js';

/** What the metrics read when scraped. */
export interface GatewayMetricSources {
  /** Records journaled but not yet in the database, and how long the oldest has waited (ms; 0 when none). */
  backlog(): { readonly records: number; readonly oldestAgeMs: number };
  /** Long statement texts waiting for a parse worker, and being parsed. */
  parsing(): { readonly waiting: number; readonly parsing: number };
}

export interface GatewayMetrics {
  readonly sessionsOpened: Counter<string>;
  readonly sessionsOpen: Gauge<string>;
  readonly sessionsEnded: Counter<'reason'>;
  readonly loginsRefused: Counter<'reason'>;
  readonly statements: Counter<'decision'>;
  readonly recordFailures: Counter<'reason'>;
  readonly shipFailures: Counter<string>;
}

export function createGatewayMetrics(registry: Registry, sources: GatewayMetricSources): GatewayMetrics {
  const registers = [registry];
  new Gauge({
    name: 'countersign_gateway_unshipped_records',
    help: 'Session records journaled by this gateway and not yet stored in the database',
    registers,
    collect() {
      this.set(sources.backlog().records);
    },
  });
  new Gauge({
    name: 'countersign_gateway_unshipped_oldest_age_seconds',
    help: 'Age of the oldest session record not yet stored in the database (statements are refused past 60 s)',
    registers,
    collect() {
      this.set(sources.backlog().oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: 'countersign_gateway_parse_queue',
    help: 'Statement texts over 8 KiB waiting for or being parsed on a worker thread',
    labelNames: ['state'],
    registers,
    collect() {
      const { waiting, parsing } = sources.parsing();
      this.set({ state: 'waiting' }, waiting);
      this.set({ state: 'parsing' }, parsing);
    },
  });
  return {
    sessionsOpened: new Counter({
      name: 'countersign_gateway_sessions_opened_total',
      help: 'Gateway sessions opened (authenticated, recorded, connected upstream)',
      registers,
    }),
    sessionsOpen: new Gauge({
      name: 'countersign_gateway_sessions_open',
      help: 'Gateway sessions open now',
      registers,
    }),
    sessionsEnded: new Counter({
      name: 'countersign_gateway_sessions_ended_total',
      help: 'Gateway sessions ended, by why (client, revoked, expired, budget, error, shutdown)',
      labelNames: ['reason'],
      registers,
    }),
    loginsRefused: new Counter({
      name: 'countersign_gateway_logins_refused_total',
      help: 'Gateway connections refused before a session began, by why',
      labelNames: ['reason'],
      registers,
    }),
    statements: new Counter({
      name: 'countersign_gateway_statements_total',
      help: 'Statements recorded by the gateway, by decision (allowed, refused by a rule, refused by a built-in rule)',
      labelNames: ['decision'],
      registers,
    }),
    recordFailures: new Counter({
      name: 'countersign_gateway_record_failures_total',
      help: 'Statements refused because they could not be recorded (journal unwritable, or records waiting too long)',
      labelNames: ['reason'],
      registers,
    }),
    shipFailures: new Counter({
      name: 'countersign_gateway_ship_failures_total',
      help: 'Attempts to store journaled session records in the database that failed (retried)',
      registers,
    }),
  };
}

function recordFailureReason(error: unknown): string {
  if (!(error instanceof AppError)) return 'other';
  return error.details?.['reason'] === 'recording_backlog' ? 'backlog' : 'journal';
}

function measuredSession(session: GatewaySession, metrics: GatewayMetrics): GatewaySession {
  let ended = false;
  return {
    ...session,
    check: session.check.bind(session),
    record(seq, sql, check, params) {
      try {
        const recorded = session.record(seq, sql, check, params);
        const decision = check.allowed ? 'allowed' : check.approvable === false ? 'refused_builtin' : 'refused';
        metrics.statements.inc({ decision });
        return recorded;
      } catch (error) {
        metrics.recordFailures.inc({ reason: recordFailureReason(error) });
        throw error;
      }
    },
    outcome: session.outcome.bind(session),
    close(reason) {
      if (!ended) {
        ended = true;
        metrics.sessionsOpen.dec();
        metrics.sessionsEnded.inc({ reason });
      }
      session.close(reason);
    },
  };
}

/** `backend`, counting what passes through it into `metrics`. */
export function withGatewayMetrics<Login extends GatewayLoginFacts>(
  backend: GatewayBackend<Login>,
  metrics: GatewayMetrics,
): GatewayBackend<Login> {
  return {
    ...backend,
    async openSession(login, meta) {
      const session = await backend.openSession(login, meta);
      metrics.sessionsOpened.inc();
      metrics.sessionsOpen.inc();
      return measuredSession(session, metrics);
    },
    connectionFailed(reason: ConnectionFailure) {
      metrics.loginsRefused.inc({ reason });
      backend.connectionFailed?.(reason);
    },
  };
}
