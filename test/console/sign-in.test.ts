/**
 * Signing in to the console in real Chromium against a real `serve` (the bundled example, a dry run): the
 * "API token" field, the session cookie's flags, nothing kept in the browser's storage, the Content-Security-
 * Policy in force, a one-time `countersign login-link`, and signing out, which ends the session on the server.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueToken,
  launchChromium,
  loginLink,
  newPage,
  signInWithToken,
  startServer,
  type RunningServer,
} from './browser.js';

const SESSION_COOKIE = 'cs_session';

let server: RunningServer;
let browser: Browser;
let aliceToken: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  aliceToken = await issueToken(server, 'alice');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('signing in with an API token', () => {
  it('the API token field signs in, and the page names who is signed in', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInWithToken(page, server, aliceToken);
      await page.getByText('Signed in as alice').first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('the session cookie is HttpOnly and SameSite=Strict, not Secure over http, and the page cannot read it', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInWithToken(page, server, aliceToken);
      const cookies = await context.cookies(server.url);
      const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE);
      expect(session, JSON.stringify(cookies)).toBeDefined();
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
      expect(session?.value).not.toContain(aliceToken);
      expect(await page.evaluate('document.cookie')).not.toContain(SESSION_COOKIE);
    } finally {
      await context.close();
    }
  });

  it('nothing is kept in localStorage or sessionStorage, and the token is nowhere in the page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInWithToken(page, server, aliceToken);
      await page.getByRole('link', { name: 'My requests and grants' }).click();
      await page.waitForURL((url) => url.pathname === '/requests');
      const stored = await page.evaluate(
        'JSON.stringify({ local: Object.entries(localStorage), session: Object.entries(sessionStorage) })',
      );
      expect(JSON.parse(stored as string)).toEqual({ local: [], session: [] });
      expect(await page.content()).not.toContain(aliceToken);
    } finally {
      await context.close();
    }
  });

  it('a wrong token is refused with the server’s message and no session', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('API token').fill('cs_not-a-real-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').first().waitFor();
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect((await context.cookies(server.url)).map((cookie) => cookie.name)).not.toContain(SESSION_COOKIE);
    } finally {
      await context.close();
    }
  });
});

describe('the Content-Security-Policy', () => {
  it('is sent with the console page and forbids inline script and framing', async () => {
    const { context, page } = await newPage(browser);
    try {
      const response = await page.goto(`${server.url}/sign-in`);
      const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    } finally {
      await context.close();
    }
  });

  it('an inline script injected into a signed-in page does not run, and the browser reports the violation', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInWithToken(page, server, aliceToken);
      const outcome = (await page.evaluate(`new Promise((resolve) => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.appendChild(script);
        setTimeout(() => resolve({ ran: window.__injected === true, violations }), 200);
      })`)) as { ran: boolean; violations: string[] };
      expect(outcome.ran).toBe(false);
      expect(outcome.violations.some((directive) => directive.startsWith('script-src'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('a one-time sign-in link', () => {
  it('signs in once, leaves the address bar, and a second visit of the same link does not sign in', async () => {
    const link = await loginLink(server, 'bob');
    expect(new URL(link).origin).toBe(server.url);
    const secret = new URLSearchParams(new URL(link).hash.slice(1)).get('link') ?? link;

    const first = await newPage(browser);
    try {
      await first.page.goto(link);
      await first.page.getByText('Signed in as bob').first().waitFor();
      expect(first.page.url()).not.toContain(secret);
    } finally {
      await first.context.close();
    }

    const second = await newPage(browser);
    try {
      await second.page.goto(link);
      await second.page.getByRole('alert').first().waitFor();
      expect(new URL(second.page.url()).pathname).toBe('/sign-in');
      expect(await second.page.evaluate('fetch("/v1/session").then((r) => r.status)')).toBe(401);
    } finally {
      await second.context.close();
    }
  });

  it('signs in even when the page’s first "who am I?" answers after the link did', async () => {
    // The page asks who is signed in and trades the link at the same moment; the first question leaves without
    // a cookie. Here its answer (a 401) is held until the link's answer has arrived, the order that a busy
    // machine gives now and then: that stale "signed out" must not be taken as the answer after signing in.
    const link = await loginLink(server, 'bob');
    const { context, page } = await newPage(browser);
    try {
      let linkAnswered!: () => void;
      const linkAnswer = new Promise<void>((resolve) => (linkAnswered = resolve));
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/v1/session/link') linkAnswered();
      });
      let held = false;
      await page.route(`${server.url}/v1/session`, async (route) => {
        if (held || route.request().method() !== 'GET') return route.continue();
        held = true;
        const answer = await route.fetch();
        await linkAnswer;
        await route.fulfill({ response: answer });
      });
      await page.goto(link);
      await page.getByText('Signed in as bob').first().waitFor();
      expect(held).toBe(true);
      expect(new URL(page.url()).pathname).toBe('/inbox');
    } finally {
      await context.close();
    }
  });
});

describe('signing out', () => {
  it('"Sign out" ends the session on the server: the old cookie, replayed, gets 401', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signInWithToken(page, server, aliceToken);
      const cookie = (await context.cookies(server.url)).find((c) => c.name === SESSION_COOKIE);
      expect(cookie).toBeDefined();
      const replay = () =>
        fetch(`${server.url}/v1/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie?.value ?? ''}` } });
      expect((await replay()).status).toBe(200);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/sign-in');
      const after = await replay();
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      await page.goto(`${server.url}/inbox`);
      await page.waitForURL((url) => url.pathname === '/sign-in');
    } finally {
      await context.close();
    }
  });
});
