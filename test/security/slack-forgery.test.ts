/**
 * Attack (issue 13): someone who can reach `POST /v1/integrations/slack/interactions` but does not hold the Slack
 * app's signing secret tries to approve a request. Whatever they send — a guessed or empty secret, the bot token as
 * the secret, a genuine signature over another body, a stale or future timestamp, another encoding — the answer is
 * an error, and nothing changes: no approval, no audit event, no call to Slack. Slack itself is simulated by a
 * local fake of its Web API (`test/features/chat/fake-slack.ts`).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createRequest, getRequest, type RequestView } from '../../src/features/requests/index.js';
import { as, PROD_WRITE } from '../app/requests-fixtures.js';
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

describeEachDialect('forged Slack interactions', (ctx) => {
  let slack: FakeSlack;
  let t: HttpTestApp;
  let request: RequestView;
  let eventsBefore: number;

  beforeAll(async () => {
    slack = await startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: [APPROVALS_CHANNEL] });
  });
  afterAll(() => slack.close());
  beforeEach(async () => {
    t = await createHttpTestApp(ctx, { build: { slack: slackSettings(slack.apiUrl) } });
    t.runtime.replace(withSlack(t.runtime.loaded));
    request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    eventsBefore = (await t.auditEvents()).length;
    slack.calls.length = 0;
  });

  function approval(user = 'UERIN'): Record<string, unknown> {
    return blockActionsPayload({
      user,
      actionId: 'countersign_approve',
      value: JSON.stringify({ request: request.id, digest: request.digest }),
      channel: APPROVALS_CHANNEL,
      ts: '1768467600.000001',
    });
  }

  async function expectNothingChanged(response: { statusCode: number }, status = 401): Promise<void> {
    expect(response.statusCode).toBe(status);
    const stored = await ctx.database.db.transaction().execute((trx) => getRequest(trx, request.id));
    expect(stored.record).toMatchObject({ status: 'pending', approvals: [] });
    expect((await t.auditEvents()).length).toBe(eventsBefore);
    expect(slack.calls).toEqual([]);
  }

  function send(body: string, headers: Record<string, string>) {
    return t.http.inject({ method: 'POST', url: URL, headers, payload: body });
  }

  const now = () => Math.floor(t.clock.now() / 1000);

  it.each([
    ['a guessed secret', 'guess-the-secret'],
    ['the bot token used as the signing secret', SLACK_TOKEN],
    ['an empty secret', ''],
  ])('a request signed with %s is refused', async (_what, secret) => {
    const forged = signInteraction(secret, approval(), now());
    await expectNothingChanged(await send(forged.body, forged.headers));
  });

  it('a genuine signature over another body does not carry over to a changed body', async () => {
    const genuine = signInteraction(SIGNING_SECRET, approval('UBOB'), now());
    const swapped = signInteraction(SIGNING_SECRET, approval('UERIN'), now());
    await expectNothingChanged(await send(swapped.body, genuine.headers));
  });

  it.each([
    ['six minutes old', -6 * 60],
    ['six minutes in the future', 6 * 60],
  ])('a correctly signed request whose timestamp is %s is refused', async (_what, offset) => {
    const stale = signInteraction(SIGNING_SECRET, approval(), now() + offset);
    await expectNothingChanged(await send(stale.body, stale.headers));
  });

  it('with no signing secret configured, nothing verifies, not even a signature made with an empty secret', async () => {
    const t2 = await createHttpTestApp(ctx, {
      build: { slack: { ...slackSettings(slack.apiUrl), env: { SLACK_BOT_TOKEN: SLACK_TOKEN } } },
    });
    t2.runtime.replace(withSlack(t2.runtime.loaded));
    const signed = signInteraction('', approval(), now());
    const response = await t2.http.inject({ method: 'POST', url: URL, headers: signed.headers, payload: signed.body });
    expect(response.statusCode).toBe(401);
    const stored = await ctx.database.db.transaction().execute((trx) => getRequest(trx, request.id));
    expect(stored.record.approvals).toEqual([]);
  });

  it('a signature of the right length but another scheme or case is refused', async () => {
    const signed = signInteraction(SIGNING_SECRET, approval(), now());
    const upper = { ...signed.headers, 'x-slack-signature': signed.headers['x-slack-signature']?.toUpperCase() ?? '' };
    await expectNothingChanged(await send(signed.body, upper));
    const v1 = {
      ...signed.headers,
      'x-slack-signature': signed.headers['x-slack-signature']?.replace('v0=', 'v1=') ?? '',
    };
    await expectNothingChanged(await send(signed.body, v1));
  });

  it('a JSON body, even correctly signed, is not taken as an interaction', async () => {
    const body = JSON.stringify({ payload: approval() });
    const timestamp = String(now());
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await send(body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    });
    await expectNothingChanged(response, 400);
  });

  it('an oversized body is refused before anything is verified', async () => {
    const huge = signInteraction(SIGNING_SECRET, { ...approval(), padding: 'x'.repeat(80 * 1024) }, now());
    await expectNothingChanged(await send(huge.body, huge.headers), 413);
  });
});
