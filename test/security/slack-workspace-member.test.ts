/**
 * Attack (issue 13): someone inside the Slack workspace — so their presses are genuinely signed by Slack — who is
 * not an eligible approver tries to get a request approved through the buttons: pressing Approve in the channel,
 * pressing it on a message escalated to them, rewriting the button's value to another request, or claiming an
 * approver's e-mail address on an account whose address Slack never confirmed. Each gets the server's refusal,
 * ephemerally, the refusal is in the decision log, and the request's approvals are unchanged. Slack itself is
 * simulated by a local fake of its Web API (`test/features/chat/fake-slack.ts`).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createRequest, getRequest, type RequestView } from '../../src/features/requests/index.js';
import { as, eventsOf, PROD_SQL, PROD_WRITE } from '../app/requests-fixtures.js';
import {
  APPROVALS_CHANNEL,
  SIGNING_SECRET,
  SLACK_TOKEN,
  SLACK_USERS,
  slackSettings,
  withSlack,
} from '../features/chat/chat-fixtures.js';
import { blockActionsPayload, signInteraction, startFakeSlack, type FakeSlack } from '../features/chat/fake-slack.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const URL = '/v1/integrations/slack/interactions';

describeEachDialect('workspace members who may not approve', (ctx) => {
  let slack: FakeSlack;
  let t: HttpTestApp;
  let write: RequestView;

  beforeAll(async () => {
    slack = await startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: [APPROVALS_CHANNEL] });
  });
  afterAll(() => slack.close());
  beforeEach(async () => {
    t = await createHttpTestApp(ctx, { build: { slack: slackSettings(slack.apiUrl) } });
    t.runtime.replace(withSlack(t.runtime.loaded));
    write = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    slack.calls.length = 0;
  });

  function press(user: string, value: Record<string, string>) {
    const signed = signInteraction(
      SIGNING_SECRET,
      blockActionsPayload({
        user,
        actionId: 'countersign_approve',
        value: JSON.stringify(value),
        channel: APPROVALS_CHANNEL,
        ts: '1768467600.000001',
      }),
      Math.floor(t.clock.now() / 1000),
    );
    return t.http.inject({ method: 'POST', url: URL, headers: signed.headers, payload: signed.body });
  }

  async function expectRefused(
    user: string,
    request: RequestView,
    value = { request: request.id, digest: request.digest },
  ) {
    const response = await press(user, value);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ outcome: 'refused' });
    const stored = await ctx.database.db.transaction().execute((trx) => getRequest(trx, request.id));
    expect(stored.record).toMatchObject({ status: 'pending', approvals: [] });
    const ephemeral = slack.callsOf('chat.postEphemeral').at(-1);
    expect(ephemeral?.args).toMatchObject({ user, channel: APPROVALS_CHANNEL });
    expect(String(ephemeral?.args.text)).toMatch(/^Countersign refused: /);
    return response.json() as { message: string };
  }

  it("the requester's teammate pressing Approve in the channel is refused as the API refuses them", async () => {
    const { message } = await expectRefused('UBOB', write);
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${write.id}`);
    expect(logged).toMatchObject({ actor: 'bob', details: { code: 'forbidden' } });
    expect(message).toBe(
      String(slack.callsOf('chat.postEphemeral').at(-1)?.args.text).replace('Countersign refused: ', ''),
    );
  });

  it('a security engineer told of an escalation cannot approve a write that needs a DBA', async () => {
    await expectRefused('UHEIDI', write);
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${write.id}`);
    expect(JSON.stringify(logged?.details.reasons)).toContain('approver.not_in_step');
  });

  it("rewriting a button's value to another request gains nothing: the server decides for the presser", async () => {
    // bob may not approve alice's SQL either; the value names it with its real digest.
    const sql = await createRequest(as(t.app, 'alice')(PROD_SQL));
    await expectRefused('UBOB', sql);
  });

  it("an account claiming an approver's e-mail without Slack confirming it is nobody", async () => {
    // dan's Slack account carries dan@acmepay.example unconfirmed; whoever made it is refused as unknown.
    await expectRefused('UDAN', write);
    const [logged] = eventsOf(await t.auditEvents(), 'chat.interaction_refused', `request:${write.id}`);
    expect(logged).toMatchObject({ actor: 'slack:UDAN' });
    expect(JSON.stringify(logged?.details.reasons)).toContain('chat.unknown_user');
  });

  it('a press for the right request with the digest of other content is refused as a stale approval', async () => {
    await expectRefused('UERIN', write, { request: write.id, digest: 'c'.repeat(64) });
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${write.id}`);
    expect(JSON.stringify(logged?.details.reasons)).toContain('digest.mismatch');
  });
});
