import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientServer, runClient, type ClientServer } from './client-harness.js';

describe('the client CLI: connection, authentication and usage errors', () => {
  let server: ClientServer;
  let heidi: string;
  beforeAll(async () => {
    server = await startClientServer();
    heidi = await server.t.tokenFor('heidi');
  });
  afterAll(async () => {
    await server.close();
  });

  it('whoami names the identity behind the token, its groups and duties', async () => {
    const run = await runClient(['whoami'], { server: server.url, token: heidi });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('heidi (human) — authenticated with api token');
    expect(run.stdout).toContain('groups: security');
    expect(run.stdout).toMatch(/approve\s+security-approver/);
  });

  it('whoami --json prints the identity document, and --server/--token flags work like the environment', async () => {
    const run = await runClient(['whoami', '--json', '--server', server.url, '--token', heidi]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ identity: 'heidi', kind: 'human', groups: ['security'] });
  });

  it('without a token exits 3 and says how to get one', async () => {
    const run = await runClient(['whoami'], { server: server.url });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no API token: pass --token TOKEN or set COUNTERSIGN_TOKEN');
  });

  it('a token the server does not accept exits 3, and the token appears nowhere', async () => {
    const forged = `cs_${'A'.repeat(43)}`;
    const run = await runClient(['whoami'], { server: server.url, token: forged });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('did not accept the token');
    expect(run.stdout + run.stderr).not.toContain(forged);
  });

  it('a server that is not listening exits 4 with "cannot reach the Countersign server at URL"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runClient(['whoami'], { server: `http://127.0.0.1:${port}`, token: heidi });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`cannot reach the Countersign server at http://127.0.0.1:${port}`);
    expect(run.stdout + run.stderr).not.toContain(heidi);
  });

  it('a server that does not answer in time exits 4 naming the timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const run = await runClient(['whoami', '--timeout', '1s'], { server: `http://127.0.0.1:${port}`, token: heidi });
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`the Countersign server at http://127.0.0.1:${port} did not answer within 1s`);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.each([
    ['an unknown option', ['whoami', '--bogus'], "unknown option '--bogus'"],
    ['a missing required option', ['check', '--resource', 'payments-db'], "required option '--action <name>'"],
    ['a malformed number', ['audit', 'tail', '--limit', 'ten'], 'expected a whole number'],
    [
      'a malformed parameter',
      ['request', 'create', '--resource', 'r', '--action', 'a', '--duration', '1h', '--param', 'novalue'],
      'is not key=value or key:=JSON',
    ],
    ['an unknown status', ['request', 'list', '--status', 'sleeping'], "'sleeping' is not a request status"],
    [
      'a server URL that is not one',
      ['whoami', '--server', 'ftp://example.org'],
      'must start with http:// or https://',
    ],
  ])('%s is a usage error: exit 2', async (_name, args, message) => {
    const run = await runClient(args, { server: server.url, token: heidi });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('every client command documents its exit codes in --help', async () => {
    for (const args of [['request', 'approve'], ['check'], ['sod', 'scan'], ['audit', 'tail'], ['token', 'create']]) {
      const run = await runClient([...args, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Exit codes:');
      expect(run.stdout).toContain('3  authentication error');
    }
  });

  it('token create mints a short-lived token over the API that then authenticates, printing only the token', async () => {
    const run = await runClient(['token', 'create', '--ttl', '30m'], { server: server.url, token: heidi });
    expect(run.code).toBe(0);
    const minted = run.stdout.trim();
    expect(minted).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toContain("token for 'heidi' expires at");
    const me = await runClient(['whoami', '--json'], { server: server.url, token: minted });
    expect(JSON.parse(me.stdout)).toMatchObject({ identity: 'heidi' });
  });

  it('token create beyond the lifetime limit is the server’s usage error: exit 2 with its message', async () => {
    const run = await runClient(['token', 'create', '--ttl', '2d'], { server: server.url, token: heidi });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a token for human identity 'heidi' lasts at most 12h");
  });

  it('the operator commands of the same groups are still there', async () => {
    const token = await runClient(['token', '--help']);
    expect(token.stdout).toMatch(/issue/);
    expect(token.stdout).toMatch(/create/);
    const audit = await runClient(['audit', '--help']);
    expect(audit.stdout).toMatch(/verify/);
    expect(audit.stdout).toMatch(/tail/);
  });
});
