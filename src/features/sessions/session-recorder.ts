/**
 * `startSessionRecorder` (issue 14): what a gateway records its sessions with. `statement` writes the record to
 * the local journal synchronously and returns — no database round trip per statement — and a shipper moves
 * journal records into the database in batches (session-shipper.ts). Fail closed: `statement` throws when the
 * journal cannot be written, or when the backlog of records not yet in the database is too large or too old (the
 * database has been down too long); the gateway then refuses the statement. On start the recorder first ships
 * what an earlier process left in the journal directory and closes that process's sessions as `abnormal`; while
 * it runs it heartbeats a lease named `gateway:<gatewayId>`, so that if it dies the scheduler closes its sessions
 * (`closeAbandonedSessions`).
 */
import { newId } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import { acquireNamedLease, releaseNamedLease } from '../../store/lease.js';
import type { AppContext } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';
import { SessionJournal, type JournalSegment } from './session-journal.js';
import type { GatewayEndReason, JournalRecord, StatementOutcome, StatementRecord } from './session-records.js';
import { shipBatch } from './session-shipper.js';
import { recordedError } from './statement-error.js';
import { openLine, sealLine } from './journal-seal.js';
import { closeSession } from './sessions.repo.js';
import { withdrawCancelKeys } from './cancel-keys.repo.js';
import { resolveGatewayLiveness } from './gateway-liveness.js';

export interface SessionRecorder {
  /** Synchronous durable journal write BEFORE the statement is forwarded; throws when it cannot record (fail closed). */
  statement(sessionId: string, record: StatementRecord): { refusalId?: string };
  outcome(sessionId: string, seq: number, outcome: StatementOutcome): void;
  close(sessionId: string, end: { reason: GatewayEndReason; at: number }): void;
  /** Records journaled and not yet in the database, and the age of the oldest (ms; 0 when none), for the metrics. */
  backlog(): { readonly records: number; readonly oldestAgeMs: number };
  /** Ships everything journaled, then stops (the journal is emptied of what was shipped). */
  stop(): Promise<void>;
}

export interface SessionRecorderOptions {
  readonly gatewayId: string;
  readonly journalDir: string;
  /** How often the shipper runs (default 100 ms); it also runs as soon as a batch is full. */
  readonly shipIntervalMs?: number;
  /** Records per shipping transaction (default 500). */
  readonly batchSize?: number;
  /** `statement` refuses once this many records wait for the database (default 100,000). */
  readonly maxBacklogRecords?: number;
  /** `statement` refuses once the oldest record waiting for the database is this old (default 60 s). */
  readonly maxBacklogAgeMs?: number;
  /** How often the gateway's lease is renewed (default 5 s). */
  readonly heartbeatMs?: number;
  /** How long the lease lasts after each renewal (default three heartbeats; at least two, see gateway-liveness.ts). */
  readonly leaseMs?: number;
  /** Told when a shipping attempt fails (the wiring logs it); shipping is retried. */
  readonly onShipError?: (error: unknown) => void;
}

/** The lease a live gateway renews; `closeAbandonedSessions` ends the sessions of a gateway whose lease lapsed. */
export function gatewayLeaseName(gatewayId: string): string {
  return `gateway:${gatewayId}`;
}

interface Pending {
  readonly record: JournalRecord;
  readonly segment: JournalSegment;
  readonly at: number;
}

/** Ships what an earlier process left in the journal, then closes its sessions that never recorded an end. */
async function shipLeftovers(app: AppContext, journal: SessionJournal, batchSize: number): Promise<void> {
  for (const { path, records } of journal.leftovers()) {
    for (let start = 0; start < records.length; start += batchSize) {
      const batch = records
        .slice(start, start + batchSize)
        .map((record) => openLine(app.gateway?.credentialKey, record));
      await shipBatch(app, batch);
    }
    const opened = new Set(records.map((record) => record.id));
    for (const record of records) if (record.t === 'c') opened.delete(record.id);
    await closeAbnormally(app, [...opened]);
    journal.discard(path);
  }
}

/** Closes still-open sessions as `abnormal` (their gateway died), audited. */
export async function closeAbnormally(app: AppContext, sessionIds: readonly string[]): Promise<number> {
  if (sessionIds.length === 0) return 0;
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const rows = await trx
      .selectFrom('gateway_sessions')
      .select(['id', 'identity', 'resource', 'grant_id', 'gateway_id'])
      .where('id', 'in', [...sessionIds])
      .where('closed_at', 'is', null)
      .execute();
    await withdrawCancelKeys(trx, [...sessionIds]);
    for (const row of rows) {
      if (!(await closeSession(trx, row.id, 'abnormal', now))) continue;
      audit({
        actor: 'system:scheduler',
        action: 'gateway.session.close',
        subject: `session:${row.id}`,
        details: {
          sessionId: row.id,
          resource: row.resource,
          grantId: row.grant_id,
          gatewayId: row.gateway_id,
          reason: 'abnormal',
        },
      });
    }
    return rows.length;
  });
  return value;
}

