/**
 * Issue #9 item 3, "eligible roles activate only through an approval of that role": an eligible role is not
 * standing access in disguise. An unrelated auto-approved request does not switch it on, a request that needs
 * the role's duties is refused until the role itself was activated, and that activation is a request of its
 * own, approved by someone other than the requester (or its owner) under a policy that covers the role, ending
 * at its expiry or revoke.
 */
import { beforeEach, expect, it } from 'vitest';
import { describeMe } from '../../src/features/access/me.verbs.js';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { extendRequest } from '../../src/features/requests/request-extend.verb.js';
import {
  approveRoleActivation,
  cancelRoleActivation,
  createRoleActivation,
  denyRoleActivation,
  revokeRoleActivation,
} from '../../src/features/access/role-activation.verbs.js';
import { listRoleActivations } from '../../src/features/access/role-activations.queries.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { as, eventsOf, refusal } from '../app/requests-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const POLICY_DIR = 'test/fixtures/role-activation-policy';

const SHORT_READ = { resource: 'orders-db', action: 'read', duration: '30m', justification: 'INC-1' };
const BREAK_FIX = { role: 'break-fix', duration: '30m', justification: 'INC-2: the orders queue is stuck' };

const quietScheduler = (t: TestApp) => new Scheduler(t.app, { logger: { error: () => undefined } });

