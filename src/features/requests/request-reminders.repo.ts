/**
 * The reminders and escalations sent for pending requests (`request_reminders`, issue 13): the one writer of that
 * table. At most one row per request and kind (its primary key), inserted in the transaction that queues the
 * notification, so a reminder goes out once however many schedulers race for it and whatever restarts between.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ReminderKind } from '../../decide/reminder.decide.js';
import type { PolicySet } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { Schema } from '../../store/schema.js';

export interface SentReminder {
  readonly kind: ReminderKind;
  readonly audience: readonly string[];
  /** Epoch ms. */
  readonly at: number;
}

/** The reminders sent for each of `ids`, oldest first. */
export async function remindersOf(
  db: Kysely<Schema>,
  ids: readonly string[],
): Promise<ReadonlyMap<string, SentReminder[]>> {
  const byRequest = new Map<string, SentReminder[]>();
  if (ids.length === 0) return byRequest;
  const rows = await db
    .selectFrom('request_reminders')
    .selectAll()
    .where('request_id', 'in', [...ids])
    .orderBy('sent_at')
    .orderBy('kind', 'desc')
    .execute();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push({ kind: row.kind, audience: fromJsonText<string[]>(row.audience), at: Number(row.sent_at) });
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

/**
 * Records that `kind` was sent for `requestId`. Returns false when it already was (another scheduler, or an
 * earlier run), in which case the caller sends nothing.
 */
export async function recordReminder(
  trx: Transaction<Schema>,
  requestId: string,
  reminder: Omit<SentReminder, 'at'>,
  now: number,
): Promise<boolean> {
  const result = await trx
    .insertInto('request_reminders')
    .values({ request_id: requestId, kind: reminder.kind, audience: toJsonText(reminder.audience), sent_at: now })
    .onConflict((conflict) => conflict.columns(['request_id', 'kind']).doNothing())
    .returning('request_id')
    .executeTakeFirst();
  return result !== undefined;
}

/** Largest number of (profile, action) pairs one query asks about; more are asked in several queries. */
const PAIRS_PER_QUERY = 50;

/**
 * Ids of pending requests, oldest first, at most `limit`, for which a reminder or an escalation of their action is
 * due at `now` and not yet sent. Only actions of `policy` that have reminders are considered.
 */
export async function requestsWithDueReminders(
  db: Kysely<Schema>,
  policy: PolicySet,
  now: number,
  limit: number,
): Promise<string[]> {
  const pairs = [...policy.profiles.values()].flatMap((profile) =>
    [...profile.actions.values()].flatMap((action) =>
      action.reminders === undefined ? [] : [{ profile: profile.name, action: action.name, ...action.reminders }],
    ),
  );
  const ids: { id: string; created: number }[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_QUERY) {
    const chunk = pairs.slice(i, i + PAIRS_PER_QUERY);
    const rows = await db
      .selectFrom('requests')
      .select(['requests.id', 'requests.created_at'])
      .where('requests.status', '=', 'pending')
      .where((eb) => {
        const notSent = (kind: ReminderKind) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('request_reminders')
                .select('request_reminders.request_id')
                .whereRef('request_reminders.request_id', '=', 'requests.id')
                .where('request_reminders.kind', '=', kind),
            ),
          );
        return eb.or(
          chunk.map((pair) => {
            const due = [];
            if (pair.afterSeconds !== undefined)
              due.push(eb.and([eb('requests.created_at', '<=', now - pair.afterSeconds * 1000), notSent('reminder')]));
            if (pair.escalateAfterSeconds !== undefined && pair.escalateTo.length > 0)
              due.push(
                eb.and([
                  eb('requests.created_at', '<=', now - pair.escalateAfterSeconds * 1000),
                  notSent('escalation'),
                ]),
              );
            return eb.and([
              eb('requests.profile', '=', pair.profile),
              eb('requests.action', '=', pair.action),
              eb.or(due),
            ]);
          }),
        );
      })
      .orderBy('requests.created_at')
      .limit(limit)
      .execute();
    ids.push(...rows.map((row) => ({ id: row.id, created: Number(row.created_at) })));
  }
  return ids
    .sort((a, b) => a.created - b.created)
    .slice(0, limit)
    .map((row) => row.id);
}
