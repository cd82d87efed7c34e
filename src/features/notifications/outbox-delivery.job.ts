/**
 * Delivers the notification outbox (SPEC §2.12). Verbs write outbox rows in the transaction of the state
 * change (`app/transaction.ts`); each pass of this job (`deliverDue`) sends them after commit, never inside a
 * transaction. `server/` runs the passes in a `PeriodicWorker`: every interval, and at once when a commit
 * queued notifications (its `wake()`). A pass:
 * 1. claim due rows with a lease (`claimDue`, one short transaction; urgent rows first, then oldest due);
 * 2. send each, in that order, as a signed webhook (`providers/webhook/webhook-signing.ts`) to its notifier's
 *    URL (`urlEnv`) with its secret (`secretEnv`), in the notifier's format (`notification-body.ts`);
 * 3. record the outcome in another short statement, only while the lease is still ours: `delivered`, or a
 *    retry at `now + backoff` (exponential, capped) with `last_error`, or after `maxAttempts` attempts
 *    `failed`, where the row stays, visible, until an operator retries it (`retryFailedDelivery`).
 * Headers besides the signature: `Countersign-Event`, `Countersign-Delivery` (the row id, the same on every
 * attempt, for receivers that deduplicate) and `Countersign-Priority: urgent` on urgent rows. Errors recorded
 * and logged are ours (`HTTP 500`, `connection refused`, `environment variable 'X' is not set`): never the
 * URL, the secret or the receiver's text.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Notifier, NotifierType, WebhookNotifier } from '../../policy/model.js';
import { describeOutcome, parseWebhookUrl, postSigned } from '../../providers/webhook/signed-post.js';
import type { Database } from '../../store/database.js';
import { claimDue } from '../../store/lease.js';
import type { Row } from '../../store/schema.js';
import { messageFromRow, notificationBody, type OutboxMessage } from './notification-body.js';

/** The slice of a logger (pino's shape) the delivery writes to. */
export interface OutboxLogger {
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/**
 * How a notifier type other than `webhook` is delivered (Slack, Teams, Mattermost: the `chat` feature). Called
 * outside any transaction with the row's message; answers whether it was delivered, or our own error text.
 * A sender that reaches several recipients keeps track of who already got a delivery (by `message.id`, the same
 * on every attempt), so that a retry sends only what is missing.
 */
export type NotificationSender<N extends Notifier = Notifier> = (
  message: OutboxMessage,
  notifier: N,
) => Promise<Attempt>;

export type NotificationSenders = {
  readonly [T in Exclude<NotifierType, 'webhook'>]?: NotificationSender<Extract<Notifier, { type: T }>>;
};

export interface OutboxDeliveryOptions {
  readonly database: Database;
  /** The notifiers of the policy in force (e.g. `PolicyRuntime.notifiers`), read on every pass. */
  readonly notifiers: () => readonly Notifier[];
  /** Epoch milliseconds (default the system clock). */
  readonly clock?: { now(): number };
  /** Where `urlEnv` and `secretEnv` are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly workerId?: string;
  /** Rows claimed per pass (default 20). */
  readonly batchSize?: number;
  /** Attempts before a delivery is `failed` (default 8). */
  readonly maxAttempts?: number;
  /** Wait after the first failed attempt; doubles per attempt (default 30 s). */
  readonly backoffBaseMs?: number;
  /** Longest wait between attempts (default 1 h). */
  readonly backoffMaxMs?: number;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Time between passes, for the worker that runs them (default 2 s). */
  readonly intervalMs?: number;
  readonly logger?: OutboxLogger;
  /** Senders of the notifier types other than `webhook`; a row for a type without one fails and is retried. */
  readonly senders?: NotificationSenders;
}

export interface DeliveryRun {
  readonly claimed: number;
  readonly delivered: number;
  /** Failed this time, scheduled again. */
  readonly retrying: number;
  /** Failed for the last allowed time: now `failed`. */
  readonly failed: number;
}

const MAX_ERROR_LENGTH = 500;

const stderrLogger: OutboxLogger = {
  warn: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

export type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: string };

export class OutboxDelivery {
  readonly workerId: string;
  readonly intervalMs: number;
  readonly #options: OutboxDeliveryOptions;
  readonly #clock: { now(): number };
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #logger: OutboxLogger;
  readonly #batchSize: number;
  readonly #maxAttempts: number;
  readonly #timeoutMs: number;

  constructor(options: OutboxDeliveryOptions) {
    this.#options = options;
    this.intervalMs = Math.max(1, options.intervalMs ?? 2000);
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#env = options.env ?? process.env;
    this.#logger = options.logger ?? stderrLogger;
    this.#batchSize = Math.max(1, Math.min(options.batchSize ?? 20, 1000));
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.#timeoutMs = Math.max(1, options.timeoutMs ?? 10_000);
  }