export async function startSessionRecorder(app: AppContext, options: SessionRecorderOptions): Promise<SessionRecorder> {
  const shipIntervalMs = options.shipIntervalMs ?? 100;
  const batchSize = options.batchSize ?? 500;
  const maxBacklogRecords = options.maxBacklogRecords ?? 100_000;
  const maxBacklogAgeMs = options.maxBacklogAgeMs ?? 60_000;
  const timings = resolveGatewayLiveness({
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  if (timings.problems.length > 0) throw new AppError('invalid', timings.problems.join('; '));
  const { heartbeatMs, leaseMs } = timings.liveness;
  const lease = gatewayLeaseName(options.gatewayId);
  const owner = newId('gwr');
  const heartbeat = (): Promise<boolean> =>
    acquireNamedLease(app.database.db, { name: lease, owner, now: app.clock.now(), leaseMs });

  const journal = SessionJournal.open(options.journalDir);
  try {
    await shipLeftovers(app, journal, batchSize);
    await heartbeat();
  } catch (error) {
    journal.close();
    throw error;
  }

  const pending: Pending[] = [];
  let shipping: Promise<void> | undefined;
  let stopped = false;

  const ship = (): Promise<void> => {
    if (shipping !== undefined) return shipping;
    const round = async (): Promise<void> => {
      try {
        while (pending.length > 0) {
          const batch = pending.slice(0, batchSize);
          await shipBatch(
            app,
            batch.map((item) => item.record),
          );
          pending.splice(0, batch.length);
          for (const item of batch) journal.shipped(item.segment);
        }
      } catch (error) {
        options.onShipError?.(error);
      }
    };
    // Cleared in a `finally` callback, which always runs after this assignment: a round with nothing to ship ends
    // synchronously, and clearing inside it would run first and leave the finished round in place for good.
    shipping = round().finally(() => {
      shipping = undefined;
    });
    return shipping;
  };

  const write = (record: JournalRecord): void => {
    if (stopped) throw new AppError('internal', 'the session recorder is stopped');
    // The disk gets the statement sealed; the shipper, which holds it in memory, gets it as it was.
    const segment = journal.append(sealLine(app.gateway?.credentialKey, record));
    pending.push({ record, segment, at: Date.now() });
    if (pending.length >= batchSize) void ship();
  };

  const timers = [
    setInterval(() => void ship(), shipIntervalMs),
    setInterval(() => journal.sync(), Math.max(shipIntervalMs, 50)),
    setInterval(() => void heartbeat().catch(() => undefined), heartbeatMs),
  ];
  for (const timer of timers) timer.unref();

  return {
    statement(sessionId, record) {
      const oldest = pending[0];
      if (pending.length >= maxBacklogRecords || (oldest !== undefined && Date.now() - oldest.at > maxBacklogAgeMs)) {
        throw new AppError(
          'database_unavailable',
          'the gateway cannot record statements: the database has not taken its records for too long',
          { reason: 'recording_backlog', retryable: true },
        );
      }
      const refusalId = record.decision.allowed ? undefined : newId('ref');
      write({
        t: 's',
        id: sessionId,
        seq: record.seq,
        at: record.at,
        sql: record.sql,
        ...(record.params === undefined ? {} : { params: record.params }),
        ...(record.paramsOf === undefined ? {} : { paramsOf: record.paramsOf }),
        facts: record.facts.map(({ kind, command, tables, fingerprint }) => ({ kind, command, tables, fingerprint })),
        decision: {
          allowed: record.decision.allowed,
          builtIn: record.decision.builtIn,
          message: record.decision.message,
          ...(record.decision.rule === undefined ? {} : { rule: record.decision.rule }),
        },
        ...(refusalId === undefined ? {} : { refusalId }),
      });
      return refusalId === undefined ? {} : { refusalId };
    },
    outcome(sessionId, seq, outcome) {
      const error = recordedError(outcome.error);
      write({
        t: 'o',
        id: sessionId,
        seq,
        rows: outcome.rows,
        bytes: outcome.bytes,
        ms: outcome.durationMs,
        ...(outcome.commandTag === undefined ? {} : { tag: outcome.commandTag }),
        ...(outcome.error === undefined ? {} : { code: outcome.error.code }),
        ...(error === undefined ? {} : { error }),
      });
    },
    close(sessionId, end) {
      write({ t: 'c', id: sessionId, reason: end.reason, at: end.at });
      void ship();
    },
    backlog() {
      const oldest = pending[0];
      return { records: pending.length, oldestAgeMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest.at) };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await shipping;
      await ship();
      journal.close();
      await releaseNamedLease(app.database.db, lease, owner).catch(() => undefined);
    },
  };
}
