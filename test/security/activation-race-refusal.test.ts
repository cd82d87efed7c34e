/**
 * Attack test for issue #10 (fault suite, replicas racing activations): two replicas activate the same approved
 * request at once. The loser must be refused in product words ("request '…' is already being activated") and
 * on the record as `request.activate_refused`, even when it passed the "no grant yet" check before the winner
 * committed and met the unique grant per request instead. The winner's intent is held open (its audit append
 * waits) until PostgreSQL shows the loser blocked on that unique key, so the late path is taken every time there.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { expect, it, vi } from 'vitest';
import type { AuditRecord, NewAuditEvent } from '../../src/audit/audit-event.js';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import type { AppContext } from '../../src/app/context.js';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import type { Schema } from '../../src/store/schema.js';
import { createTestApp } from '../app/harness.js';
import { as, eventsOf, refusal, SHORT_READ } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

/** An audit log that holds the transaction writing a `grant.intent` until `release` is called. */
class GatedAuditLog extends AuditLog {
  private open: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  reached: Promise<void>;
  private arrive: (() => void) | undefined;

  constructor(...args: ConstructorParameters<typeof AuditLog>) {
    super(...args);
    this.reached = new Promise<void>((resolve) => (this.arrive = resolve));
  }

  release(): void {
    this.open?.();
  }

  override async append(trx: Transaction<Schema>, events: readonly NewAuditEvent[]): Promise<AuditRecord[]> {
    if (events.some((event) => event.action === 'grant.intent')) {
      this.arrive?.();
      await this.gate;
    }
    return super.append(trx, events);
  }
}

describeEachDialect('activation race refusal', (ctx) => {
  /**
   * On PostgreSQL, until the loser has passed its check and waits on a lock the winner's open transaction holds
   * (its uncommitted grant row). SQLite runs one writing transaction at a time: there the loser can only queue
   * behind the winner and reads after it commits, so there is nothing to wait for.
   */
  async function blockedOnTheWinner(app: AppContext): Promise<void> {
    if (ctx.dialect !== 'postgres') return;
    await vi.waitFor(
      async () => {
        const { rows } = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(app.database.db);
        expect(rows[0]?.waiting).toBe(1);
      },
      { timeout: 15_000, interval: 20 },
    );
  }

  it('the loser of an activation race across replicas is refused as already being activated, and audited', async () => {
    const t = await createTestApp(ctx);
    const gated = new GatedAuditLog(ctx.dialect, randomBytes(32));
    const winner: AppContext = { ...t.app, auditLog: gated };
    const loser: AppContext = ctx.dialect === 'postgres' ? { ...t.app, database: await ctx.open() } : t.app;
    const request = await createRequest(as(t.app, 'alice')(SHORT_READ));

    const first = activateRequest(as(winner, 'alice')({ id: request.id }));
    await gated.reached;
    const second = refusal(activateRequest(as(loser, 'alice')({ id: request.id })));
    await blockedOnTheWinner(t.app);
    gated.release();

    const { request: active } = await first;
    expect(active.status).toBe('active');
    const refused = await second;
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(`request '${request.id}' is already being activated`);
    expect(eventsOf(await t.auditEvents(), 'request.activate_refused', `request:${request.id}`)).toHaveLength(1);
  });
});
