/**
 * Reading the audit log with its output values opened (issue #9 item 13): `GET /v1/audit/events?open=true`. The
 * log keeps a provider's error text, SQL rows and command output as an HMAC plus an encrypted copy (seal.ts);
 * an `audit` holder may have them opened. Opening is itself audited: the page is read and the `audit.opened`
 * event naming the events and JSON Pointers opened (never the values) is written in one transaction, so no
 * value is shown unless its opening is on record (fail closed).
 */
import { AppError } from '../../core/errors.js';
import { decideAuditVisibility } from '../../decide/request-visibility.decide.js';
import { readAuditPageIn, type AuditEventQuery } from './audit.queries.js';
import type { AuditEventView } from './audit.view.js';
import type { VerbCall } from '../../app/context.js';
import { inTransaction } from '../../app/transaction.js';

/** The subject of `audit.opened` events: the log itself. */
export const AUDIT_LOG_SUBJECT = 'audit:events';

/**
 * The page `readAuditPage` would give `actor`, each event with an output value carrying `opened` (by JSON Pointer:
 * the value, or why it stays sealed). Invariants: only an `audit` holder opens, and only events it may read;
 * when any value was opened, an `audit.opened` event by `actor` names each such event's seq and pointers, in the
 * transaction that read them.
 */
export async function readOpenedAuditPage({
  app,
  actor,
  input,
}: VerbCall<AuditEventQuery>): Promise<{ events: AuditEventView[]; next: number | null }> {
  const { value } = await inTransaction(app, async ({ trx, now, audit }) => {
    const snapshot = await app.policy.snapshot(trx, now);
    if (decideAuditVisibility(snapshot.duties, actor).scope === 'own') {
      throw new AppError('forbidden', `'${actor}' does not hold 'audit', which opening sealed audit values needs`, {
        duty: 'audit',
      });
    }
    const page = await readAuditPageIn({ trx, snapshot, now }, actor, input);
    const opened: { seq: number; pointers: string[] }[] = [];
    const events = page.events.map((event) => {
      const values = app.auditLog.openValues(event);
      const pointers = Object.keys(values);
      if (pointers.length === 0) return event;
      const readable = pointers.filter((pointer) => 'value' in (values[pointer] ?? {}));
      if (readable.length > 0) opened.push({ seq: event.seq, pointers: readable });
      return { ...event, opened: values };
    });
    if (opened.length > 0) {
      audit({
        actor,
        action: 'audit.opened',
        subject: AUDIT_LOG_SUBJECT,
        details: { opened, values: opened.reduce((sum, item) => sum + item.pointers.length, 0) },
      });
    }
    return { events, next: page.next };
  });
  return value;
}
