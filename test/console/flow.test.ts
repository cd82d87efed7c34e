/**
 * The console's main flow in real Chromium against a real `serve` with the console's test policy, whose
 * resource is backed by a real (loopback) credential broker: ana asks on the New request page and sees who must
 * approve before sending; ben sees the request in his Inbox with its context and clicks "Approve"; ana activates
 * on "My requests and grants", sees the one-time credential once (gone after a reload, never in storage) and
 * when it expires; olga, an auditor, sees the events and the verification status on Audit. And the server stays
 * the judge: ana forcing an approval of her own request gets the server's `sod_violation`, shown on the page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from './broker.js';
import {
  api,
  CONSOLE_TEST_POLICY,
  issueToken,
  launchChromium,
  newPage,
  signInWithToken,
  startServer,
  type RunningServer,
} from './browser.js';

const JUSTIFICATION = 'reconcile the March invoices, FIN-2211';

let broker: Broker;
let server: RunningServer;
let browser: Browser;
const tokens: Record<string, string> = {};
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  broker = await startBroker();
  [server, browser] = await Promise.all([
    startServer({
      policy: CONSOLE_TEST_POLICY,
      env: { CONSOLE_TEST_BROKER_URL: broker.url, CONSOLE_TEST_BROKER_SECRET: broker.secret },
    }),
    launchChromium(),
  ]);
  for (const identity of ['ana', 'ben', 'olga']) tokens[identity] = await issueToken(server, identity);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await broker?.close();
});

/** A signed-in page for `identity`, in a context of its own (closed in afterAll). */
async function signedIn(identity: string, path: string): Promise<Page> {
  const { context, page } = await newPage(browser);
  contexts.push(context);
  await signInWithToken(page, server, tokens[identity] ?? '', path);
  return page;
}

async function requestAsApi(identity: string, id: string): Promise<Record<string, unknown>> {
  const { status, json } = await api(server, tokens[identity] ?? '', 'GET', `/v1/requests/${id}`);
  expect(status, JSON.stringify(json)).toBe(200);
  return json;
}

