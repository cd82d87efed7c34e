/** Identities, role assignments, SoD exceptions and the SoD scan over HTTP, on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const DAY_MS = 24 * 3_600_000;

describeEachDialect('administration over HTTP', (ctx) => {
  let t: HttpTestApp;
  const tokens = new Map<string, string>();
  async function as(identity: string): Promise<string> {
    const known = tokens.get(identity);
    if (known) return known;
    const token = await t.tokenFor(identity);
    tokens.set(identity, token);
    return token;
  }
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('an auditor lists identities a page at a time; an engineer may not list them', async () => {
    const first = await t.call('GET', '/v1/identities?limit=2', await as('olivia'));
    expect(first.statusCode).toBe(200);
    const page = first.json<{ identities: { name: string }[]; next: string | null }>();
    expect(page.identities.map((i) => i.name)).toEqual(['alice', 'backup-service']);
    expect(page.next).toBe('backup-service');
    const second = await t.call('GET', `/v1/identities?limit=2&after=${page.next}`, await as('olivia'));
    expect(second.json<{ identities: { name: string }[] }>().identities.map((i) => i.name)).toEqual(['bob', 'carol']);
    const bots = await t.call('GET', '/v1/identities?kind=pipeline', await as('peggy'));
    expect(bots.json()).toMatchObject({
      identities: [{ name: 'deploy-bot', owner: 'judy', duties: ['request'] }],
    });

    const refused = await t.call('GET', '/v1/identities', await as('alice'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'forbidden',
      detail: "'alice' holds none of 'administer' or 'audit' and may not read identities",
    });
  });

  it('anyone reads their own identity, and only readers of identities read somebody else’s', async () => {
    const own = await t.call('GET', '/v1/identities/judy', await as('judy'));
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      name: 'judy',
      kind: 'human',
      groups: ['oncall-sre'],
      owns: ['deploy-bot'],
      disabled: false,
      flagged: null,
    });
    expect((await t.call('GET', '/v1/identities/judy', await as('bob'))).statusCode).toBe(403);
    expect((await t.call('GET', '/v1/identities/nobody-here', await as('olivia'))).statusCode).toBe(404);
  });

  it('an administrator offboards an identity in one audited step, and the identity shows as disabled', async () => {
    const response = await t.call('POST', '/v1/identities/dan/disable', await as('peggy'), {
      reason: 'left the company',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      identity: 'dan',
      disabledAt: new Date(t.clock.now()).toISOString(),
      cancelledRequests: [],
      revokedGrants: [],
    });
    const events = (await t.auditEvents()).filter((e) => e.action === 'identity.disable');
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'peggy',
        subject: 'identity:dan',
        details: expect.objectContaining({ reason: 'left the company' }),
      }),
    ]);
    const shown = await t.call('GET', '/v1/identities/dan', await as('olivia'));
    expect(shown.json()).toMatchObject({ disabled: true, disabledBy: 'peggy', duties: [] });
    const again = await t.call('POST', '/v1/identities/dan/disable', await as('peggy'));
    expect(again.statusCode).toBe(409);
  });

  it('an administrator may not disable itself, and the refusal is logged', async () => {
    const response = await t.call('POST', '/v1/identities/victor/disable', await as('victor'), {});
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden', detail: "'victor' may not disable their own identity" });
    const refused = (await t.auditEvents()).filter((e) => e.action === 'identity.disable_refused');
    expect(refused).toEqual([expect.objectContaining({ actor: 'victor', subject: 'identity:victor' })]);
  });

  it('an assignment that breaks a separation-of-duties rule is refused with sod_violation naming the rule', async () => {
    const response = await t.call('POST', '/v1/role-assignments', await as('victor'), {
      role: 'auditor',
      subject: 'identity:peggy',
    });
    expect(response.statusCode).toBe(403);
    const problem = response.json<{ code: string; detail: string }>();
    expect(problem.code).toBe('sod_violation');
    expect(problem.detail).toContain("'admins-are-not-auditors'");
    const refused = (await t.auditEvents()).filter((e) => e.action === 'role.assign_refused');
    expect(refused).toEqual([
      expect.objectContaining({
        actor: 'victor',
        details: expect.objectContaining({ rules: ['admins-are-not-auditors'] }),
      }),
    ]);
  });

  it('an administrator proposes a role assignment, a second one approves it, it is listed, and removing it ends it', async () => {
    const expiresAt = new Date(t.clock.now() + 30 * DAY_MS).toISOString();
    const proposed = await t.call('POST', '/v1/role-assignments', await as('victor'), {
      role: 'sre',
      subject: 'identity:carol',
      expiresAt,
    });
    expect(proposed.statusCode).toBe(202);
    const change = proposed.json<{ id: string }>();
    expect(change).toMatchObject({
      kind: 'role_assignment',
      status: 'pending',
      author: 'victor',
      payload: { role: 'sre', subject: 'identity:carol', assignment: 'standing' },
    });
    const approved = await t.call('POST', `/v1/admin-changes/${change.id}/approve`, await as('peggy'), {});
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'applied', decidedBy: 'peggy' });
    const assignment = { id: approved.json<{ result: { assignmentId: string } }>().result.assignmentId };

    const listed = await t.call('GET', '/v1/role-assignments?source=api&subject=identity:carol', await as('olivia'));
    expect(listed.json()).toEqual({
      assignments: [expect.objectContaining({ id: assignment.id, role: 'sre', source: 'api', expiresAt })],
    });
    const fromPolicy = await t.call('GET', '/v1/role-assignments?role=auditor', await as('olivia'));
    expect(fromPolicy.json()).toMatchObject({
      assignments: [{ role: 'auditor', subject: 'group:auditors', source: 'policy' }],
    });
    expect((await t.call('GET', '/v1/role-assignments', await as('carol'))).statusCode).toBe(403);

    const removed = await t.call(
      'DELETE',
      `/v1/role-assignments/${assignment.id}?reason=temporary%20cover%20ended`,
      await as('victor'),
    );
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ id: assignment.id, removedAt: new Date(t.clock.now()).toISOString() });
    const events = (await t.auditEvents()).filter((e) => e.subject === `assignment:${assignment.id}`);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['role.assign', 'peggy'],
      ['role.unassign', 'victor'],
    ]);
    expect(events[0]?.details).toMatchObject({ createdBy: 'victor', proposedBy: 'victor', approvedBy: 'peggy' });
    expect(events[1]?.details).toMatchObject({ reason: 'temporary cover ended', subject: 'identity:carol' });
  });

  it('an engineer asks for an exception for itself, sees only its own, and it counts once an administrator approves', async () => {
    const body = {
      rule: 'dba-admins-are-not-auditors',
      identity: 'frank',
      justification: 'covering the quarterly database audit',
      compensatingControl: 'security reviews every query frank runs',
      expiresAt: new Date(t.clock.now() + 14 * DAY_MS).toISOString(),
    };
    const created = await t.call('POST', '/v1/exceptions', await as('frank'), body);
    expect(created.statusCode).toBe(201);
    const exception = created.json<{ id: string }>();
    expect(exception).toMatchObject({ ...body, status: 'pending', createdBy: 'frank', approvedBy: null });

    const own = await t.call('GET', '/v1/exceptions', await as('frank'));
    expect(own.json<{ exceptions: { id: string }[] }>().exceptions.map((e) => e.id)).toContain(exception.id);
    const other = await t.call('GET', '/v1/exceptions', await as('grace'));
    expect(other.json<{ exceptions: { id: string }[] }>().exceptions.map((e) => e.id)).not.toContain(exception.id);

    expect((await t.call('POST', `/v1/exceptions/${exception.id}/approve`, await as('frank'))).statusCode).toBe(403);
    const approved = await t.call('POST', `/v1/exceptions/${exception.id}/approve`, await as('peggy'));
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', approvedBy: 'peggy' });
    const listed = await t.call('GET', '/v1/exceptions?status=active&identity=frank', await as('olivia'));
    expect(listed.json()).toMatchObject({ exceptions: [{ id: exception.id, status: 'active' }] });

    const revoked = await t.call('POST', `/v1/exceptions/${exception.id}/revoke`, await as('frank'), {
      reason: 'audit done',
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedBy: 'frank' });
    const events = (await t.auditEvents()).filter((e) => e.subject === `exception:${exception.id}`);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['exception.create', 'frank'],
      ['exception.approve', 'peggy'],
      ['exception.revoke', 'frank'],
    ]);
  });

  it('an exception must expire, at most a year away', async () => {
    const response = await t.call('POST', '/v1/exceptions', await as('erin'), {
      rule: 'dba-admins-are-not-auditors',
      identity: 'erin',
      justification: 'x',
      compensatingControl: 'y',
      expiresAt: 'next week',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid' });
  });

  it('the SoD scan lists a suppressed conflict with its exception; engineers may not run it', async () => {
    const exception = await t.call('POST', '/v1/exceptions', await as('peggy'), {
      rule: 'dba-admins-are-not-auditors',
      identity: 'grace',
      justification: 'grace audits the fleet while olivia is on leave',
      compensatingControl: 'olivia reviews grace’s findings on return',
      expiresAt: new Date(t.clock.now() + 7 * DAY_MS).toISOString(),
    });
    const id = exception.json<{ id: string }>().id;
    expect((await t.call('POST', `/v1/exceptions/${id}/approve`, await as('victor'))).statusCode).toBe(200);
    const assigned = await t.call('POST', '/v1/role-assignments', await as('victor'), {
      role: 'auditor',
      subject: 'identity:grace',
    });
    expect(assigned.statusCode).toBe(202);
    const approved = await t.call(
      'POST',
      `/v1/admin-changes/${assigned.json<{ id: string }>().id}/approve`,
      await as('peggy'),
    );
    expect(approved.json()).toMatchObject({ status: 'applied', result: { coveredBy: [id] } });

    const scan = await t.call('GET', '/v1/sod/conflicts', await as('olivia'));
    expect(scan.statusCode).toBe(200);
    const body = scan.json<{
      conflicts: { rule: string; identity: string; exception: { id: string } | null }[];
      suppressed: number;
    }>();
    expect(body.suppressed).toBeGreaterThanOrEqual(1);
    expect(body.conflicts).toContainEqual(
      expect.objectContaining({
        rule: 'dba-admins-are-not-auditors',
        identity: 'grace',
        scope: 'global',
        exception: expect.objectContaining({ id, status: 'active', approvedBy: 'victor' }),
      }),
    );
    expect((await t.call('GET', '/v1/sod/conflicts', await as('peggy'))).statusCode).toBe(200);
    const refused = await t.call('GET', '/v1/sod/conflicts', await as('alice'));
    expect(refused.statusCode).toBe(403);
  });
});
