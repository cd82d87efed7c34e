/**
 * The expiry job leases a batch of due grants before each one's teardown moves it to `revoking`. A person's
 * revoke that lands in between loses the claim; it must not answer as if nothing were happening (the grant still
 * `active`) — found by the replica race of the fault suite. The revoke waits, briefly, for the winner to move the
 * grant on, and answers what it sees then.
 */
import { expect, it } from 'vitest';
import { teardownGrant } from '../../../src/features/grants/grant-teardown.js';
import { revokeRequest } from '../../../src/features/requests/request-end.verb.js';
import { describeEachDialect } from '../../store/dialects.js';
import { grantRow, newId, requestRow } from '../../store/factories.js';
import { createTestApp } from '../../app/harness.js';

describeEachDialect('a revoke that loses the claim to the expiry job', (ctx) => {
  it('answers with the grant being ended, not still active', async () => {
    const { app, clock } = await createTestApp(ctx);
    const now = clock.now();
    const requestId = newId('req');
    const grantId = newId('grt');
    await app.database.db
      .insertInto('requests')
      .values(requestRow({ id: requestId, status: 'active', created_at: now, updated_at: now, expires_at: now }))
      .execute();
    await app.database.db
      .insertInto('grants')
      // Due now, and leased by the scheduler's batch claim (`claimDue`), still `active`.
      .values(
        grantRow(requestId, {
          id: grantId,
          created_at: now,
          updated_at: now,
          expires_at: now,
          lease_owner: 'scheduler',
          lease_until: now + 5000,
        }),
      )
      .execute();

    const revoked = revokeRequest({ app, actor: 'alice', input: { id: requestId } });
    // The scheduler's teardown of its batch goes on a moment later.
    await new Promise((resolve) => setTimeout(resolve, 150));
    // As the expiry job does with each grant of its batch (expiry.job.ts): the teardown under its own lease.
    await teardownGrant(app, {
      grantId,
      actor: 'system:scheduler',
      reason: 'expired',
      kind: 'expire',
      owner: 'scheduler',
    });
    const answer = await revoked;
    // The grant is being ended or has ended; the request itself stays `active` until the winner records the
    // outcome, so only the grant's status says whether the answer is true.
    expect(['revoking', 'expired', 'revoked']).toContain(answer.grant?.status);
  });
});
