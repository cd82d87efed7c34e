import { beforeEach, expect, it } from 'vitest';
import { withCredential } from '../../../src/app/credential-context.js';
import { AppError } from '../../../src/core/errors.js';
import { previewRequest } from '../../../src/features/requests/index.js';
import type { RequestPreviewView } from '../../../src/features/requests/request-preview.view.js';
import { createRequest, type CreateRequestInput } from '../../../src/features/requests/requests.verbs.js';
import type { Identity } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, PROD_ADMIN, PROD_SQL, PROD_WRITE, refusal, SHORT_READ } from '../../app/requests-fixtures.js';

const LONG_READ: CreateRequestInput = { ...SHORT_READ, duration: '2h' };

/** What creating a request came to, in the preview's words: allowed, or the problem code it answered. */
async function creationOutcome(t: TestApp, actor: string, body: CreateRequestInput) {
  try {
    const view = await createRequest(as(t.app, actor)(body));
    if (view.status === 'denied') return { allowed: false, code: 'policy_denied', matchedRule: view.matchedRule };
    return {
      allowed: true,
      autoApproved: view.status === 'approved',
      matchedRule: view.matchedRule,
      steps: view.steps,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { allowed: false, code: error.code };
  }
}

function previewOutcome(preview: RequestPreviewView) {
  if (!preview.allowed) {
    return {
      allowed: false,
      code: preview.code,
      ...(preview.matchedRule !== undefined ? { matchedRule: preview.matchedRule } : {}),
    };
  }
  return { allowed: true, autoApproved: preview.autoApproved, matchedRule: preview.matchedRule };
}

describeEachDialect('previewing a request', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  const preview = (actor: string, body: CreateRequestInput) => previewRequest(as(t.app, actor)(body));

  it.each([
    ['alice', SHORT_READ, 'a short read the policy approves at once'],
    ['alice', PROD_WRITE, 'a write one independent DBA approves'],
    ['alice', PROD_ADMIN, 'admin: two DBAs, then independent security'],
    ['alice', PROD_SQL, 'SQL: a DBA, then security'],
    ['carol', LONG_READ, 'a long read data platform reviews'],
    ['backup-service', { ...PROD_ADMIN }, 'admin for a service, which a rule denies'],
    ['alice', { ...PROD_WRITE, duration: '8h' }, 'longer than the action allows'],
    ['alice', { ...PROD_SQL, ticket: 'nope' }, 'a ticket that does not match'],
    ['judy', PROD_WRITE, 'an SRE, who may request on production'],
    ['deploy-bot', PROD_WRITE, 'a pipeline without request on the profile'],
    ['heidi', PROD_WRITE, 'security approves but does not request'],
    ['alice', { ...PROD_WRITE, resource: 'no-such-db' }, 'an unknown resource'],
  ])('%s: preview and create agree (%s)', async (actor, body) => {
    const previewed = await preview(actor, body);
    const created = await creationOutcome(t, actor, body);
    expect(previewOutcome(previewed)).toEqual(
      created.allowed
        ? { allowed: true, autoApproved: created.autoApproved, matchedRule: created.matchedRule }
        : { allowed: false, code: created.code, ...(created.matchedRule ? { matchedRule: created.matchedRule } : {}) },
    );
    if ('steps' in created && created.steps !== undefined) {
      expect(
        previewed.steps.map(({ step, required, independent, from }) => ({ step, required, independent, from })),
      ).toEqual(created.steps.map(({ step, required, independent, from }) => ({ step, required, independent, from })));
    }
  });

  it('names who could approve each step, after separation of duties', async () => {
    const admin = await preview('alice', PROD_ADMIN);
    expect(admin).toMatchObject({ allowed: true, autoApproved: false, matchedRule: 'two-dbas-then-security' });
    expect(admin.steps).toEqual([
      {
        step: 1,
        required: 2,
        independent: false,
        from: ['group:dba'],
        eligibleApprovers: ['erin', 'frank', 'grace'],
        eligibleCount: 3,
      },
      {
        step: 2,
        required: 1,
        independent: true,
        from: ['group:security'],
        eligibleApprovers: ['heidi', 'ivan'],
        eligibleCount: 2,
      },
    ]);
    expect(admin.warnings).toEqual([]);
    expect(admin.maxDurationSeconds).toBe(2 * 3600);
    // The requester is never among them: carol's long read leaves only dan of data platform.
    expect((await preview('carol', LONG_READ)).steps[0]?.eligibleApprovers).toEqual(['dan']);
  });

  it('warns when a step has no eligible approver, before the request is made', async () => {
    const policy = t.runtime.loaded;
    const identities = new Map(policy.identities);
    identities.set('dan', { ...(policy.identities.get('dan') as Identity), groups: [] });
    t.runtime.replace({ ...policy, identities });
    const previewed = await preview('carol', LONG_READ);
    expect(previewed).toMatchObject({ allowed: true, autoApproved: false, matchedRule: 'data-platform-review' });
    expect(previewed.steps[0]).toMatchObject({ eligibleApprovers: [], eligibleCount: 0 });
    expect(previewed.warnings).toEqual([
      { code: 'no_eligible_approver', step: 1, message: expect.stringContaining('nobody') },
    ]);
  });

  it('leaves out the human who minted the token the requester asks with', async () => {
    const credential = { identity: 'alice', tokenId: 'tok_minted_by_frank', mintedBy: 'frank' };
    const previewed = await withCredential(credential, () => preview('alice', PROD_WRITE));
    expect(previewed.steps[0]?.eligibleApprovers).toEqual(['erin', 'grace']);
  });

  it('explains a refusal with the reason creating it would give', async () => {
    const tooLong = await preview('alice', { ...PROD_WRITE, duration: '8h' });
    expect(tooLong).toMatchObject({ allowed: false, code: 'invalid', reason: 'duration.too_long', steps: [] });
    expect(tooLong.message).toContain('4h');
    const denied = await preview('backup-service', PROD_ADMIN);
    expect(denied).toMatchObject({ allowed: false, code: 'policy_denied', matchedRule: 'people-only' });
    expect(denied.message).toContain('for people');
  });

  it('refuses a malformed body as creating does, and stores and records nothing', async () => {
    expect((await refusal(preview('alice', { ...PROD_WRITE, duration: 'soon' }))).code).toBe('invalid');
    const requestsBefore = await ctx.database.db.selectFrom('requests').select('id').execute();
    const eventsBefore = (await t.auditEvents()).length;
    await preview('alice', PROD_WRITE);
    await preview('deploy-bot', PROD_WRITE);
    expect(await ctx.database.db.selectFrom('requests').select('id').execute()).toHaveLength(requestsBefore.length);
    expect((await t.auditEvents()).length).toBe(eventsBefore);
  });
});
