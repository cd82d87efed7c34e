/**
 * Feeds the state metrics from the database every few seconds: pending requests (and the oldest one's age), active
 * grants, open drift findings by severity, the audit events no checkpoint signs yet, each audit stream's lag, and
 * — from the audit log read forward by sequence number — each failed revocation and
 * each final approval's latency. Reading the store rather than hooking every verb keeps the numbers true across
 * replicas and restarts (a replica reports what the database holds, not what it did itself). `start.ts` runs
 * `refresh` in a `PeriodicWorker`.
 */
import { sql } from 'kysely';
import type { Metrics } from '../http/metrics.js';
import { SEVERITIES } from '../policy/model.js';
import type { Database } from '../store/database.js';
import { systemClock, type Clock } from '../core/clock.js';
import { readStreamLags } from '../features/audit-stream/index.js';
import { readLastAuditCheckpoint } from '../audit/store/audit-store.js';

export interface MetricsFeedOptions {
  /** The audit stream sinks this server delivers to: their lag is reported (`countersign_audit_stream_lag_*`). */
  readonly auditStreams?: readonly string[];
  readonly clock?: Clock;
}

export const METRICS_FEED_INTERVAL_MS = 5000;

export class MetricsFeed {
  /** The audit events read so far end here; undefined until the first pass. */
  #afterSeq: number | undefined;

  constructor(
    private readonly database: Database,
    private readonly metrics: Metrics,
    private readonly options: MetricsFeedOptions = {},
  ) {}

  /**
   * One pass: gauges from current state, counters and histograms from new audit events. The first pass starts
   * at the current end of the audit log: counters count what happens from then on.
   */
  async refresh(): Promise<void> {
    const db = this.database.db;
    if (this.#afterSeq === undefined) {
      const head = await db
        .selectFrom('audit_events')
        .select(sql<number>`max(seq)`.as('seq'))
        .executeTakeFirst();
      this.#afterSeq = Number(head?.seq ?? 0);
    }
    const pending = await db
      .selectFrom('requests')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    this.metrics.pendingRequests.set(Number(pending?.n ?? 0));
    const active = await db
      .selectFrom('grants')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'active')
      .executeTakeFirst();
    this.metrics.activeGrants.set(Number(active?.n ?? 0));
    const drift = await db
      .selectFrom('drift_findings')
      .select(['severity', sql<number>`count(*)`.as('n')])
      .where('status', '=', 'open')
      .groupBy('severity')
      .execute();
    for (const severity of SEVERITIES) {
      this.metrics.driftFindings.set({ severity }, Number(drift.find((row) => row.severity === severity)?.n ?? 0));
    }
    await this.feedAges();
    await this.feedFromAuditLog(this.#afterSeq);
  }

  /**
   * Gauges of how long things have waited: the oldest pending request, the oldest audit event no signed checkpoint
   * covers yet, and the oldest event each audit stream sink has not acknowledged.
   */
  private async feedAges(): Promise<void> {
    const db = this.database.db;
    const now = (this.options.clock ?? systemClock).now();
    const oldestPending = await db
      .selectFrom('requests')
      .select(sql<number | null>`min(created_at)`.as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const pendingSince = oldestPending?.at == null ? undefined : Number(oldestPending.at);
    this.metrics.pendingRequestOldestAge.set(pendingSince === undefined ? 0 : Math.max(0, now - pendingSince) / 1000);
    const signed = (await readLastAuditCheckpoint(db))?.size ?? 0;
    const { headSeq, lags } = await readStreamLags(db, this.options.auditStreams ?? [], now);
    this.metrics.auditUnsignedEvents.set(Math.max(0, headSeq - signed));
    const firstUnsigned =
      headSeq > signed
        ? await db
            .selectFrom('audit_events')
            .select('time')
            .where('seq', '=', signed + 1)
            .executeTakeFirst()
        : undefined;
    this.metrics.auditUnsignedOldestAge.set(
      firstUnsigned === undefined ? 0 : Math.max(0, now - Number(firstUnsigned.time)) / 1000,
    );
    for (const lag of lags) {
      this.metrics.auditStreamLagEvents.set({ sink: lag.sink }, lag.lagEvents);
      this.metrics.auditStreamLagSeconds.set({ sink: lag.sink }, lag.lagSeconds);
    }
  }

  private async feedFromAuditLog(afterSeq: number): Promise<void> {
    const events = await this.database.db
      .selectFrom('audit_events')
      .select(['seq', 'action', 'subject', 'details'])
      .where('seq', '>', afterSeq)
      .where('action', 'in', ['grant.revoke_failed', 'request.approve'])
      .orderBy('seq')
      .limit(10_000)
      .execute();
    for (const event of events) {
      this.#afterSeq = Math.max(this.#afterSeq ?? 0, Number(event.seq));
      const details = JSON.parse(event.details) as Record<string, unknown>;
      if (event.action === 'grant.revoke_failed') {
        this.metrics.revokeFailures.inc({
          provider: typeof details.provider === 'string' ? details.provider : 'unknown',
        });
      } else if (details.final === true) {
        await this.observeApprovalLatency(event.subject.replace(/^request:/, ''));
      }
    }
  }

  private async observeApprovalLatency(requestId: string): Promise<void> {
    const row = await this.database.db
      .selectFrom('requests')
      .select(['created_at', 'approved_at'])
      .where('id', '=', requestId)
      .executeTakeFirst();
    if (row?.approved_at != null) this.metrics.approvalLatency.observe((row.approved_at - row.created_at) / 1000);
  }
}
