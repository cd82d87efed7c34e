/** Outbox rows inserted directly (as `app/transaction.ts` writes them) and the notifiers that receive them. */
import { newId } from '../../../src/core/clock.js';
import { toJsonText } from '../../../src/store/columns.js';
import type { Database } from '../../../src/store/database.js';
import type { WebhookNotifier } from '../../../src/policy/model.js';

export function notifier(name: string, format: WebhookNotifier['format'] = 'json'): WebhookNotifier {
  const suffix = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return { name, type: 'webhook', urlEnv: `${suffix}_URL`, secretEnv: `${suffix}_SECRET`, events: ['*'], format };
}

export interface OutboxRowSpec {
  readonly event?: string;
  readonly notifier: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly urgent?: boolean;
  readonly at: number;
}

export async function insertOutboxRow(database: Database, spec: OutboxRowSpec): Promise<string> {
  const id = newId('ntf');
  const event = spec.event ?? 'request.approved';
  const urgent = spec.urgent ?? false;
  await database.db
    .insertInto('outbox')
    .values({
      id,
      event,
      payload: toJsonText({
        event,
        urgent,
        time: spec.at,
        ...(spec.data ?? { requestId: 'req_1', requester: 'alice' }),
      }),
      notifier: spec.notifier,
      priority: urgent ? 10 : 0,
      status: 'pending',
      next_attempt_at: spec.at,
      last_error: null,
      created_at: spec.at,
      delivered_at: null,
      lease_owner: null,
      lease_until: null,
    })
    .execute();
  return id;
}

export async function outboxRow(database: Database, id: string) {
  return database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
