/**
 * Reminders and escalation of pending requests (issue 13): which announcements are due for one request now.
 * A pending request is announced again to the approvers of its current step `afterSeconds` after it was made, and
 * to the escalation audience `escalateAfterSeconds` after; each at most once, and never once the request left
 * `pending` or reached its pending timeout. Escalation only widens who hears of the request: the approval rules,
 * the steps and their counts are untouched by anything decided here.
 */
import type { ReminderPolicy } from '../policy/model.js';
import { approvalProgress } from './approval.decide.js';
import { formatSubject } from './request.decide.js';
import type { RequestRecord } from './types.js';

export const REMINDER_KINDS = ['reminder', 'escalation'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface DueReminder {
  readonly kind: ReminderKind;
  /**
   * Who is told: `approvers of step N` for a reminder (the approvers of the step awaiting approvals now), the
   * escalation's `group:NAME` / `identity:NAME` references for an escalation.
   */
  readonly audience: readonly string[];
  /** 1-based number of the step awaiting approvals. */
  readonly step: number;
  /** When it became due (epoch ms). */
  readonly dueAt: number;
}

export interface ReminderInput {
  readonly request: Pick<RequestRecord, 'status' | 'createdAt' | 'expiresAt' | 'steps' | 'approvals'>;
  /** The reminder settings of the request's action in force; none means nothing is ever due. */
  readonly policy: ReminderPolicy | undefined;
  /** The kinds already sent for this request. */
  readonly sent: readonly ReminderKind[];
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * The reminders due for one request now, reminder before escalation. Invariant: only a pending request still
 * inside its pending timeout gets any, each kind at most once (`sent`), and nothing here changes what approval
 * needs.
 */
export function dueReminders(input: ReminderInput): DueReminder[] {
  const { request, policy, sent, now } = input;
  if (policy === undefined || request.status !== 'pending') return [];
  if (request.expiresAt !== undefined && now >= request.expiresAt) return [];
  const current = approvalProgress(request).currentStep;
  if (current === undefined) return [];
  const step = current + 1;
  const due: DueReminder[] = [];
  if (policy.afterSeconds !== undefined && !sent.includes('reminder')) {
    const dueAt = request.createdAt + policy.afterSeconds * 1000;
    if (now >= dueAt) due.push({ kind: 'reminder', audience: [`approvers of step ${step}`], step, dueAt });
  }
  if (policy.escalateAfterSeconds !== undefined && policy.escalateTo.length > 0 && !sent.includes('escalation')) {
    const dueAt = request.createdAt + policy.escalateAfterSeconds * 1000;
    if (now >= dueAt) due.push({ kind: 'escalation', audience: policy.escalateTo.map(formatSubject), step, dueAt });
  }
  return due;
}
