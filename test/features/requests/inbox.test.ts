import { beforeEach, expect, it } from 'vitest';
import { withCredential } from '../../../src/app/credential-context.js';
import { listInbox } from '../../../src/features/requests/index.js';
import type { InboxItemView, InboxView } from '../../../src/features/requests/inbox.view.js';
import { approveRequest, createRequest } from '../../../src/features/requests/requests.verbs.js';
import { recordObservation } from '../../../src/features/resources/index.js';
import { describeEachDialect } from '../../store/dialects.js';
import { activateRole } from '../access/role-activation-fixtures.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, PROD_ADMIN, PROD_WRITE, refusal, SHORT_READ } from '../../app/requests-fixtures.js';

describeEachDialect('the approver inbox', (ctx) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(ctx);
  });

  const inbox = (actor: string, input: { limit?: number; cursor?: string } = {}) => listInbox(as(t.app, actor)(input));

  function itemOf(view: InboxView, id: string): InboxItemView | undefined {
    return view.items.find((item) => item.request.id === id);
  }

  /** Every item of the inbox, following the cursor page by page. */
  async function everyItem(actor: string, limit: number): Promise<{ ids: string[]; pages: number; total: number }> {
    const ids: string[] = [];
    let pages = 0;
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await inbox(actor, { limit, ...(cursor !== undefined ? { cursor } : {}) });
      ids.push(...page.items.map((item) => item.request.id));
      total = page.total;
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined);
    return { ids, pages, total };
  }

  it('someone who holds approve nowhere has an empty inbox, not an error', async () => {
    await createRequest(as(t.app, 'alice')(PROD_WRITE));
    expect(await inbox('alice')).toEqual({ items: [], total: 0 });
    expect(await inbox('deploy-bot')).toEqual({ items: [], total: 0 });
  });

  it('lists a write for the DBAs whose step it is, with its context, and for nobody else', async () => {
    const earlier = await createRequest(as(t.app, 'alice')(SHORT_READ));
    t.clock.advance(1000);
    const before = (await inbox('erin')).total;
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const erin = await inbox('erin');
    expect(erin.total).toBe(before + 1);
    expect(erin.items[0]?.request.id).toBe(request.id);
    const item = itemOf(erin, request.id);
    expect(item?.request).toEqual(request);
    expect(item?.context).toMatchObject({
      requester: { name: 'alice', kind: 'human', groups: ['payments'] },
      resource: {
        id: 'payments-db',
        profile: 'postgres-prod',
        classification: 'restricted',
        owners: ['group:data-platform', 'group:payments'],
      },
      action: { name: 'write', risk: 'medium', maxDuration: '4h', maxDurationSeconds: 4 * 3600 },
      rule: { name: 'independent-dba', steps: [{ step: 1, from: ['group:dba'], required: 1, approvers: [] }] },
      myApproval: { counts: true, reason: 'step.satisfied' },
    });
    expect(item?.context.recentRequests).toContainEqual({
      id: earlier.id,
      action: 'read',
      status: 'approved',
      createdAt: earlier.createdAt,
    });
    expect(item?.context.recentRequests.map((r) => r.id)).not.toContain(request.id);
    // Security approves every profile but is not named by the write's only step; data platform is not either.
    expect(itemOf(await inbox('heidi'), request.id)).toBeUndefined();
    expect(itemOf(await inbox('carol'), request.id)).toBeUndefined();
  });

  it('shows the resource’s open drift, most severe first', async () => {
    const config = {
      ssl: 'off',
      password_encryption: 'md5',
      log_connections: 'on',
      log_statement: 'all',
      superusers: ['postgres', 'intruder'],
    };
    await recordObservation({ app: t.app, actor: 'peggy', input: { resource: 'payments-db', config } });
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const drift = itemOf(await inbox('frank'), request.id)?.context.resource.openDrift ?? [];
    expect(drift.map((finding) => finding.check)).toEqual(
      expect.arrayContaining(['no-unexpected-superusers', 'scram-passwords', 'tls-on']),
    );
    expect(drift[0]).toMatchObject({ check: 'no-unexpected-superusers', severity: 'critical' });
    expect(Date.parse(drift[0]?.since ?? '')).toBe(t.clock.now());
  });

  it('keeps a request in the inbox of an approver whose approval would no longer count, and says why', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_ADMIN));
    await approveRequest(as(t.app, 'frank')({ id: request.id }));
    const frank = itemOf(await inbox('frank'), request.id);
    expect(frank?.context.myApproval).toMatchObject({ counts: false, reason: 'sod.duplicate_approval' });
    expect(frank?.context.rule.steps[0]?.approvers).toEqual(['frank']);
    expect(itemOf(await inbox('grace'), request.id)?.context.myApproval.counts).toBe(true);
    // The approve verb agrees with both.
    expect((await refusal(approveRequest(as(t.app, 'frank')({ id: request.id })))).code).toBe('sod_violation');
    await approveRequest(as(t.app, 'grace')({ id: request.id }));
    // Step 2 is security's: the DBAs no longer see it, heidi does.
    expect(itemOf(await inbox('grace'), request.id)).toBeUndefined();
    expect(itemOf(await inbox('heidi'), request.id)?.context.myApproval.counts).toBe(true);
  });

  it('a DBA sees their own request named by its step, and that they cannot approve it', async () => {
    await activateRole(t.app, 'erin', 'dba-admin', 'frank');
    const request = await createRequest(as(t.app, 'erin')(PROD_WRITE));
    const mine = itemOf(await inbox('erin'), request.id)?.context.myApproval;
    expect(mine).toMatchObject({ counts: false, reason: 'sod.own_request' });
    expect(mine?.message).toContain('cannot approve');
  });

  it('an approver acting with a token the requester minted is told their approval would not count', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const credential = { identity: 'grace', tokenId: 'tok_minted_by_alice', mintedBy: 'alice' };
    const mine = await withCredential(credential, () => inbox('grace'));
    expect(itemOf(mine, request.id)?.context.myApproval).toMatchObject({ counts: false, reason: 'sod.same_principal' });
    const own = await inbox('grace');
    expect(itemOf(own, request.id)?.context.myApproval.counts).toBe(true);
  });

  it('pages newest first through every request, each once, with the same total on every page', async () => {
    const created: string[] = [];
    t.clock.advance(3_600_000); // later than every request the other tests made (each starts its clock anew)
    for (let n = 0; n < 5; n++) {
      created.push((await createRequest(as(t.app, 'bob')(PROD_WRITE))).id);
      t.clock.advance(n % 2 === 0 ? 0 : 1000); // some share a creation time: the id breaks the tie
    }
    const whole = await everyItem('grace', 200);
    const paged = await everyItem('grace', 2);
    expect(paged.ids).toEqual(whole.ids);
    expect(new Set(paged.ids).size).toBe(paged.ids.length);
    expect(paged.total).toBe(whole.ids.length);
    expect(paged.pages).toBe(Math.ceil(whole.ids.length / 2));
    // Newest first: the ones made here, last made first, lead the inbox.
    expect(whole.ids.slice(0, 5).sort()).toEqual([...created].sort());
    const stamps = (await inbox('grace', { limit: 200 })).items.map((item) => Date.parse(item.request.createdAt));
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
  });

  it('refuses a cursor it did not issue and a page larger than 200', async () => {
    expect((await refusal(inbox('erin', { cursor: 'not-a-cursor' }))).code).toBe('invalid');
    expect((await refusal(inbox('erin', { limit: 201 }))).code).toBe('invalid');
  });

  it('writes nothing: reading the inbox leaves no audit event', async () => {
    await createRequest(as(t.app, 'alice')(PROD_WRITE));
    const before = (await t.auditEvents()).length;
    await inbox('erin');
    expect((await t.auditEvents()).length).toBe(before);
  });
});
