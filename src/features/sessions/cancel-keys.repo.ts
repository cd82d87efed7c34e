/**
 * The only reader and writer of `gateway_cancel_keys` (migrations 0025, 0026): what lets a CancelRequest reaching
 * any gateway of the installation cancel a session's running query. Published when the session starts, withdrawn
 * when it ends (or when its gateway is found dead). No key is stored in clear (`cancel-key-seal.ts`): a row is
 * found by the client's process id and an HMAC of its key, and holds the upstream cancel key sealed.
 */
import type { AppContext } from '../../app/context.js';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../store/schema.js';
import {
  clientKeyDigest,
  openCancelTarget,
  sealCancelTarget,
  type CancelKeySecrets,
  type CancelTarget,
} from './cancel-key-seal.js';

export interface CancelKey {
  readonly sessionId: string;
  readonly processId: number;
  readonly secretKey: number;
  readonly upstream: CancelTarget;
}

export async function publishCancelKey(app: AppContext, secrets: CancelKeySecrets, key: CancelKey): Promise<void> {
  const digest = clientKeyDigest(secrets, key.processId, key.secretKey);
  await app.database.db
    .insertInto('gateway_cancel_keys')
    .values({
      process_id: key.processId,
      key_digest: digest,
      session_id: key.sessionId,
      upstream_sealed: sealCancelTarget(secrets, key.sessionId, digest, key.upstream),
      created_at: app.clock.now(),
    })
    .execute();
}

/**
 * Where to send the cancel of the session holding this client key, if any gateway holds one; `invalid` (naming
 * the session, no key) when its row does not open, which sends nothing.
 */
export async function findCancelKey(
  app: AppContext,
  secrets: CancelKeySecrets,
  processId: number,
  secretKey: number,
): Promise<CancelTarget | undefined> {
  const digest = clientKeyDigest(secrets, processId, secretKey);
  const row = await app.database.db
    .selectFrom('gateway_cancel_keys')
    .select(['session_id', 'upstream_sealed'])
    .where('process_id', '=', processId)
    .where('key_digest', '=', digest)
    .executeTakeFirst();
  return row === undefined ? undefined : openCancelTarget(secrets, row.session_id, digest, row.upstream_sealed);
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
