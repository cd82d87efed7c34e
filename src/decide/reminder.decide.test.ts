import { describe, expect, it } from 'vitest';
import type { ApprovalStep, ReminderPolicy } from '../policy/model.js';
import { dueReminders, type ReminderInput } from './reminder.decide.js';

const created = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR = 3_600_000;
const step: ApprovalStep = { from: [{ type: 'group', name: 'dba' }], count: 1, independent: false };
const policy: ReminderPolicy = {
  afterSeconds: 2 * 3600,
  escalateAfterSeconds: 12 * 3600,
  escalateTo: [{ type: 'group', name: 'security-leads' }],
};

function input(overrides: Partial<ReminderInput> & { hours: number }): ReminderInput {
  return {
    request: {
      status: 'pending',
      createdAt: created,
      expiresAt: created + 24 * HOUR,
      steps: [step, step],
      approvals: [],
    },
    policy,
    sent: [],
    now: created + overrides.hours * HOUR,
    ...overrides,
  };
}

describe('dueReminders', () => {
  it('nothing is due before the reminder delay', () => {
    expect(dueReminders(input({ hours: 1.99 }))).toEqual([]);
  });

  it('the approvers of the current step are reminded once the delay has passed', () => {
    expect(dueReminders(input({ hours: 2 }))).toEqual([
      { kind: 'reminder', audience: ['approvers of step 1'], step: 1, dueAt: created + 2 * HOUR },
    ]);
  });

  it('a reminder already sent is not sent again', () => {
    expect(dueReminders(input({ hours: 3, sent: ['reminder'] }))).toEqual([]);
  });

  it('the escalation audience is told after the escalation delay, once', () => {
    expect(dueReminders(input({ hours: 12, sent: ['reminder'] }))).toEqual([
      { kind: 'escalation', audience: ['group:security-leads'], step: 1, dueAt: created + 12 * HOUR },
    ]);
    expect(dueReminders(input({ hours: 13, sent: ['reminder', 'escalation'] }))).toEqual([]);
  });

  it('a scheduler that was down catches up on both, reminder first', () => {
    expect(dueReminders(input({ hours: 20 })).map((due) => due.kind)).toEqual(['reminder', 'escalation']);
  });

  it('the reminder names the step awaiting approvals now', () => {
    const approved = { approver: 'erin', step: 0, at: created + HOUR, digest: 'd' };
    const request = { ...input({ hours: 0 }).request, approvals: [approved] };
    expect(dueReminders(input({ hours: 2, request }))[0]?.audience).toEqual(['approvers of step 2']);
  });

  it.each(['approved', 'denied', 'cancelled', 'timed_out', 'active'] as const)(
    'a request that is %s is never reminded',
    (status) => {
      expect(dueReminders(input({ hours: 20, request: { ...input({ hours: 0 }).request, status } }))).toEqual([]);
    },
  );

  it('a request past its pending timeout is not reminded (the timeout job ends it)', () => {
    expect(dueReminders(input({ hours: 24 }))).toEqual([]);
  });

  it('an action without reminders never has any due', () => {
    expect(dueReminders(input({ hours: 20, policy: undefined }))).toEqual([]);
  });

  it('reminders only: no escalation is ever due', () => {
    const only = { afterSeconds: 3600, escalateTo: [] };
    expect(dueReminders(input({ hours: 20, policy: only })).map((due) => due.kind)).toEqual(['reminder']);
  });
});
