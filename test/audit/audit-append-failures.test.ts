/**
 * The audit log tells the wiring of each append that failed (the `countersign_audit_append_failures_total` metric,
 * alerted on by `CountersignAuditAppendFailing`): the log is fail-closed, so each failure refused a change.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/store/audit-log.js';
import { describeEachDialect } from '../store/dialects.js';
import { T0 } from './audit-attacks.js';

describeEachDialect('audit append failures', (ctx) => {
  it('are counted once each, and a successful append is not', async () => {
    let failures = 0;
    const log = new AuditLog(ctx.dialect, new Uint8Array(32).fill(3), { onFailed: () => (failures += 1) });
    const event = { time: T0, actor: 'alice', action: 'request.create', subject: 'request:req_1', details: {} };
    await ctx.database.db.transaction().execute((trx) => log.append(trx, [event]));
    expect(failures).toBe(0);
    await expect(
      ctx.database.db.transaction().execute((trx) => log.append(trx, [{ ...event, action: 'not an action' }])),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(failures).toBe(1);
    // The table refuses the insert (a full disk, a broken constraint): the append fails closed, and is counted.
    await expect(
      ctx.database.db.transaction().execute(async (trx) => {
        await sql`create temporary table audit_events (seq integer)`.execute(trx);
        return log.append(trx, [event]);
      }),
    ).rejects.toMatchObject({ code: 'audit_unavailable' });
    expect(failures).toBe(2);
  });
});
