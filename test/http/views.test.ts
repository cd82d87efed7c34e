/**
 * Every answer is its view: real answers of the API, checked against the view schemas of the features
 * (`features/<feature>/*.view.ts`) and against the OpenAPI document built from them (`view-contract.ts`).
 */
import { beforeAll, expect, it } from 'vitest';
import { checkAnswerViewSchema } from '../../src/features/access/check.view.js';
import { disabledIdentityViewSchema, identityViewSchema } from '../../src/features/access/identity.view.js';
import { meViewSchema } from '../../src/features/access/me.view.js';
import { roleActivationViewSchema } from '../../src/features/access/role-activation.view.js';
import {
  removedRoleAssignmentViewSchema,
  roleAssignmentViewSchema,
} from '../../src/features/access/role-assignment.view.js';
import { sodScanViewSchema } from '../../src/features/governance/sod-scan.view.js';
import {
  issuedTokenViewSchema,
  revokedTokenViewSchema,
  tokenViewSchema,
} from '../../src/features/access/token.view.js';
import {
  breakGlassReviewResultViewSchema,
  breakGlassReviewViewSchema,
  campaignDetailViewSchema,
  campaignViewSchema,
  certificationDecisionViewSchema,
} from '../../src/features/certifications/certification.view.js';
import { adminChangeViewSchema } from '../../src/features/governance/admin-change.view.js';
import {
  policyChangeDetailViewSchema,
  policyChangeViewSchema,
  policyPlanViewSchema,
} from '../../src/features/governance/policy-change.view.js';
import { sodExceptionViewSchema } from '../../src/features/governance/sod-exception.view.js';
import { grantViewSchema } from '../../src/features/grants/grant.view.js';
import {
  auditCheckpointViewSchema,
  auditEventViewSchema,
  auditVerificationViewSchema,
} from '../../src/features/evidence/audit.view.js';
import { deliveryViewSchema } from '../../src/features/notifications/delivery.view.js';
import {
  profileSummaryViewSchema,
  profileVersionViewSchema,
  profileViewSchema,
} from '../../src/features/resources/profile.view.js';
import {
  driftFindingViewSchema,
  observationRecordViewSchema,
  observationViewSchema,
  resourceViewSchema,
} from '../../src/features/resources/resource.view.js';
import {
  activationViewSchema,
  executionViewSchema,
  extensionViewSchema,
  requestViewSchema,
} from '../../src/features/requests/request.view.js';
import type { PolicySource } from '../../src/policy/load.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { everyType } from '../app/requests-fixtures.js';
import { NoopProvider } from '../../src/providers/noop/noop-provider.js';
import { executePolicy } from '../security/execute-fixtures.js';
import { seedFailedAndDeliveredDeliveries } from '../store/factories.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { viewContract, type ViewContract } from './view-contract.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const DAY_MS = 86_400_000;
/** How the application writes the times it makes: ISO 8601 in UTC. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A provider whose target cannot be reached when a grant is revoked. */
class RevokeFails extends NoopProvider {
  override async revoke(): Promise<void> {
    throw new Error('target unreachable');
  }
}

/** The example policy with the processor console's classification changed: a change set touching one profile. */
async function editedConsole(classification: string): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) => ({
    path: s.path,
    text: s.path.endsWith('processor-console.yaml')
      ? s.text.replace('classification: confidential', `classification: ${classification}`)
      : s.text,
  }));
}

