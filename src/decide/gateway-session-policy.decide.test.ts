import { describe, expect, it } from 'vitest';
import type { GatewayPolicy, PolicySet, ResourceProfile } from '../policy/model.js';
import { makeAction, makeProfile } from '../../test/factories/profile.factory.js';
import { gatewayCondition } from '../../test/factories/profile.factory.js';
import { followSessionPolicy } from './gateway-session-policy.decide.js';

const OPENED: GatewayPolicy = { rules: [], otherwise: 'allow', masks: [], maxRows: 1000 };
const NARROWED: GatewayPolicy = {
  ...OPENED,
  rules: [{ name: 'no-secrets', when: gatewayCondition('"secret" in statement.tables'), deny: 'off limits' }],
};

function profileWith(gateway: GatewayPolicy | undefined, name = 'postgres-prod'): ResourceProfile {
  return makeProfile({
    name,
    actions: [makeAction({ name: 'query', grant: { role: 'ro' }, ...(gateway ? { gateway } : {}) })],
  });
}

function loaded(...profiles: ResourceProfile[]): PolicySet {
  return { profiles: new Map(profiles.map((p) => [p.name, p])) } as unknown as PolicySet;
}

describe('what an open gateway session decides by after the policy changed', () => {
  const origin = { profile: profileWith(OPENED), action: 'query', policy: OPENED };

  it('the same profile object keeps the block the session opened with', () => {
    expect(followSessionPolicy(origin, loaded(origin.profile))).toEqual({
      kind: 'current',
      profile: origin.profile,
      policy: OPENED,
    });
  });

  it('narrowed rules take effect for the next statement of a session already open', () => {
    const changed = profileWith(NARROWED);
    expect(followSessionPolicy(origin, loaded(changed))).toEqual({
      kind: 'current',
      profile: changed,
      policy: NARROWED,
    });
  });

  it.each([
    ['a mask added', { masks: [{ column: 'email', mask: 'hash' as const }] }],
    ['a budget narrowed', { maxRows: 10 }],
    ['a budget removed', { maxRows: undefined }],
    ['a statement timeout set', { statementTimeoutSeconds: 5 }],
  ])('%s makes the session stale: it cannot be swapped under a running session', (_name, change) => {
    const followed = followSessionPolicy(origin, loaded(profileWith({ ...NARROWED, ...change })));
    expect(followed).toMatchObject({ kind: 'stale', why: expect.stringContaining('reconnect') });
  });

  it('an action that is no longer gateway-only, or a profile gone, makes the session stale', () => {
    expect(followSessionPolicy(origin, loaded(profileWith(undefined)))).toMatchObject({
      kind: 'stale',
      why: expect.stringContaining('no longer a gateway action'),
    });
    expect(followSessionPolicy(origin, loaded(profileWith(OPENED, 'other')))).toMatchObject({
      kind: 'stale',
      why: expect.stringContaining('no longer in the policy in force'),
    });
  });
});
