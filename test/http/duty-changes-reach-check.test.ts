/**
 * Issue 11, "verbs announce what changed", for what `check` answers by besides grants: who holds which duty and
 * which resources exist. A role assigned through an approved administrative change or removed, an assignment
 * revoked by a certification (a certifier's, or the scheduler's at a campaign's deadline) or restored by an
 * operator, an activation the scheduler ends at its expiry, a resource registered through an approved change:
 * each reaches the HTTP app's `check` index on the very next call. The monotonic clock of the check service
 * stands still, so neither its poll, nor its staleness bound, nor its periodic rebuild can be what refreshed it.
 */
import { expect, it } from 'vitest';
import { CheckService } from '../../src/features/access/check-service.js';
import { removeAssignment } from '../../src/features/access/assignments.verbs.js';
import { closeOverdueCampaigns } from '../../src/features/certifications/certifications-deadline.job.js';
import { restoreCertificationRevoke } from '../../src/features/certifications/certifications-restore.verb.js';
import { certifyItem, createCampaign } from '../../src/features/certifications/certifications.verbs.js';
import { approveException, createException, revokeException } from '../../src/features/governance/exceptions.verbs.js';
import { endExpiredActivations, type JobOptions } from '../../src/features/grants/expiry.job.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { CachedAuthenticator } from '../../src/http/auth/cached-authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { SYSTEM_OPERATOR, SYSTEM_SCHEDULER } from '../../src/policy/model.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { activateRole } from '../features/access/role-activation-fixtures.js';
import { assignApproved, putResourceApproved } from '../features/governance/admin-change-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const HOUR = 3_600_000;

/** The scheduler's options for one run of a job in a test. */
const SCHEDULER: JobOptions = {
  owner: 'test-scheduler',
  actor: SYSTEM_SCHEDULER,
  batchSize: 100,
  concurrency: 1,
  leaseMs: 60_000,
  onError: (job, subject, error) => {
    throw new Error(`${job} failed on ${subject}`, { cause: error });
  },
};

/** The HTTP app as the server builds it: a check service with a frozen monotonic clock, never told by hand. */
async function server(t: TestApp) {
  const checks = new CheckService(t.app, { monotonicNow: () => 0, denialFlushMs: 3_600_000 });
  const http = buildApp({
    app: t.app,
    auth: new CachedAuthenticator(new BearerAuthenticator(t.app), { now: () => t.clock.now() }),
    ready: () => true,
    checks,
  });
  await http.ready();
  /** What `check` answers `identity` about itself reading `resource`. */
  const reads = (identity: string, resource: string) => checks.check(identity, { identity, resource, action: 'read' });
  const close = async () => {
    await http.close();
    await checks.close();
  };
  return { checks, reads, close };
}

/** A role-assignment review opened by heidi (security, `certify` over every profile), due in a week. */
function reviewOfAssignments(t: TestApp, onMissed: 'revoke' | 'escalate') {
  return createCampaign({
    app: t.app,
    actor: 'heidi',
    input: {
      name: 'staging access review',
      kinds: ['role_assignment'],
      period: { from: t.clock.now() - HOUR, to: t.clock.now() + HOUR },
      deadline: t.clock.now() + 7 * 24 * HOUR,
      onMissed,
    },
  });
}

// dba-staging gives `request` and `use` on postgres-staging (analytics-db) as a standing role: `check` allows
// its holders to read there with no grant. dan (data platform) holds no `use` there of his own.
const STAGING_USE = { role: 'dba-staging', subject: { type: 'identity' as const, name: 'dan' } };

