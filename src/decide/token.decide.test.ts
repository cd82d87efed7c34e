import { describe, expect, it } from 'vitest';
import { human, makePolicy, nhi } from '../../test/factories/policy.factory.js';
import { SYSTEM_OPERATOR } from '../policy/model.js';
import { DutyIndex } from './duties.js';
import { DEFAULT_TOKEN_LIMITS, decideTokenIssue, decideTokenRevoke } from './token.decide.js';

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR = 3600;
const DAY = 86_400;

const policy = makePolicy({
  identities: [
    human('alice', ['payments']),
    human('peggy', ['platform-admins']),
    human('mallory', [], { disabled: true }),
    nhi('deploy-bot', 'alice', [], 'pipeline'),
    nhi('backup-service', 'peggy'),
  ],
  roles: [
    { name: 'payments-engineer', duties: ['request', 'use'], subjects: ['group:payments'] },
    { name: 'platform-admin', duties: ['administer'], subjects: ['group:platform-admins'] },
  ],
});
const duties = new DutyIndex(policy, NOW);

describe('decideTokenIssue', () => {
  it.each([
    ['a human mints a token for itself', 'alice', 'alice', HOUR, true, undefined],
    ['a human mints a 12h token for itself', 'alice', 'alice', 12 * HOUR, true, undefined],
    ['a human may not mint a token longer than 12h', 'alice', 'alice', 12 * HOUR + 1, false, 'invalid'],
    ['a lifetime of zero is refused', 'alice', 'alice', 0, false, 'invalid'],
    ['a human may not mint a token for another human', 'alice', 'peggy', HOUR, false, 'forbidden'],
    ['an administer holder may not mint a token for another human', 'peggy', 'alice', HOUR, false, 'forbidden'],
    ["an NHI's owner mints a 30-day token for it", 'alice', 'deploy-bot', 30 * DAY, true, undefined],
    ['an NHI token is capped at 30 days', 'alice', 'deploy-bot', 30 * DAY + 1, false, 'invalid'],
    [
      'an administer holder may not mint a token for an NHI it does not own',
      'peggy',
      'deploy-bot',
      HOUR,
      false,
      'forbidden',
    ],
    ['an NHI may not mint a token for itself', 'deploy-bot', 'deploy-bot', HOUR, false, 'forbidden'],
    ['the operator mints a token for a human', SYSTEM_OPERATOR, 'alice', HOUR, true, undefined],
    ['the operator is held to the same maximum', SYSTEM_OPERATOR, 'alice', DAY, false, 'invalid'],
    ['no token for a disabled identity', SYSTEM_OPERATOR, 'mallory', HOUR, false, 'forbidden'],
    ['no token for an unknown identity', SYSTEM_OPERATOR, 'nobody', HOUR, false, 'not_found'],
  ] as const)('%s', (_name, actor, target, ttl, allowed, refusal) => {
    const decision = decideTokenIssue(duties, actor, target, ttl);
    expect(decision.allowed).toBe(allowed);
    expect(decision.refusal).toBe(refusal);
    expect(decision.reasons.length).toBeGreaterThan(0);
  });

  it('the refusal of a too-long token names the maximum', () => {
    const decision = decideTokenIssue(duties, 'alice', 'alice', DAY);
    expect(decision.reasons[0]?.message).toBe("a token for human identity 'alice' lasts at most 12h");
  });

  it('configured limits replace the defaults', () => {
    const limits = { ...DEFAULT_TOKEN_LIMITS, nhiMaxSeconds: DAY };
    expect(decideTokenIssue(duties, 'peggy', 'backup-service', 2 * DAY, limits).allowed).toBe(false);
    expect(decideTokenIssue(duties, 'peggy', 'backup-service', DAY, limits).allowed).toBe(true);
  });
});

describe('decideTokenIssue with an API token (a chain)', () => {
  it.each([
    ['a fresh chain allows the full 12h', 0, 12 * HOUR, true],
    ['eleven hours in, one more hour is left', 11 * HOUR, HOUR, true],
    ['eleven hours in, two hours are refused', 11 * HOUR, 2 * HOUR, false],
    ['a chain past its 12h mints nothing', 12 * HOUR, 60, false],
  ] as const)('%s', (_name, elapsedSeconds, ttl, allowed) => {
    const chain = { originAt: NOW, now: NOW + elapsedSeconds * 1000 };
    const decision = decideTokenIssue(duties, 'alice', 'alice', ttl, DEFAULT_TOKEN_LIMITS, chain);
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision.reasons[0]?.code).toBe('token.chain_ends');
  });

  it('an NHI token minted by its owner with an API token is not bound to the owner’s chain', () => {
    const chain = { originAt: NOW - 11 * HOUR * 1000, now: NOW };
    expect(decideTokenIssue(duties, 'alice', 'deploy-bot', DAY, DEFAULT_TOKEN_LIMITS, chain).allowed).toBe(true);
  });
});

describe('decideTokenRevoke', () => {
  it.each([
    ['an identity revokes its own token', 'alice', 'alice', true],
    ['an administer holder revokes anyone’s token', 'peggy', 'deploy-bot', true],
    ['an identity may not revoke another’s token', 'alice', 'peggy', false],
    ['an NHI’s owner revokes the NHI’s token', 'alice', 'deploy-bot', true],
    ['an NHI may not revoke its owner’s token', 'deploy-bot', 'alice', false],
    ['the operator revokes any token', SYSTEM_OPERATOR, 'alice', true],
  ] as const)('%s', (_name, actor, owner, allowed) => {
    expect(decideTokenRevoke(duties, actor, owner).allowed).toBe(allowed);
  });
});
