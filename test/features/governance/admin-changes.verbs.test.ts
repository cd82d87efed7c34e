/**
 * Four eyes on administrative changes that widen access (SPEC §2.4), on both dialects: who may approve a
 * proposed role assignment or resource registration, what is checked again when it is approved, and how a
 * change ends without applying (rejected, withdrawn, expired). Removing access needs one person, but never the
 * last holder of `administer` or `audit`.
 */
import { expect, it } from 'vitest';
import { approveAdminChange, rejectAdminChange } from '../../../src/features/governance/admin-changes.verbs.js';
import { proposeRoleAssignment, removeAssignment } from '../../../src/features/access/assignments.verbs.js';
import { withCredential } from '../../../src/app/credential-context.js';
import {
  approveException,
  createException,
  revokeException,
} from '../../../src/features/governance/exceptions.verbs.js';
import { putResource } from '../../../src/features/resources/resource-put.verb.js';
import { human, makePolicy } from '../../factories/policy.factory.js';
import { describeEachDialect } from '../../store/dialects.js';
import { assignApproved } from './admin-change-fixtures.js';
import { createTestApp, type TestApp } from '../../app/harness.js';

const DAY = 24 * 3_600_000;

async function liveApiAssignments(t: TestApp, subject: string): Promise<string[]> {
  const rows = await t.app.database.db
    .selectFrom('role_assignments')
    .select('role')
    .where('subject_name', '=', subject)
    .where('source', '=', 'api')
    .where('removed_at', 'is', null)
    .execute();
  return rows.map((row) => row.role);
}

function propose(t: TestApp, actor: string, role: string, subject: string) {
  return proposeRoleAssignment({ app: t.app, actor, input: { role, subject: { type: 'identity', name: subject } } });
}

