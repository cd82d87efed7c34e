import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FINAL_GRANT_STATUSES,
  GRANT_EVENTS,
  GRANT_STATUSES,
  grantBirthStatus,
  grantEventSources,
  grantEventTarget,
  grantEventsFrom,
  grantTransition,
  mayDiscard,
  type GrantEvent,
  type GrantStatus,
} from './grant-lifecycle.decide.js';

/** SPEC §2.8's grant side, written out independently of the module's table. */
const LEGAL: readonly [GrantStatus, GrantEvent, GrantStatus][] = [
  ['provisioning', 'provision', 'active'],
  ['active', 'extend', 'active'],
  ['active', 'claim_teardown', 'revoking'],
  ['revoke_failed', 'claim_teardown', 'revoking'],
  ['revoking', 'claim_teardown', 'revoking'],
  ['revoking', 'revoke', 'revoked'],
  ['revoking', 'expire', 'expired'],
  ['revoking', 'revoke_fail', 'revoke_failed'],
];

describe('grantTransition', () => {
  it.each(LEGAL)('a %s grant on %s becomes %s', (from, event, to) => {
    expect(grantTransition(from, event)).toEqual({ ok: true, to });
  });

  const illegal = GRANT_STATUSES.flatMap((from) =>
    GRANT_EVENTS.filter((event) => !LEGAL.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  it.each(illegal)('a %s grant refuses %s', (from, event) => {
    const result = grantTransition(from, event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.code).toBe('grant.illegal_transition');
  });

  it('says a final status is final', () => {
    expect(grantTransition('expired', 'claim_teardown')).toEqual({
      ok: false,
      reason: {
        code: 'grant.illegal_transition',
        message: "a grant that is expired cannot be claimed for its revoke; 'expired' is final",
      },
    });
  });

  it('lets nothing leave revoked or expired, whatever the sequence of events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FINAL_GRANT_STATUSES),
        fc.array(fc.constantFrom(...GRANT_EVENTS), { maxLength: 20 }),
        (start, events) => {
          let status: GrantStatus = start;
          for (const event of events) {
            const moved = grantTransition(status, event);
            if (moved.ok) status = moved.to;
          }
          return status === start;
        },
      ),
    );
  });

  it('reaches active only from an intent the provider fulfilled', () => {
    const intoActive = LEGAL.filter(([from, , to]) => to === 'active' && from !== 'active');
    expect(intoActive).toEqual([['provisioning', 'provision', 'active']]);
  });
});

describe('what a conditional update needs', () => {
  it.each(GRANT_EVENTS)('the sources and target of %s are the table’s moves for it', (event) => {
    const moves = LEGAL.filter(([, e]) => e === event);
    expect([...grantEventSources(event)].sort()).toEqual(moves.map(([from]) => from).sort());
    for (const [, , to] of moves) expect(grantEventTarget(event)).toBe(to);
  });

  it('a grant in any status accepts exactly the events whose sources include it', () => {
    for (const status of GRANT_STATUSES) {
      expect(grantEventsFrom(status)).toEqual(
        GRANT_EVENTS.filter((event) => LEGAL.some(([f, e]) => f === status && e === event)),
      );
    }
  });
});

describe('the rest of a grant’s life', () => {
  it('an activation’s intent is born provisioning, a manual grant a person recorded is born active', () => {
    expect(grantBirthStatus('intend')).toBe('provisioning');
    expect(grantBirthStatus('record')).toBe('active');
  });

  it('only an intent may be deleted; every other grant is history', () => {
    expect(GRANT_STATUSES.filter(mayDiscard)).toEqual(['provisioning']);
  });
});
