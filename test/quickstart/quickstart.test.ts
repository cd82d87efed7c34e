/**
 * The README quickstart, run as a newcomer runs it: the BUILT CLI (`dist/cli/main.js`) starts a real server
 * (`serve`, embedded SQLite, the example policy) in a child process, and every other step is the built CLI
 * talking to it over HTTP: tokens for two identities, a request, a refused self-approval, an approval by a DBA,
 * activation, the grant, `check`, the expiry that ends it, and `audit verify` on the database.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function countersign(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: workDir, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

let workDir = '';
let server: ChildProcess | undefined;
let url = '';

/** Starts `countersign serve` on a free port and resolves with its URL once it says it is listening. */
function startServer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--db', 'countersign.db', '--port', '0', '--log-level', 'warn', '--scheduler-interval-ms', '200'],
      { cwd: workDir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${stderr}`)), 30_000);
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
}

describe('the README quickstart', () => {
  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli/main.js is missing: run `npm run build` first (npm run verify does)');
    workDir = mkdtempSync(join(tmpdir(), 'countersign-quickstart-'));
    url = await startServer();
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it('opens the web console for a newcomer with a one-time link from login-link', async () => {
    const printed = await countersign(['login-link', '--db', 'countersign.db', '--identity', 'erin', '--url', url]);
    expect(printed.code, printed.stderr).toBe(0);
    const link = new URL(printed.stdout.trim());
    expect(`${link.origin}${link.pathname}`).toBe(`${url}/sign-in`);
    const secret = new URLSearchParams(link.hash.slice(1)).get('link') ?? '';
    const page = await fetch(`${url}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const session = await fetch(`${url}/v1/session/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ link: secret }),
    });
    expect(session.status).toBe(201);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const inbox = await fetch(`${url}/v1/inbox`, { headers: { cookie } });
    expect(inbox.status).toBe(200);
    const again = await fetch(`${url}/v1/session/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ link: secret }),
    });
    expect(again.status).toBe(401);
  });

  it('walks a request from creation to expiry and leaves a verifiable audit log', async () => {
    const issue = async (identity: string): Promise<string> => {
      const issued = await countersign([
        'token',
        'issue',
        '--db',
        'countersign.db',
        '--identity',
        identity,
        '--ttl',
        '1h',
      ]);
      expect(issued.code, issued.stderr).toBe(0);
      return issued.stdout.trim();
    };
    const alice = await issue('alice');
    const erin = await issue('erin');
    expect(alice).toMatch(/^cs_/);
    const asAlice = { COUNTERSIGN_URL: url, COUNTERSIGN_TOKEN: alice };
    const asErin = { COUNTERSIGN_URL: url, COUNTERSIGN_TOKEN: erin };

    const created = await countersign(
      ['request', 'create', '--resource', 'payments-db', '--action', 'write', '--duration', '12s'].concat([
        '--justification',
        'fix a stuck payout, INC-4711',
        '--json',
      ]),
      asAlice,
    );
    expect(created.code, created.stderr).toBe(0);
    const request = JSON.parse(created.stdout) as { id: string; status: string };
    expect(request.status).toBe('pending');

    const selfApproval = await countersign(['request', 'approve', request.id], asAlice);
    expect(selfApproval.code).toBe(1);
    expect(selfApproval.stderr).toMatch(/cannot approve|own request/);

    const approved = await countersign(['request', 'approve', request.id, '--json'], asErin);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'approved' });

    const activated = await countersign(['request', 'activate', request.id, '--json'], asAlice);
    expect(activated.code, activated.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(activated.stdout))).toContain('active');

    // Checked first: on a loaded machine each CLI start takes a while, and the grant lasts only 12 s.
    const checkArgs = ['check', '--identity', 'alice', '--resource', 'payments-db', '--action', 'write'];
    const allowed = await countersign(checkArgs, asAlice);
    expect(allowed.code, allowed.stderr + allowed.stdout).toBe(0);

    const grants = await countersign(['grants', '--json'], asAlice);
    expect(grants.code, grants.stderr).toBe(0);
    expect(grants.stdout).toContain('payments-db');

    // The scheduler revokes the grant once its 12 s are up; `check` then denies (exit 1).
    let denied: Run | undefined;
    for (let attempt = 0; attempt < 60; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      denied = await countersign(checkArgs, asAlice);
      if (denied.code === 1) break;
    }
    expect(denied?.code).toBe(1);
    const shown = await countersign(['request', 'show', request.id, '--json'], asAlice);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'expired' });

    const verified = await countersign(['audit', 'verify', '--db', 'countersign.db', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    // Nothing the quickstart printed or logged carries a token.
    expect(verified.stdout + shown.stdout + grants.stdout).not.toContain(alice);
  }, 120_000);
});