describeEachDialect('eligible roles activate only through an approval of that role', (ctx) => {
  // The suite shares one database, and every test starts its clock at the same instant: start from no activation.
  beforeEach(async () => {
    const db = ctx.database.db;
    if ((await db.introspection.getTables()).some((table) => table.name === 'role_activation_requests')) {
      await db.deleteFrom('role_activation_requests').execute();
      await db.deleteFrom('role_activations').execute();
    }
  });

  it('an auto-approved read on an unrelated resource does not switch on an eligible request-and-administer role', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    // nick holds `request` standing, so his read is auto-approved; it must give him nothing else.
    const read = await createRequest(as(t.app, 'nick')(SHORT_READ));
    expect(read.status).toBe('approved');
    await activateRequest(as(t.app, 'nick')({ id: read.id }));
    // eve holds `request` only through her eligible break-fix role: asking for the read is not a way to turn it on.
    const error = await refusal(createRequest(as(t.app, 'eve')(SHORT_READ)));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain("role 'break-fix'");
    const me = await describeMe(as(t.app, 'eve')({}));
    expect(me.duties).toEqual([]);
    expect(me.eligible.map((holding) => holding.duty)).toEqual(['request', 'administer']);
    expect(await ctx.database.db.selectFrom('role_activations').selectAll().execute()).toEqual([]);
  });

  it('an eligible request-and-administer role gives nothing until an approver over the whole role approves that role', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const asked = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    expect(asked).toMatchObject({ status: 'pending', requester: 'eve', role: 'break-fix', steps: [{ count: 1 }] });
    expect((await describeMe(as(t.app, 'eve')({}))).duties).toEqual([]);

    // The requester never approves her own activation.
    const self = await refusal(approveRoleActivation(as(t.app, 'eve')({ id: asked.id })));
    expect(self.code).toBe('sod_violation');
    // olga approves on the orders profile only; break-fix covers every profile.
    const narrow = await refusal(approveRoleActivation(as(t.app, 'olga')({ id: asked.id })));
    expect(narrow.message).toContain("'olga' does not hold 'approve' on every profile");
    expect((await describeMe(as(t.app, 'eve')({}))).duties).toEqual([]);

    const approved = await approveRoleActivation(as(t.app, 'sam')({ id: asked.id }));
    expect(approved).toMatchObject({ status: 'active', approvals: [{ approver: 'sam', step: 0 }] });
    expect(Date.parse(approved.expiresAt ?? '')).toBe(t.clock.now() + 30 * 60_000);
    expect((await describeMe(as(t.app, 'eve')({}))).duties).toEqual(['request', 'administer']);
    // With the role active, eve's read goes through the profile's own policy.
    expect((await createRequest(as(t.app, 'eve')(SHORT_READ))).status).toBe('approved');

    const events = await t.auditEvents();
    expect(eventsOf(events, 'role_activation.approve_refused').map((e) => e.actor)).toEqual(['eve', 'olga']);
    expect(eventsOf(events, 'role.activate', 'identity:eve')[0]).toMatchObject({
      actor: 'sam',
      details: { role: 'break-fix', requestId: asked.id },
    });
  });

  it('an activated role ends at its expiry: its duties go and the activation is expired', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const asked = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    await approveRoleActivation(as(t.app, 'sam')({ id: asked.id }));
    t.clock.advance(30 * 60_000 + 1000);
    await quietScheduler(t).runOnce(t.clock.now());
    expect((await describeMe(as(t.app, 'eve')({}))).duties).toEqual([]);
    const { roleActivations } = await listRoleActivations(as(t.app, 'eve')({}));
    expect(roleActivations.map((a) => [a.id, a.status])).toContainEqual([asked.id, 'expired']);
    expect((await refusal(createRequest(as(t.app, 'eve')(SHORT_READ)))).code).toBe('forbidden');
    expect(eventsOf(await t.auditEvents(), 'role.deactivate', 'identity:eve')).toHaveLength(1);
  });

  it('a grant obtained with request from an activated role ends no later than the activation', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const role = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    await approveRoleActivation(as(t.app, 'sam')({ id: role.id }));
    t.clock.advance(20 * 60_000);
    // An hour's read is auto-approved, but eve's break-fix role ends in ten minutes: so does the grant.
    const read = await createRequest(as(t.app, 'eve')({ ...SHORT_READ, duration: '1h' }));
    const { request: active } = await activateRequest(as(t.app, 'eve')({ id: read.id }));
    const roleEnds = Date.parse(role.createdAt) + 30 * 60_000;
    expect(Date.parse(active.expiresAt ?? '')).toBe(roleEnds);
    expect(active.grant?.expiresAt).toBe(new Date(roleEnds).toISOString());
  });

  it('extending a grant obtained through an activated role does not take it past the activation', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const role = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    await approveRoleActivation(as(t.app, 'sam')({ id: role.id }));
    const read = await createRequest(as(t.app, 'eve')({ ...SHORT_READ, duration: '10m' }));
    await activateRequest(as(t.app, 'eve')({ id: read.id }));
    const { request } = await extendRequest(as(t.app, 'eve')({ id: read.id, duration: '1h', justification: 'INC-2' }));
    expect(request.expiresAt).toBe(new Date(Date.parse(role.createdAt) + 30 * 60_000).toISOString());
  });

  it('revoking an activation also ends the grants obtained through it', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const role = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    await approveRoleActivation(as(t.app, 'sam')({ id: role.id }));
    const read = await createRequest(as(t.app, 'eve')(SHORT_READ));
    await activateRequest(as(t.app, 'eve')({ id: read.id }));
    // nick's grant comes from his standing role and stays.
    const nicks = await createRequest(as(t.app, 'nick')(SHORT_READ));
    await activateRequest(as(t.app, 'nick')({ id: nicks.id }));
    await revokeRoleActivation(as(t.app, 'eve')({ id: role.id }));
    const grants = await ctx.database.db
      .selectFrom('grants')
      .select(['request_id', 'status'])
      .where('request_id', 'in', [read.id, nicks.id])
      .execute();
    expect(Object.fromEntries(grants.map((g) => [g.request_id, g.status]))).toEqual({
      [read.id]: 'revoked',
      [nicks.id]: 'active',
    });
  });

  it('a revoked activation ends at once, and only the requester or an administrator revokes it', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const asked = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    await approveRoleActivation(as(t.app, 'sam')({ id: asked.id }));
    expect((await refusal(revokeRoleActivation(as(t.app, 'nick')({ id: asked.id })))).code).toBe('forbidden');
    const revoked = await revokeRoleActivation(as(t.app, 'sam')({ id: asked.id, reason: 'done' }));
    expect(revoked).toMatchObject({ status: 'revoked', endedBy: 'sam' });
    expect((await describeMe(as(t.app, 'eve')({}))).duties).toEqual([]);
  });

  it("a role's own activation block decides: its deny rule, then who approves for how long", async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const base = { role: 'orders-responder', justification: 'INC-3' };
    const tooLong = await createRoleActivation(as(t.app, 'ravi')({ ...base, duration: '3h' }));
    expect(tooLong).toMatchObject({ status: 'denied', statusReason: 'ask for two hours at most' });
    const long = await createRoleActivation(as(t.app, 'ravi')({ ...base, duration: '90m' }));
    expect(long.rule).toBe('long-needs-security');
    // olga approves on the orders profile, but this step names security.
    expect((await refusal(approveRoleActivation(as(t.app, 'olga')({ id: long.id })))).message).toContain(
      "'olga' is not among the approvers of step 1 (group:security)",
    );
    await cancelRoleActivation(as(t.app, 'ravi')({ id: long.id }));
    const short = await createRoleActivation(as(t.app, 'ravi')({ ...base, duration: '30m' }));
    expect(short.rule).toBe('a-dba-approves');
    expect((await approveRoleActivation(as(t.app, 'olga')({ id: short.id }))).status).toBe('active');
    expect((await describeMe(as(t.app, 'ravi')({}))).duties).toEqual(['request', 'use']);
  });

  it("a non-human identity's owner neither approves nor denies its activation", async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const asked = await createRoleActivation(
      as(t.app, 'report-bot')({ role: 'orders-responder', duration: '30m', justification: 'nightly report' }),
    );
    expect((await refusal(approveRoleActivation(as(t.app, 'sam')({ id: asked.id })))).code).toBe('sod_violation');
    expect((await refusal(denyRoleActivation(as(t.app, 'sam')({ id: asked.id })))).code).toBe('sod_violation');
    expect((await denyRoleActivation(as(t.app, 'olga')({ id: asked.id, reason: 'no report today' }))).status).toBe(
      'denied',
    );
  });

  it('one pending activation per requester and role: a second is a conflict, and the store refuses a duplicate', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const first = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    expect((await refusal(createRoleActivation(as(t.app, 'eve')(BREAK_FIX)))).code).toBe('conflict');
    const row = await ctx.database.db
      .selectFrom('role_activation_requests')
      .selectAll()
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    await expect(
      ctx.database.db
        .insertInto('role_activation_requests')
        .values({ ...row, id: 'rol_twin' })
        .execute(),
    ).rejects.toThrow();
  });

  it('a pending activation nobody answers times out', async () => {
    const t = await createTestApp(ctx, { policyDir: POLICY_DIR });
    const asked = await createRoleActivation(as(t.app, 'eve')(BREAK_FIX));
    t.clock.advance(24 * 3600_000 + 1000);
    await quietScheduler(t).runOnce(t.clock.now());
    const { roleActivations } = await listRoleActivations(as(t.app, 'eve')({}));
    expect(roleActivations.find((a) => a.id === asked.id)?.status).toBe('timed_out');
    expect((await refusal(approveRoleActivation(as(t.app, 'sam')({ id: asked.id })))).code).toBe('conflict');
  });
});
