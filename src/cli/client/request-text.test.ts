import { describe, expect, it } from 'vitest';
import { requestDetail, type RequestDocument } from './request-text.js';

const pending: RequestDocument = {
  id: 'req_1',
  status: 'pending',
  requester: 'alice',
  resource: 'payments-db',
  action: 'write',
  duration: '1h',
  durationSeconds: 3600,
  params: {},
  profile: 'postgres-prod',
  profileVersion: 'a'.repeat(64),
  digest: 'b'.repeat(64),
  matchedRule: 'rule-1',
  approvals: [],
  steps: [{ step: 1, from: ['group:dba'], required: 1, independent: true, approvers: [], satisfied: false }],
  currentStep: 1,
  remainingApprovals: 1,
  createdAt: '2026-01-15T09:00:00.000Z',
  breakGlass: false,
};

describe('requestDetail', () => {
  it('shows the requester when the approvers were reminded and to whom the request was escalated', () => {
    const lines = requestDetail({
      ...pending,
      reminders: [
        { kind: 'reminder', at: '2026-01-15T11:00:00.000Z', audience: ['approvers of step 1'] },
        { kind: 'escalation', at: '2026-01-15T15:00:00.000Z', audience: ['group:security-leads'] },
      ],
    });
    expect(lines).toContain('  reminded approvers of step 1 at 2026-01-15T11:00:00.000Z');
    expect(lines).toContain('  escalated to group:security-leads at 2026-01-15T15:00:00.000Z');
  });

  it('says nothing of reminders when none was sent', () => {
    expect(requestDetail(pending).join('\n')).not.toMatch(/reminded|escalated/);
  });
});
