/**
 * What every SCIM verb receives: the app, the authenticated SCIM client, the endpoint's base URL (for `location`
 * and `$ref`), and the `If-Match` ETag when the client sent one. The audit actor is `scim:<client>`.
 */
import type { AppContext } from '../../app/context.js';
import { decideLastHolders, type HolderRemoval } from '../../decide/last-holder.decide.js';
import type { TransactionScope } from '../../app/transaction.js';
import { etagOf, scimError } from './scim-documents.js';

export interface ScimCall<I> {
  readonly app: AppContext;
  readonly client: string;
  readonly baseUrl: string;
  readonly input: I;
  readonly ifMatch?: string;
}

/** `412` when the client's `If-Match` names another version than the resource's. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const wanted = ifMatch.split(',').map((tag) => tag.trim());
  if (!wanted.includes(etagOf(version)) && !wanted.includes(`"${version}"`)) {
    throw scimError('conflict', undefined, 'the resource was changed since that version was read', 412);
  }
}

/** Nothing removes the last holder of `administer` or `audit` (SPEC §2.4), not even the IdP: `409`. */
export async function refuseIfLastHolders(
  app: AppContext,
  scope: Pick<TransactionScope, 'trx' | 'now'>,
  removal: HolderRemoval,
): Promise<void> {
  const snapshot = await app.policy.snapshot(scope.trx, scope.now);
  const decision = decideLastHolders(snapshot.duties, removal);
  if (decision.allowed) return;
  throw scimError('conflict', undefined, decision.reasons.map((r) => r.message).join('; '));
}
