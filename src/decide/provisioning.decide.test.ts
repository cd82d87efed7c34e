import { describe, expect, it } from 'vitest';
import { checkProvisioningUnchanged, provisioningOf, type ProfileDefinition } from './provisioning.decide.js';

const approved: ProfileDefinition = {
  name: 'postgres-staging',
  classification: 'internal',
  provider: { type: 'postgres', connectTimeout: '5s' },
  actions: {
    read: { grant: { role: 'analytics_ro' }, maxDuration: '8h', approval: [{ name: 'auto', auto: true }] },
    'run-sql': { execute: { role: 'app_rw', statementTimeout: '30s' }, maxDuration: '1h' },
  },
};

function changed(edit: (definition: Record<string, unknown>) => void): ProfileDefinition {
  const copy = structuredClone(approved) as Record<string, unknown>;
  edit(copy);
  return copy;
}

const actions = (definition: Record<string, unknown>) => definition.actions as Record<string, Record<string, unknown>>;

describe('checkProvisioningUnchanged', () => {
  it.each<[string, string, ProfileDefinition, readonly string[]]>([
    ['the same definition', 'read', approved, []],
    [
      'a new classification and approval rules',
      'read',
      changed((d) => {
        d.classification = 'restricted';
        (actions(d).read as Record<string, unknown>).approval = [];
      }),
      [],
    ],
    [
      'a longer maxDuration (re-validation handles durations)',
      'read',
      changed((d) => {
        (actions(d).read as Record<string, unknown>).maxDuration = '12h';
      }),
      [],
    ],
    [
      'another action’s settings',
      'read',
      changed((d) => {
        (actions(d)['run-sql'] as Record<string, unknown>).execute = { role: 'payments_owner' };
      }),
      [],
    ],
    [
      'a more powerful granted role',
      'read',
      changed((d) => {
        (actions(d).read as Record<string, unknown>).grant = { role: 'analytics_owner' };
      }),
      ['provisioning.changed'],
    ],
    [
      'another execute role',
      'run-sql',
      changed((d) => {
        (actions(d)['run-sql'] as Record<string, unknown>).execute = {
          role: 'payments_owner',
          statementTimeout: '30s',
        };
      }),
      ['provisioning.changed'],
    ],
    [
      'another provider',
      'read',
      changed((d) => {
        d.provider = { type: 'exec' };
      }),
      ['provisioning.changed'],
    ],
    [
      'other provider settings',
      'read',
      changed((d) => {
        d.provider = { type: 'postgres', connectTimeout: '5s', dsnEnv: 'OTHER_DSN' };
      }),
      ['provisioning.changed'],
    ],
    [
      'an action that now grants instead of executing',
      'run-sql',
      changed((d) => {
        actions(d)['run-sql'] = { grant: { role: 'app_rw' } };
      }),
      ['provisioning.changed'],
    ],
  ])('%s: %j', (_name, action, current, codes) => {
    const reasons = checkProvisioningUnchanged({
      requestId: 'req-1',
      profile: 'postgres-staging',
      action,
      approved,
      current,
    });
    expect(reasons.map((r) => r.code)).toEqual(codes);
    for (const r of reasons) expect(r.message).toMatch(/submit a new request for a new approval/);
  });

  it('an approved version that is not on record asks for a new approval', () => {
    const reasons = checkProvisioningUnchanged({
      requestId: 'req-1',
      profile: 'postgres-staging',
      action: 'read',
      approved: undefined,
      current: approved,
    });
    expect(reasons).toEqual([expect.objectContaining({ code: 'provisioning.unknown' })]);
  });

  it('key order never matters', () => {
    const reordered = { actions: approved.actions, provider: { connectTimeout: '5s', type: 'postgres' }, name: 'x' };
    expect(provisioningOf(reordered, 'read')).toBe(provisioningOf(approved, 'read'));
  });
});