  /**
   * One pass: claims what is due and delivers it. Invariant: no network call happens while a transaction is
   * open, and an outcome is recorded only on rows this worker still holds the lease of.
   */
  async deliverDue(): Promise<DeliveryRun> {
    const now = this.#clock.now();
    const rows = await claimDue(this.#options.database, {
      table: 'outbox',
      owner: this.workerId,
      now,
      // Deliveries in a batch run one after another: the lease covers them all, with a margin.
      leaseMs: this.#batchSize * this.#timeoutMs + 30_000,
      limit: this.#batchSize,
      due: (eb) => eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      orderBy: [
        ['priority', 'desc'],
        ['next_attempt_at', 'asc'],
        ['created_at', 'asc'],
      ],
    });
    const run = { claimed: rows.length, delivered: 0, retrying: 0, failed: 0 };
    const notifiers = new Map(this.#options.notifiers().map((notifier) => [notifier.name, notifier]));
    for (const row of rows) {
      const attempt = await this.#send(row, notifiers.get(row.notifier));
      const outcome = await this.#record(row, attempt);
      run[outcome] += 1;
    }
    return run;
  }

  async #send(row: Row<'outbox'>, notifier: Notifier | undefined): Promise<Attempt> {
    if (notifier === undefined) return { ok: false, error: `notifier '${row.notifier}' is not in the policy` };
    if (notifier.type !== 'webhook') return this.#sendThrough(row, notifier);
    const url = parseWebhookUrl(this.#env[notifier.urlEnv] ?? '');
    if (url === undefined)
      return { ok: false, error: `environment variable '${notifier.urlEnv}' does not hold an http(s) URL` };
    const secret = this.#env[notifier.secretEnv];
    if (!secret) return { ok: false, error: `environment variable '${notifier.secretEnv}' is not set` };
    let message: OutboxMessage;
    try {
      message = messageFromRow(row);
    } catch {
      return { ok: false, error: 'the stored payload is not JSON' };
    }
    const body = JSON.stringify(notificationBody(message, notifier));
    const outcome = await postSigned({
      url,
      secret,
      body,
      timeoutMs: this.#timeoutMs,
      nowMs: this.#clock.now(),
      maxResponseBytes: 64 * 1024,
      headers: {
        'Countersign-Event': row.event,
        'Countersign-Delivery': row.id,
        ...(message.urgent ? { 'Countersign-Priority': 'urgent' } : {}),
      },
    });
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) return { ok: true };
    return { ok: false, error: describeOutcome(outcome) };
  }

  async #sendThrough(row: Row<'outbox'>, notifier: Exclude<Notifier, WebhookNotifier>): Promise<Attempt> {
    const sender = this.#options.senders?.[notifier.type] as NotificationSender | undefined;
    if (sender === undefined) return { ok: false, error: `no sender for notifier type '${notifier.type}'` };
    let message: OutboxMessage;
    try {
      message = messageFromRow(row);
    } catch {
      return { ok: false, error: 'the stored payload is not JSON' };
    }
    try {
      return await sender(message, notifier);
    } catch {
      // A sender's own errors carry our text; anything it throws could carry the receiver's, so it is not kept.
      return { ok: false, error: `the ${notifier.type} sender failed` };
    }
  }

  async #record(row: Row<'outbox'>, attempt: Attempt): Promise<'delivered' | 'retrying' | 'failed'> {
    const now = this.#clock.now();
    const attempts = row.attempts + 1;
    const db = this.#options.database.db;
    const ours = db
      .updateTable('outbox')
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.workerId)
      .where('status', '=', 'pending');
    let outcome: 'delivered' | 'retrying' | 'failed';
    let result;
    if (attempt.ok) {
      outcome = 'delivered';
      result = await ours
        .set({
          status: 'delivered',
          attempts,
          delivered_at: now,
          last_error: null,
          lease_owner: null,
          lease_until: null,
        })
        .executeTakeFirst();
    } else {
      outcome = attempts >= this.#maxAttempts ? 'failed' : 'retrying';
      const error = `attempt ${attempts}: ${attempt.error}`.slice(0, MAX_ERROR_LENGTH);
      result = await ours
        .set({
          status: outcome === 'failed' ? 'failed' : 'pending',
          attempts,
          next_attempt_at: outcome === 'failed' ? row.next_attempt_at : now + this.#backoffMs(attempts),
          last_error: error,
          lease_owner: null,
          lease_until: null,
        })
        .executeTakeFirst();
      const fields = { delivery: row.id, event: row.event, notifier: row.notifier, attempts, error: attempt.error };
      if (outcome === 'failed')
        this.#logger.error(fields, `notification delivery failed for good after ${attempts} attempts`);
      else this.#logger.warn(fields, 'notification delivery failed; will retry');
    }
    if (Number(result.numUpdatedRows) === 0) {
      this.#logger.warn(
        { delivery: row.id, worker: this.workerId },
        'the delivery lease lapsed before its outcome was recorded',
      );
    }
    return outcome;
  }

  /** Wait after `attempts` failures: base · 2^(attempts−1), at most the cap. */
  #backoffMs(attempts: number): number {
    const base = Math.max(1, this.#options.backoffBaseMs ?? 30_000);
    const cap = Math.max(base, this.#options.backoffMaxMs ?? 3_600_000);
    return Math.min(cap, base * 2 ** Math.min(attempts - 1, 30));
  }
}
