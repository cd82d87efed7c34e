/**
 * A revoke interrupted mid-way (the process died after claiming the grant, before recording the outcome) is
 * finished by the scheduler once the claim's lease lapses, and it ends as what it was: a person's revoke stays
 * `revoked` even when the grant's expiry passed meanwhile (issue 10).
 */
import { expect, it } from 'vitest';
import { beginTeardownIn } from '../../../src/features/grants/grant-teardown.js';
import { expireDueGrants } from '../../../src/features/grants/expiry.job.js';
import { inTransaction } from '../../../src/app/transaction.js';
import { describeEachDialect } from '../../store/dialects.js';
import { grantRow, newId, requestRow } from '../../store/factories.js';
import { createTestApp } from '../../app/harness.js';

const MINUTE = 60_000;

describeEachDialect('an interrupted revoke taken over by the scheduler', (ctx) => {
  it('ends as revoked, not expired, when the grant expired while its revoke was interrupted', async () => {
    const { app, clock } = await createTestApp(ctx);
    const now = clock.now();
    const requestId = newId('req');
    const grantId = newId('grt');
    const expiresAt = now + 2 * MINUTE;
    await app.database.db
      .insertInto('requests')
      .values(requestRow({ id: requestId, status: 'active', created_at: now, updated_at: now, expires_at: expiresAt }))
      .execute();
    await app.database.db
      .insertInto('grants')
      .values(grantRow(requestId, { id: grantId, created_at: now, updated_at: now, expires_at: expiresAt }))
      .execute();

    // erin's revoke claims the grant, and the process dies before the provider is called.
    await inTransaction(app, (scope) =>
      beginTeardownIn(scope, { grantId, actor: 'erin', reason: 'revoked by erin', kind: 'revoke', owner: 'dead' }),
    );
    clock.advance(5 * MINUTE);

    const counts = await expireDueGrants(app, clock.now(), {
      owner: 'scheduler',
      actor: 'system:scheduler',
      batchSize: 10,
      concurrency: 2,
      leaseMs: 5000,
      onError: (_job, _subject, error) => {
        throw error;
      },
    });
    expect(counts.done).toBe(1);
    const grant = await app.database.db
      .selectFrom('grants')
      .select(['status'])
      .where('id', '=', grantId)
      .executeTakeFirstOrThrow();
    const request = await app.database.db
      .selectFrom('requests')
      .select(['status'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(grant.status).toBe('revoked');
    expect(request.status).toBe('revoked');
  });
});
