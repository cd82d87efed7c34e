import { describe, expect, it } from 'vitest';
import type {
  ActionDefinition,
  Identity,
  PolicySet,
  Resource,
  ResourceProfile,
  Role,
  RoleAssignment,
} from '../policy/model.js';
import { CheckIndex } from './check.decide.js';
import type { CheckReasonCode } from './check.decide.js';
import { DutyIndex } from './duties.js';
import type { ActiveGrant } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

function action(name: string): ActionDefinition {
  return {
    name,
    risk: 'low',
    validateParams: () => [],
    grant: {},
    maxDurationSeconds: 3600,
    approval: [],
    requireJustification: false,
    pendingTimeoutSeconds: 86_400,
    activationWindowSeconds: 3600,
  };
}

function profile(name: string, actions: readonly string[], labels: Record<string, string> = {}): ResourceProfile {
  return {
    name,
    version: `v-${name}`,
    definition: {},
    classification: 'internal',
    environment: 'test',
    owners: [],
    labels,
    provider: { type: 'noop', settings: {} },
    baseline: [],
    actions: new Map(actions.map((a) => [a, action(a)])),
    governance: { approvers: [] },
  };
}

function resource(name: string, profileName: string): Resource {
  return { name, profile: profileName, labels: {}, connection: {}, attributes: {} };
}

function identity(name: string, groups: readonly string[] = [], disabled = false): Identity {
  return { name, kind: 'human', groups, attributes: {}, disabled };
}

