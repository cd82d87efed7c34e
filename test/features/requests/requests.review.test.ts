import { beforeEach, expect, it } from 'vitest';
import {
  approveRequest,
  cancelRequest,
  createRequest,
  denyRequest,
  type RequestView,
} from '../../../src/features/requests/requests.verbs.js';
import type { Identity } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { activateRole } from '../access/role-activation-fixtures.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, refusal, eventsOf, PROD_ADMIN, PROD_SQL, PROD_WRITE } from '../../app/requests-fixtures.js';

describeEachDialect('approving, denying and cancelling requests', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  async function approvalRows(id: string): Promise<string[]> {
    const rows = await ctx.database.db
      .selectFrom('approvals')
      .select('approver')
      .where('request_id', '=', id)
      .execute();
    return rows.map((row) => row.approver).sort();
  }

  it('an independent DBA approving a write makes it approved until the end of the activation window', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    t.clock.advance(60_000);
    const view = await approveRequest(as(t.app, 'erin')({ id: request.id, digest: request.digest }));
    expect(view).toMatchObject({ status: 'approved', remainingApprovals: 0 });
    expect(view.approvals).toEqual([{ approver: 'erin', step: 1, at: new Date(t.clock.now()).toISOString() }]);
    expect(Date.parse(view.expiresAt ?? '')).toBe(t.clock.now() + 30 * 60_000);
    const [approved] = eventsOf(await t.auditEvents(), 'request.approve', `request:${request.id}`);
    expect(approved).toMatchObject({ actor: 'erin', details: { final: true, step: 1, status: 'approved' } });
  });

  it('a two-step request moves step by step and counts each DBA once', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_ADMIN));
    const afterFrank = await approveRequest(as(t.app, 'frank')({ id: request.id }));
    expect(afterFrank).toMatchObject({ status: 'pending', currentStep: 1, remainingApprovals: 2 });
    const again = await refusal(approveRequest(as(t.app, 'frank')({ id: request.id })));
    expect(again.code).toBe('sod_violation');
    const afterGrace = await approveRequest(as(t.app, 'grace')({ id: request.id }));
    expect(afterGrace).toMatchObject({ status: 'pending', currentStep: 2, remainingApprovals: 1 });
    const done = await approveRequest(as(t.app, 'heidi')({ id: request.id }));
    expect(done.status).toBe('approved');
    expect(await approvalRows(request.id)).toEqual(['frank', 'grace', 'heidi']);
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.approve', `request:${request.id}`).map((e) => e.details.final)).toEqual([
      false,
      false,
      true,
    ]);
    expect(eventsOf(events, 'request.approve_refused', `request:${request.id}`)[0]).toMatchObject({
      actor: 'frank',
      details: { code: 'sod_violation' },
    });
  });

  it('the requester approving their own request is refused and recorded', async () => {
    await activateRole(t.app, 'erin', 'dba-admin', 'frank');
    const request = await createRequest(as(t.app, 'erin')({ ...PROD_WRITE }));
    const error = await refusal(approveRequest(as(t.app, 'erin')({ id: request.id })));
    expect(error.code).toBe('sod_violation');
    expect(JSON.stringify(error.details.reasons)).toContain('sod.own_request');
    expect(await approvalRows(request.id)).toEqual([]);
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${request.id}`);
    expect(JSON.stringify(logged?.details.reasons)).toContain('sod.own_request');
  });

  it('an approver who is in both approver groups counts once', async () => {
    // heidi joins the DBAs too: she may approve step 1 (dba) or step 2 (security) of run-sql, not both.
    const policy = t.runtime.loaded;
    const heidi = policy.identities.get('heidi') as Identity;
    const identities = new Map(policy.identities);
    identities.set('heidi', { ...heidi, groups: ['security', 'dba'] });
    t.runtime.replace({ ...policy, identities });
    const request = await createRequest(as(t.app, 'alice')(PROD_SQL));
    const first = await approveRequest(as(t.app, 'heidi')({ id: request.id }));
    expect(first).toMatchObject({ status: 'pending', currentStep: 2 });
    const error = await refusal(approveRequest(as(t.app, 'heidi')({ id: request.id })));
    expect(error.code).toBe('sod_violation');
    expect(JSON.stringify(error.details.reasons)).toContain('sod.duplicate_approval');
    expect(await approvalRows(request.id)).toEqual(['heidi']);
  });

  it('an approval for content other than the request digest is refused', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const error = await refusal(approveRequest(as(t.app, 'erin')({ id: request.id, digest: 'a'.repeat(64) })));
    expect(error.code).toBe('conflict');
    expect(JSON.stringify(error.details.reasons)).toContain('digest.mismatch');
    expect(await approvalRows(request.id)).toEqual([]);
    expect(eventsOf(await t.auditEvents(), 'request.approve_refused')[0]).toMatchObject({ actor: 'erin' });
  });

  it.each([
    ['bob', 'a payments colleague is not independent', 'approver.not_independent'],
    ['carol', 'a data engineer is not a DBA', 'approver.not_in_step'],
    ['deploy-bot', 'a pipeline never approves', 'approver.not_human'],
  ])('%s approving a write is refused (%s)', async (approver, _why, code) => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const error = await refusal(approveRequest(as(t.app, approver)({ id: request.id })));
    expect(error.code).toBe('forbidden');
    expect(JSON.stringify(error.details.reasons)).toContain(code);
  });

  it('approving an unknown request is not_found', async () => {
    expect((await refusal(approveRequest(as(t.app, 'erin')({ id: 'req_missing' })))).code).toBe('not_found');
  });

  it('an approver denies a pending request; the requester cannot deny it', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const own = await refusal(denyRequest(as(t.app, 'alice')({ id: request.id })));
    expect(own.code).toBe('forbidden');
    const denied = await denyRequest(as(t.app, 'frank')({ id: request.id, reason: 'use the replica' }));
    expect(denied).toMatchObject({ status: 'denied', statusReason: 'use the replica' });
    const late = await refusal(approveRequest(as(t.app, 'erin')({ id: request.id })));
    expect(late.code).toBe('conflict');
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.deny', `request:${request.id}`)[0]).toMatchObject({
      actor: 'frank',
      details: { reason: 'use the replica' },
    });
    expect(eventsOf(events, 'request.deny_refused', `request:${request.id}`)[0]).toMatchObject({ actor: 'alice' });
  });

  it('only the requester cancels, from pending or approved, never twice', async () => {
    const pending = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const other = await refusal(cancelRequest(as(t.app, 'bob')({ id: pending.id })));
    expect(other.code).toBe('forbidden');
    const cancelled = await cancelRequest(as(t.app, 'alice')({ id: pending.id, reason: 'not needed' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', statusReason: 'not needed' });
    expect((await refusal(cancelRequest(as(t.app, 'alice')({ id: pending.id })))).code).toBe('conflict');

    const approved: RequestView = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await approveRequest(as(t.app, 'erin')({ id: approved.id }));
    expect((await cancelRequest(as(t.app, 'alice')({ id: approved.id }))).status).toBe('cancelled');
    const events = await t.auditEvents();
    expect(eventsOf(events, 'request.cancel').map((e) => [e.subject, e.details.from])).toEqual([
      [`request:${pending.id}`, 'pending'],
      [`request:${approved.id}`, 'approved'],
    ]);
    expect(eventsOf(events, 'request.cancel_refused').map((e) => e.actor)).toEqual(['bob', 'alice']);
  });
});
