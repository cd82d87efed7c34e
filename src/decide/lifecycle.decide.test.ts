import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventsFrom,
  initialStatus,
  isTerminal,
  LIFECYCLE_EVENTS,
  transition,
  type LifecycleEvent,
} from './lifecycle.decide.js';
import { REQUEST_STATUSES, type RequestStatus } from './types.js';

/** SPEC §2.8, written out independently of the module's table. */
const LEGAL: readonly [RequestStatus, LifecycleEvent, RequestStatus][] = [
  ['pending', 'approve_step', 'pending'],
  ['pending', 'approve_final', 'approved'],
  ['pending', 'auto_approve', 'approved'],
  ['pending', 'break_glass', 'active'],
  ['pending', 'deny', 'denied'],
  ['pending', 'cancel', 'cancelled'],
  ['pending', 'pending_timeout', 'timed_out'],
  ['approved', 'activate', 'active'],
  ['approved', 'cancel', 'cancelled'],
  ['approved', 'activation_timeout', 'timed_out'],
  ['approved', 'execute', 'executing'],
  ['approved', 'extension_applied', 'completed'],
  ['executing', 'execution_finished', 'completed'],
  ['executing', 'outcome_unknown', 'needs_review'],
  ['active', 'extend', 'active'],
  ['active', 'expire', 'expired'],
  ['active', 'revoke', 'revoked'],
  ['active', 'complete', 'completed'],
  ['active', 'revoke_failed', 'revoke_failed'],
  ['revoke_failed', 'revoke_retry_failed', 'revoke_failed'],
  ['revoke_failed', 'revoke_retry_succeeded', 'revoked'],
];

describe('transition', () => {
  it.each(LEGAL)('a %s request on %s becomes %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, to });
  });

  const illegal = REQUEST_STATUSES.flatMap((from) =>
    LIFECYCLE_EVENTS.filter((event) => !LEGAL.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  it.each(illegal)('a %s request refuses %s', (from, event) => {
    const result = transition(from, event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.code).toBe('lifecycle.illegal_transition');
  });

  it('says a final status is final', () => {
    expect(transition('expired', 'revoke')).toEqual({
      ok: false,
      reason: {
        code: 'lifecycle.illegal_transition',
        message: "a request that is expired cannot be revoked; 'expired' is final",
      },
    });
  });

  it('nothing reaches active except through activation of an approved request or break-glass', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LIFECYCLE_EVENTS), { maxLength: 20 }), (events) => {
        let status: RequestStatus = 'pending';
        for (const event of events) {
          const result = transition(status, event);
          if (!result.ok) continue;
          if (result.to === 'active' && status !== 'active') {
            expect(
              (status === 'approved' && event === 'activate') || (status === 'pending' && event === 'break_glass'),
            ).toBe(true);
          }
          if (isTerminal(status)) expect.unreachable(`left terminal status ${status}`);
          status = result.to;
        }
      }),
    );
  });
});

describe('isTerminal', () => {
  it.each<[RequestStatus, boolean]>([
    ['pending', false],
    ['approved', false],
    ['active', false],
    ['revoke_failed', false],
    ['executing', false],
    ['needs_review', true],
    ['expired', true],
    ['revoked', true],
    ['completed', true],
    ['denied', true],
    ['cancelled', true],
    ['timed_out', true],
  ])('%s is terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
    expect(eventsFrom(status).length === 0).toBe(terminal);
  });
});

describe('initialStatus', () => {
  it.each([
    ['pending', 'pending'],
    ['auto_approved', 'approved'],
    ['break_glass', 'active'],
    ['denied', 'denied'],
  ] as const)('a request the policy decided as %s starts as %s', (outcome, status) => {
    expect(initialStatus(outcome)).toBe(status);
  });
});

describe('eventsFrom', () => {
  it('an approved request may be activated, cancelled, time out, be executed or extend a grant', () => {
    expect(eventsFrom('approved')).toEqual([
      'cancel',
      'activate',
      'activation_timeout',
      'execute',
      'extension_applied',
    ]);
  });
});
