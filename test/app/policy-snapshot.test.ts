/**
 * The policy snapshot cache (`policy-runtime.ts`): a verb may reuse the previous snapshot only while the loaded
 * policy, the database's overlay counter and every expiry in it still hold. Two runtimes over one database play
 * two replicas; each test shows a change that must reach the other one's next snapshot.
 */
import { expect, it } from 'vitest';
import type { AppContext, PolicySnapshot } from '../../src/app/context.js';
import { approveException, createException } from '../../src/features/governance/exceptions.verbs.js';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp } from './harness.js';

const HOUR = 3_600_000;

function snapshotAt(app: AppContext, now: number): Promise<PolicySnapshot> {
  return app.database.db.transaction().execute((trx) => app.policy.snapshot(trx, now));
}

describeEachDialect('the policy snapshot cache', (ctx) => {
  it('two verbs with nothing changed in between share one snapshot', async () => {
    const { app, clock } = await createTestApp(ctx);
    const first = await snapshotAt(app, clock.now());
    const second = await snapshotAt(app, clock.now() + 1000);
    expect(second).toBe(first);
  });

  it('an identity disabled through another replica is disabled in this replica’s next snapshot', async () => {
    const replicaA = await createTestApp(ctx);
    const replicaB = await createTestApp(ctx);
    const now = replicaA.clock.now();
    const before = await snapshotAt(replicaA.app, now);
    expect(before.policy.identities.get('erin')?.disabled).not.toBe(true);

    await disableIdentity({ app: replicaB.app, actor: 'peggy', input: { identity: 'erin' } });

    const after = await snapshotAt(replicaA.app, now);
    expect(after).not.toBe(before);
    expect(after.policy.identities.get('erin')?.disabled).toBe(true);
    expect(after.duties.holdingsOf('erin')).toEqual([]);
  });

  it('a role assignment written by an operator in SQL, bypassing every verb, still reaches the next snapshot', async () => {
    const { app, clock } = await createTestApp(ctx);
    const before = await snapshotAt(app, clock.now());
    expect(before.duties.holdingsOf('frank').some((h) => h.role === 'auditor')).toBe(false);

    await app.database.db
      .insertInto('role_assignments')
      .values({
        id: 'asg_operator_sql',
        role: 'auditor',
        subject_type: 'identity',
        subject_name: 'frank',
        assignment: 'standing',
        source: 'api',
        expires_at: null,
        created_at: clock.now(),
        created_by: 'operator',
        removed_at: null,
        removed_by: null,
      })
      .execute();

    const after = await snapshotAt(app, clock.now());
    expect(after.duties.holdingsOf('frank').some((h) => h.role === 'auditor')).toBe(true);
  });

  it('an exception stops counting at its expiry although nothing in the database changed', async () => {
    const { app, clock } = await createTestApp(ctx);
    const exception = await createException({
      app,
      actor: 'peggy',
      input: {
        rule: 'admins-are-not-auditors',
        identity: 'peggy',
        justification: 'covering the audit role during the SOC 2 window',
        compensatingControl: 'weekly review by security',
        expiresAt: clock.now() + HOUR,
      },
    });
    await approveException({ app, actor: 'victor', input: { id: exception.id } });

    const during = await snapshotAt(app, clock.now() + HOUR - 1);
    expect(during.exceptions.map((e) => e.id)).toEqual([exception.id]);
    const after = await snapshotAt(app, clock.now() + HOUR);
    expect(after.exceptions).toEqual([]);
  });

  it('a newly loaded policy replaces the cached snapshot at once', async () => {
    const { app, clock, runtime } = await createTestApp(ctx);
    const before = await snapshotAt(app, clock.now());
    const reduced = { ...runtime.loaded, identities: new Map([...runtime.loaded.identities].slice(0, 3)) };
    runtime.replace(reduced);
    const after = await snapshotAt(app, clock.now());
    expect(after).not.toBe(before);
    expect(after.policy.identities.size).toBe(3);
  });

  it('a snapshot asked for at an earlier instant than the cached one is rebuilt for that instant', async () => {
    const { app, clock } = await createTestApp(ctx);
    const later = await snapshotAt(app, clock.now() + HOUR);
    const earlier = await snapshotAt(app, clock.now());
    expect(earlier).not.toBe(later);
    expect(earlier.duties.now).toBe(clock.now());
  });
});
