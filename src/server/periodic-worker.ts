/**
 * The one loop every background job runs in (the scheduler, the observer, the audit checkpointer, the outbox,
 * the metrics feed, the change follower's poll). A job is a function that does one run; this class decides
 * when it runs, with one semantics for all of them:
 *
 * - **start** runs the job at once (a catch-up for whatever came due while no worker ran) and resolves with
 *   that first run's result; after each run the next one is `intervalMs` later.
 * - **sooner**: `nextDelayMs` may shorten the wait after a run (the scheduler wakes at the next grant expiry),
 *   never lengthen it; `wake()` asks for a run now, or, if one is in progress, for another right after it.
 * - **no overlap**: one run at a time, ever; a wake-up during a run never starts a second one beside it.
 * - **errors**: a run that throws is logged and the loop goes on with the next run.
 * - **leases**: a job that must run on one replica at a time holds a `NamedLease` (it takes or renews it at
 *   the start of each run and as it goes, `store/lease.ts`); the worker given that lease gives it back once
 *   stopped, after the last run, so another replica takes over at once instead of when it lapses.
 * - **stop** waits for the run in progress, then resolves; no run starts after `stop()` was called.
 *
 * Time between runs goes through `WorkerTimers`, so tests drive the loop without waiting on the wall clock.
 */
import type { NamedLease } from '../store/lease.js';

/** The slice of a logger (pino's shape) the worker writes to. */
export interface WorkerLogger {
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/** Schedules the next run; the default uses Node's timers, tests pass a manual one. */
export interface WorkerTimers {
  /** Calls `callback` once, `ms` from now; returns a function that cancels the call if it has not happened. */
  after(ms: number, callback: () => void, keepsProcessAlive: boolean): () => void;
}

export const systemTimers: WorkerTimers = {
  after: (ms, callback, keepsProcessAlive) => {
    const timer = setTimeout(callback, ms);
    if (!keepsProcessAlive) timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface PeriodicWorkerOptions<R> {
  /** Names the worker in logs and errors, e.g. `the scheduler`. */
  readonly name: string;
  /** One run of the job. A rejection is logged and the loop goes on. */
  readonly run: () => Promise<R>;
  /** Time from the end of one run to the start of the next. */
  readonly intervalMs: number;
  /**
   * Asked after each run: how long until the next one, when that should be sooner than `intervalMs` (a longer
   * answer counts as `intervalMs`). A rejection is logged and `intervalMs` used.
   */
  readonly nextDelayMs?: () => Promise<number>;
  /** The job's lease, given back once the worker has stopped. */
  readonly lease?: Pick<NamedLease, 'release'>;
  readonly logger?: WorkerLogger;
  readonly timers?: WorkerTimers;
  /** Whether a pending wait keeps the Node process alive (default false: the HTTP server does that). */
  readonly keepsProcessAlive?: boolean;
}

type State = 'idle' | 'running' | 'stopped';

const stderrLogger: WorkerLogger = {
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

export class PeriodicWorker<R> {
  readonly name: string;
  readonly #options: PeriodicWorkerOptions<R>;
  readonly #intervalMs: number;
  readonly #logger: WorkerLogger;
  readonly #timers: WorkerTimers;
  #state: State = 'idle';
  /** The run in progress together with choosing the wait after it; undefined while waiting. */
  #inFlight: Promise<void> | undefined;
  /** Set before the job is called (it may call `wake()` itself), cleared once the wait is chosen. */
  #busy = false;
  #cancelWait: (() => void) | undefined;
  /** A wake-up came during a run: the next run starts as soon as this one ends. */
  #wakeRequested = false;
  #stopping: Promise<void> | undefined;

  constructor(options: PeriodicWorkerOptions<R>) {
    this.name = options.name;
    this.#options = options;
    this.#intervalMs = Math.max(0, options.intervalMs);
    this.#logger = options.logger ?? stderrLogger;
    this.#timers = options.timers ?? systemTimers;
  }

  /**
   * Runs the job at once and resolves with that run's result (undefined when it threw; that was logged), then
   * keeps running it until `stop()`. A worker starts once: starting it again rejects.
   */
  start(): Promise<R | undefined> {
    if (this.#state === 'running') return Promise.reject(new Error(`${this.name} is already running`));
    if (this.#state === 'stopped') return Promise.reject(new Error(`${this.name} has been stopped`));
    this.#state = 'running';
    return this.#runNow();
  }

  /** Asks for a run now instead of at the end of the wait; during a run, for another one right after it. */
  wake(): void {
    if (this.#state !== 'running') return;
    if (this.#busy) {
      this.#wakeRequested = true;
      return;
    }
    this.#cancelWait?.();
    this.#cancelWait = undefined;
    void this.#runNow();
  }

  /** Ends the loop: no run starts from now on; resolves once the run in progress (if any) ended and the lease is given back. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopped';
    this.#cancelWait?.();
    this.#cancelWait = undefined;
    await this.#inFlight;
    try {
      await this.#options.lease?.release();
    } catch (error) {
      this.#logger.error({ worker: this.name, error: messageOf(error) }, `${this.name} could not give its lease back`);
    }
  }

  /** One run, then the wait before the next; resolves with the run's result as soon as the run ends. */
  #runNow(): Promise<R | undefined> {
    this.#busy = true;
    const run = this.#guardedRun();
    this.#inFlight = run
      .then(() => this.#chooseDelay())
      .then((delayMs) => {
        this.#busy = false;
        this.#inFlight = undefined;
        this.#waitThenRun(delayMs);
      });
    return run;
  }

  async #guardedRun(): Promise<R | undefined> {
    try {
      return await this.#options.run();
    } catch (error) {
      this.#logger.error({ worker: this.name, error: messageOf(error) }, `${this.name} failed; it runs again later`);
      return undefined;
    }
  }

  async #chooseDelay(): Promise<number> {
    if (this.#state !== 'running' || this.#options.nextDelayMs === undefined) return this.#intervalMs;
    try {
      const delayMs = await this.#options.nextDelayMs();
      return Number.isNaN(delayMs) ? this.#intervalMs : Math.min(Math.max(0, delayMs), this.#intervalMs);
    } catch (error) {
      this.#logger.error(
        { worker: this.name, error: messageOf(error) },
        `${this.name} could not tell when to run next; it waits its interval`,
      );
      return this.#intervalMs;
    }
  }

  #waitThenRun(delayMs: number): void {
    if (this.#state !== 'running') return;
    const wait = this.#wakeRequested ? 0 : delayMs;
    this.#wakeRequested = false;
    this.#cancelWait = this.#timers.after(
      wait,
      () => {
        this.#cancelWait = undefined;
        void this.#runNow();
      },
      this.#options.keepsProcessAlive ?? false,
    );
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
