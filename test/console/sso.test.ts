/**
 * Single sign-on in real Chromium: a real OIDC issuer (`oidc-provider` on loopback, test/console/oidc-issuer.ts)
 * and `countersign serve --oidc-issuer … --oidc-client-id …` with the client secret in the environment. The
 * person clicks "Sign in with SSO", logs in on the issuer's OWN login page, consents if asked, and lands back in
 * the console signed in as the identity their verified e-mail address maps to (the bundled example's alice).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, launchChromium, newPage, startServer, type RunningServer } from './browser.js';
import { startIssuer, type Issuer } from './oidc-issuer.js';

let issuer: Issuer;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  issuer = await startIssuer({ redirectUri: `${origin}/auth/oidc/callback`, emailDomain: 'acmepay.example' });
  [server, browser] = await Promise.all([
    startServer({
      port,
      args: ['--oidc-issuer', issuer.url, '--oidc-client-id', issuer.clientId, '--public-url', origin],
      env: { COUNTERSIGN_OIDC_CLIENT_SECRET: issuer.clientSecret },
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await issuer?.close();
});

/** Logs in on the issuer's own pages as `login`, consenting when it asks, until the browser is back home. */
async function logInAtIssuer(page: Page, login: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await page.waitForURL((url) => url.origin === issuer.url);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.origin === server.url || url.pathname.includes('/interaction/'));
  if (new URL(page.url()).origin === issuer.url) {
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL((url) => url.origin === server.url && !url.pathname.startsWith('/auth/'));
}

it('"Sign in with SSO" goes through the issuer’s own login page and lands signed in as the mapped identity', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${server.url}/sign-in`);
    await logInAtIssuer(page, 'alice');
    await page.getByText('Signed in as alice').first().waitFor();
    const session = (await page.evaluate('fetch("/v1/session").then((r) => r.json())')) as Record<string, unknown>;
    expect(session).toMatchObject({ identity: 'alice', method: 'oidc' });
    const cookie = (await context.cookies(server.url)).find((c) => c.name === 'cs_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  } finally {
    await context.close();
  }
});

it('an SSO account whose e-mail address is no Countersign identity is not signed in, and the page says why', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${server.url}/sign-in`);
    await logInAtIssuer(page, 'stranger');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByRole('alert').filter({ hasText: 'not a Countersign identity' }).waitFor();
    expect(await page.evaluate('fetch("/v1/session").then((r) => r.status)')).toBe(401);
  } finally {
    await context.close();
  }
});