describeEachDialect('four eyes on administrative changes', (ctx) => {
  it('a proposed assignment is in force only once a second administrator approves it', async () => {
    const t = await createTestApp(ctx);
    const change = await propose(t, 'victor', 'sre', 'carol');
    expect(change).toMatchObject({ status: 'pending', author: 'victor', expiresAt: t.clock.now() + 7 * DAY });
    expect(await liveApiAssignments(t, 'carol')).toEqual([]);
    const applied = await approveAdminChange({
      app: t.app,
      actor: 'peggy',
      input: { id: change.id, digest: change.digest },
    });
    expect(applied).toMatchObject({
      status: 'applied',
      decidedBy: 'peggy',
      result: { assignmentId: expect.any(String) },
    });
    expect(await liveApiAssignments(t, 'carol')).toEqual(['sre']);
    expect((await t.auditEvents()).map((e) => [e.action, e.actor])).toEqual([
      ['admin_change.propose', 'victor'],
      ['admin_change.approve', 'peggy'],
      ['role.assign', 'peggy'],
    ]);
    await expect(approveAdminChange({ app: t.app, actor: 'peggy', input: { id: change.id } })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it.each([
    ['its author', 'victor', 'dan', 'sod_violation'],
    ['its subject', 'judy', 'judy', 'sod_violation'],
    ['someone without administer', 'heidi', 'ken', 'forbidden'],
  ])('the change may not be approved by %s', async (_title, approver, subject, code) => {
    const t = await createTestApp(ctx);
    const change = await propose(t, 'victor', 'sre', subject);
    await expect(approveAdminChange({ app: t.app, actor: approver, input: { id: change.id } })).rejects.toMatchObject({
      code,
    });
    expect(await liveApiAssignments(t, subject)).toEqual([]);
    expect((await t.auditEvents()).map((e) => e.action)).toEqual([
      'admin_change.propose',
      'admin_change.approve_refused',
    ]);
  });

  it('an administrator whose token the author minted is one principal with the author and may not approve', async () => {
    const t = await createTestApp(ctx);
    const change = await propose(t, 'victor', 'sre', 'frank');
    const attempt = withCredential({ identity: 'peggy', tokenId: 'tok_1', mintedBy: 'victor' }, () =>
      approveAdminChange({ app: t.app, actor: 'peggy', input: { id: change.id } }),
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'sod_violation',
      message: expect.stringContaining("'victor' minted the token 'peggy' acts with"),
    });
    expect(await liveApiAssignments(t, 'frank')).toEqual([]);
  });

  it('the approval checks separation of duties again: an exception revoked since the proposal stops it', async () => {
    const t = await createTestApp(ctx);
    const exception = await createException({
      app: t.app,
      actor: 'peggy',
      input: {
        rule: 'dba-admins-are-not-auditors',
        identity: 'grace',
        justification: 'audit cover',
        compensatingControl: 'review by olivia',
        expiresAt: t.clock.now() + 30 * DAY,
      },
    });
    await approveException({ app: t.app, actor: 'victor', input: { id: exception.id } });
    const change = await propose(t, 'victor', 'auditor', 'grace');
    await revokeException({ app: t.app, actor: 'peggy', input: { id: exception.id, reason: 'no longer needed' } });
    await expect(approveAdminChange({ app: t.app, actor: 'peggy', input: { id: change.id } })).rejects.toMatchObject({
      code: 'sod_violation',
      message: expect.stringContaining('dba-admins-are-not-auditors'),
    });
    expect(await liveApiAssignments(t, 'grace')).toEqual([]);
  });

  it('a rejected, withdrawn or expired change never applies', async () => {
    const t = await createTestApp(ctx);
    const rejected = await propose(t, 'victor', 'sre', 'alice');
    await expect(
      rejectAdminChange({ app: t.app, actor: 'heidi', input: { id: rejected.id, reason: 'no' } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(
      await rejectAdminChange({
        app: t.app,
        actor: 'peggy',
        input: { id: rejected.id, reason: 'alice is not on call' },
      }),
    ).toMatchObject({ status: 'rejected', decidedBy: 'peggy', reason: 'alice is not on call' });
    const withdrawn = await propose(t, 'victor', 'sre', 'alice');
    expect(
      await rejectAdminChange({ app: t.app, actor: 'victor', input: { id: withdrawn.id, reason: 'typo' } }),
    ).toMatchObject({ status: 'cancelled' });
    const expired = await propose(t, 'victor', 'sre', 'alice');
    t.clock.advance(7 * DAY + 1);
    for (const id of [rejected.id, withdrawn.id, expired.id]) {
      await expect(approveAdminChange({ app: t.app, actor: 'peggy', input: { id } })).rejects.toMatchObject({
        code: 'conflict',
      });
    }
    expect(await liveApiAssignments(t, 'alice')).toEqual([]);
    const events = (await t.auditEvents()).map((e) => e.action);
    expect(events.filter((a) => a.startsWith('admin_change.'))).toEqual([
      'admin_change.propose',
      'admin_change.reject_refused',
      'admin_change.reject',
      'admin_change.propose',
      'admin_change.cancel',
      'admin_change.propose',
      'admin_change.expire',
    ]);
  });

  it('one pending change per assignment: a second proposal of the same one is a conflict', async () => {
    const t = await createTestApp(ctx);
    await propose(t, 'victor', 'sre', 'bob');
    await expect(propose(t, 'peggy', 'sre', 'bob')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('removing an assignment needs one administrator, but never removes the last holder of audit', async () => {
    const policy = makePolicy({
      identities: [human('ada', ['admins']), human('bea', ['admins']), human('cy')],
      roles: [
        { name: 'admin', duties: ['administer'], subjects: ['group:admins'] },
        { name: 'auditor', duties: ['audit'] },
      ],
    });
    const t = await createTestApp(ctx, { policy });
    const first = await assignApproved(t.app, 'ada', 'bea', {
      role: 'auditor',
      subject: { type: 'identity', name: 'cy' },
    });
    const refused = removeAssignment({ app: t.app, actor: 'ada', input: { id: first.id } });
    await expect(refused).rejects.toMatchObject({
      code: 'conflict',
      message: "this would remove the last holder of 'audit' ('cy'); assign it to someone else first",
    });
    expect(await liveApiAssignments(t, 'cy')).toEqual(['auditor']);
    expect((await t.auditEvents()).map((e) => e.action).slice(-1)).toEqual(['role.unassign_refused']);
  });

  it('an API resource names only an allow-listed connection, and the approval checks the allow-list again', async () => {
    const allowed = new Map([['payments-primary', { dsnEnv: 'PAYMENTS_DB_DSN' }]]);
    const t = await createTestApp(ctx, { allowedConnections: allowed });
    const put = (connection: Record<string, string>, name = 'ledger-a-db') =>
      putResource({ app: t.app, actor: 'victor', input: { name, profile: 'postgres-staging', connection } });
    await expect(put({ dsnEnv: 'PAYMENTS_DB_DSN' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining("'dsnEnv' is not accepted"),
    });
    await expect(put({ dsnFile: '/etc/shadow' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(put({ name: 'payments-replica' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining("connection 'payments-replica' is not allow-listed"),
    });
    const pending = await put({ name: 'payments-primary' });
    if (!('pending' in pending)) throw new Error('expected a pending change');
    allowed.delete('payments-primary');
    await expect(
      approveAdminChange({ app: t.app, actor: 'peggy', input: { id: pending.pending.id } }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const row = await t.app.database.db
      .selectFrom('resources')
      .select('name')
      .where('name', '=', 'ledger-a-db')
      .execute();
    expect(row).toEqual([]);
  });

  it('the owner a resource would name may not approve its registration', async () => {
    const t = await createTestApp(ctx);
    const pending = await putResource({
      app: t.app,
      actor: 'victor',
      input: { name: 'ledger-b-db', profile: 'postgres-staging', owner: 'identity:peggy' },
    });
    if (!('pending' in pending)) throw new Error('expected a pending change');
    await expect(
      approveAdminChange({ app: t.app, actor: 'peggy', input: { id: pending.pending.id } }),
    ).rejects.toMatchObject({ code: 'sod_violation' });
  });
});