/** Waits until the broker's observation has opened a drift finding on customer-db (the scheduler observes every second). */
async function driftObserved(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { json } = await api(server, tokens.olga ?? '', 'GET', '/v1/drift?resource=customer-db');
    if (JSON.stringify(json).includes('encrypted-at-rest')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no drift finding on customer-db after 20 s:\n${server.output()}`);
}

describe('a request from asking to auditing, in the browser', () => {
  let requestId = '';

  it('the requester asks on the New request page and sees who will have to approve before sending', async () => {
    const page = await signedIn('ana', '/requests/new');
    await page.getByLabel('Resource').selectOption('customer-db');
    await page.getByLabel('Action').selectOption('read');
    await page.getByLabel('Duration').fill('30m');
    await page.getByLabel('Justification').fill(JUSTIFICATION);
    const preview = page.getByTestId('request-preview');
    await preview.getByText('ben').first().waitFor();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL((url) => /^\/requests\/req_/.test(url.pathname));
    requestId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    expect(await requestAsApi('ana', requestId)).toMatchObject({ status: 'pending', justification: JUSTIFICATION });
  });

  it('the approver sees it in the Inbox with its context beside it, and "Approve" approves it', async () => {
    await driftObserved();
    const page = await signedIn('ben', '/inbox');
    const item = page.locator(`[data-testid="inbox-item"][data-request="${requestId}"]`);
    await item.waitFor();
    const text = await item.innerText();
    for (const fact of [
      'ana',
      'app-team',
      'customer-db',
      'confidential',
      'medium',
      'a-data-owner-approves',
      'encrypted-at-rest',
      JUSTIFICATION,
    ]) {
      expect(text, `the inbox item shows ${fact}`).toContain(fact);
    }
    await expect(item.getByTestId('my-approval').innerText()).resolves.toContain('Your approval would count.');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(async () => (await requestAsApi('ben', requestId)).status, { timeout: 10_000 }).toBe('approved');
    // Approved, it is no longer waiting for ben: the inbox drops it without a reload.
    await item.waitFor({ state: 'detached' });
  });

  it('the requester activates it and sees the credential once: not after a reload, never in storage', async () => {
    const page = await signedIn('ana', '/requests');
    const row = page.locator(`tr[data-request="${requestId}"]`);
    await row.getByRole('button', { name: 'Activate' }).click();
    const credential = page.getByTestId('one-time-credential');
    await credential.waitFor();
    expect(broker.passwords).toHaveLength(1);
    const password = broker.passwords[0] ?? '';
    expect(await credential.innerText()).toContain(password);
    expect(await credential.getByRole('button', { name: 'Copy password' }).count()).toBe(1);

    const stored = (await page.evaluate(
      'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])',
    )) as string;
    expect(stored).not.toContain(password);

    await page.reload();
    await page.getByTestId('my-grants').waitFor();
    expect(await page.content()).not.toContain(password);
    expect(await page.getByTestId('one-time-credential').count()).toBe(0);
  });

  it('the grant’s expiry shows on "My requests and grants", counting down', async () => {
    const request = await requestAsApi('ana', requestId);
    expect(request.status).toBe('active');
    const expiresAt = String(request.expiresAt);
    const page = await signedIn('ana', '/requests');
    const grants = page.getByTestId('my-grants');
    await grants.waitFor();
    const countdown = grants.locator(`time[datetime="${expiresAt}"]`).first();
    await countdown.waitFor();
    expect(await countdown.innerText()).toMatch(/^ends in (29m|30m)/);
    expect(await countdown.getAttribute('title')).toMatch(/ UTC$/);
  });

  it('an auditor sees the request’s events and the verification status on Audit', async () => {
    const page = await signedIn('olga', '/audit');
    const verdict = page.getByTestId('audit-verdict');
    await verdict.getByText(/Chain verified up to seq \d+/).waitFor();
    await page.getByTestId('audit-last-checkpoint').waitFor();
    // The log is long (the policy's own load comes first): the auditor narrows it to the request.
    await page.getByLabel('Request').fill(requestId);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('request') === requestId);
    const events = page.getByTestId('audit-event').filter({ hasText: requestId });
    await events.filter({ hasText: 'request.activate' }).first().waitFor();
    const shown = (await events.allInnerTexts()).join('\n');
    for (const action of ['request.create', 'request.approve', 'request.activate']) expect(shown).toContain(action);
    expect(await page.content()).not.toContain(broker.passwords[0] ?? 'no password');
  });
});

describe('the server stays the judge', () => {
  it('the requester forcing an approval of her own request gets the server’s sod_violation, shown on the page', async () => {
    const created = await api(server, tokens.ana ?? '', 'POST', '/v1/requests', {
      resource: 'customer-db',
      action: 'read',
      duration: '15m',
      justification: 'look at one customer, SUP-17',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = String(created.json.id);

    const page = await signedIn('ana', '/inbox');
    const item = page.locator(`[data-testid="inbox-item"][data-request="${id}"]`);
    await item.waitFor();
    expect(await item.getByTestId('my-approval').innerText()).toContain('Your approval would not count.');
    await item.getByText('Decide anyway (the server will judge)').click();
    await item.getByRole('button', { name: 'Approve' }).click();
    const refusal = item.getByRole('alert');
    await refusal.waitFor();
    const shown = await refusal.innerText();
    expect(shown).toContain('sod_violation');

    // What the page shows is the server's own answer, word for word.
    const direct = await api(server, tokens.ana ?? '', 'POST', `/v1/requests/${id}/approve`, {});
    expect(direct.status).toBe(403);
    expect(direct.json.code).toBe('sod_violation');
    expect(shown).toContain(String(direct.json.detail));
    expect((await requestAsApi('ana', id)).status).toBe('pending');
  });
});