function assign(
  role: string,
  subject: string,
  assignment: 'standing' | 'eligible' = 'standing',
  expiresAt?: number,
): RoleAssignment {
  const [type, name] = subject.split(':') as ['group' | 'identity', string];
  return {
    id: `${role}/${subject}`,
    role,
    subject: { type, name },
    assignment,
    source: 'policy',
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

const roles: Role[] = [
  { name: 'payments-engineer', duties: ['request', 'use'], scope: { kind: 'profiles', names: ['postgres-staging'] } },
  { name: 'dba-eligible', duties: ['use'], scope: { kind: 'profiles', names: ['postgres-prod'] } },
  { name: 'web-deployer', duties: ['use'], scope: { kind: 'selector', labels: { tier: 'web' } } },
  { name: 'prod-approver', duties: ['approve'], scope: { kind: 'all' } },
  { name: 'temporary-web', duties: ['use'], scope: { kind: 'profiles', names: ['web-prod'] } },
];

const policy: PolicySet = {
  identities: new Map(
    [
      identity('alice', ['payments']),
      identity('bob', ['payments']),
      identity('carol', ['security']),
      identity('dave', ['payments'], true),
      identity('erin', ['dba']),
      identity('frank', ['web']),
    ].map((i) => [i.name, i]),
  ),
  groups: new Map(),
  roles: new Map(roles.map((r) => [r.name, r])),
  assignments: [
    assign('payments-engineer', 'group:payments'),
    assign('dba-eligible', 'identity:erin', 'eligible'),
    assign('web-deployer', 'identity:frank', 'eligible'),
    assign('prod-approver', 'identity:carol'),
    assign('temporary-web', 'identity:bob', 'standing', T0 + 1000),
  ],
  sodRules: [],
  profiles: new Map(
    [
      profile('postgres-prod', ['read', 'run-sql']),
      profile('postgres-staging', ['read']),
      profile('web-prod', ['deploy'], { tier: 'web' }),
    ].map((p) => [p.name, p]),
  ),
  resources: new Map(
    [
      resource('payments-db', 'postgres-prod'),
      resource('ledger-db', 'postgres-prod'),
      resource('staging-db', 'postgres-staging'),
      resource('web-1', 'web-prod'),
      resource('orphan-db', 'gone'),
    ].map((r) => [r.name, r]),
  ),
  notifiers: new Map(),
  contextSources: new Map(),
};

function grant(id: string, who: string, on: string, what: string, expiresAt: number): ActiveGrant {
  return { id, requestId: `req-${id}`, identity: who, resource: on, action: what, expiresAt };
}

const grants: ActiveGrant[] = [
  grant('g-read-late', 'alice', 'payments-db', 'read', T0 + MINUTE),
  grant('g-read-early', 'alice', 'payments-db', 'read', T0 + 30_000),
  grant('g-sql-old', 'alice', 'payments-db', 'run-sql', T0 - 1),
  grant('g-dave', 'dave', 'payments-db', 'read', T0 + MINUTE),
  grant('g-ghost', 'ghost', 'payments-db', 'read', T0 + MINUTE),
  grant('g-undefined-action', 'alice', 'payments-db', 'drop-db', T0 + MINUTE),
  grant('g-bob-staging', 'bob', 'staging-db', 'read', T0 - 5),
];

function build(extra: readonly ActiveGrant[] = []): CheckIndex {
  const duties = new DutyIndex(policy, T0, [], [{ identity: 'erin', role: 'dba-eligible', expiresAt: T0 + 3_600_000 }]);
  return new CheckIndex(policy, duties, [...grants, ...extra]);
}

interface Case {
  readonly name: string;
  readonly ask: readonly [identity: string, resource: string, action: string, now: number];
  readonly allowed: boolean;
  readonly code: CheckReasonCode;
  readonly grantId?: string;
  readonly mentions?: string;
}

const cases: Case[] = [
  {
    name: 'an active grant allows its identity the action and names the grant expiring last',
    ask: ['alice', 'payments-db', 'read', T0],
    allowed: true,
    code: 'check.grant',
    grantId: 'g-read-late',
    mentions: 'until 2026-01-01T00:01:00.000Z',
  },
  {
    name: 'a grant still allows one millisecond before it expires',
    ask: ['alice', 'payments-db', 'read', T0 + MINUTE - 1],
    allowed: true,
    code: 'check.grant',
    grantId: 'g-read-late',
  },
  {
    name: 'a grant no longer allows at the exact millisecond it expires',
    ask: ['alice', 'payments-db', 'read', T0 + MINUTE],
    allowed: false,
    code: 'check.grant_expired',
    mentions: "grant 'g-read-late' (request 'req-g-read-late') expired at 2026-01-01T00:01:00.000Z",
  },
  {
    name: 'an expired grant is reported with the instant it expired',
    ask: ['alice', 'payments-db', 'run-sql', T0],
    allowed: false,
    code: 'check.grant_expired',
    mentions: 'expired at 2025-12-31T23:59:59.999Z',
  },
  {
    name: 'a grant for one resource does not allow the same action on another',
    ask: ['alice', 'ledger-db', 'read', T0],
    allowed: false,
    code: 'check.no_grant',
    mentions: "no active grant for action 'read'",
  },
  {
    name: 'a standing use role allows without a grant and names the role',
    ask: ['bob', 'staging-db', 'read', T0],
    allowed: true,
    code: 'check.standing_role',
    mentions: "standing role 'payments-engineer' gives 'use' on profile 'postgres-staging'",
  },
  {
    name: 'a standing role allows even when a grant on the same action has expired',
    ask: ['bob', 'staging-db', 'read', T0 + MINUTE],
    allowed: true,
    code: 'check.standing_role',
  },
  {
    name: 'a standing role covers only the profiles in its scope',
    ask: ['bob', 'payments-db', 'read', T0],
    allowed: false,
    code: 'check.no_grant',
    mentions: "profile 'postgres-prod'",
  },
  {
    // Its JIT access is the grant its activation created, never the whole reach of the role.
    name: 'an activated eligible role does not open resources without a grant',
    ask: ['erin', 'payments-db', 'run-sql', T0],
    allowed: false,
    code: 'check.no_grant',
  },
  {
    name: 'a merely eligible role does not allow',
    ask: ['frank', 'web-1', 'deploy', T0],
    allowed: false,
    code: 'check.no_grant',
  },
  {
    name: 'a role without the use duty does not allow',
    ask: ['carol', 'payments-db', 'read', T0],
    allowed: false,
    code: 'check.no_grant',
  },
  {
    name: 'a standing assignment allows until its expiry',
    ask: ['bob', 'web-1', 'deploy', T0 + 999],
    allowed: true,
    code: 'check.standing_role',
    mentions: "'temporary-web'",
  },
  {
    name: 'a standing assignment no longer allows at the exact millisecond it expires',
    ask: ['bob', 'web-1', 'deploy', T0 + 1000],
    allowed: false,
    code: 'check.no_grant',
  },
  {
    name: 'a disabled identity is denied even with an active grant',
    ask: ['dave', 'payments-db', 'read', T0],
    allowed: false,
    code: 'check.identity_disabled',
    mentions: "identity 'dave' is disabled",
  },
  {
    name: 'an identity the policy does not know is denied',
    ask: ['mallory', 'payments-db', 'read', T0],
    allowed: false,
    code: 'check.unknown_identity',
    mentions: "identity 'mallory' is not known",
  },
  {
    name: 'an identity known only from a grant is denied',
    ask: ['ghost', 'payments-db', 'read', T0],
    allowed: false,
    code: 'check.unknown_identity',
  },
  {
    name: 'a resource the policy does not know is denied',
    ask: ['alice', 'nowhere-db', 'read', T0],
    allowed: false,
    code: 'check.unknown_resource',
    mentions: "resource 'nowhere-db' is not known",
  },
  {
    name: 'an action the profile does not define is denied even with a grant for it',
    ask: ['alice', 'payments-db', 'drop-db', T0],
    allowed: false,
    code: 'check.unknown_action',
    mentions: "profile 'postgres-prod' of resource 'payments-db' has no action 'drop-db'",
  },
  {
    name: 'a resource bound to a profile that is not defined is denied',
    ask: ['alice', 'orphan-db', 'read', T0],
    allowed: false,
    code: 'check.unknown_profile',
  },
];

describe('CheckIndex.check', () => {
  const index = build();
  it.each(cases)('$name', ({ ask, allowed, code, grantId, mentions }) => {
    const answer = index.check(...ask);
    expect(answer.allowed).toBe(allowed);
    expect(answer.reason.code).toBe(code);
    expect(answer.grantId).toBe(grantId);
    if (mentions !== undefined) expect(answer.reason.message).toContain(mentions);
  });

  it('answers a repeated question with the same frozen result object', () => {
    const questions: [string, string, string, number][] = [
      ['alice', 'payments-db', 'read', T0],
      ['alice', 'payments-db', 'read', T0 + MINUTE],
      ['bob', 'staging-db', 'read', T0],
      ['bob', 'payments-db', 'read', T0],
      ['dave', 'payments-db', 'read', T0],
    ];
    for (const question of questions) {
      const first = index.check(...question);
      expect(index.check(...question)).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first.reason)).toBe(true);
    }
  });
});

