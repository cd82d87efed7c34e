import { describe, expect, it } from 'vitest';
import { judgeSession, type SessionState } from './session.decide.js';

const MINUTE = 60_000;
const LIFETIME = { idleMs: 30 * MINUTE, maxMs: 12 * 60 * MINUTE };
const START = 1_000_000_000_000;
const fresh: SessionState = {
  createdAt: START,
  lastSeenAt: START,
  expiresAt: START + LIFETIME.maxMs,
  endedAt: null,
  identityUsable: true,
};

describe('judgeSession', () => {
  it.each([
    ['a session used a second ago stands and is not written again', fresh, START + 1000, true, undefined],
    ['a session idle for just under 30 minutes stands', fresh, START + 30 * MINUTE - 1, true, undefined],
    ['a session idle for 30 minutes has expired', fresh, START + 30 * MINUTE, false, 'idle'],
    [
      'an active session ends at its absolute limit',
      { ...fresh, lastSeenAt: START + 12 * 60 * MINUTE - MINUTE },
      START + 12 * 60 * MINUTE,
      false,
      'expired',
    ],
    ['an ended session never stands again', { ...fresh, endedAt: START }, START + 1, false, 'ended'],
    ['a disabled identity ends it', { ...fresh, identityUsable: false }, START + 1, false, 'identity_unusable'],
    [
      'a revoked token ends it',
      { ...fresh, token: { expiresAt: START + 60 * MINUTE, revoked: true } },
      START + 1,
      false,
      'token_revoked',
    ],
    [
      'an expired token ends it',
      { ...fresh, token: { expiresAt: START + 5 * MINUTE, revoked: false } },
      START + 5 * MINUTE,
      false,
      'token_expired',
    ],
  ] as const)('%s', (_name, state, now, valid, refusal) => {
    const verdict = judgeSession(state, LIFETIME, now);
    expect(verdict.valid).toBe(valid);
    if (!verdict.valid) expect(verdict.refusal).toBe(refusal);
  });

  it('the idle deadline slides from the request that touches the session', () => {
    const verdict = judgeSession(fresh, LIFETIME, START + 10 * MINUTE);
    expect(verdict).toEqual({ valid: true, expiresAt: START + 40 * MINUTE, touch: true });
  });

  it('a request that shows no person at work (a background poll) does not slide the idle deadline', () => {
    const verdict = judgeSession(fresh, LIFETIME, START + 10 * MINUTE, false);
    expect(verdict).toEqual({ valid: true, expiresAt: START + 30 * MINUTE, touch: false });
  });

  it('a lower absolute limit configured later applies to sessions already open', () => {
    const verdict = judgeSession(
      { ...fresh, lastSeenAt: START + 59 * MINUTE },
      { ...LIFETIME, maxMs: 60 * MINUTE },
      START + 60 * MINUTE,
    );
    expect(verdict).toEqual({ valid: false, refusal: 'expired' });
  });

  it('the token expiry bounds the answered expiry', () => {
    const verdict = judgeSession(
      { ...fresh, token: { expiresAt: START + 5 * MINUTE, revoked: false } },
      LIFETIME,
      START + 2 * MINUTE,
    );
    expect(verdict).toEqual({ valid: true, expiresAt: START + 5 * MINUTE, touch: true });
  });
});
