/**
 * The policy runtime within one HTTP call (`policy-call.ts`, `policy-runtime.ts`): the call keeps the loaded
 * policy it began under and its first snapshot while that holds, whatever reload lands meanwhile; the call that
 * applies a policy sees it at once; committed overlay changes still reach it; an ended call pins nothing.
 * The guard and the handler run as separate pieces of one call, as `call.run(…)` does here.
 */
import { expect, it } from 'vitest';
import type { AppContext, PolicySnapshot } from '../../src/app/context.js';
import { PolicyCall } from '../../src/app/policy-call.js';
import { disableIdentity } from '../../src/features/access/identities.verbs.js';
import type { PolicySet } from '../../src/policy/model.js';
import { describeEachDialect } from '../store/dialects.js';
import { createTestApp } from './harness.js';

function snapshotAt(app: AppContext, now: number): Promise<PolicySnapshot> {
  return app.database.db.transaction().execute((trx) => app.policy.snapshot(trx, now));
}

/** `policy` without `identity`. */
function without(policy: PolicySet, identity: string): PolicySet {
  const identities = new Map(policy.identities);
  identities.delete(identity);
  return { ...policy, identities };
}

describeEachDialect('the policy within one HTTP call', (ctx) => {
  it('a reload during a call leaves the call on its first snapshot; the next call and everything outside see the reload', async () => {
    const { app, clock, runtime } = await createTestApp(ctx);
    const original = runtime.loaded;
    const call = new PolicyCall();
    const guard = await call.run(() => snapshotAt(app, clock.now()));

    runtime.replace(without(original, 'carol'));

    const verb = await call.run(() => snapshotAt(app, clock.now() + 1000));
    expect(verb).toBe(guard);
    expect(call.run(() => runtime.loaded)).toBe(original);
    expect(runtime.loaded.identities.has('carol')).toBe(false);
    const outside = await snapshotAt(app, clock.now() + 1000);
    expect(outside.policy.identities.has('carol')).toBe(false);
    const next = await new PolicyCall().run(() => snapshotAt(app, clock.now() + 1000));
    expect(next.policy.identities.has('carol')).toBe(false);
  });

  it('the call that applies a new policy sees it at once', async () => {
    const { app, clock, runtime } = await createTestApp(ctx);
    const call = new PolicyCall();
    await call.run(() => snapshotAt(app, clock.now()));
    const reduced = without(runtime.loaded, 'carol');

    const after = await call.run(async () => {
      runtime.replace(reduced);
      return snapshotAt(app, clock.now());
    });

    expect(after.policy.identities.has('carol')).toBe(false);
    expect(call.run(() => runtime.loaded)).toBe(reduced);
  });

  it('an identity disabled by another replica during the call is disabled in the call’s next snapshot', async () => {
    const replicaA = await createTestApp(ctx);
    const replicaB = await createTestApp(ctx);
    const now = replicaA.clock.now();
    const call = new PolicyCall();
    const original = replicaA.runtime.loaded;
    const guard = await call.run(() => snapshotAt(replicaA.app, now));
    expect(guard.policy.identities.get('erin')?.disabled).not.toBe(true);

    // A reload and a committed overlay change both land during the call.
    replicaA.runtime.replace(without(original, 'carol'));
    await disableIdentity({ app: replicaB.app, actor: 'peggy', input: { identity: 'erin' } });

    const verb = await call.run(() => snapshotAt(replicaA.app, now));
    expect(verb).not.toBe(guard);
    expect(verb.policy.identities.get('erin')?.disabled).toBe(true);
    // Rebuilt on the policy the call began under, not the reload.
    expect(verb.policy.identities.has('carol')).toBe(true);
  });

  it('work still running in an ended call’s context sees the policy in force', async () => {
    const { app, clock, runtime } = await createTestApp(ctx);
    const call = new PolicyCall();
    const original = runtime.loaded;
    await call.run(() => snapshotAt(app, clock.now()));
    call.end();
    runtime.replace(without(original, 'carol'));

    // A timer or a woken worker the call started runs in its async context after the response went out.
    const snapshot = await call.run(() => snapshotAt(app, clock.now()));
    expect(snapshot.policy.identities.has('carol')).toBe(false);
    expect(call.run(() => runtime.loaded)).not.toBe(original);
  });
});
