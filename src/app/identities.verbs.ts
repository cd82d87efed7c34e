/**
 * Identity verbs: offboarding (SPEC §2.1). Disabling an identity is one audited step: the identity is marked
 * disabled, its open requests are cancelled, its active grants are made due now (the scheduler's revocation
 * takes them away; they are also torn down right after commit), its API tokens are revoked and every
 * non-human identity it owns is flagged for a new owner (OWASP NHI1).
 */
import { z } from 'zod';
import type { Reason } from '../core/decision.js';
import { AppError } from '../core/errors.js';
import { decideDisableIdentity } from '../decide/administration.decide.js';
import type { VerbCall } from './context.js';
import { teardownGrant } from './grant-teardown.js';
import { firstMessage, parseInput, recordRefusal } from './request-verb-support.js';
import { inTransaction } from './transaction.js';

const disableInput = z.object({
  identity: z.string().min(1).max(200),
  reason: z.string().min(1).max(2000).optional(),
});
export type DisableIdentityInput = z.input<typeof disableInput>;

export interface DisableIdentityResult {
  readonly identity: string;
  readonly disabledAt: number;
  readonly cancelledRequests: readonly string[];
  /** Grants made due for revocation now. */
  readonly revokedGrants: readonly string[];
  readonly revokedTokens: number;
  readonly flaggedIdentities: readonly string[];
}

/**
 * Disables an identity in one transaction with its `identity.disable` audit event. Invariants: only an
 * `administer` holder may do it and never to itself; after commit the identity holds nothing (the policy
 * snapshot marks it disabled), nothing it asked for can be approved or activated, no token of it
 * authenticates, and each of its grants is due for revocation at `now`.
 */
export async function disableIdentity({
  app,
  actor,
  input,
}: VerbCall<DisableIdentityInput>): Promise<DisableIdentityResult> {
  const { identity, reason } = parseInput(disableInput, input);
  const subject = `identity:${identity}`;
  type Outcome = { readonly refused: readonly Reason[] } | { readonly result: DisableIdentityResult };
  const outcome = await inTransaction(app, async ({ trx, now, audit, notify }): Promise<Outcome> => {
    const snapshot = await app.policy.snapshot(trx, now);
    const decision = decideDisableIdentity(snapshot.duties, actor, identity);
    if (!decision.allowed) return { refused: decision.reasons };
    const row = await trx
      .selectFrom('identities')
      .select(['disabled_at'])
      .where('name', '=', identity)
      .executeTakeFirst();
    if (row?.disabled_at !== null && row?.disabled_at !== undefined) {
      throw new AppError('conflict', `identity '${identity}' is already disabled`);
    }
    const because = reason ?? `identity '${identity}' was disabled by '${actor}'`;
    await trx
      .updateTable('identities')
      .set({ disabled_at: now, disabled_by: actor, updated_at: now })
      .where('name', '=', identity)
      .execute();

    const open = await trx
      .selectFrom('requests')
      .select('id')
      .where('requester', '=', identity)
      .where('status', 'in', ['pending', 'approved'])
      .execute();
    const cancelledRequests = open.map((r) => r.id).sort();
    if (cancelledRequests.length > 0) {
      await trx
        .updateTable('requests')
        .set((eb) => ({
          status: 'cancelled',
          status_reason: because,
          updated_at: now,
          expires_at: null,
          version: eb('version', '+', 1),
        }))
        .where('id', 'in', cancelledRequests)
        .execute();
    }

    const grants = await trx
      .selectFrom('grants')
      .select('id')
      .where('identity', '=', identity)
      .where('status', 'in', ['active', 'revoke_failed'])
      .execute();
    const revokedGrants = grants.map((g) => g.id).sort();
    if (revokedGrants.length > 0) {
      // Still `active`: due now, so the scheduler (or the teardown below) revokes them at once.
      await trx
        .updateTable('grants')
        .set((eb) => ({ expires_at: now, next_attempt_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', 'in', revokedGrants)
        .where('status', '=', 'active')
        .execute();
    }

    const tokens = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('identity', '=', identity)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();

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

    const result: DisableIdentityResult = {
      identity,
      disabledAt: now,
      cancelledRequests,
      revokedGrants,
      revokedTokens: Number(tokens.numUpdatedRows),
      flaggedIdentities,
    };
    audit({ actor, action: 'identity.disable', subject, details: { ...result, reason: because } });
    if (flaggedIdentities.length > 0)
      notify('identity.nhi_flagged', { owner: identity, identities: flaggedIdentities });
    return { result };
  });
  const value = outcome.value;
  if ('refused' in value) {
    const code = value.refused.some((r) => r.code === 'admin.unknown_identity') ? 'not_found' : 'forbidden';
    throw await recordRefusal(app, {
      actor,
      action: 'identity.disable_refused',
      subject,
      code,
      message: firstMessage(value.refused, `'${actor}' may not disable '${identity}'`),
      reasons: value.refused,
    });
  }
  for (const grantId of value.result.revokedGrants) {
    await teardownGrant(app, {
      grantId,
      actor,
      reason: `identity '${identity}' was disabled`,
      kind: 'revoke',
    }).catch(() => undefined); // A failed teardown stays due and the scheduler retries it; it is never lost.
  }
  return value.result;
}
