/**
 * Executions whose outcome is unknown (SPEC §2.8, issue #9 item 12). An `execute` records its intent before the
 * provider runs; if its outcome cannot be recorded afterwards, the action may have run, so the request is
 * flagged `needs_review` (never left looking `active` or unchanged) with an urgent notification. The execute
 * verb flags at once when the store takes the flag; otherwise the scheduler finds the intent once its deadline
 * passed (on start, too, so a crash is caught) and flags it then.
 */
import { transition } from '../../decide/lifecycle.decide.js';
import type { AppContext } from '../../app/context.js';
import { finishIntent, overdueIntents, type PendingIntent } from '../grants/index.js';
import { findRequest, moveRequest } from './requests.repo.js';
import { inTransaction, type TransactionScope } from '../../app/transaction.js';

/** Why a request was flagged, as `statusReason` shows it. */
export const OUTCOME_UNKNOWN_REASON =
  'the execution may have run, but its outcome could not be recorded; review it on the target';

/**
 * Marks the intent `unknown` and moves its request `executing` → `needs_review`, audited as
 * `request.outcome_unknown`. Returns false when the intent already had an outcome (nothing to flag).
 */
export async function flagOutcomeUnknown(
  scope: Pick<TransactionScope, 'trx' | 'now' | 'audit' | 'notify'>,
  intent: Pick<PendingIntent, 'id' | 'requestId'>,
  actor: string,
  why: string,
): Promise<boolean> {
  const { trx, now, audit, notify } = scope;
  if (!(await finishIntent(trx, intent.id, 'unknown', now))) return false;
  const stored = await findRequest(trx, intent.requestId);
  const moved = stored === undefined ? undefined : transition(stored.record.status, 'outcome_unknown');
  if (stored !== undefined && moved?.ok === true) {
    await moveRequest(trx, stored, 'outcome_unknown', { statusReason: OUTCOME_UNKNOWN_REASON }, now);
  }
  audit({
    actor,
    action: 'request.outcome_unknown',
    subject: `request:${intent.requestId}`,
    details: {
      idempotencyKey: intent.id,
      why,
      status: moved?.ok === true ? moved.to : (stored?.record.status ?? null),
    },
  });
  if (stored !== undefined) {
    notify(
      'request.needs_review',
      {
        request: intent.requestId,
        requester: stored.record.requester,
        resource: stored.record.resource,
        action: stored.record.action,
        reason: OUTCOME_UNKNOWN_REASON,
      },
      { urgent: true },
    );
  }
  return true;
}

export interface OverdueOptions {
  readonly actor: string;
  readonly batchSize: number;
  readonly onError: (job: string, subject: string, error: unknown) => void;
}

/**
 * Flags every execution whose intent is still `pending` after its deadline (the request's expiry, when the
 * privilege it ran with has surely ended). Returns how many were flagged; an item that fails is reported and
 * left for the next run.
 */
export async function flagOverdueExecutions(app: AppContext, now: number, options: OverdueOptions): Promise<number> {
  let flagged = 0;
  const failed = new Set<string>();
  for (;;) {
    const due = (await overdueIntents(app.database.db, now, options.batchSize + failed.size)).filter(
      (intent) => !failed.has(intent.id),
    );
    if (due.length === 0) return flagged;
    for (const intent of due) {
      try {
        const { value } = await inTransaction(app, (scope) =>
          flagOutcomeUnknown(scope, intent, options.actor, 'no outcome was recorded by the execution deadline'),
        );
        if (value) flagged += 1;
      } catch (error) {
        failed.add(intent.id);
        options.onError('request.outcome_unknown', `request:${intent.requestId}`, error);
      }
    }
    if (due.length < options.batchSize) return flagged;
  }
}
