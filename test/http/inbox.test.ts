/**
 * The console's reads over HTTP (issue 12): the inbox, what may be requested, the request preview and approval
 * health, each answered as its view and refused as problem+json.
 */
import { beforeAll, expect, it } from 'vitest';
import { approvalStatsViewSchema } from '../../src/features/requests/approval-stats.view.js';
import { inboxViewSchema, type InboxView } from '../../src/features/requests/inbox.view.js';
import { requestPreviewViewSchema, type RequestPreviewView } from '../../src/features/requests/request-preview.view.js';
import { requestableViewSchema, type RequestableView } from '../../src/features/requests/requestable.view.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { viewContract, type ViewContract } from './view-contract.js';

const WRITE = { resource: 'payments-db', action: 'write', duration: '1h', justification: 'backfill CHG-12' };

describeEachDialect('the console reads over HTTP', (ctx) => {
  let t: HttpTestApp;
  let contract: ViewContract;
  const tokens = new Map<string, string>();
  const call = async (identity: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await t.tokenFor(identity);
      tokens.set(identity, token);
    }
    return t.call(method, url, token, payload);
  };
  function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: <T>() => T }) {
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    return response.json<{ code: string; detail: string }>();
  }

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    contract = await viewContract(t);
  });

  it('an approver’s inbox lists the request with its context, and the approve endpoint agrees with myApproval', async () => {
    const created = await call('alice', 'POST', '/v1/requests', WRITE);
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string; digest: string }>().id;

    const erin = await call('erin', 'GET', '/v1/inbox');
    expect(erin.statusCode).toBe(200);
    const body = contract.expectAnswer('GET /v1/inbox', 200, erin.json<InboxView>(), inboxViewSchema);
    const item = body.items.find((entry) => entry.request.id === id);
    expect(item?.context).toMatchObject({
      requester: { name: 'alice', kind: 'human' },
      resource: { id: 'payments-db', classification: 'restricted' },
      action: { name: 'write', risk: 'medium', maxDurationSeconds: 4 * 3600 },
      myApproval: { counts: true },
    });
    // Security approves on every profile but is not named by the write's step.
    const heidi = (await call('heidi', 'GET', '/v1/inbox')).json<InboxView>();
    expect(heidi.items.map((entry) => entry.request.id)).not.toContain(id);

    const approved = await call('erin', 'POST', `/v1/requests/${id}/approve`, { digest: item?.request.digest });
    expect(approved.statusCode).toBe(200);
    const after = (await call('erin', 'GET', '/v1/inbox')).json<InboxView>();
    expect(after.items.map((entry) => entry.request.id)).not.toContain(id);
  });

  it('a requester who is also named as approver sees why their approval would not count, and approving is refused', async () => {
    const asked = await call('erin', 'POST', '/v1/role-activations', {
      role: 'dba-admin',
      duration: '8h',
      justification: 'on call',
    });
    await call('frank', 'POST', `/v1/role-activations/${asked.json<{ id: string }>().id}/approve`);
    const id = (await call('erin', 'POST', '/v1/requests', WRITE)).json<{ id: string }>().id;
    const mine = (await call('erin', 'GET', '/v1/inbox')).json<InboxView>().items.find((e) => e.request.id === id);
    expect(mine?.context.myApproval).toMatchObject({ counts: false, reason: 'sod.own_request' });
    const refused = await call('erin', 'POST', `/v1/requests/${id}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(expectProblem(refused)).toMatchObject({ code: 'sod_violation' });
  });

  it('someone without approve gets an empty inbox; bad pages are problems; no token is 401', async () => {
    const alice = await call('alice', 'GET', '/v1/inbox');
    expect(alice.statusCode).toBe(200);
    expect(alice.json()).toEqual({ items: [], total: 0 });
    const tooMany = await call('erin', 'GET', '/v1/inbox?limit=201');
    expect(tooMany.statusCode).toBe(400);
    expect(expectProblem(tooMany).code).toBe('invalid');
    const forged = await call('erin', 'GET', '/v1/inbox?cursor=Zm9v');
    expect(forged.statusCode).toBe(400);
    expect(expectProblem(forged).code).toBe('invalid');
    const anonymous = await t.call('GET', '/v1/inbox');
    expect(anonymous.statusCode).toBe(401);
    expect(expectProblem(anonymous).code).toBe('unauthenticated');
  });

  it('lists what the caller may request, page by page', async () => {
    const first = await call('alice', 'GET', '/v1/requestable?limit=2');
    expect(first.statusCode).toBe(200);
    const page = contract.expectAnswer(
      'GET /v1/requestable',
      200,
      first.json<RequestableView>(),
      requestableViewSchema,
    );
    expect(page.resources.map((entry) => entry.resource.id)).toEqual(['analytics-db', 'kyc-documents']);
    const next = await call('alice', 'GET', `/v1/requestable?cursor=${page.nextCursor ?? ''}`);
    expect(next.json<RequestableView>().resources.map((entry) => entry.resource.id)).toEqual([
      'merchant-console',
      'payments-db',
      'prod-eu-cluster',
    ]);
    const bot = (await call('deploy-bot', 'GET', '/v1/requestable')).json<RequestableView>();
    expect(bot.resources.map((entry) => entry.resource.id)).toEqual(['prod-eu-cluster']);
    expect((await call('heidi', 'GET', '/v1/requestable')).json()).toEqual({ resources: [] });
  });

  it('previews a request as creating it would decide, storing nothing', async () => {
    const ok = await call('alice', 'POST', '/v1/requests/preview', WRITE);
    expect(ok.statusCode).toBe(200);
    const preview = contract.expectAnswer(
      'POST /v1/requests/preview',
      200,
      ok.json<RequestPreviewView>(),
      requestPreviewViewSchema,
    );
    expect(preview).toMatchObject({ allowed: true, autoApproved: false, matchedRule: 'independent-dba', warnings: [] });
    expect(preview.steps[0]?.eligibleApprovers).toEqual(['erin', 'frank', 'grace']);

    const tooLong = { ...WRITE, duration: '8h' };
    const previewed = (await call('alice', 'POST', '/v1/requests/preview', tooLong)).json<RequestPreviewView>();
    const created = await call('alice', 'POST', '/v1/requests', tooLong);
    expect(previewed).toMatchObject({ allowed: false, code: 'invalid', reason: 'duration.too_long' });
    expect(created.statusCode).toBe(400);
    expect(expectProblem(created).code).toBe(previewed.code);

    const denied = { ...WRITE, action: 'admin', ticket: 'CHG-1' };
    const deniedPreview = (
      await call('backup-service', 'POST', '/v1/requests/preview', denied)
    ).json<RequestPreviewView>();
    const deniedCreate = await call('backup-service', 'POST', '/v1/requests', denied);
    expect(deniedPreview).toMatchObject({ allowed: false, code: 'policy_denied', matchedRule: 'people-only' });
    expect(expectProblem(deniedCreate).code).toBe('policy_denied');

    // Without `request` anywhere the route refuses, as POST /v1/requests does; a malformed body is 400 there too.
    const heidi = await call('heidi', 'POST', '/v1/requests/preview', WRITE);
    expect(heidi.statusCode).toBe(403);
    expect(expectProblem(heidi).code).toBe('forbidden');
    const extra = await call('alice', 'POST', '/v1/requests/preview', { ...WRITE, approver: 'me' });
    expect(extra.statusCode).toBe(400);
    expect(expectProblem(extra).code).toBe('invalid');
  });

  it('answers approval health to auditors and approvers, over a window of 7, 30 or 90 days only', async () => {
    const olivia = await call('olivia', 'GET', '/v1/stats/approvals?window=30d');
    expect(olivia.statusCode).toBe(200);
    const stats = contract.expectAnswer('GET /v1/stats/approvals', 200, olivia.json(), approvalStatsViewSchema);
    expect(stats).toMatchObject({ window: '30d' });
    expect(stats.perDay).toHaveLength(30);
    expect(stats.pending.count).toBeGreaterThan(0);
    expect((await call('erin', 'GET', '/v1/stats/approvals')).statusCode).toBe(200);
    const bot = await call('deploy-bot', 'GET', '/v1/stats/approvals');
    expect(bot.statusCode).toBe(403);
    expect(expectProblem(bot).code).toBe('forbidden');
    const year = await call('olivia', 'GET', '/v1/stats/approvals?window=365d');
    expect(year.statusCode).toBe(400);
    expect(expectProblem(year).code).toBe('invalid');
  });
});
