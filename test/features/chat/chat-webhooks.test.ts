/**
 * Microsoft Teams and Mattermost notifiers (issue 13), on both dialects. Neither service runs here: each is
 * simulated by a local HTTP server that records what it receives and answers as the service's incoming webhooks
 * document (Teams `200`, Mattermost `200 ok`). The bodies are checked against the documented formats: an Adaptive
 * Card in a `message` for Teams, Slack's incoming-webhook format for Mattermost.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { chatWebhookSender } from '../../../src/features/chat/index.js';
import { OutboxDelivery } from '../../../src/features/notifications/outbox-delivery.job.js';
import type { ChatWebhookNotifier } from '../../../src/policy/model.js';
import { describeEachDialect } from '../../store/dialects.js';
import { insertOutboxRow, outboxRow } from '../notifications/outbox-fixtures.js';

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

const TEAMS: ChatWebhookNotifier = { name: 'teams', type: 'teams', urlEnv: 'TEAMS_URL', events: ['*'] };
const MATTERMOST: ChatWebhookNotifier = { name: 'mm', type: 'mattermost', urlEnv: 'MM_URL', events: ['*'] };
const PUBLIC_URL = 'https://countersign.acmepay.example';

describeEachDialect('Teams and Mattermost notifiers (both simulated)', (context) => {
  let server: Server;
  let received: Received[];
  let status: number;
  let base: string;
  let clock: ManualClock;

  beforeEach(async () => {
    received = [];
    status = 200;
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    await context.database.db.deleteFrom('outbox').execute();
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          contentType: request.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(status === 200 ? 'ok' : 'error');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function worker() {
    const env = { TEAMS_URL: `${base}/webhookb2/secret-teams-path`, MM_URL: `${base}/hooks/secret-mm-key` };
    const sender = chatWebhookSender({ env, publicUrl: PUBLIC_URL, timeoutMs: 5000 });
    return new OutboxDelivery({
      database: context.database,
      notifiers: () => [TEAMS, MATTERMOST],
      clock,
      env,
      backoffBaseMs: 1000,
      maxAttempts: 3,
      logger: { warn: () => undefined, error: () => undefined },
      senders: { teams: sender, mattermost: sender },
    });
  }

  const data = {
    request: 'req_42',
    requester: 'alice',
    resource: 'payments-db',
    action: 'write',
    justification: 'see [this](https://evil.example) *now*',
  };

  it('Teams receives an Adaptive Card with the facts and a button to the request in the console', async () => {
    await insertOutboxRow(context.database, {
      notifier: 'teams',
      event: 'request.approval_needed',
      data,
      at: clock.now(),
    });
    expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
    const [teams] = received;
    expect(teams?.path).toBe('/webhookb2/secret-teams-path');
    expect(teams?.contentType).toBe('application/json');
    expect(teams?.body.type).toBe('message');
    const [attachment] = teams?.body.attachments as Record<string, unknown>[];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment?.content as Record<string, unknown>;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Countersign', url: `${PUBLIC_URL}/requests/req_42` },
    ]);
    const facts = (card.body as Record<string, unknown>[]).find((block) => block.type === 'FactSet')?.facts;
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'requester', value: 'alice' },
        { title: 'resource', value: 'payments-db' },
        // A person's text cannot make a link or emphasis in the card.
        { title: 'justification', value: 'see \\[this\\]\\(https://evil.example\\) \\*now\\*' },
      ]),
    );
  });

  it("Mattermost receives Slack's incoming-webhook format with a link to the console", async () => {
    await insertOutboxRow(context.database, {
      notifier: 'mm',
      event: 'request.approval_needed',
      data,
      at: clock.now(),
    });
    expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
    const [mm] = received;
    expect(mm?.path).toBe('/hooks/secret-mm-key');
    expect(String(mm?.body.text)).toContain(`[Open in Countersign](${PUBLIC_URL}/requests/req_42)`);
    const [attachment] = mm?.body.attachments as Record<string, unknown>[];
    expect(attachment).toMatchObject({ title: 'Approval needed', title_link: `${PUBLIC_URL}/requests/req_42` });
    expect(attachment?.fields).toEqual(expect.arrayContaining([{ short: true, title: 'requester', value: 'alice' }]));
  });

  it('a receiver that fails is retried with backoff, and the error names neither the URL nor its secret', async () => {
    status = 500;
    const id = await insertOutboxRow(context.database, { notifier: 'teams', event: 'drift.found', at: clock.now() });
    expect(await worker().deliverDue()).toMatchObject({ retrying: 1 });
    const row = await outboxRow(context.database, id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'attempt 1: HTTP 500' });
    expect(Number(row.next_attempt_at)).toBe(clock.now() + 1000);
    status = 200;
    clock.advance(1000);
    expect(await worker().deliverDue()).toMatchObject({ delivered: 1 });
  });

  it('a URL variable that is not set fails the delivery with our own message', async () => {
    const id = await insertOutboxRow(context.database, { notifier: 'mm', at: clock.now() });
    const delivery = new OutboxDelivery({
      database: context.database,
      notifiers: () => [MATTERMOST],
      clock,
      env: {},
      maxAttempts: 1,
      logger: { warn: () => undefined, error: () => undefined },
      senders: { mattermost: chatWebhookSender({ env: {} }) },
    });
    expect(await delivery.deliverDue()).toMatchObject({ failed: 1 });
    expect((await outboxRow(context.database, id)).last_error).toBe(
      "attempt 1: environment variable 'MM_URL' does not hold an http(s) URL",
    );
  });
});
