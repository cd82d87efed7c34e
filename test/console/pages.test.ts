/**
 * Every page of the console, with data on it, checked by axe-core in real Chromium at 1280 px: no serious or
 * critical violation. The inbox is checked at 390 px too (a phone: no horizontal scrolling of the page). With
 * `UPDATE_SCREENSHOTS=1` the run also writes the README's screenshots (docs/images/console-*.png): the inbox, a
 * resource's timeline and the audit page. Data comes through the API: a pending request in ben's inbox, an
 * active grant with its credential handed out by the broker, and the drift the broker's configuration causes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker, type Broker } from './broker.js';
import {
  api,
  CONSOLE_TEST_POLICY,
  DESKTOP,
  expectNoSeriousA11yViolations,
  issueToken,
  launchChromium,
  newPage,
  PHONE,
  SCREENSHOT_DIR,
  signInWithToken,
  startServer,
  UPDATE_SCREENSHOTS,
  type RunningServer,
} from './browser.js';

let broker: Broker;
let server: RunningServer;
let browser: Browser;
const tokens: Record<string, string> = {};
const contexts: BrowserContext[] = [];
let activeRequest = '';

async function call(identity: string, method: string, path: string, body?: unknown) {
  const answer = await api(server, tokens[identity] ?? '', method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} as ${identity}: ${JSON.stringify(answer.json)}`);
  return answer.json;
}

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
  const ask = (duration: string, justification: string) =>
    call('ana', 'POST', '/v1/requests', { resource: 'customer-db', action: 'read', duration, justification });
  activeRequest = String((await ask('1h', 'nightly export check, OPS-881')).id);
  await call('ben', 'POST', `/v1/requests/${activeRequest}/approve`, {});
  await call('ana', 'POST', `/v1/requests/${activeRequest}/activate`, {});
  await ask('30m', 'reconcile the March invoices, FIN-2211');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (JSON.stringify(await call('olga', 'GET', '/v1/drift?resource=customer-db')).includes('encrypted-at-rest')) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await broker?.close();
});

const signedInPages = new Map<string, Page>();

/** One signed-in page per identity and viewport, reused across pages (signing in is not what is measured). */
async function pageOf(identity: string, viewport = DESKTOP): Promise<Page> {
  const key = `${identity}@${viewport.width}`;
  const existing = signedInPages.get(key);
  if (existing !== undefined) return existing;
  const { context, page } = await newPage(browser, viewport);
  contexts.push(context);
  await signInWithToken(page, server, tokens[identity] ?? '');
  signedInPages.set(key, page);
  return page;
}

/** Opens `path` and waits until its heading is there and nothing says "Loading" any more. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.locator('h1').first().waitFor();
  await expect
    .poll(
      () =>
        page
          .getByRole('status')
          .filter({ hasText: /^Loading/ })
          .count(),
      { timeout: 15_000 },
    )
    .toBe(0);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!UPDATE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The whole page, but no taller than a screen and a bit: the audit log alone would be metres long.
  const height = Math.min(Number(await page.evaluate('document.documentElement.scrollHeight')), 1100);
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `console-${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width: DESKTOP.width, height },
  });
}

/** Each page, as the person it is for (a request's id is known only once beforeAll has made it). */
const PAGES: readonly (readonly [page: string, identity: string, path: () => string])[] = [
  ['/inbox', 'ben', () => '/inbox'],
  ['/requests/new', 'ana', () => '/requests/new'],
  ['/requests', 'ana', () => '/requests'],
  ['/requests/{id}', 'ana', () => `/requests/${activeRequest}`],
  ['/break-glass', 'ana', () => '/break-glass'],
  ['/break-glass/reviews', 'ben', () => '/break-glass/reviews'],
  ['/resources', 'ben', () => '/resources'],
  ['/resources/{id}', 'ben', () => '/resources/customer-db'],
  ['/profiles/{name}', 'ben', () => '/profiles/customer-records'],
  ['/drift', 'ben', () => '/drift'],
  ['/sod', 'ben', () => '/sod'],
  ['/certifications', 'ben', () => '/certifications'],
  ['/audit', 'olga', () => '/audit'],
  ['/policy-changes', 'ben', () => '/policy-changes'],
  ['/health', 'ben', () => '/health'],
];

it('the sign-in page has no serious or critical accessibility violation', async () => {
  const { context, page } = await newPage(browser);
  contexts.push(context);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('API token').waitFor();
  await expectNoSeriousA11yViolations(page, '/sign-in');
});

it.each(PAGES)(
  '%s has no serious or critical accessibility violation at 1280 px (as %s)',
  async (_name, identity, path) => {
    const page = await pageOf(identity);
    await open(page, path());
    await expectNoSeriousA11yViolations(page, path());
  },
);

it('a filter chosen on Drift findings is kept in the address and narrows the list; "Any" lifts it', async () => {
  const page = await pageOf('ben');
  await open(page, '/drift');
  await page.getByTestId('drift-table').waitFor();
  await page.getByLabel('Severity').selectOption('low');
  await expect.poll(() => new URL(page.url()).searchParams.get('severity')).toBe('low');
  // customer-db's open finding is high: none is low.
  await expect.poll(() => page.getByText('encrypted-at-rest').count()).toBe(0);
  await page.getByLabel('Severity').selectOption('');
  await expect.poll(() => new URL(page.url()).searchParams.has('severity')).toBe(false);
  await page.getByText('encrypted-at-rest').first().waitFor();
});

it('the Inbox can be worked by keyboard alone: Tab moves from the skip link to the first "Approve"', async () => {
  const page = await pageOf('ben');
  await open(page, '/inbox');
  await page.getByTestId('inbox-item').first().waitFor();
  const focused = () =>
    page.evaluate(() => {
      // In the page; the test's own type check knows no DOM.
      const { document } = globalThis as unknown as {
        document: { activeElement: { tagName: string; textContent: string | null } | null };
      };
      const element = document.activeElement;
      return element === null ? '' : `${element.tagName}:${(element.textContent ?? '').trim()}`;
    });
  const seen: string[] = [];
  for (let presses = 0; presses < 80; presses += 1) {
    await page.keyboard.press('Tab');
    seen.push(await focused());
    if (seen.at(-1) === 'BUTTON:Approve') break;
  }
  expect(seen[0]).toBe('A:Skip to content');
  expect(seen.at(-1), seen.join(' → ')).toBe('BUTTON:Approve');
});

it('the inbox is usable at 390 px: its request and "Approve" are there, and the page does not scroll sideways', async () => {
  const page = await pageOf('ben', PHONE);
  await open(page, '/inbox');
  const item = page.getByTestId('inbox-item').first();
  await item.waitFor();
  await item.getByRole('button', { name: 'Approve' }).waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  await expectNoSeriousA11yViolations(page, '/inbox at 390 px');
});

it('the inbox, a resource timeline and the audit page are drawn for the README (with UPDATE_SCREENSHOTS=1)', async () => {
  const inbox = await pageOf('ben');
  await open(inbox, '/inbox');
  await inbox.getByTestId('inbox-item').first().waitFor();
  await screenshot(inbox, 'inbox');

  await open(inbox, '/resources/customer-db');
  await inbox.getByRole('heading', { name: /Timeline/ }).waitFor();
  await screenshot(inbox, 'resource-timeline');

  const audit = await pageOf('olga');
  await open(audit, '/audit');
  await audit.getByTestId('audit-verdict').waitFor();
  await screenshot(audit, 'audit');
});
