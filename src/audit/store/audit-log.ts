/**
 * The audit log in the database: appends events to `audit_events` inside the caller's transaction, so a
 * state change and its audit record commit or roll back together (fail closed, SPEC §2.8). Appenders are
 * serialised so the chain never forks: SQLite already runs one writer at a time (`BEGIN IMMEDIATE`); on
 * PostgreSQL a transaction-scoped advisory lock is taken just before reading the head. Verbs append last,
 * right before commit, so the lock is held for as short a time as possible.
 *
 * On PostgreSQL the lock would still be held through the commit's WAL flush (milliseconds on a real disk),
 * which caps every writer at one fsync per verb. So the appending transaction commits asynchronously
 * (`synchronous_commit = off`, local to it) and releases the lock at once, and the caller then waits for
 * durability with `awaitDurable` (a synchronous commit that forces the WAL flush) before it answers or acts
 * (early lock release). Nothing is lost by this:
 * the WAL is sequential, so a crash can only drop a suffix of commits that nobody has been told of yet, and
 * concurrent verbs share one flush instead of queueing one each behind the lock.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError, isAppError } from '../../core/errors.js';
import type { DialectName } from '../../store/database.js';
import { DATABASE_RETRY_AFTER_SECONDS, classifyStoreError, toStoreError } from '../../store/errors.js';
import type { Schema } from '../../store/schema.js';
import { AuditChain, EMPTY_HEAD, type AuditHead, type AuditRecord, type NewAuditEvent } from '../audit-event.js';
import { openSealedValues, type OpenedValue, type SealBinding } from '../seal.js';

/** Advisory lock key of the audit chain on PostgreSQL (any fixed 64-bit number; "CSAUDIT" in ASCII). */
const AUDIT_LOCK_KEY = 0x4353415544495n;

export interface AuditLogOptions {
  /**
   * The audit data key (`audit-data.key`): output values are also kept encrypted under it, and `openValues` opens
   * them. Without it they are HMAC'd only, and stay sealed to readers.
   */
  readonly dataKey?: Uint8Array;
  /** Told how long each successful append took, in seconds (the wiring feeds a metric with it). */
  readonly onAppended?: (seconds: number) => void;
  /** Told of each append that failed (the wiring counts them in a metric: the log is fail-closed, so it alerts). */
  readonly onFailed?: () => void;
}

export class AuditLog {
  constructor(
    private readonly dialect: DialectName,
    private readonly hmacKey: Uint8Array,
    private readonly options: AuditLogOptions = {},
  ) {}

  /** Opens the output values of a stored event for an `audit` reader (see seal.ts); the caller audits it. */
  openValues(
    event: SealBinding & { readonly details: Readonly<Record<string, unknown>> },
  ): Record<string, OpenedValue> {
    return openSealedValues(event, { hmacKey: this.hmacKey, dataKey: this.options.dataKey });
  }

  /**
   * Appends events in order inside `trx`. Any failure becomes `audit_unavailable` (except a malformed event,
   * which is a programming error reported as `invalid`), and the caller's transaction must roll back.
   */
  async append(trx: Transaction<Schema>, events: readonly NewAuditEvent[]): Promise<AuditRecord[]> {
    if (events.length === 0) return [];
    const started = performance.now();
    let records: AuditRecord[];
    try {
      const head = await this.lockedHead(trx);
      records = new AuditChain(head, { hmacKey: this.hmacKey, dataKey: this.options.dataKey }).appendAll(events);
    } catch (error) {
      this.options.onFailed?.();
      throw asAuditUnavailable(error);
    }
    try {
      await trx
        .insertInto('audit_events')
        .values(
          records.map((record) => ({
            seq: record.seq,
            time: record.time,
            actor: record.actor,
            action: record.action,
            subject: record.subject,
            details: record.detailsJson,
            prev_hash: record.prevHash,
            hash: record.hash,
          })),
        )
        .execute();
    } catch (error) {
      this.options.onFailed?.();
      throw asAuditUnavailable(error);
    }
    this.options.onAppended?.((performance.now() - started) / 1000);
    return records;
  }

  /**
   * Makes everything committed so far durable; callers of `append` run it after their commit and before they
   * answer or call a provider. On PostgreSQL a transaction is flushed at commit only if it has a transaction id
   * *and* wrote WAL (a bare `txid_current()` does not qualify, and then nothing is flushed): so a one-statement
   * transaction emits an empty transactional logical-decoding message, which does both without touching any
   * table, and commits synchronously; the WAL is sequential, so its flush covers every earlier commit.
   * SQLite commits are already final.
   */
  async awaitDurable(db: Kysely<Schema>): Promise<void> {
    if (this.dialect !== 'postgres') return;
    try {
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('synchronous_commit', 'on', true), pg_logical_emit_message(true, 'countersign.durable', '')`.execute(
          trx,
        );
      });
    } catch {
      // The change itself may have committed: say so, rather than "nothing was changed".
      throw new AppError(
        'database_unavailable',
        'the database became unavailable before the change and its audit record were confirmed as durable; read its state before retrying',
        { reason: 'durability_unconfirmed', retryable: true, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
      );
    }
  }

  private async lockedHead(trx: Transaction<Schema>): Promise<AuditHead> {
    if (this.dialect === 'postgres') {
      await sql`select set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(${AUDIT_LOCK_KEY.toString()}::bigint)`.execute(
        trx,
      );
    }
    const row = await trx
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : EMPTY_HEAD;
  }
}

function asAuditUnavailable(error: unknown): AppError {
  if (isAppError(error) && (error.code === 'invalid' || error.code === 'audit_unavailable')) return error;
  // A database that went away is not an audit problem: say what it is, so clients know to retry later.
  if (classifyStoreError(error) === 'unavailable') return toStoreError(error);
  return new AppError('audit_unavailable', 'the audit log could not be written, so nothing was changed');
}