describe('CheckIndex grant updates', () => {
  it('an added grant allows at once and a removed one stops allowing', () => {
    const index = build();
    expect(index.check('bob', 'payments-db', 'read', T0).allowed).toBe(false);
    index.addGrant(grant('g-new', 'bob', 'payments-db', 'read', T0 + MINUTE));
    expect(index.check('bob', 'payments-db', 'read', T0)).toMatchObject({ allowed: true, grantId: 'g-new' });
    expect(index.removeGrant('g-new')).toBe(true);
    expect(index.check('bob', 'payments-db', 'read', T0).reason.code).toBe('check.no_grant');
  });

  it('removing the grant expiring last falls back to the next one', () => {
    const index = build();
    index.removeGrant('g-read-late');
    expect(index.check('alice', 'payments-db', 'read', T0)).toMatchObject({ allowed: true, grantId: 'g-read-early' });
    expect(index.check('alice', 'payments-db', 'read', T0 + 30_000).reason.code).toBe('check.grant_expired');
  });

  it('adding a grant with a known id replaces it', () => {
    const index = build();
    index.addGrant(grant('g-read-early', 'alice', 'payments-db', 'read', T0 + 2 * MINUTE));
    expect(index.check('alice', 'payments-db', 'read', T0 + MINUTE)).toMatchObject({
      allowed: true,
      grantId: 'g-read-early',
    });
    index.removeGrant('g-read-early');
    index.removeGrant('g-read-late');
    expect(index.check('alice', 'payments-db', 'read', T0).reason.code).toBe('check.no_grant');
  });

  it('a grant is preferred over a standing role, so the answer names the grant', () => {
    const index = build([grant('g-bob-now', 'bob', 'staging-db', 'read', T0 + MINUTE)]);
    expect(index.check('bob', 'staging-db', 'read', T0)).toMatchObject({ allowed: true, grantId: 'g-bob-now' });
  });

  it('replacing the grants of one identity drops the ones no longer active, adds the new and leaves others', () => {
    const index = build([grant('g-bob-now', 'bob', 'staging-db', 'read', T0 + MINUTE)]);
    index.replaceGrantsOf('alice', [grant('g-sql-new', 'alice', 'payments-db', 'run-sql', T0 + MINUTE)]);
    expect(index.check('alice', 'payments-db', 'read', T0).reason.code).toBe('check.no_grant');
    expect(index.check('alice', 'payments-db', 'run-sql', T0)).toMatchObject({ allowed: true, grantId: 'g-sql-new' });
    expect(index.check('bob', 'staging-db', 'read', T0)).toMatchObject({ allowed: true, grantId: 'g-bob-now' });
    index.replaceGrantsOf('alice', []);
    expect(index.check('alice', 'payments-db', 'run-sql', T0).reason.code).toBe('check.no_grant');
    expect(index.removeGrant('g-read-late')).toBe(false);
  });

  it('removing a grant the index does not hold reports false', () => {
    expect(build().removeGrant('g-unknown')).toBe(false);
  });

  it.each([0, Date.UTC(2024, 1, 29, 12, 30, 45, 7), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2100, 2, 1)])(
    'a grant expiring at %i names that instant as RFC 3339 UTC',
    (expiresAt) => {
      const index = build([grant('g-instant', 'frank', 'web-1', 'deploy', expiresAt)]);
      const answer = index.check('frank', 'web-1', 'deploy', expiresAt - 1);
      expect(answer.reason.message).toContain(`until ${new Date(expiresAt).toISOString()}`);
    },
  );
});
