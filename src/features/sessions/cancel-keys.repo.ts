/**
 * The only reader and writer of `gateway_cancel_keys` (migration 0025): a session's client-facing backend key and
 * where its query runs upstream, so that a CancelRequest reaching any gateway of the installation cancels it.
 * Published when the session starts, withdrawn when it ends (or when its gateway is found dead).
 */
import type { AppContext } from '../../app/context.js';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../store/schema.js';

export interface CancelKey {
  readonly sessionId: string;
  readonly processId: number;
  readonly secretKey: number;
  readonly upstream: {
    readonly host: string;
    readonly port: number;
    readonly processId: number;
    readonly secretKey: number;
  };
}

export async function publishCancelKey(app: AppContext, key: CancelKey): Promise<void> {
  await app.database.db
    .insertInto('gateway_cancel_keys')
    .values({
      process_id: key.processId,
      secret_key: key.secretKey,
      session_id: key.sessionId,
      upstream_host: key.upstream.host,
      upstream_port: key.upstream.port,
      upstream_process_id: key.upstream.processId,
      upstream_secret_key: key.upstream.secretKey,
      created_at: app.clock.now(),
    })
    .execute();
}

/** Where to send the cancel of the session holding this client key, if any gateway holds one. */
export async function findCancelKey(
  app: AppContext,
  processId: number,
  secretKey: number,
): Promise<CancelKey['upstream'] | undefined> {
  const row = await app.database.db
    .selectFrom('gateway_cancel_keys')
    .select(['upstream_host', 'upstream_port', 'upstream_process_id', 'upstream_secret_key'])
    .where('process_id', '=', processId)
    .where('secret_key', '=', secretKey)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        host: row.upstream_host,
        port: Number(row.upstream_port),
        processId: Number(row.upstream_process_id),
        secretKey: Number(row.upstream_secret_key),
      };
}

export async function withdrawCancelKeys(
  db: Kysely<Schema> | Transaction<Schema>,
  sessionIds: readonly string[],
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .deleteFrom('gateway_cancel_keys')
    .where('session_id', 'in', [...sessionIds])
    .execute();
}
