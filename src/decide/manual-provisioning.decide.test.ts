import { describe, expect, it } from 'vitest';
import { human, makePolicy, makeRequestRecord, nhi } from '../../test/factories/policy.factory.js';
import { makeProfile } from '../../test/factories/profile.factory.js';
import type { ProviderType, SodRule } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { decideManualProvisioner, manualProvisioners } from './manual-provisioning.decide.js';

const NOW = 1_800_000_000_000;
const manual = (type: ProviderType = 'manual') => makeProfile({ name: 'console', provider: { type, settings: {} } });

function decide(actor: string, options: { type?: ProviderType; sodRules?: readonly SodRule[] } = {}) {
  const profile = manual(options.type);
  const policy = makePolicy({
    identities: [
      human('alice', ['payments']),
      human('bob', ['payments', 'admins']),
      human('peggy', ['admins']),
      human('mallory', ['admins'], { disabled: true }),
      human('carol'),
      nhi('bot', 'peggy', ['admins']),
    ],
    roles: [
      { name: 'requesters', duties: ['request'], profiles: ['console'], subjects: ['group:payments'] },
      { name: 'owners', duties: ['approve'], profiles: ['console'], subjects: ['group:payments'] },
      { name: 'provisioners', duties: ['provision'], profiles: ['console'], subjects: ['group:admins'] },
    ],
    sodRules: options.sodRules ?? [],
    profiles: [profile],
  });
  const request = makeRequestRecord(
    {
      id: 'req-9',
      requester: 'alice',
      status: 'approved',
      approvals: [{ approver: 'bob', step: 0, at: NOW, digest: 'd' }],
    },
    profile,
  );
  return decideManualProvisioner({
    request,
    profile,
    actor,
    policy,
    duties: new DutyIndex(policy, NOW),
    exceptions: [],
    now: NOW,
  });
}

describe('decideManualProvisioner', () => {
  it.each([
    [
      'a human holding provision who took no other part confirms',
      'peggy',
      'manual',
      ['sod.lifecycle_ok', 'provision.holds_duty'],
    ],
    ['the requester may not provision their own request', 'alice', 'manual', ['sod.own_request', 'provision.no_duty']],
    ['an approver holding provision may not also provision', 'bob', 'manual', ['sod.lifecycle_roles']],
    ['a human without provision on the profile is refused', 'carol', 'manual', ['provision.no_duty']],
    ['a disabled human is refused', 'mallory', 'manual', ['provision.not_human']],
    ['a non-human identity never provisions by hand', 'bot', 'manual', ['provision.not_human']],
    ['an unknown identity is refused', 'nobody', 'manual', ['provision.not_human']],
    ['the executor does not confirm manual provisioning', 'system:executor', 'manual', ['provision.not_human']],
    ['nobody confirms by hand on a profile with an automatic provider', 'peggy', 'noop', ['provision.not_manual']],
  ] as const)('%s', (_label, actor, type, codes) => {
    const result = decide(actor, { type });
    expect(result.allowed).toBe(codes.includes('provision.holds_duty' as never));
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('a configured request-scope rule between approve and provision is enforced too', () => {
    const rule: SodRule = {
      name: 'approvers-do-not-provision',
      scope: 'request',
      conflicting: { duties: ['approve', 'provision'] },
    };
    const result = decide('bob', { sodRules: [rule] });
    expect(result.allowed).toBe(false);
    expect(result.reasons.map((r) => r.code)).toContain('sod.rule_conflict');
  });

  it('names the actor and the profile in the refusal', () => {
    expect(decide('carol').reasons[0]?.message).toBe("'carol' does not hold 'provision' on profile 'console'");
  });
});

describe('manualProvisioners', () => {
  it('names exactly the identities that may confirm: not the approver, not the disabled, not the machine', () => {
    const profile = makeProfile({ name: 'console', provider: { type: 'manual', settings: {} } });
    const policy = makePolicy({
      identities: [
        human('alice', ['payments']),
        human('bob', ['payments', 'admins']),
        human('peggy', ['admins']),
        human('victor', ['admins']),
        human('mallory', ['admins'], { disabled: true }),
        nhi('bot', 'peggy', ['admins']),
      ],
      roles: [{ name: 'provisioners', duties: ['provision'], profiles: ['console'], subjects: ['group:admins'] }],
      profiles: [profile],
    });
    const request = makeRequestRecord(
      { requester: 'alice', status: 'approved', approvals: [{ approver: 'bob', step: 0, at: NOW, digest: 'd' }] },
      profile,
    );
    const duties = new DutyIndex(policy, NOW);
    expect(manualProvisioners({ request, profile, policy, duties, exceptions: [], now: NOW })).toEqual([
      'peggy',
      'victor',
    ]);
  });
});
