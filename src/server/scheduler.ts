/**
 * The background worker of SPEC §2.8 and §5: every tick (1 s by default, sooner when a grant expires before the
 * next tick), and at once on start so that it catches up on whatever came due while no scheduler ran, it expires
 * grants, retries failed revokes, times out pending and unactivated requests, ends expired role activations and
 * expires SoD exceptions (`expiry.job.ts`), closes certification campaigns past their deadline, and flags
 * executions whose outcome was never recorded (`execution-outcome.job.ts`), and compensates activation intents
 * (`provisioning` grants) past their deadline, left by a crash between the provider's grant and its record
 * (`grant-intents.ts`), and sends the reminders and escalations of pending requests (`reminders.job.ts`).
 *
 * Several replicas may run one each against the same database: grants are claimed with row leases under this
 * scheduler's worker id, and every other change names the state it read. Provider calls run between
 * transactions, never inside one. An error in one item is logged and the loop goes on. The loop is a
 * `PeriodicWorker` (one tick at a time; `stop()` waits for the tick in flight); this file is what a tick does
 * (`runOnce`, which calls each feature's job) and when the next one is due.
 */
import { hostname } from 'node:os';
import { newId } from '../core/clock.js';
import type { AppContext } from '../app/context.js';
import { DEFAULT_TEARDOWN_LEASE_MS } from '../features/grants/index.js';
import { replayRevocations } from '../features/grants/index.js';
import {
  endExpiredActivations,
  expireDueGrants,
  retryFailedRevokes,
  timeoutRequests,
} from '../features/grants/index.js';
import type { JobOptions } from '../app/job-options.js';
import { expireSodExceptions } from '../features/governance/index.js';
import { timeOutRoleActivations } from '../features/access/index.js';
import { closeOverdueCampaigns } from '../features/certifications/index.js';
import { flagOverdueExecutions, sendDueReminders } from '../features/requests/index.js';
import { compensateOverdueGrantIntents } from '../features/grants/index.js';
import { closeAbandonedSessions } from '../features/sessions/index.js';
import { PeriodicWorker, type WorkerTimers } from './periodic-worker.js';

