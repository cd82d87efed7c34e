/**
 * `POST /v1/integrations/slack/interactions` through the HTTP app (issue 13). Slack itself is simulated: a local
 * fake of its Web API (`test/features/chat/fake-slack.ts`, built from Slack's documented request and response
 * shapes) receives what Countersign posts, and the interaction requests are signed here as Slack signs them.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createRequest, getRequest, type RequestView } from '../../src/features/requests/index.js';
import { describeEachDialect } from '../store/dialects.js';
import { as, eventsOf, PROD_ADMIN, PROD_WRITE } from '../app/requests-fixtures.js';
import {
  APPROVALS_CHANNEL,
  deliverOnce,
  SIGNING_SECRET,
  SLACK_TOKEN,
  SLACK_USERS,
  slackSettings,
  withSlack,
} from '../features/chat/chat-fixtures.js';
import {
  blockActionsPayload,
  buttonsOf,
  signInteraction,
  startFakeSlack,
  type FakeSlack,
  type PostedMessage,
} from '../features/chat/fake-slack.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const URL = '/v1/integrations/slack/interactions';

describeEachDialect('Slack interactions over HTTP (Slack simulated)', (ctx) => {
  let slack: FakeSlack;
  let t: HttpTestApp;

  beforeAll(async () => {
    slack = await startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: [APPROVALS_CHANNEL] });
  });
  afterAll(() => slack.close());
  beforeEach(async () => {
    t = await createHttpTestApp(ctx, { build: { slack: slackSettings(slack.apiUrl) } });
    t.runtime.replace(withSlack(t.runtime.loaded));
    slack.calls.length = 0;
    slack.messages.length = 0;
  });

  async function pending(input = PROD_WRITE): Promise<RequestView> {
    const request = await createRequest(as(t.app, 'alice')(input));
    await deliverOnce(t.app, slack.apiUrl);
    return request;
  }

  function messageIn(channel: string, request: RequestView): PostedMessage {
    const message = slack.messages.find((m) => m.channel === channel && JSON.stringify(m.blocks).includes(request.id));
    if (message === undefined) throw new Error(`no message about ${request.id} in ${channel}`);
    return message;
  }

  function press(
    user: string,
    message: PostedMessage,
    action = 'countersign_approve',
    options: { secret?: string; at?: number; value?: string } = {},
  ) {
    const signed = signInteraction(
      options.secret ?? SIGNING_SECRET,
      blockActionsPayload({
        user,
        actionId: action,
        value: options.value ?? buttonsOf(message)[action]?.value ?? '',
        channel: message.channel,
        ts: message.ts,
      }),
      Math.floor((options.at ?? t.clock.now()) / 1000),
    );
    return {
      signed,
      send: () => t.http.inject({ method: 'POST', url: URL, headers: signed.headers, payload: signed.body }),
    };
  }

  async function approvers(id: string): Promise<string[]> {
    const stored = await ctx.database.db.transaction().execute((trx) => getRequest(trx, id));
    return stored.record.approvals.map((a) => a.approver);
  }

  function lastEphemeral(): string {
    return String(slack.callsOf('chat.postEphemeral').at(-1)?.args.text ?? '');
  }

  it('a signed press of Approve by an eligible DBA approves the request and updates the message', async () => {
    const request = await pending();
    const response = await press('UERIN', messageIn('DERIN', request)).send();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ outcome: 'approved' });
    expect(await approvers(request.id)).toEqual(['erin']);
    const updated = messageIn('DERIN', request);
    expect(updated.updates).toBe(1);
    expect(JSON.stringify(updated.blocks)).toContain('Approved by erin');
    expect(buttonsOf(messageIn(APPROVALS_CHANNEL, request))).toEqual({});
  });

  it('a press signed with another secret is 401 and changes nothing', async () => {
    const request = await pending();
    const before = (await t.auditEvents()).length;
    const response = await press('UERIN', messageIn('DERIN', request), 'countersign_approve', {
      secret: 'not-the-signing-secret',
    }).send();
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'unauthenticated' });
    expect(await approvers(request.id)).toEqual([]);
    expect((await t.auditEvents()).length).toBe(before);
    expect(slack.callsOf('chat.postEphemeral')).toEqual([]);
  });

  it('a press whose timestamp is more than five minutes old is 401', async () => {
    const request = await pending();
    const stale = press('UERIN', messageIn('DERIN', request), 'countersign_approve', {
      at: t.clock.now() - 6 * 60_000,
    });
    expect((await stale.send()).statusCode).toBe(401);
    expect(await approvers(request.id)).toEqual([]);
  });

  it('a press without Slack headers, or with a body changed after signing, is 401', async () => {
    const request = await pending();
    const { signed } = press('UERIN', messageIn('DERIN', request));
    const bare = await t.http.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: signed.body,
    });
    expect(bare.statusCode).toBe(401);
    const tampered = await t.http.inject({
      method: 'POST',
      url: URL,
      headers: signed.headers,
      payload: signed.body.replace('UERIN', 'UFRANK'),
    });
    expect(tampered.statusCode).toBe(401);
    expect(await approvers(request.id)).toEqual([]);
  });

  it('the same signed request sent again is a replay: refused and logged', async () => {
    const request = await pending(PROD_ADMIN);
    const first = press('UERIN', messageIn('DERIN', request));
    expect((await first.send()).json()).toEqual({ outcome: 'approved' });
    const again = await first.send();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'refused' });
    expect(await approvers(request.id)).toEqual(['erin']);
    const [logged] = eventsOf(await t.auditEvents(), 'chat.interaction_refused');
    expect(logged).toMatchObject({ actor: 'slack:UERIN', details: { code: 'forbidden' } });
    expect(JSON.stringify(logged?.details.reasons)).toContain('chat.replayed');
  });

  it.each([
    ['USTRANGER', 'a Slack user who is no identity', 'chat.unknown_user'],
    ['UDAN', 'a Slack user whose e-mail Slack has not confirmed', 'chat.unknown_user'],
    ['UDEPLOYBOT', 'the Slack id of a pipeline (an NHI)', 'chat.not_human'],
    ['UMALLORY', 'a disabled identity', 'chat.disabled'],
  ])('%s is refused (%s), told ephemerally, and logged', async (user, _why, code) => {
    const request = await pending();
    const response = await press(user, messageIn(APPROVALS_CHANNEL, request)).send();
    expect(response.json()).toMatchObject({ outcome: 'refused' });
    expect(await approvers(request.id)).toEqual([]);
    expect(lastEphemeral()).toMatch(/^Countersign refused: /);
    const [logged] = eventsOf(await t.auditEvents(), 'chat.interaction_refused', `request:${request.id}`);
    expect(logged).toMatchObject({ actor: `slack:${user}` });
    expect(JSON.stringify(logged?.details.reasons)).toContain(code);
  });

  it('a DBA found by the e-mail Slack confirmed approves as that identity', async () => {
    const request = await pending();
    expect((await press('UGRACE', messageIn('DGRACE', request)).send()).json()).toEqual({ outcome: 'approved' });
    expect(await approvers(request.id)).toEqual(['grace']);
  });

  it('the requester pressing Approve in the channel gets the separation-of-duties refusal, ephemerally', async () => {
    const request = await pending();
    const response = await press('UALICE', messageIn(APPROVALS_CHANNEL, request)).send();
    expect(response.json()).toMatchObject({ outcome: 'refused' });
    expect(lastEphemeral()).toMatch(/^Countersign refused: /);
    expect(slack.callsOf('chat.postEphemeral').at(-1)?.args).toMatchObject({
      user: 'UALICE',
      channel: APPROVALS_CHANNEL,
    });
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${request.id}`);
    expect(logged).toMatchObject({ actor: 'alice', details: { code: 'sod_violation' } });
    expect(await approvers(request.id)).toEqual([]);
  });

  it('approvals count as the API counts them: once per identity, step by step', async () => {
    const request = await pending(PROD_ADMIN);
    const channel = messageIn(APPROVALS_CHANNEL, request);
    expect((await press('UFRANK', channel).send()).json()).toEqual({ outcome: 'approved' });
    // The channel message keeps its buttons while the request is pending; frank pressing again does not count.
    expect(buttonsOf(messageIn(APPROVALS_CHANNEL, request))).toHaveProperty('countersign_approve');
    expect((await press('UFRANK', messageIn(APPROVALS_CHANNEL, request)).send()).json()).toMatchObject({
      outcome: 'refused',
    });
    expect(lastEphemeral()).toMatch(/^Countersign refused: /);
    expect((await press('UERIN', messageIn(APPROVALS_CHANNEL, request)).send()).json()).toEqual({
      outcome: 'approved',
    });
    expect((await approvers(request.id)).sort()).toEqual(['erin', 'frank']);
    const view = await t.call('GET', `/v1/requests/${request.id}`, await t.tokenFor('alice'));
    expect(view.json()).toMatchObject({ status: 'pending', currentStep: 2 });
  });

  it('a press of Deny by an eligible approver denies the request', async () => {
    const request = await pending();
    const response = await press('UFRANK', messageIn('DFRANK', request), 'countersign_deny').send();
    expect(response.json()).toEqual({ outcome: 'denied' });
    const view = await t.call('GET', `/v1/requests/${request.id}`, await t.tokenFor('alice'));
    expect(view.json()).toMatchObject({ status: 'denied', statusReason: "denied in Slack by 'frank'" });
    expect(JSON.stringify(messageIn('DFRANK', request).blocks)).toContain('Denied by frank');
  });
});
