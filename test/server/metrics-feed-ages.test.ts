/**
 * The gauges the shipped alerts watch, as the metrics feed computes them from the database: how long the oldest
 * pending request has waited, how many audit events no signed checkpoint covers and since when, and each audit
 * stream's lag in events and seconds.
 */
import { ensureAuditKeys } from '../../src/audit/store/audit-keys.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Checkpointer } from '../../src/audit/store/checkpointer.js';
import { createRequest } from '../../src/features/requests/requests.verbs.js';
import { createMetrics, type Metrics } from '../../src/http/metrics.js';
import { MetricsFeed } from '../../src/server/metrics-feed.js';
import { createTestApp } from '../app/harness.js';
import { as, PROD_WRITE } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

async function gauge(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = (metric?.values as { value: number; labels: Record<string, string> }[] | undefined)?.find((entry) =>
    Object.entries(labels).every(([key, label]) => entry.labels[key] === label),
  );
  return value?.value;
}

describeEachDialect('the metrics feed', (ctx) => {
  it('reports the oldest pending request, the unsigned audit events and each stream lag from the database', async () => {
    const t = await createTestApp(ctx);
    const metrics = createMetrics({ processMetrics: false });
    const feed = new MetricsFeed(t.app.database, metrics, { auditStreams: ['splunk'], clock: t.app.clock });
    const request = await createRequest(as(t.app, 'bob')(PROD_WRITE));
    expect(request.status).toBe('pending');
    t.clock.advance(90_000);
    await feed.refresh();
    expect(await gauge(metrics, 'countersign_pending_request_oldest_age_seconds')).toBe(90);
    const head = await t.app.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    const events = Number(head.seq);
    expect(await gauge(metrics, 'countersign_audit_unsigned_events')).toBe(events);
    expect(await gauge(metrics, 'countersign_audit_unsigned_oldest_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(await gauge(metrics, 'countersign_audit_stream_lag_events', { sink: 'splunk' })).toBe(events);
    expect(await gauge(metrics, 'countersign_audit_stream_lag_seconds', { sink: 'splunk' })).toBeGreaterThanOrEqual(90);

    const dir = mkdtempSync(join(tmpdir(), 'countersign-feed-'));
    try {
      const { keys } = await ensureAuditKeys(join(dir, 'keys'));
      await new Checkpointer({ database: t.app.database, keys, clock: t.clock }).checkpointNow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await feed.refresh();
    expect(await gauge(metrics, 'countersign_audit_unsigned_events')).toBe(0);
    expect(await gauge(metrics, 'countersign_audit_unsigned_oldest_age_seconds')).toBe(0);
  });
});
