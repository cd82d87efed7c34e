/**
 * Reminders and escalation of pending requests (issue 13): each scheduler tick finds the pending requests whose
 * reminder or escalation is due (`requestsWithDueReminders`), asks the pure rule (`dueReminders`) and, for each
 * announcement due, records it (`request_reminders`, once per request and kind), audits it (`request.remind`,
 * `request.escalate`) and queues its notification (`request.reminder`, `request.escalated`) in one transaction.
 * Chat notifiers send a reminder to the approvers of the current step again and an escalation to its audience
 * (`features/chat`). Nothing here touches the request itself: escalation widens who hears of it, never what its
 * approval needs.
 */
import type { AppContext } from '../../app/context.js';
import type { JobOptions } from '../../app/job-options.js';
import { inTransaction } from '../../app/transaction.js';
import { dueReminders, type ReminderKind } from '../../decide/reminder.decide.js';
import { resolveTarget } from './request-verb-support.js';
import { recordReminder, remindersOf, requestsWithDueReminders } from './request-reminders.repo.js';
import { findRequest } from './requests.repo.js';

const AUDIT_ACTION: Readonly<Record<ReminderKind, string>> = {
  reminder: 'request.remind',
  escalation: 'request.escalate',
};

const EVENT: Readonly<Record<ReminderKind, string>> = {
  reminder: 'request.reminder',
  escalation: 'request.escalated',
};

/**
 * Sends every reminder and escalation due at `now`, batch by batch. Returns how many went out. Invariant: each
 * (request, kind) is sent at most once across runs, restarts and replicas (the row is the proof, inserted in the
 * transaction of the notification); an item that fails is reported and retried on a later run.
 */
export async function sendDueReminders(
  app: AppContext,
  now: number,
  options: Pick<JobOptions, 'actor' | 'batchSize' | 'onError'>,
): Promise<number> {
  let sent = 0;
  // Requests looked at in this run: one that failed, or that the rule found nothing due for (it left `pending` or
  // reached its timeout meanwhile), is not asked about again until the next run.
  const visited = new Set<string>();
  for (;;) {
    const found = await requestsWithDueReminders(
      app.database.db,
      app.policy.loaded,
      now,
      options.batchSize + visited.size,
    );
    const ids = found.filter((id) => !visited.has(id));
    if (ids.length === 0) return sent;
    for (const id of ids) {
      visited.add(id);
      try {
        sent += await remindOne(app, id, now, options.actor);
      } catch (error) {
        options.onError('request.remind', `request:${id}`, error);
      }
    }
    if (found.length < options.batchSize + visited.size - ids.length) return sent;
  }
}

async function remindOne(app: AppContext, id: string, now: number, actor: string): Promise<number> {
  const { value } = await inTransaction(app, async ({ trx, audit, notify }) => {
    const stored = await findRequest(trx, id);
    if (stored === undefined) return 0;
    const { record } = stored;
    const action = resolveTarget(app.policy.loaded, record)?.action;
    const sent = (await remindersOf(trx, [id])).get(id) ?? [];
    const due = dueReminders({ request: record, policy: action?.reminders, sent: sent.map((s) => s.kind), now });
    let count = 0;
    for (const reminder of due) {
      if (!(await recordReminder(trx, id, reminder, now))) continue;
      count += 1;
      const details = {
        step: reminder.step,
        audience: reminder.audience,
        dueAt: new Date(reminder.dueAt).toISOString(),
      };
      audit({ actor, action: AUDIT_ACTION[reminder.kind], subject: `request:${id}`, details });
      notify(EVENT[reminder.kind], {
        request: id,
        requester: record.requester,
        resource: record.resource,
        action: record.action,
        step: reminder.step,
        audience: reminder.audience,
      });
    }
    // A request found due whose action no longer has that reminder (policy changed): record nothing, and it is
    // no longer found once its profile's reminders are gone.
    return count;
  });
  return value;
}
