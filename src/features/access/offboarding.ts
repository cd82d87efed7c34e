/**
 * What offboarding an identity does (SPEC §2.1), in one place for every path that disables one: the API
 * (`disableIdentity`), a policy load of a directory (`serve --policy`) and an applied change set, for identities
 * that become `disabled: true` in the files. Inside the caller's transaction its open requests are cancelled, its
 * active grants are made due now, its API tokens are revoked, its console sessions ended and every NHI it owns is flagged for a new owner;
 * the caller writes the one `identity.disable` event; after commit each grant is torn down at the provider.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import { teardownGrant } from '../grants/index.js';
import { makeGrantsDueNow } from '../grants/index.js';
import { moveRequests } from '../requests/index.js';
import type { TransactionScope } from '../../app/transaction.js';
import { endSessionsOf } from './sessions.repo.js';

export interface OffboardingResult {
  readonly identity: string;
  readonly disabledAt: number;
  readonly cancelledRequests: readonly string[];
  /** Grants made due for revocation now. */
  readonly revokedGrants: readonly string[];
  readonly revokedTokens: number;
  readonly flaggedIdentities: readonly string[];
}

/**
 * Takes away everything `identity` holds, inside `trx`; the identity row itself is marked disabled by the
 * caller. Invariant: afterwards nothing it asked for can be approved or activated, no token of it
 * authenticates, each of its grants is due for revocation at `now`, and its NHIs are flagged.
 */
export async function offboardIdentityIn(
  trx: Transaction<Schema>,
  identity: string,
  now: number,
  because: string,
): Promise<OffboardingResult> {
  const open = await trx
    .selectFrom('requests')
    .select('id')
    .where('requester', '=', identity)
    .where('status', 'in', ['pending', 'approved'])
    .execute();
  const cancelledRequests = open.map((r) => r.id).sort();
  await moveRequests(
    trx,
    cancelledRequests,
    { pending: 'cancel', approved: 'cancel' },
    { statusReason: because, expiresAt: null },
    now,
  );
  // Still `active`: due now, so the scheduler (or the teardown after commit) revokes them at once.
  const revokedGrants = await makeGrantsDueNow(trx, identity, now);

  const tokens = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('identity', '=', identity)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  // Its web-console sessions end too (authentication would refuse them anyway; this also closes them in lists).
  await endSessionsOf(trx, identity, now, 'offboarded');

  const owned = await trx
    .selectFrom('identities')
    .select('name')
    .where('owner', '=', identity)
    .where('flagged_at', 'is', null)
    .execute();
  const flaggedIdentities = owned.map((o) => o.name).sort();
  if (flaggedIdentities.length > 0) {
    await trx
      .updateTable('identities')
      .set({
        flagged_at: now,
        flagged_reason: `owner '${identity}' was disabled; it needs a new owner`,
        updated_at: now,
      })
      .where('name', 'in', flaggedIdentities)
      .execute();
  }
  return {
    identity,
    disabledAt: now,
    cancelledRequests,
    revokedGrants,
    revokedTokens: Number(tokens.numUpdatedRows),
    flaggedIdentities,
  };
}

/**
 * Writes the one `identity.disable` event of an offboarding (plus the NHI-flagged notification) in the caller's
 * transaction, announces the disabled identity (its cached tokens are forgotten, the check index rebuilt, after
 * commit), and registers the provider teardown of its grants for after commit. `extra` adds what the path
 * knows (the policy load id for a load or change set).
 */
export function recordOffboarding(
  app: AppContext,
  scope: Pick<TransactionScope, 'audit' | 'notify' | 'afterCommit' | 'announce'>,
  actor: string,
  result: OffboardingResult,
  because: string,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  scope.audit({
    actor,
    action: 'identity.disable',
    subject: `identity:${result.identity}`,
    details: { ...result, reason: because, ...extra },
  });
  scope.announce({ kind: 'identity_disabled', identity: result.identity });
  if (result.flaggedIdentities.length > 0) {
    scope.notify('identity.nhi_flagged', { owner: result.identity, identities: result.flaggedIdentities });
  }
  scope.afterCommit(() => teardownOffboarded(app, actor, result));
}

/** Tears down an offboarded identity's grants at the provider; a failure stays due and the scheduler retries. */
export async function teardownOffboarded(app: AppContext, actor: string, result: OffboardingResult): Promise<void> {
  for (const grantId of result.revokedGrants) {
    await teardownGrant(app, {
      grantId,
      actor,
      reason: `identity '${result.identity}' was disabled`,
      kind: 'revoke',
    }).catch(() => undefined); // A failed teardown stays due and the scheduler retries it; it is never lost.
  }
}
