/** Role assignments through the API and SoD exceptions: preventive checks, four eyes, expiry, on both dialects. */
import { expect, it } from 'vitest';
import { proposeRoleAssignment, removeAssignment } from '../../../src/features/access/assignments.verbs.js';
import {
  approveException,
  createException,
  revokeException,
} from '../../../src/features/governance/exceptions.verbs.js';
import { describeEachDialect } from '../../store/dialects.js';
import { assignApproved } from '../governance/admin-change-fixtures.js';
import { createTestApp } from '../../app/harness.js';

const HOUR = 3_600_000;

describeEachDialect('role assignments and SoD exceptions through the API', (ctx) => {
  it('an assignment that breaks a rule is refused naming the rule, and the refusal is logged', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const attempt = proposeRoleAssignment({
      app,
      actor: 'victor',
      input: { role: 'auditor', subject: { type: 'identity', name: 'peggy' } },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'sod_violation',
      message: expect.stringContaining("'admins-are-not-auditors'"),
    });
    const events = await auditEvents();
    expect(events).toEqual([
      expect.objectContaining({
        action: 'role.assign_refused',
        actor: 'victor',
        details: expect.objectContaining({ rules: ['admins-are-not-auditors'] }),
      }),
    ]);
    const live = await app.database.db
      .selectFrom('role_assignments')
      .select('id')
      .where('source', '=', 'api')
      .where('subject_name', '=', 'peggy')
      .execute();
    expect(live).toEqual([]);
  });

  it('an approved exception lets the conflicting assignment through, and removing it ends the assignment', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const exception = await createException({
      app,
      actor: 'olivia',
      input: {
        rule: 'admins-are-not-auditors',
        identity: 'olivia',
        justification: 'covering administration during the SOC 2 window',
        compensatingControl: 'weekly review of olivia’s actions by security',
        expiresAt: clock.now() + 30 * 24 * HOUR,
      },
    });
    await approveException({ app, actor: 'victor', input: { id: exception.id } });
    const assigned = await assignApproved(app, 'peggy', 'victor', {
      role: 'platform-admin',
      subject: { type: 'identity', name: 'olivia' },
    });
    expect(assigned.coveredBy).toEqual([exception.id]);
    const removed = await removeAssignment({ app, actor: 'peggy', input: { id: assigned.id } });
    expect(removed.removedAt).toBe(clock.now());

    const events = await auditEvents();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['exception.create', 'olivia'],
      ['exception.approve', 'victor'],
      ['admin_change.propose', 'peggy'],
      ['admin_change.approve', 'victor'],
      ['role.assign', 'victor'],
      ['role.unassign', 'peggy'],
    ]);
    expect(events[4]).toMatchObject({
      subject: `assignment:${assigned.id}`,
      details: {
        role: 'platform-admin',
        subject: 'identity:olivia',
        coveredBy: [exception.id],
        proposedBy: 'peggy',
        approvedBy: 'victor',
      },
    });
  });

  it('an expired exception stops counting without anything running', async () => {
    const { app, clock } = await createTestApp(ctx);
    const exception = await createException({
      app,
      actor: 'victor',
      input: {
        rule: 'admins-are-not-auditors',
        identity: 'victor',
        justification: 'short cover',
        compensatingControl: 'pairing',
        expiresAt: clock.now() + HOUR,
      },
    });
    await approveException({ app, actor: 'peggy', input: { id: exception.id } });
    clock.advance(2 * HOUR);
    await expect(
      proposeRoleAssignment({
        app,
        actor: 'peggy',
        input: { role: 'auditor', subject: { type: 'identity', name: 'victor' } },
      }),
    ).rejects.toMatchObject({ code: 'sod_violation' });
  });

  it.each([
    ['a human-only duty to a pipeline', 'peggy', 'auditor', { type: 'identity', name: 'deploy-bot' }, 'sod_violation'],
    ['a role to a group the actor is in', 'victor', 'sre', { type: 'group', name: 'platform-admins' }, 'forbidden'],
    ['a role to oneself', 'victor', 'sre', { type: 'identity', name: 'victor' }, 'forbidden'],
    ['a role by someone without administer', 'heidi', 'sre', { type: 'identity', name: 'alice' }, 'forbidden'],
    ['an unknown role', 'victor', 'no-such-role', { type: 'identity', name: 'alice' }, 'not_found'],
  ] as const)('assigning %s is refused', async (_title, actor, role, subject, code) => {
    const { app, auditEvents } = await createTestApp(ctx);
    await expect(proposeRoleAssignment({ app, actor, input: { role, subject } })).rejects.toMatchObject({ code });
    expect((await auditEvents()).map((e) => e.action)).toEqual(['role.assign_refused']);
  });

  it('an exception may not be approved by its beneficiary, its creator, or a non-administrator', async () => {
    const { app, clock, auditEvents } = await createTestApp(ctx);
    const exception = await createException({
      app,
      actor: 'victor',
      input: {
        rule: 'dba-admins-are-not-auditors',
        identity: 'olivia',
        justification: 'migration',
        compensatingControl: 'review',
        expiresAt: clock.now() + HOUR,
      },
    });
    for (const [actor, code] of [
      ['olivia', 'sod_violation'],
      ['victor', 'sod_violation'],
      ['heidi', 'forbidden'],
    ] as const) {
      await expect(approveException({ app, actor, input: { id: exception.id } })).rejects.toMatchObject({ code });
    }
    expect((await auditEvents()).map((e) => e.action)).toEqual([
      'exception.create',
      'exception.approve_refused',
      'exception.approve_refused',
      'exception.approve_refused',
    ]);
    const revoked = await revokeException({ app, actor: 'peggy', input: { id: exception.id, reason: 'not needed' } });
    expect(revoked.revokedBy).toBe('peggy');
    await expect(approveException({ app, actor: 'peggy', input: { id: exception.id } })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it.each([
    ['without an expiry in the future', -1, 'invalid'],
    ['running longer than a year', 366 * 24, 'invalid'],
  ])('an exception %s is refused', async (_title, hours, code) => {
    const { app, clock } = await createTestApp(ctx);
    await expect(
      createException({
        app,
        actor: 'victor',
        input: {
          rule: 'admins-are-not-auditors',
          identity: 'olivia',
          justification: 'x',
          compensatingControl: 'y',
          expiresAt: clock.now() + hours * HOUR,
        },
      }),
    ).rejects.toMatchObject({ code });
  });
});
