/**
 * The decision log of `check` without a transaction per call: denials (and refused questions about others) are
 * aggregated in memory per (caller, identity, resource, action, reason code) with a count and first/last time,
 * and written as `check.denied` audit events every `denialFlushMs` (5 s) or once `denialFlushEntries` distinct
 * denials are pending, in one `inTransaction`. Past `maxDenialEntries` distinct entries, further new ones are
 * counted per caller in one overflow entry (`check.denials_overflowed`) so memory stays bounded and no denial
 * goes uncounted. A failed flush puts its entries back for the next one.
 */
import { reason, type Reason } from '../../core/decision.js';
import type { AppContext } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';

export interface CheckDenialLogOptions {
  /** Longest a denial waits in memory before it is written (ms). */
  readonly denialFlushMs?: number;
  /** Distinct denials pending that start a flush at once. */
  readonly denialFlushEntries?: number;
  /** Distinct denials kept with their detail; past it, new ones are counted per caller in one overflow entry. */
  readonly maxDenialEntries?: number;
  /** Flush failures started by the timer or the entry count (the entries are kept for the next flush). */
  readonly onError?: (error: unknown) => void;
}

/** One denied check: who asked, about what, and the first reason. */
export interface Denial {
  readonly caller: string;
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
  readonly reason: Reason;
}

interface DenialEntry extends Denial {
  count: number;
  firstAt: number;
  lastAt: number;
}

const OVERFLOW_REASON = reason(
  'check.denials_overflowed',
  'more distinct denials than one flush aggregates; counted here without their detail',
);

function overflowEntry(caller: string, count: number, firstAt: number, lastAt: number): DenialEntry {
  return { caller, identity: '*', resource: '*', action: '*', reason: OVERFLOW_REASON, count, firstAt, lastAt };
}

function keyOf(denial: Denial): string {
  return `${denial.caller}\u0000${denial.identity}\u0000${denial.resource}\u0000${denial.action}\u0000${denial.reason.code}`;
}

/** The denials of one check service, aggregated until flushed as `check.denied` audit events. */
export class CheckDenialLog {
  readonly #app: AppContext;
  readonly #flushMs: number;
  readonly #flushEntries: number;
  readonly #maxEntries: number;
  readonly #onError: (error: unknown) => void;

  #denials = new Map<string, DenialEntry>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<number> | undefined;
  #closed = false;

  constructor(app: AppContext, options: CheckDenialLogOptions = {}) {
    this.#app = app;
    this.#flushMs = options.denialFlushMs ?? 5000;
    this.#flushEntries = options.denialFlushEntries ?? 1000;
    this.#maxEntries = options.maxDenialEntries ?? 10_000;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Counts one denial at `now` (app clock); flushes at once past `denialFlushEntries`, else arms the timer. */
  record(denial: Denial, now: number): void {
    const key = keyOf(denial);
    const entry = this.#denials.get(key);
    if (entry !== undefined) {
      entry.count++;
      entry.lastAt = now;
    } else if (this.#denials.size < this.#maxEntries) {
      this.#denials.set(key, {
        caller: denial.caller,
        identity: denial.identity,
        resource: denial.resource,
        action: denial.action,
        reason: denial.reason,
        count: 1,
        firstAt: now,
        lastAt: now,
      });
    } else {
      this.#merge(overflowEntry(denial.caller, 1, now, now));
    }
    if (this.#denials.size >= this.#flushEntries && this.#flushing === undefined) {
      this.flush().catch(this.#onError);
    } else {
      this.#armFlush();
    }
  }

  /** Number of distinct denials waiting for the next flush. */
  get pending(): number {
    return this.#denials.size;
  }

  /**
   * Writes the aggregated denials as `check.denied` audit events in one transaction; returns how many events.
   * On failure the entries are kept for the next flush and the error is thrown.
   */
  async flush(): Promise<number> {
    while (this.#flushing !== undefined) await this.#flushing.catch(() => undefined);
    this.#flushing = this.#flush().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Flushes what is pending and stops the flush timer; later denials are flushed only by `flush`. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#denials.size > 0) await this.flush();
  }

  #armFlush(): void {
    if (this.#flushTimer !== undefined || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.flush().catch(this.#onError);
    }, this.#flushMs);
    this.#flushTimer.unref();
  }

  /** Adds an entry's counts into the pending map (used for overflow and for putting back a failed flush). */
  #merge(entry: DenialEntry): void {
    const key = keyOf(entry);
    const pending = this.#denials.get(key);
    if (pending !== undefined) {
      pending.count += entry.count;
      pending.firstAt = Math.min(pending.firstAt, entry.firstAt);
      pending.lastAt = Math.max(pending.lastAt, entry.lastAt);
    } else if (this.#denials.size < this.#maxEntries || entry.reason.code === OVERFLOW_REASON.code) {
      this.#denials.set(key, { ...entry });
    } else {
      this.#merge(overflowEntry(entry.caller, entry.count, entry.firstAt, entry.lastAt));
    }
  }

  async #flush(): Promise<number> {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const entries = [...this.#denials.values()];
    if (entries.length === 0) return 0;
    this.#denials = new Map();
    try {
      await inTransaction(this.#app, async ({ audit }) => {
        for (const entry of entries) {
          audit({
            actor: entry.caller,
            action: 'check.denied',
            subject: `identity:${entry.identity}`,
            details: {
              identity: entry.identity,
              resource: entry.resource,
              action: entry.action,
              reason: { code: entry.reason.code, message: entry.reason.message },
              count: entry.count,
              firstAt: entry.firstAt,
              lastAt: entry.lastAt,
            },
          });
        }
      });
    } catch (error) {
      for (const entry of entries) this.#merge(entry);
      this.#armFlush();
      throw error;
    }
    return entries.length;
  }
}
