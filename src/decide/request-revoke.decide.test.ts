import { describe, expect, it } from 'vitest';
import { human, makePolicy, makeRequestRecord } from '../../test/factories/policy.factory.js';
import { DutyIndex } from './duties.js';
import { decideRevoke } from './request-revoke.decide.js';
import type { RequestStatus } from './types.js';

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
const policy = makePolicy({
  identities: [human('alice', ['payments']), human('peggy', ['admins']), human('bob', ['dba'])],
  roles: [
    { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
    { name: 'approver', duties: ['approve'], subjects: ['group:dba'] },
  ],
});
const ctx = { policy, duties: new DutyIndex(policy, NOW) };

describe('decideRevoke', () => {
  it.each([
    ['alice', 'active', 'accepted', 'revoker.requester'],
    ['peggy', 'active', 'accepted', 'revoker.administrator'],
    ['peggy', 'revoke_failed', 'accepted', 'revoker.administrator'],
    ['bob', 'active', 'refused', 'revoker.not_entitled'],
    ['alice', 'approved', 'refused', 'request.wrong_status'],
    ['peggy', 'completed', 'refused', 'request.wrong_status'],
  ] as const)('%s revoking a request that is %s is %s (%s)', (actor, status, outcome, code) => {
    const decision = decideRevoke(ctx, makeRequestRecord({ status: status as RequestStatus }), actor);
    expect(decision.outcome).toBe(outcome);
    expect(decision.reasons[0]?.code).toBe(code);
  });
});
