/**
 * Evidence of `use` for access reviews (issue 14, SPEC §6): what the holder did with a grant through the
 * gateway — how many sessions and statements, how many the gateway refused, and when it was last used — added
 * to the summary of each item about a request that has gateway sessions, so a certifier sees whether the access
 * was used before deciding to keep it. The statements themselves are in `countersign sessions show`.
 */
import type { Transaction } from 'kysely';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { NewRow, Schema } from '../../store/schema.js';

interface GatewayUse {
  readonly gatewaySessions: number;
  readonly gatewayStatements: number;
  readonly gatewayRefused: number;
  readonly lastUsedAt: number;
}

async function gatewayUseOf(trx: Transaction<Schema>, requestIds: readonly string[]): Promise<Map<string, GatewayUse>> {
  const use = new Map<string, GatewayUse>();
  if (requestIds.length === 0) return use;
  const sessions = await trx
    .selectFrom('gateway_sessions')
    .select((eb) => [
      'request_id',
      eb.fn.countAll<number | string>().as('sessions'),
      eb.fn.max('opened_at').as('lastOpened'),
    ])
    .where('request_id', 'in', [...requestIds])
    .groupBy('request_id')
    .execute();
  if (sessions.length === 0) return use;
  const statements = await trx
    .selectFrom('gateway_statements')
    .innerJoin('gateway_sessions', 'gateway_sessions.id', 'gateway_statements.session_id')
    .select((eb) => [
      'gateway_sessions.request_id as requestId',
      eb.fn.countAll<number | string>().as('statements'),
      eb.fn
        .sum<number | string | null>(eb.case().when('gateway_statements.allowed', '=', 0).then(1).else(0).end())
        .as('refused'),
      eb.fn.max('gateway_statements.at').as('lastAt'),
    ])
    .where(
      'gateway_sessions.request_id',
      'in',
      sessions.map((row) => row.request_id),
    )
    .groupBy('gateway_sessions.request_id')
    .execute();
  const byRequest = new Map(statements.map((row) => [row.requestId, row]));
  for (const row of sessions) {
    const counted = byRequest.get(row.request_id);
    use.set(row.request_id, {
      gatewaySessions: Number(row.sessions),
      gatewayStatements: Number(counted?.statements ?? 0),
      gatewayRefused: Number(counted?.refused ?? 0),
      lastUsedAt: Math.max(Number(row.lastOpened ?? 0), Number(counted?.lastAt ?? 0)),
    });
  }
  return use;
}

/** The items with the gateway use of their request added to their summaries (unchanged when there was none). */
export async function withGatewayUse(
  trx: Transaction<Schema>,
  items: readonly NewRow<'certification_items'>[],
): Promise<NewRow<'certification_items'>[]> {
  const requestIds = [...new Set(items.flatMap((item) => (item.request_id ? [item.request_id] : [])))];
  const use = await gatewayUseOf(trx, requestIds);
  if (use.size === 0) return [...items];
  return items.map((item) => {
    const found = item.request_id ? use.get(item.request_id) : undefined;
    if (found === undefined) return item;
    return { ...item, summary: toJsonText({ ...fromJsonText<Record<string, unknown>>(item.summary), ...found }) };
  });
}