/** The slice of a logger (pino's shape) the scheduler writes to. */
export interface SchedulerLogger {
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface SchedulerOptions {
  /** Stable id of this worker in leases (default `host:pid:random`). */
  readonly workerId?: string;
  /** Time between ticks (default 1000 ms). */
  readonly intervalMs?: number;
  /** Rows claimed per batch (default 64: small claims, so replicas share an expiry wave). */
  readonly batchSize?: number;
  /** Grants torn down at once (default 16). */
  readonly concurrency?: number;
  /** How long a claimed grant stays ours unless renewed; a heartbeat renews it while the provider works (default 5 s). */
  readonly leaseMs?: number;
  /** Identity recorded on the audit events (default `system:scheduler`). */
  readonly actor?: string;
  /** Gateway sessions opened less than this long ago are never closed as abandoned (default 30 s). */
  readonly abandonGraceMs?: number;
  readonly logger?: SchedulerLogger;
  readonly timers?: WorkerTimers;
}

export interface SchedulerRun {
  readonly expired: number;
  /** Revokes done while the store refused writes, recorded now from the revocation journal. */
  readonly journalled: number;
  readonly retried: number;
  /** Teardowns whose provider revoke failed (now or again) and are scheduled for a retry. */
  readonly revokeFailed: number;
  readonly pendingTimedOut: number;
  readonly activationTimedOut: number;
  readonly activationsEnded: number;
  readonly exceptionsExpired: number;
  /** Certification campaigns past their deadline whose unreviewed items were revoked or escalated. */
  readonly campaignsClosed: number;
  /** Executions whose outcome was never recorded by their deadline, now flagged `needs_review`. */
  readonly executionsFlagged: number;
  /** Activation intents past their deadline whose grant was revoked on the provider and removed. */
  readonly intentsCompensated: number;
  /** Reminders and escalations of pending requests sent (issue 13). */
  readonly remindersSent: number;
  /** Items or jobs that threw; each was logged. */
  readonly errors: number;
}

export const SCHEDULER_ACTOR = 'system:scheduler';

/** Wait before the next tick while grants past their expiry are still active (they are being retried). */
const OVERDUE_RETRY_MS = 250;

/** Grants claimed per batch by default: small, so that a wave is spread over replicas and a dead one holds little. */
export const DEFAULT_EXPIRY_BATCH = 64;

/** What `start` reports should its first run have thrown: `runOnce` catches every error, so only a bug gets here. */
const FIRST_RUN_THREW: SchedulerRun = {
  expired: 0,
  journalled: 0,
  retried: 0,
  revokeFailed: 0,
  pendingTimedOut: 0,
  activationTimedOut: 0,
  activationsEnded: 0,
  exceptionsExpired: 0,
  campaignsClosed: 0,
  executionsFlagged: 0,
  intentsCompensated: 0,
  remindersSent: 0,
  errors: 1,
};

const stderrLogger: SchedulerLogger = {
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

export class Scheduler {
  readonly workerId: string;
  readonly #app: AppContext;
  readonly #intervalMs: number;
  readonly #logger: SchedulerLogger;
  readonly #jobOptions: Omit<JobOptions, 'onError'>;
  readonly #abandonGraceMs: number | undefined;
  readonly #worker: PeriodicWorker<SchedulerRun>;

  constructor(app: AppContext, options: SchedulerOptions = {}) {
    this.#app = app;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId('sch')}`;
    this.#intervalMs = Math.max(10, options.intervalMs ?? 1000);
    this.#logger = options.logger ?? stderrLogger;
    this.#abandonGraceMs = options.abandonGraceMs;
    this.#jobOptions = {
      owner: this.workerId,
      actor: options.actor ?? SCHEDULER_ACTOR,
      batchSize: Math.max(1, Math.min(options.batchSize ?? DEFAULT_EXPIRY_BATCH, 1000)),
      concurrency: Math.max(1, options.concurrency ?? 16),
      leaseMs: Math.max(1000, options.leaseMs ?? DEFAULT_TEARDOWN_LEASE_MS),
    };
    this.#worker = new PeriodicWorker({
      name: 'the scheduler',
      run: () => this.runOnce(),
      intervalMs: this.#intervalMs,
      nextDelayMs: () => this.#delayUntilNextDue(),
      logger: this.#logger,
      ...(options.timers ? { timers: options.timers } : {}),
      // A process that only schedules (a replica without HTTP, the fault tests' workers) stays up for it.
      keepsProcessAlive: true,
    });
  }

  /** Catches up at once (resolves with that first run), then runs every interval until `stop()`. */
  async start(): Promise<SchedulerRun> {
    return (await this.#worker.start()) ?? FIRST_RUN_THREW;
  }

  /** Stops ticking and waits for the run in flight, if any. */
  stop(): Promise<void> {
    return this.#worker.stop();
  }

  /**
   * One pass over every job, for everything due at `now` (default: the app clock). Never rejects: each job's
   * and each item's failure is logged and counted in `errors`.
   */
  async runOnce(now: number = this.#app.clock.now()): Promise<SchedulerRun> {
    let errors = 0;
    const options: JobOptions = {
      ...this.#jobOptions,
      onError: (job, subject, error) => {
        errors += 1;
        this.#logError(job, subject, error);
      },
    };
    const guarded = async <T>(job: string, work: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        options.onError(job, 'batch', error);
        return fallback;
      }
    };
    const none = { done: 0, failed: 0, skipped: 0, errors: 0 };
    // Revokes done while the store refused writes are recorded first, as soon as it takes them (SPEC §2.8).
    const journalled = await guarded(
      'grant.record_journalled',
      () => replayRevocations(this.#app, this.workerId, this.#jobOptions.leaseMs),
      0,
    );
    const intentsCompensated = await guarded(
      'grant.compensate',
      () => compensateOverdueGrantIntents(this.#app, now, options),
      0,
    );
    const expired = await guarded('grant.expire', () => expireDueGrants(this.#app, now, options), none);
    const retried = await guarded('grant.revoke_retry', () => retryFailedRevokes(this.#app, now, options), none);
    const timeouts = await guarded('request.timeout', () => timeoutRequests(this.#app, now, options), {
      pending: 0,
      activation: 0,
    });
    const activationsEnded = await guarded('role.deactivate', () => endExpiredActivations(this.#app, now, options), 0);
    await guarded('role_activation.timeout', () => timeOutRoleActivations(this.#app, now, options), 0);
    const exceptionsExpired = await guarded('exception.expire', () => expireSodExceptions(this.#app, now, options), 0);
    const campaigns = await guarded('certification.deadline', () => closeOverdueCampaigns(this.#app, now), {
      campaigns: 0,
      revoked: 0,
      escalated: 0,
      teardowns: [],
    });
    const executionsFlagged = await guarded(
      'request.outcome_unknown',
      () => flagOverdueExecutions(this.#app, now, options),
      0,
    );
    // After the timeouts above, so a request that just timed out is not reminded.
    const remindersSent = await guarded('request.remind', () => sendDueReminders(this.#app, now, options), 0);
    // Gateway sessions whose gateway died (its heartbeat lease lapsed) are closed as `abnormal` (issue 14).
    await guarded('gateway.session_abandoned', () => closeAbandonedSessions(this.#app, this.#abandonGraceMs), 0);
    return {
      expired: expired.done,
      journalled,
      retried: retried.done,
      revokeFailed: expired.failed + retried.failed,
      pendingTimedOut: timeouts.pending,
      activationTimedOut: timeouts.activation,
      activationsEnded,
      exceptionsExpired,
      campaignsClosed: campaigns.campaigns,
      executionsFlagged,
      intentsCompensated,
      remindersSent,
      errors,
    };
  }

  /** Wakes at the next grant expiry when that comes before the next tick, so expiry lags by milliseconds. */
  async #delayUntilNextDue(): Promise<number> {
    try {
      const next = await this.#app.database.db
        .selectFrom('grants')
        .select((eb) => eb.fn.min('expires_at').as('at'))
        .where('status', '=', 'active')
        .executeTakeFirst();
      const at = next?.at === null || next?.at === undefined ? Number.POSITIVE_INFINITY : Number(next.at);
      const wait = at - this.#app.clock.now();
      // Grants still active past their expiry (the store refused to record them, or another replica holds
      // them) are tried again shortly, not in a busy loop. The worker never waits longer than the interval.
      return wait <= 0 ? OVERDUE_RETRY_MS : wait;
    } catch (error) {
      this.#logError('scheduler.wake', 'grants', error);
      return this.#intervalMs;
    }
  }

  #logError(job: string, subject: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#logger.error({ job, subject, worker: this.workerId, error: message }, `scheduler job '${job}' failed`);
  }
}
