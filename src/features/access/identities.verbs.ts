/**
 * Identity verbs: offboarding (SPEC §2.1). Disabling an identity is one audited step: the identity is marked
 * disabled, its open requests are cancelled, its active grants are made due now (the scheduler's revocation
 * takes them away; they are also torn down right after commit), its API tokens are revoked and every
 * non-human identity it owns is flagged for a new owner (OWASP NHI1). The effect itself lives in
 * `offboarding.ts`, which policy loads and change sets use too.
 */
import { z } from 'zod';
import { refusalAs, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { decideDisableIdentity } from '../../decide/administration.decide.js';
import type { VerbCall } from '../../app/context.js';
import { offboardIdentityIn, recordOffboarding, type OffboardingResult } from './offboarding.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';

const disableInput = z.object({
  identity: z.string().min(1).max(200),
  reason: z.string().min(1).max(2000).optional(),
});
export type DisableIdentityInput = z.input<typeof disableInput>;

/** What the disable took away (`offboarding.ts`, shared with offboarding through policy files). */
export type DisableIdentityResult = OffboardingResult;

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
  const outcome = await inTransaction(app, async (scope): Promise<Outcome> => {
    const { trx, now } = scope;
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
    const result = await offboardIdentityIn(trx, identity, now, because);
    recordOffboarding(app, scope, actor, result, because);
    return { result };
  });
  const value = outcome.value;
  if ('refused' in value) {
    throw await refuse(app, {
      actor,
      action: 'identity.disable_refused',
      subject,
      // Nobody disables their own identity or lacks the duty to: that is `forbidden`; an unknown one `not_found`.
      refusal: refusalAs('forbidden', value.refused),
      otherwise: `'${actor}' may not disable '${identity}'`,
    });
  }
  return value.result;
}