describeEachDialect('every answer is its view', (ctx) => {
  let t: HttpTestApp;
  let contract: ViewContract;
  const tokens = new Map<string, string>();
  async function call<T = Record<string, unknown>>(identity: string, method: Method, url: string, payload?: unknown) {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await t.tokenFor(identity);
      tokens.set(identity, token);
    }
    const response = await t.call(method, url, token, payload);
    expect(response.statusCode, response.body).toBeLessThan(300);
    return { status: response.statusCode, body: response.json<T>() };
  }

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    contract = await viewContract(t);
  });

  it('a request answers as the Request view at every step, and its grant as the Grant view', async () => {
    const created = await call<{ id: string }>('quinn', 'POST', '/v1/requests', {
      resource: 'analytics-db',
      action: 'read',
      duration: '1h',
    });
    contract.expectAnswer('POST /v1/requests', created.status, created.body, requestViewSchema);
    const { id } = created.body;
    const shown = await call('quinn', 'GET', `/v1/requests/${id}`);
    contract.expectAnswer('GET /v1/requests/{id}', shown.status, shown.body, requestViewSchema);

    const activated = await call<{ request: { grant?: unknown } }>('quinn', 'POST', `/v1/requests/${id}/activate`);
    contract.expectAnswer('POST /v1/requests/{id}/activate', activated.status, activated.body, activationViewSchema);
    expect(activated.body.request.grant).toBeDefined();

    const listed = await call<{ requests: unknown[] }>('quinn', 'GET', '/v1/requests');
    contract.expectAnswer('GET /v1/requests', listed.status, listed.body, requestViewSchema, (b) => b.requests);
    const grants = await call<{ grants: unknown[] }>('quinn', 'GET', '/v1/grants');
    contract.expectAnswer('GET /v1/grants', grants.status, grants.body, grantViewSchema, (b) => b.grants);

    const completed = await call('quinn', 'POST', `/v1/requests/${id}/complete`, { reason: 'done' });
    contract.expectAnswer('POST /v1/requests/{id}/complete', completed.status, completed.body, requestViewSchema);
    const revoked = await call<{ grants: unknown[] }>('quinn', 'GET', '/v1/grants?status=revoked');
    contract.expectAnswer('GET /v1/grants', revoked.status, revoked.body, grantViewSchema, (b) => b.grants);
  });

  it('approvals, denials and break-glass answer as the Request and Activation views', async () => {
    // Longer than the auto-approved hour: data platform approves.
    const ask = { resource: 'payments-db', action: 'read', duration: '2h', justification: 'nightly reconciliation' };
    const first = await call<{ id: string; digest: string }>('alice', 'POST', '/v1/requests', ask);
    const approved = await call('carol', 'POST', `/v1/requests/${first.body.id}/approve`, {
      digest: first.body.digest,
    });
    contract.expectAnswer('POST /v1/requests/{id}/approve', approved.status, approved.body, requestViewSchema);
    const second = await call<{ id: string }>('alice', 'POST', '/v1/requests', ask);
    const denied = await call('carol', 'POST', `/v1/requests/${second.body.id}/deny`, { reason: 'not now' });
    contract.expectAnswer('POST /v1/requests/{id}/deny', denied.status, denied.body, requestViewSchema);

    const broken = await call('judy', 'POST', '/v1/break-glass', {
      resource: 'payments-db',
      action: 'write',
      duration: '30m',
      justification: 'INC-1: payments stuck',
    });
    contract.expectAnswer('POST /v1/break-glass', broken.status, broken.body, activationViewSchema);
  });

  it('an execution answers as the Execution view, an extension as the Extension view', async () => {
    const own = await createHttpTestApp(ctx, { policy: executePolicy() });
    const ownContract = await viewContract(own);
    const alice = await own.tokenFor('alice');
    const post = async (url: string, payload?: unknown) => {
      const response = await own.call('POST', url, alice, payload);
      expect(response.statusCode, response.body).toBeLessThan(300);
      return { status: response.statusCode, body: response.json<{ id: string }>() };
    };
    const run = await post('/v1/requests', { resource: 'db-1', action: 'run', duration: '10m' });
    const executed = await post(`/v1/requests/${run.body.id}/execute`, {});
    ownContract.expectAnswer('POST /v1/requests/{id}/execute', executed.status, executed.body, executionViewSchema);

    const read = await post('/v1/requests', { resource: 'db-1', action: 'read', duration: '10m' });
    await post(`/v1/requests/${read.body.id}/activate`, {});
    const extended = await post(`/v1/requests/${read.body.id}/extend`, { duration: '30m' });
    ownContract.expectAnswer('POST /v1/requests/{id}/extend', extended.status, extended.body, extensionViewSchema);
  });

  it('a role activation answers as the RoleActivation view from request to revoke', async () => {
    const asked = await call<{ id: string }>('erin', 'POST', '/v1/role-activations', {
      role: 'dba-admin',
      duration: '8h',
      justification: 'on call',
    });
    contract.expectAnswer('POST /v1/role-activations', asked.status, asked.body, roleActivationViewSchema);
    const { id } = asked.body;
    const approved = await call('frank', 'POST', `/v1/role-activations/${id}/approve`);
    contract.expectAnswer(
      'POST /v1/role-activations/{id}/approve',
      approved.status,
      approved.body,
      roleActivationViewSchema,
    );
    const shown = await call('erin', 'GET', `/v1/role-activations/${id}`);
    contract.expectAnswer('GET /v1/role-activations/{id}', shown.status, shown.body, roleActivationViewSchema);
    const listed = await call<{ roleActivations: unknown[] }>('erin', 'GET', '/v1/role-activations');
    contract.expectAnswer(
      'GET /v1/role-activations',
      listed.status,
      listed.body,
      roleActivationViewSchema,
      (b) => b.roleActivations,
    );
    const revoked = await call('erin', 'POST', `/v1/role-activations/${id}/revoke`, { reason: 'done' });
    contract.expectAnswer(
      'POST /v1/role-activations/{id}/revoke',
      revoked.status,
      revoked.body,
      roleActivationViewSchema,
    );
  });

  it('an administrative change answers as the AdminChange view when proposed, read, withdrawn and approved', async () => {
    const assignment = { role: 'sre', subject: 'identity:carol' };
    const withdrawn = await call<{ id: string }>('victor', 'POST', '/v1/role-assignments', assignment);
    contract.expectAnswer('POST /v1/role-assignments', withdrawn.status, withdrawn.body, adminChangeViewSchema);
    const rejected = await call('victor', 'POST', `/v1/admin-changes/${withdrawn.body.id}/reject`, { reason: 'typo' });
    contract.expectAnswer('POST /v1/admin-changes/{id}/reject', rejected.status, rejected.body, adminChangeViewSchema);

    const proposed = await call<{ id: string }>('victor', 'POST', '/v1/role-assignments', assignment);
    const shown = await call('olivia', 'GET', `/v1/admin-changes/${proposed.body.id}`);
    contract.expectAnswer('GET /v1/admin-changes/{id}', shown.status, shown.body, adminChangeViewSchema);
    const listed = await call<{ changes: unknown[] }>('olivia', 'GET', '/v1/admin-changes');
    contract.expectAnswer('GET /v1/admin-changes', listed.status, listed.body, adminChangeViewSchema, (b) => b.changes);
    const approved = await call('peggy', 'POST', `/v1/admin-changes/${proposed.body.id}/approve`, {});
    contract.expectAnswer('POST /v1/admin-changes/{id}/approve', approved.status, approved.body, adminChangeViewSchema);
    const { assignmentId } = (approved.body as { result: { assignmentId: string } }).result;
    const removed = await call('victor', 'DELETE', `/v1/role-assignments/${assignmentId}?reason=cover%20ended`);
    contract.expectAnswer(
      'DELETE /v1/role-assignments/{id}',
      removed.status,
      removed.body,
      removedRoleAssignmentViewSchema,
    );
  });

  it('a notification delivery answers as the Delivery view, listed and retried', async () => {
    await seedFailedAndDeliveredDeliveries(ctx.database.db, t.clock.now() - 60_000);
    const listed = await call<{ deliveries: unknown[] }>('peggy', 'GET', '/v1/notifications/deliveries');
    contract.expectAnswer(
      'GET /v1/notifications/deliveries',
      listed.status,
      listed.body,
      deliveryViewSchema,
      (b) => b.deliveries,
    );
    const retried = await call('peggy', 'POST', '/v1/notifications/deliveries/dlv_failed/retry');
    contract.expectAnswer(
      'POST /v1/notifications/deliveries/{id}/retry',
      retried.status,
      retried.body,
      deliveryViewSchema,
    );
  });

  it('a policy change answers as the PolicyChange views when planned, submitted, read, approved and rejected', async () => {
    const own = await createHttpTestApp(ctx);
    const ownContract = await viewContract(own);
    async function as<T = Record<string, unknown>>(identity: string, method: Method, url: string, payload?: unknown) {
      const response = await own.call(method, url, await own.tokenFor(identity), payload);
      expect(response.statusCode, response.body).toBeLessThan(300);
      return { status: response.statusCode, body: response.json<T>() };
    }
    const files = await editedConsole('restricted');
    const plan = await as('peggy', 'POST', '/v1/policy/plan', { files });
    ownContract.expectAnswer('POST /v1/policy/plan', plan.status, plan.body, policyPlanViewSchema);
    const submitted = await as<{ id: string; digest: string }>('peggy', 'POST', '/v1/policy/changes', {
      files,
      description: 'restrict the console',
    });
    ownContract.expectAnswer('POST /v1/policy/changes', submitted.status, submitted.body, policyChangeViewSchema);
    const { id, digest } = submitted.body;
    const listed = await as<{ changes: unknown[] }>('heidi', 'GET', '/v1/policy/changes');
    ownContract.expectAnswer(
      'GET /v1/policy/changes',
      listed.status,
      listed.body,
      policyChangeViewSchema,
      (b) => b.changes,
    );
    const detail = await as('heidi', 'GET', `/v1/policy/changes/${id}`);
    ownContract.expectAnswer('GET /v1/policy/changes/{id}', detail.status, detail.body, policyChangeDetailViewSchema);
    const approved = await as<{ change: unknown }>('heidi', 'POST', `/v1/policy/changes/${id}/approve`, { digest });
    ownContract.expectAnswer(
      'POST /v1/policy/changes/{id}/approve',
      approved.status,
      approved.body,
      policyChangeViewSchema,
      (b) => [b.change],
    );

    const other = await as<{ id: string }>('victor', 'POST', '/v1/policy/changes', {
      files: await editedConsole('public'),
    });
    const rejected = await as('ivan', 'POST', `/v1/policy/changes/${other.body.id}/reject`, { reason: 'too loose' });
    ownContract.expectAnswer(
      'POST /v1/policy/changes/{id}/reject',
      rejected.status,
      rejected.body,
      policyChangeViewSchema,
    );
  });

  it('the caller, identities, role assignments and tokens answer as their views', async () => {
    const me = await call('quinn', 'GET', '/v1/me');
    contract.expectAnswer('GET /v1/me', me.status, me.body, meViewSchema);
    const identities = await call<{ identities: unknown[] }>('olivia', 'GET', '/v1/identities');
    contract.expectAnswer(
      'GET /v1/identities',
      identities.status,
      identities.body,
      identityViewSchema,
      (b) => b.identities,
    );
    const disabled = await call('peggy', 'POST', '/v1/identities/dan/disable', { reason: 'left the company' });
    contract.expectAnswer(
      'POST /v1/identities/{name}/disable',
      disabled.status,
      disabled.body,
      disabledIdentityViewSchema,
    );
    const identity = await call('olivia', 'GET', '/v1/identities/dan');
    contract.expectAnswer('GET /v1/identities/{name}', identity.status, identity.body, identityViewSchema);

    const assignments = await call<{ assignments: unknown[] }>('olivia', 'GET', '/v1/role-assignments');
    contract.expectAnswer(
      'GET /v1/role-assignments',
      assignments.status,
      assignments.body,
      roleAssignmentViewSchema,
      (b) => b.assignments,
    );

    const issued = await call('quinn', 'POST', '/v1/tokens', { ttl: '1h', description: 'views' });
    contract.expectAnswer('POST /v1/tokens', issued.status, issued.body, issuedTokenViewSchema);
    const tokens = await call<{ tokens: unknown[] }>('quinn', 'GET', '/v1/tokens');
    contract.expectAnswer('GET /v1/tokens', tokens.status, tokens.body, tokenViewSchema, (b) => b.tokens);
    const revoked = await call('quinn', 'DELETE', `/v1/tokens/${(issued.body as { id: string }).id}`);
    contract.expectAnswer('DELETE /v1/tokens/{id}', revoked.status, revoked.body, revokedTokenViewSchema);
  });

  it('an SoD exception answers as the SodException view, and the scan that it suppresses a conflict in as SodScan', async () => {
    const expiresAt = new Date(t.clock.now() + 7 * DAY_MS).toISOString();
    const created = await call<{ id: string }>('peggy', 'POST', '/v1/exceptions', {
      rule: 'dba-admins-are-not-auditors',
      identity: 'grace',
      justification: 'grace audits the fleet while olivia is on leave',
      compensatingControl: 'olivia reviews grace’s findings on return',
      expiresAt,
    });
    contract.expectAnswer('POST /v1/exceptions', created.status, created.body, sodExceptionViewSchema);
    const { id } = created.body;
    const approved = await call('victor', 'POST', `/v1/exceptions/${id}/approve`);
    contract.expectAnswer('POST /v1/exceptions/{id}/approve', approved.status, approved.body, sodExceptionViewSchema);
    const listed = await call<{ exceptions: unknown[] }>('olivia', 'GET', '/v1/exceptions');
    contract.expectAnswer(
      'GET /v1/exceptions',
      listed.status,
      listed.body,
      sodExceptionViewSchema,
      (b) => b.exceptions,
    );

    const assigned = await call<{ id: string }>('victor', 'POST', '/v1/role-assignments', {
      role: 'auditor',
      subject: 'identity:grace',
    });
    await call('peggy', 'POST', `/v1/admin-changes/${assigned.body.id}/approve`, {});
    const scan = await call<{ conflicts: { exception: unknown }[] }>('olivia', 'GET', '/v1/sod/conflicts');
    contract.expectAnswer('GET /v1/sod/conflicts', scan.status, scan.body, sodScanViewSchema);
    expect(scan.body.conflicts.some((c) => c.exception !== null)).toBe(true);

    const revoked = await call('peggy', 'POST', `/v1/exceptions/${id}/revoke`, { reason: 'olivia is back' });
    contract.expectAnswer('POST /v1/exceptions/{id}/revoke', revoked.status, revoked.body, sodExceptionViewSchema);
  });

  it('resources, their observations and drift, and profiles answer as their views', async () => {
    const compliant = {
      ssl: 'on',
      password_encryption: 'scram-sha-256',
      log_connections: 'on',
      superusers: ['postgres'],
    };
    const failing = await call('peggy', 'POST', '/v1/resources/payments-db/observations', {
      config: { ...compliant, ssl: 'off' },
    });
    contract.expectAnswer('POST /v1/resources/{id}/observations', failing.status, failing.body, observationViewSchema);
    const observed = await call('peggy', 'POST', '/v1/resources/payments-db/observe');
    contract.expectAnswer('POST /v1/resources/{id}/observe', observed.status, observed.body, observationViewSchema);
    const history = await call<{ observations: unknown[] }>('peggy', 'GET', '/v1/resources/payments-db/observations');
    contract.expectAnswer(
      'GET /v1/resources/{id}/observations',
      history.status,
      history.body,
      observationRecordViewSchema,
      (b) => b.observations,
    );
    const drift = await call<{ findings: unknown[] }>('peggy', 'GET', '/v1/drift?resource=payments-db');
    contract.expectAnswer('GET /v1/drift', drift.status, drift.body, driftFindingViewSchema, (b) => b.findings);

    const resources = await call<{ resources: unknown[] }>('olivia', 'GET', '/v1/resources');
    contract.expectAnswer(
      'GET /v1/resources',
      resources.status,
      resources.body,
      resourceViewSchema,
      (b) => b.resources,
    );
    const resource = await call('olivia', 'GET', '/v1/resources/payments-db');
    contract.expectAnswer('GET /v1/resources/{id}', resource.status, resource.body, resourceViewSchema);

    const profiles = await call<{ profiles: unknown[] }>('olivia', 'GET', '/v1/profiles');
    contract.expectAnswer(
      'GET /v1/profiles',
      profiles.status,
      profiles.body,
      profileSummaryViewSchema,
      (b) => b.profiles,
    );
    const profile = await call('olivia', 'GET', '/v1/profiles/postgres-prod');
    contract.expectAnswer('GET /v1/profiles/{name}', profile.status, profile.body, profileViewSchema);
    const versions = await call<{ versions: unknown[] }>('olivia', 'GET', '/v1/profiles/postgres-prod/versions');
    contract.expectAnswer(
      'GET /v1/profiles/{name}/versions',
      versions.status,
      versions.body,
      profileVersionViewSchema,
      (b) => b.versions,
    );
  });

  it('the audit log and check answer as their views', async () => {
    const events = await call<{ events: unknown[] }>('olivia', 'GET', '/v1/audit/events?limit=50');
    contract.expectAnswer('GET /v1/audit/events', events.status, events.body, auditEventViewSchema, (b) => b.events);
    const opened = await call<{ events: unknown[] }>('olivia', 'GET', '/v1/audit/events?limit=50&open=true');
    contract.expectAnswer('GET /v1/audit/events', opened.status, opened.body, auditEventViewSchema, (b) => b.events);
    const verified = await call('olivia', 'GET', '/v1/audit/verify');
    contract.expectAnswer('GET /v1/audit/verify', verified.status, verified.body, auditVerificationViewSchema);
    const row = { head: 'a'.repeat(64), root: 'b'.repeat(64), time: t.clock.now(), key_id: 'k1', signature: 'c2ln' };
    await ctx.database.db
      .insertInto('audit_checkpoints')
      .values({ size: 1, ...row })
      .execute();
    const checkpoints = await call<{ checkpoints: unknown[] }>('olivia', 'GET', '/v1/audit/checkpoints');
    contract.expectAnswer(
      'GET /v1/audit/checkpoints',
      checkpoints.status,
      checkpoints.body,
      auditCheckpointViewSchema,
      (b) => b.checkpoints,
    );

    const check = await call('quinn', 'POST', '/v1/check', {
      identity: 'quinn',
      resource: 'analytics-db',
      action: 'read',
    });
    contract.expectAnswer('POST /v1/check', check.status, check.body, checkAnswerViewSchema);
  });

  it('access reviews answer as their views, their times ISO 8601 and the instants they were given', async () => {
    // A provider that cannot revoke: a revoked break-glass use answers its teardown with a next attempt.
    const own = await createHttpTestApp(ctx, { providers: everyType(new RevokeFails()) });
    const ownContract = await viewContract(own);
    async function as<T = Record<string, unknown>>(identity: string, method: Method, url: string, payload?: unknown) {
      const response = await own.call(method, url, await own.tokenFor(identity), payload);
      expect(response.statusCode, response.body).toBeLessThan(300);
      return { status: response.statusCode, body: response.json<T>() };
    }
    const now = own.clock.now();
    const created = await as<{
      id: string;
      period: { from: string; to: string };
      deadline: string;
      createdAt: string;
      closedAt: string | null;
      items: { id: string; holders: string[] }[];
    }>('heidi', 'POST', '/v1/certifications', {
      name: 'Q1 review',
      kinds: ['role_assignment'],
      period: { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 2 * DAY_MS).toISOString() },
      deadline: new Date(now + 7 * DAY_MS).toISOString(),
    });
    ownContract.expectAnswer('POST /v1/certifications', created.status, created.body, campaignDetailViewSchema);
    const { id, period, deadline, createdAt, closedAt } = created.body;
    expect(period.from).toMatch(ISO_UTC);
    expect(period.to).toMatch(ISO_UTC);
    expect([Date.parse(period.from), Date.parse(period.to)]).toEqual([now - 3_600_000, now + 2 * DAY_MS]);
    expect(Date.parse(deadline)).toBe(now + 7 * DAY_MS);
    expect(Date.parse(createdAt)).toBe(now);
    expect(closedAt).toBeNull();
    const listed = await as<{ campaigns: unknown[] }>('heidi', 'GET', '/v1/certifications');
    ownContract.expectAnswer(
      'GET /v1/certifications',
      listed.status,
      listed.body,
      campaignViewSchema,
      (b) => b.campaigns,
    );
    const shown = await as('olivia', 'GET', `/v1/certifications/${id}`);
    ownContract.expectAnswer('GET /v1/certifications/{id}', shown.status, shown.body, campaignDetailViewSchema);
    const item = created.body.items.find((candidate) => !candidate.holders.includes('heidi'));
    own.clock.advance(60_000);
    const decided = await as<{ item: { decidedAt: string } }>(
      'heidi',
      'POST',
      `/v1/certifications/${id}/items/${item?.id}/decide`,
      { decision: 'keep' },
    );
    ownContract.expectAnswer(
      'POST /v1/certifications/{id}/items/{itemId}/decide',
      decided.status,
      decided.body,
      certificationDecisionViewSchema,
    );
    expect(Date.parse(decided.body.item.decidedAt)).toBe(now + 60_000);

    const usedAt = own.clock.now();
    const used = await as<{ request: { id: string } }>('ken', 'POST', '/v1/break-glass', {
      resource: 'payments-db',
      action: 'read',
      duration: '30m',
      justification: 'INC-11 outage',
    });
    const reviews = await as<{ reviews: { id: string; createdAt: string; reviewBy: string; reviewedAt: null }[] }>(
      'heidi',
      'GET',
      '/v1/break-glass/reviews',
    );
    ownContract.expectAnswer(
      'GET /v1/break-glass/reviews',
      reviews.status,
      reviews.body,
      breakGlassReviewViewSchema,
      (b) => b.reviews,
    );
    const review = reviews.body.reviews.find((candidate) => candidate.id === used.body.request.id);
    expect(Date.parse(review?.createdAt ?? '')).toBe(usedAt);
    // The payments profile's break-glass `reviewWithin` is 24h.
    expect(Date.parse(review?.reviewBy ?? '')).toBe(usedAt + DAY_MS);
    expect(review?.reviewedAt).toBeNull();
    own.clock.advance(60_000);
    const reviewed = await as<{ reviewedAt: string; teardown?: { outcome: string; nextAttemptAt?: string } }>(
      'heidi',
      'POST',
      `/v1/break-glass/${used.body.request.id}/review`,
      { decision: 'revoke' },
    );
    ownContract.expectAnswer(
      'POST /v1/break-glass/{id}/review',
      reviewed.status,
      reviewed.body,
      breakGlassReviewResultViewSchema,
    );
    expect(Date.parse(reviewed.body.reviewedAt)).toBe(usedAt + 60_000);
    expect(reviewed.body.teardown?.outcome).toBe('revoke_failed');
    expect(Date.parse(reviewed.body.teardown?.nextAttemptAt ?? '')).toBeGreaterThan(usedAt + 60_000);
  });
});
