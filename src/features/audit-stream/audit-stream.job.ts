/**
 * Delivers the audit log to one sink (SPEC §2.10, issue 13): every event, in `seq` order, at least once. One run
 * takes the sink's named lease (`audit.stream:<name>`, so one replica at a time delivers to a sink), then sends
 * batches of events after the sink's durable cursor and moves the cursor past each batch the sink acknowledged,
 * until it is caught up or has sent `maxBatchesPerRun` batches. A failure is recorded on the cursor, and the sink
 * is left alone for a backoff (1 s doubling to 60 s) however often the change feed wakes the worker.
 *
 * The stream only reads the log: it never holds up or fails an append. After a restart, a lost lease or an outage
 * it resumes after the cursor, so nothing is skipped; a batch the sink took but whose acknowledgement was lost is
 * sent again (consumers deduplicate by `seq`). `server/` runs `runOnce` in a `PeriodicWorker`.
 */
import { hostname } from 'node:os';
import { readAuditEventPages } from '../../audit/store/audit-store.js';
import { toStreamRecord } from '../../audit/stream-record.js';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/clock.js';
import type { Database } from '../../store/database.js';
import { NamedLease } from '../../store/lease.js';
import { messageOf, type AuditSink } from './audit-sink.js';
import { advanceCursor, ensureCursor, readCursor, recordFailure } from './cursors.repo.js';

export const DEFAULT_STREAM_BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
/** How often a caught-up sink looks for events appended by other replicas (this one's wake the worker). */
export const STREAM_POLL_MS = 2000;

export interface AuditStreamerOptions {
  readonly database: Database;
  readonly sink: AuditSink;
  readonly installationId: string;
  readonly clock: Clock;
  /** Stable id of this process in the lease (default `host:pid:random`). */
  readonly owner?: string;
  /** How long the delivery lease holds; longer than a batch can take (sinks time out after 10 s). */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** Told of each failed delivery (the wiring counts them in a metric). */
  readonly onFailure?: (sink: string, error: string) => void;
  /** Told of each acknowledged batch. */
  readonly onDelivered?: (sink: string, events: number) => void;
}

export type StreamSkip = 'lease_held_elsewhere' | 'backing_off';

export interface StreamRun {
  readonly delivered: number;
  /** The cursor after the run. */
  readonly cursor?: number;
  /** True when no event was left after the cursor. */
  readonly caughtUp: boolean;
  readonly skipped?: StreamSkip;
  readonly error?: string;
}

export class AuditStreamer {
  readonly lease: NamedLease;
  readonly #options: AuditStreamerOptions;
  readonly #batchSize: number;
  #described = false;
  #failures = 0;
  #retryAt = 0;
  #behind = false;

  constructor(options: AuditStreamerOptions) {
    this.#options = options;
    this.#batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? DEFAULT_STREAM_BATCH), 1), 5000);
    this.lease = new NamedLease(options.database.db, {
      name: `audit.stream:${options.sink.name}`,
      owner: options.owner ?? `${hostname()}:${process.pid}:${newId('ast')}`,
      leaseMs: options.leaseMs ?? 30_000,
      now: () => options.clock.now(),
    });
  }

  get sink(): AuditSink {
    return this.#options.sink;
  }

  /** When the worker should run next: at once while behind, after the backoff while failing, else on the poll. */
  nextDelayMs(): number {
    if (this.#failures > 0) return Math.max(0, this.#retryAt - this.#options.clock.now());
    return this.#behind ? 0 : STREAM_POLL_MS;
  }

  /** One run: see the module comment. Never throws for a sink failure (it is recorded and returned). */
  async runOnce(): Promise<StreamRun> {
    const { database, sink, clock } = this.#options;
    const db = database.db;
    if (this.#failures > 0 && clock.now() < this.#retryAt)
      return { delivered: 0, caughtUp: false, skipped: 'backing_off' };
    if (!(await this.lease.hold())) {
      this.#behind = false;
      return { delivered: 0, caughtUp: false, skipped: 'lease_held_elsewhere' };
    }
    let cursor = this.#described
      ? ((await readCursor(db, sink.name))?.deliveredSeq ?? 0)
      : (await ensureCursor(db, { sink: sink.name, kind: sink.kind, target: sink.target }, clock.now())).deliveredSeq;
    this.#described = true;
    let delivered = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const events = await firstPage(database, cursor, this.#batchSize);
      if (events.length === 0) {
        this.#behind = false;
        return { delivered, cursor, caughtUp: true };
      }
      // Renewed before each batch: the lease must outlast the batch it covers.
      if (batch > 0 && !(await this.lease.hold())) break;
      const records = events.map((event) => toStreamRecord(this.#options.installationId, event));
      try {
        await sink.deliver(records);
      } catch (error) {
        return this.#failed(messageOf(error), delivered, cursor);
      }
      const last = records[records.length - 1]?.seq ?? cursor;
      const moved = await advanceCursor(db, {
        sink: sink.name,
        toSeq: last,
        now: clock.now(),
        lease: { name: this.lease.name, owner: this.lease.owner },
      });
      if (!moved) break; // another replica took the lease: it goes on from the cursor
      this.#failures = 0;
      delivered += records.length;
      cursor = last;
      this.#options.onDelivered?.(sink.name, records.length);
    }
    this.#behind = true;
    return { delivered, cursor, caughtUp: false };
  }

  async #failed(error: string, delivered: number, cursor: number): Promise<StreamRun> {
    const { database, sink, clock } = this.#options;
    this.#failures += 1;
    this.#behind = false;
    this.#retryAt = clock.now() + Math.min(FIRST_BACKOFF_MS * 2 ** (this.#failures - 1), MAX_BACKOFF_MS);
    this.#options.onFailure?.(sink.name, error);
    await recordFailure(database.db, sink.name, error, clock.now());
    return { delivered, cursor, caughtUp: false, error };
  }

  /** Stops: closes the sink's connection (the worker gives the lease back). */
  async close(): Promise<void> {
    await this.#options.sink.close();
  }
}

async function firstPage(database: Database, afterSeq: number, batchSize: number) {
  const pages = readAuditEventPages(database.db, { afterSeq, batchSize });
  try {
    const first = await pages.next();
    return first.done === true ? [] : first.value;
  } finally {
    await pages.return(undefined);
  }
}
