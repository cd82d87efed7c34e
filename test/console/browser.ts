/**
 * The harness of the console's browser tests (and of `bench/console.bench.ts`): a real `countersign serve` (the
 * BUILT binary, an SQLite file in a scratch directory, a free loopback port) as a child process; tokens and
 * one-time sign-in links made with the built CLI as an operator would (`token issue`, `login-link`); Debian's
 * Chromium driven by playwright-core; signing in through the page's own "API token" field; and axe-core run
 * in the page, failing on any serious or critical violation.
 *
 * The browser may reach loopback only: every other request (a font from a CDN on the issuer's login page, say) is
 * aborted, so a test never waits on the network and never depends on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BUILT_CLI, REPO_ROOT, runCli } from '../cli/run-cli.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The console's own policy for the browser tests (one resource behind a webhook broker; see its header). */
export const CONSOLE_TEST_POLICY = join(REPO_ROOT, 'test', 'console', 'fixtures', 'policy');
export interface Viewport {
  readonly width: number;
  readonly height: number;
}
export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

export interface RunningServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The SQLite file, for the operator commands (`token issue`, `login-link`). */
  readonly db: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** A policy directory (default: the bundled example, served as a dry run). */
  readonly policy?: string;
  /** More `serve` flags (`--oidc-issuer …`, `--dry-run false`). */
  readonly args?: readonly string[];
  /** Variables added to the server's environment (a provider's URL and secret, an OIDC client secret). */
  readonly env?: Readonly<Record<string, string>>;
  /** A port chosen beforehand (`freePort`), when something must know the URL before the server starts. */
  readonly port?: number;
}

/** A port nothing listens on right now (the OS picks it; a race with another process is possible but rare). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `countersign serve` and resolves once it says where it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-console-'));
  const db = join(dir, 'countersign.db');
  const args = [BUILT_CLI, 'serve', '--db', db, '--port', String(options.port ?? 0), '--log-level', 'warn'];
  args.push('--scheduler-interval-ms', '200', '--observe-interval-ms', '1000');
  if (options.policy !== undefined) args.push('--policy', options.policy);
  args.push(...(options.args ?? []));
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s:\n${stderr}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    db,
    output: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An API token for `identity`, issued by the operator command as the quickstart does. */
export async function issueToken(server: RunningServer, identity: string): Promise<string> {
  const run = await runCli(['token', 'issue', '--db', server.db, '--identity', identity, '--ttl', '1h']);
  if (run.code !== 0) throw new Error(`token issue for ${identity} failed (${run.code}): ${run.stderr}`);
  return run.stdout.trim();
}

/**
 * A one-time sign-in link for `identity`, from `countersign login-link`, as the URL it prints. The operator
 * command runs beside the database, so it is told where browsers reach the console (`--url`).
 */
export async function loginLink(server: RunningServer, identity: string): Promise<string> {
  const run = await runCli(['login-link', '--db', server.db, '--identity', identity, '--url', server.url]);
  if (run.code !== 0) throw new Error(`login-link for ${identity} failed (${run.code}): ${run.stderr}`);
  const printed = /https?:\/\/\S+/.exec(run.stdout)?.[0];
  if (printed === undefined) throw new Error(`login-link printed no URL:\n${run.stdout}`);
  return printed;
}

/** Calls the API as `token` (setting up data, or checking what the server holds). */
export async function api(
  server: RunningServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Debian's Chromium. `launch` gives each browser a fresh, throw-away user-data directory of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh context (no cookies, no storage) of `width` × `height`, which may reach loopback only. */
export async function newPage(
  browser: Browser,
  viewport: Viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { ...viewport } });
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => route.abort(),
  );
  const page = await context.newPage();
  // A missing element fails the test in 15 s rather than at the test's own timeout, which names no element.
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * Signs in through the sign-in page's "API token" field and "Sign in" button, as a person pasting a token
 * does, and waits until the console has left the sign-in page.
 */
export async function signInWithToken(page: Page, server: RunningServer, token: string, path = '/inbox') {
  await page.goto(`${server.url}/sign-in?return=${encodeURIComponent(path)}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * Runs axe-core in the page and throws, listing them, on any serious or critical violation. axe is put into the
 * page with `page.evaluate(axe.source)`: evaluation through the DevTools protocol is not page script, so the
 * console's Content-Security-Policy (no inline script) stays in force for everything else, unlike a `bypassCSP`
 * context or an inline `<script>` tag (which the policy blocks).
 */
export async function expectNoSeriousA11yViolations(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  const violations = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const list = serious
      .map((v) => `- ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
      .join('\n');
    throw new Error(`axe finds ${serious.length} serious or critical violation(s) on ${what}:\n${list}`);
  }
}

/** Whether screenshots for the README are wanted this run (`UPDATE_SCREENSHOTS=1`), so CI leaves the tree clean. */
export const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'images');
