/**
 * Approval requests in Slack (issue 13), on both dialects. Slack itself is simulated: the tests run against a local
 * fake of its Web API built from Slack's documented request and response shapes (`fake-slack.ts`), through the
 * official client (`@slack/web-api`) pointed at it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { handleSlackInteraction } from '../../../src/features/chat/index.js';
import { approveRequest, createRequest, getRequest, sendDueReminders } from '../../../src/features/requests/index.js';
import type { ReminderPolicy } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, type TestApp } from '../../app/harness.js';
import { as, eventsOf, PROD_WRITE } from '../../app/requests-fixtures.js';
import { withReminders } from '../requests/reminder-fixtures.js';
import {
  APPROVALS_CHANNEL,
  deliverOnce,
  SIGNING_SECRET,
  SLACK_TOKEN,
  SLACK_USERS,
  slackSettings,
  withSlack,
} from './chat-fixtures.js';
import { blockActionsPayload, buttonsOf, signInteraction, startFakeSlack, type FakeSlack } from './fake-slack.js';

const HOUR = 3_600_000;

describeEachDialect('approval requests in Slack (Slack simulated)', (ctx) => {
  let t: TestApp;
  let slack: FakeSlack;

  beforeEach(async () => {
    t = await createTestApp(ctx);
    t.runtime.replace(withSlack(t.runtime.loaded));
    await ctx.database.db.deleteFrom('outbox').execute();
    slack = await startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: [APPROVALS_CHANNEL] });
  });
  afterEach(() => slack.close());

  function postedTo(): string[] {
    return slack.callsOf('chat.postMessage').map((call) => String(call.args.channel));
  }

  it('an approval request reaches each eligible approver by DM and the channel, with the profile context and digest', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    expect(await deliverOnce(t.app, slack.apiUrl)).toMatchObject({ delivered: 1, retrying: 0 });
    // The independent DBAs: erin and frank by their Slack ids, grace by the e-mail Slack confirmed; never alice.
    expect(postedTo().sort()).toEqual([APPROVALS_CHANNEL, 'UERIN', 'UFRANK', 'UGRACE'].sort());
    const dm = slack.messages.find((m) => m.channel === 'DERIN');
    const text = JSON.stringify(dm?.blocks);
    for (const fact of ['alice', 'payments-db', 'write', 'restricted', 'production', 'backfill CHG-12', 'Step 1'])
      expect(text).toContain(fact);
    expect(text).toMatch(/risk (low|medium|high|critical)/);
    expect(text).toContain('Drift');
    expect(text).toContain(`https://countersign.acmepay.example/requests/${request.id}`);
    const buttons = buttonsOf(dm ?? { blocks: [] });
    expect(Object.keys(buttons).sort()).toEqual(['countersign_approve', 'countersign_deny']);
    expect(JSON.parse(buttons.countersign_approve?.value ?? '{}')).toEqual({
      request: request.id,
      digest: request.digest,
    });
  });

  it('a delivery that failed for one approver is retried for that approver alone', async () => {
    await createRequest(as(t.app, 'alice')(PROD_WRITE));
    slack.failNext('chat.postMessage', 'ratelimited');
    expect(await deliverOnce(t.app, slack.apiUrl)).toMatchObject({ retrying: 1 });
    const failedFirst = String(slack.callsOf('chat.postMessage')[0]?.args.channel);
    t.clock.advance(1000);
    expect(await deliverOnce(t.app, slack.apiUrl)).toMatchObject({ delivered: 1 });
    const posted = slack.messages.map((m) => m.channel);
    expect(posted).toHaveLength(4);
    expect(new Set(posted).size).toBe(4);
    expect(slack.callsOf('chat.postMessage').filter((c) => c.args.channel === failedFirst)).toHaveLength(2);
  });

  it('a decision made through the API rewrites every message, leaving no buttons', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await deliverOnce(t.app, slack.apiUrl);
    await approveRequest(as(t.app, 'frank')({ id: request.id, digest: request.digest }));
    await deliverOnce(t.app, slack.apiUrl);
    expect(slack.messages.map((m) => m.updates)).toEqual([1, 1, 1, 1]);
    for (const message of slack.messages) {
      expect(buttonsOf(message)).toEqual({});
      expect(JSON.stringify(message.blocks)).toContain('Approved');
    }
  });

  it('an escalation tells the security engineers without making them approvers', async () => {
    const reminders: ReminderPolicy = {
      afterSeconds: 3600,
      escalateAfterSeconds: 4 * 3600,
      escalateTo: [{ type: 'group', name: 'security' }],
    };
    t.runtime.replace(withSlack(withReminders(t.runtime.loaded, reminders)));
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await deliverOnce(t.app, slack.apiUrl);
    t.clock.advance(4 * HOUR);
    await sendDueReminders(t.app, t.clock.now(), {
      actor: 'system:scheduler',
      batchSize: 50,
      onError: () => undefined,
    });
    slack.calls.length = 0;
    await deliverOnce(t.app, slack.apiUrl);
    // Requests of earlier tests of this suite are escalated too: only this one's messages are looked at.
    const ours = slack.messages.filter((m) => JSON.stringify(m.blocks).includes(request.id));
    const escalated = ours.filter((m) => m.channel === 'DHEIDI' || m.channel === 'DIVAN');
    expect(escalated).toHaveLength(2);
    for (const message of escalated) {
      expect(buttonsOf(message)).toEqual({});
      expect(JSON.stringify(message.blocks)).toContain('Escalated');
      expect(JSON.stringify(message.blocks)).toContain('would not count');
    }
    // The reminder went to the DBAs again, with buttons; the request still needs one of them.
    expect(buttonsOf(ours.filter((m) => m.channel === 'DERIN').at(-1) ?? { blocks: [] })).toHaveProperty(
      'countersign_approve',
    );
    expect((await ctx.database.db.transaction().execute((trx) => getRequest(trx, request.id))).record.status).toBe(
      'pending',
    );
  });

  it('pressing Approve in Slack approves as the mapped identity, exactly as the API does', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await deliverOnce(t.app, slack.apiUrl);
    const dm = slack.messages.find((m) => m.channel === 'DERIN');
    const press = signInteraction(
      SIGNING_SECRET,
      blockActionsPayload({
        user: 'UERIN',
        actionId: 'countersign_approve',
        value: buttonsOf(dm ?? { blocks: [] }).countersign_approve?.value ?? '',
        channel: 'DERIN',
        ts: dm?.ts ?? '',
      }),
      Math.floor(t.clock.now() / 1000),
    );
    const result = await handleSlackInteraction(t.app, slackSettings(slack.apiUrl), {
      rawBody: press.body,
      timestamp: press.headers['x-slack-request-timestamp'],
      signature: press.headers['x-slack-signature'],
    });
    expect(result).toMatchObject({ outcome: 'approved', identity: 'erin', request: { status: 'approved' } });
    const [approved] = eventsOf(await t.auditEvents(), 'request.approve', `request:${request.id}`);
    expect(approved).toMatchObject({ actor: 'erin', details: { final: true, digest: request.digest } });
    expect(JSON.stringify(dm?.blocks)).toContain('Approved by erin');
    expect(buttonsOf(dm ?? { blocks: [] })).toEqual({});
  });

  it('a press carrying another digest than the request has is refused as a stale approval, and the presser told', async () => {
    const request = await createRequest(as(t.app, 'alice')(PROD_WRITE));
    await deliverOnce(t.app, slack.apiUrl);
    const dm = slack.messages.find((m) => m.channel === 'DFRANK');
    const press = signInteraction(
      SIGNING_SECRET,
      blockActionsPayload({
        user: 'UFRANK',
        actionId: 'countersign_approve',
        value: JSON.stringify({ request: request.id, digest: 'b'.repeat(64) }),
        channel: 'DFRANK',
        ts: dm?.ts ?? '',
      }),
      Math.floor(t.clock.now() / 1000),
    );
    const result = await handleSlackInteraction(t.app, slackSettings(slack.apiUrl), {
      rawBody: press.body,
      timestamp: press.headers['x-slack-request-timestamp'],
      signature: press.headers['x-slack-signature'],
    });
    expect(result.outcome).toBe('refused');
    const [ephemeral] = slack.callsOf('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: 'DFRANK', user: 'UFRANK' });
    expect(String(ephemeral?.args.text)).toMatch(/^Countersign refused: .*content/);
    const [logged] = eventsOf(await t.auditEvents(), 'request.approve_refused', `request:${request.id}`);
    expect(JSON.stringify(logged?.details.reasons)).toContain('digest.mismatch');
    expect(
      (await ctx.database.db.transaction().execute((trx) => getRequest(trx, request.id))).record.approvals,
    ).toEqual([]);
  });
});