describeEachDialect('what changes duties and resources reaches check on the next call', (ctx) => {
  it('a role assigned through an approved change allows at the next check, and removed, no longer does', async () => {
    const t = await createTestApp(ctx);
    const { reads, close } = await server(t);
    expect(await reads('dan', 'analytics-db')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    const assigned = await assignApproved(t.app, 'peggy', 'victor', STAGING_USE);
    expect(await reads('dan', 'analytics-db')).toMatchObject({
      allowed: true,
      reason: { code: 'check.standing_role' },
    });
    await removeAssignment({ app: t.app, actor: 'peggy', input: { id: assigned.id } });
    expect(await reads('dan', 'analytics-db')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    await close();
  });

  it('an assignment a certifier revokes stops allowing at the next check, and an operator restore allows again', async () => {
    const t = await createTestApp(ctx);
    const { reads, close } = await server(t);
    const assigned = await assignApproved(t.app, 'peggy', 'victor', STAGING_USE);
    expect(await reads('dan', 'analytics-db')).toMatchObject({ allowed: true });
    const review = await reviewOfAssignments(t, 'escalate');
    const item = review.items.find((candidate) => candidate.target === assigned.id);
    expect(item, 'an item for the assignment').toBeDefined();
    const revoked = await certifyItem({
      app: t.app,
      actor: 'ivan',
      input: { campaignId: review.id, itemId: item!.id, decision: 'revoke' },
    });
    expect(revoked.item).toMatchObject({ enforcement: 'assignment_removed' });
    expect(await reads('dan', 'analytics-db')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    await restoreCertificationRevoke({
      app: t.app,
      actor: SYSTEM_OPERATOR,
      input: { item: item!.id, reason: 'revoked by mistake' },
    });
    expect(await reads('dan', 'analytics-db')).toMatchObject({
      allowed: true,
      reason: { code: 'check.standing_role' },
    });
    await close();
  });

  it('a role activation the scheduler ends at its expiry rebuilds the check index before the next check', async () => {
    const t = await createTestApp(ctx);
    const { checks, reads, close } = await server(t);
    await activateRole(t.app, 'grace', 'dba-admin', 'heidi', '1h');
    await reads('grace', 'payments-db');
    const rebuilds = checks.rebuilds;
    t.clock.advance(2 * HOUR);
    expect(await endExpiredActivations(t.app, t.clock.now(), SCHEDULER)).toBe(1);
    await reads('grace', 'payments-db');
    expect(checks.rebuilds).toBe(rebuilds + 1);
    await close();
  });

  it('a resource registered through an approved change is known to the next check', async () => {
    const t = await createTestApp(ctx);
    const { reads, close } = await server(t);
    expect(await reads('erin', 'ledger-staging')).toMatchObject({
      allowed: false,
      reason: { code: 'check.unknown_resource' },
    });
    await putResourceApproved(t.app, 'peggy', 'victor', { name: 'ledger-staging', profile: 'postgres-staging' });
    // erin is a DBA: dba-staging gives her `use` on every postgres-staging resource, this one included.
    expect(await reads('erin', 'ledger-staging')).toMatchObject({
      allowed: true,
      reason: { code: 'check.standing_role' },
    });
    await close();
  });

  it('an SoD exception approved and revoked leaves the check index as it was: nothing check answers depends on it', async () => {
    const t = await createTestApp(ctx);
    const { checks, reads, close } = await server(t);
    await reads('olivia', 'payments-db');
    const rebuilds = checks.rebuilds;
    const exception = await createException({
      app: t.app,
      actor: 'olivia',
      input: {
        rule: 'admins-are-not-auditors',
        identity: 'olivia',
        justification: 'covering administration during the SOC 2 window',
        compensatingControl: 'weekly review of her actions by security',
        expiresAt: t.clock.now() + 24 * HOUR,
      },
    });
    await approveException({ app: t.app, actor: 'victor', input: { id: exception.id } });
    await revokeException({ app: t.app, actor: 'victor', input: { id: exception.id } });
    await reads('olivia', 'payments-db');
    expect(checks.rebuilds).toBe(rebuilds);
    await close();
  });
});

// Its own database: a campaign's deadline revokes every unreviewed standing assignment, the policy's included.
describeEachDialect('what the scheduler revokes at a campaign deadline reaches check on the next call', (ctx) => {
  it('an assignment revoked at the deadline of its review stops allowing at the next check', async () => {
    const t = await createTestApp(ctx);
    const { reads, close } = await server(t);
    await assignApproved(t.app, 'peggy', 'victor', STAGING_USE);
    expect(await reads('dan', 'analytics-db')).toMatchObject({ allowed: true });
    await reviewOfAssignments(t, 'revoke');
    t.clock.advance(8 * 24 * HOUR);
    expect(await closeOverdueCampaigns(t.app, t.clock.now())).toMatchObject({ campaigns: 1 });
    // Unreviewed, dan's data-platform role went too: he holds nothing on staging, so it reads as unknown to him.
    expect(await reads('dan', 'analytics-db')).toMatchObject({
      allowed: false,
      reason: { code: 'check.unknown_resource' },
    });
    await close();
  });
});
