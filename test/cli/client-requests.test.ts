/**
 * The request lifecycle through the built CLI against a real listening server. Every test starts its own
 * server on a fresh database and sets up, through the API, the request it needs, so any test runs alone and
 * in any order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientEnv, runClient, startClientServer, type ClientServer } from './client-harness.js';
import { spawnBuiltCli, type CliRun } from './run-cli.js';

const PREFIX = 'customers/0b7c4a1e-5d2f-4c3b-9a8e-1f2d3c4b5a69/';

/** alice's read of one customer's documents: the owners (bob) must approve it. */
const DOCUMENTS_READ = {
  resource: 'kyc-documents',
  action: 'read-object',
  duration: '1h',
  justification: 'customer asked for a copy of their documents',
  ticket: 'SUP-42',
  params: { prefix: PREFIX },
};

interface CreatedRequest {
  readonly id: string;
  readonly digest: string;
}

describe('the client CLI over a real listening server: the request lifecycle', () => {
  let server: ClientServer;
  const tokens = new Map<string, string>();

  async function tokenOf(identity: string): Promise<string> {
    let token = tokens.get(identity);
    if (token === undefined) {
      token = await server.t.tokenFor(identity);
      tokens.set(identity, token);
    }
    return token;
  }

  /** Runs the CLI as `identity`; no output of any run may contain any token. */
  async function as(identity: string, args: readonly string[]): Promise<CliRun> {
    const run = await runClient(args, { server: server.url, token: await tokenOf(identity) });
    for (const secret of tokens.values()) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    return run;
  }

  /** A call to the API as `identity`, for setting up what a test needs. */
  async function api(identity: string, path: string, payload?: unknown): Promise<unknown> {
    const response = await server.t.call('POST', path, await tokenOf(identity), payload);
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  }

  async function pendingRequest(): Promise<CreatedRequest> {
    return (await api('alice', '/v1/requests', DOCUMENTS_READ)) as CreatedRequest;
  }

  async function approvedRequest(): Promise<CreatedRequest> {
    const request = await pendingRequest();
    await api('bob', `/v1/requests/${request.id}/approve`, { digest: request.digest });
    return request;
  }

  async function activeRequest(): Promise<CreatedRequest> {
    const request = await approvedRequest();
    await api('alice', `/v1/requests/${request.id}/activate`);
    return request;
  }

  beforeEach(async () => {
    tokens.clear();
    server = await startClientServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('request create --json answers the pending request with its id, digest and approval steps', async () => {
    const run = await as('alice', [
      'request',
      'create',
      '--resource',
      'kyc-documents',
      '--action',
      'read-object',
      '--duration',
      '1h',
      '--justification',
      'customer asked for a copy of their documents',
      '--ticket',
      'SUP-42',
      '--param',
      `prefix=${PREFIX}`,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as CreatedRequest;
    expect(view.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(view).toMatchObject({
      status: 'pending',
      requester: 'alice',
      resource: 'kyc-documents',
      action: 'read-object',
      duration: '1h',
      params: { prefix: PREFIX },
      remainingApprovals: 1,
      steps: [{ step: 1, from: ['owners'], required: 1, approvers: [] }],
    });
  });

  it('request list --mine shows the request in a table, and --json parses', async () => {
    const { id: requestId } = await pendingRequest();
    const table = await as('alice', ['request', 'list', '--mine']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+REQUESTER\s+RESOURCE\s+ACTION\s+DURATION\s+APPROVALS\s+EXPIRES/);
    expect(table.stdout).toMatch(
      new RegExp(`${requestId}\\s+pending\\s+alice\\s+kyc-documents\\s+read-object\\s+1h\\s+0/1`),
    );
    const json = await as('alice', ['request', 'list', '--status', 'pending', '--json']);
    const page = JSON.parse(json.stdout) as { requests: { id: string }[] };
    expect(page.requests.map((r) => r.id)).toContain(requestId);
  });

  it('request show gives the profile context (classification, risk) and the approval progress', async () => {
    const { id: requestId, digest } = await pendingRequest();
    const run = await as('bob', ['request', 'show', requestId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/classification:\s+restricted/);
    expect(run.stdout).toMatch(/environment:\s+production/);
    expect(run.stdout).toMatch(/risk:\s+medium/);
    expect(run.stdout).toContain('read-object — Read objects under one customer');
    expect(run.stdout).toContain('[ ] step 1: 0/1 from owners — nobody yet');
    expect(run.stdout).toContain('waiting for 1 approval from owners');
    expect(run.stdout).toMatch(new RegExp(`digest:\\s+${digest}`));
    const json = await as('bob', ['request', 'show', requestId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: requestId,
      context: { classification: 'restricted', risk: 'medium', environment: 'production' },
    });
  });

  it('approving one’s own request is refused with exit 1 and the reason', async () => {
    const { id: requestId } = await pendingRequest();
    const run = await as('alice', ['request', 'approve', requestId]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: 'alice' requested '${requestId}' and cannot approve it`);
  });

  it('check exits 1 for an identity without access, with the reason', async () => {
    const run = await as('judy', ['check', '--resource', 'kyc-documents', '--action', 'read-object']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DENIED: judy → read-object on kyc-documents: \S/);
    const json = await as('judy', ['check', '--resource', 'kyc-documents', '--action', 'read-object', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ allowed: false, reason: { code: expect.any(String) } });
  });

  it('asking about someone else without audit or provision is refused: exit 1', async () => {
    const run = await as('judy', [
      'check',
      '--identity',
      'alice',
      '--resource',
      'kyc-documents',
      '--action',
      'read-object',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('another owner approves, bound to the digest; the request is approved', async () => {
    const { id: requestId, digest } = await pendingRequest();
    const run = await as('bob', ['request', 'approve', requestId, '--digest', digest]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`request ${requestId} is approved`);
    const shown = await as('bob', ['request', 'show', requestId]);
    expect(shown.stdout).toContain('[x] step 1: 1/1 from owners — bob');
  });

  it('a malformed digest is a usage error: exit 2 with the server’s message', async () => {
    const { id: requestId } = await pendingRequest();
    const malformed = await as('bob', ['request', 'approve', requestId, '--digest', 'abc']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('64 lowercase hex characters');
  });

  it('request activate prints the credential once to stdout, with a warning on stderr', async () => {
    const { id: requestId } = await approvedRequest();
    const run = await as('alice', ['request', 'activate', requestId]);
    expect(run.code).toBe(0);
    const secret = server.broker.issued.at(-1) ?? '';
    expect(secret).not.toBe('');
    expect(run.stdout.split(secret).length - 1).toBe(1);
    expect(run.stdout).toContain(`request ${requestId} is active until`);
    expect(run.stdout).toMatch(/accessKeyId:\s+AKIA-CLI/);
    expect(run.stderr).toContain('shown once and never again');
    expect(run.stderr).not.toContain(secret);
    // The credential is never shown again.
    const shown = await as('alice', ['request', 'show', requestId, '--json']);
    expect(shown.stdout).not.toContain(secret);
  });

  it('check answers allowed (exit 0) while the grant is active, and grants lists it', async () => {
    const { id: requestId } = await activeRequest();
    const check = await as('alice', ['check', '--resource', 'kyc-documents', '--action', 'read-object', '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ allowed: true });
    const listed = await as('alice', ['grants', '--json']);
    const { grants } = JSON.parse(listed.stdout) as { grants: { id: string; requestId: string; status: string }[] };
    const grant = grants.find((g) => g.requestId === requestId);
    expect(grant).toMatchObject({ status: 'active' });
    const table = await as('alice', ['grants']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`${grant?.id ?? '?'}\\s+${requestId}\\s+alice\\s+kyc-documents\\s+read-object\\s+active`),
    );
  });

  it('request complete ends the access: the grant is revoked at the provider', async () => {
    const { id: requestId } = await activeRequest();
    const run = await as('alice', ['request', 'complete', requestId, '--reason', 'documents sent']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`request ${requestId} is completed`);
    expect(server.broker.operations).toEqual(['grant', 'revoke']);
    const active = await as('alice', ['grants', '--json']);
    expect(JSON.parse(active.stdout)).toEqual({ grants: [] });
    const grants = await as('alice', ['grants', '--all', '--json']);
    expect(JSON.parse(grants.stdout)).toMatchObject({
      grants: [expect.objectContaining({ requestId, status: 'revoked' })],
    });
  });

  it('a request the policy denies exits 1 with the rule’s message', async () => {
    const run = await as('quinn', [
      'request',
      'create',
      '--resource',
      'analytics-db',
      '--action',
      'admin',
      '--duration',
      '1h',
      '--justification',
      'migration',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('contractors do not get admin access, even on staging');
  });

  it('an unknown request is not found: exit 1', async () => {
    const run = await as('alice', ['request', 'show', 'req_does_not_exist']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*req_does_not_exist/m);
  });

  it('a pending request is cancelled by its requester and denied by an approver', async () => {
    const create = async (): Promise<string> => {
      const run = await as('alice', [
        'request',
        'create',
        '--resource',
        'kyc-documents',
        '--action',
        'read-object',
        '--duration',
        '30m',
        '--justification',
        'support case',
        '--ticket',
        'SUP-43',
        '--params-json',
        JSON.stringify({ prefix: PREFIX }),
        '--json',
      ]);
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as { id: string }).id;
    };
    const first = await create();
    const cancel = await as('alice', ['request', 'cancel', first, '--reason', 'not needed']);
    expect(cancel.stdout).toContain(`request ${first} is cancelled: not needed`);
    const second = await create();
    const deny = await as('bob', ['request', 'deny', second, '--reason', 'use the support portal', '--json']);
    expect(JSON.parse(deny.stdout)).toMatchObject({
      id: second,
      status: 'denied',
      statusReason: 'use the support portal',
    });
  });

  it('break-glass gives on-call access at once, flagged for review', async () => {
    const run = await as('judy', [
      'break-glass',
      '--resource',
      'payments-db',
      '--action',
      'read',
      '--duration',
      '30m',
      '--justification',
      'INC-7: payments failing',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/request \S+ is active until/);
    expect(run.stderr).toContain("break-glass use of 'payments-db' is recorded");
  });

  it('request execute runs an approved one-off action once and prints its output; revoke ends a grant', async () => {
    const created = await as('ken', [
      'request',
      'create',
      '--resource',
      'prod-eu-cluster',
      '--action',
      'view-logs',
      '--duration',
      '10m',
      '--param',
      'namespace=payments',
      '--param',
      'pod=api-7f9c',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const view = JSON.parse(created.stdout) as { id: string; status: string; digest: string };
    expect(view.status).toBe('approved');
    const executed = await as('ken', ['request', 'execute', view.id, '--digest', view.digest, '--json']);
    expect(executed.code).toBe(0);
    expect(JSON.parse(executed.stdout)).toMatchObject({
      request: { id: view.id, status: 'completed' },
      output: { noop: true },
      summary: { action: 'view-logs' },
    });
    const again = await as('ken', ['request', 'execute', view.id]);
    expect(again.code).toBe(1);

    const glass = await as('ken', [
      'break-glass',
      '--resource',
      'payments-db',
      '--action',
      'read',
      '--duration',
      '15m',
      '--justification',
      'INC-8',
      '--json',
    ]);
    const { request } = JSON.parse(glass.stdout) as { request: { id: string; status: string; breakGlass: boolean } };
    expect(request).toMatchObject({ status: 'active', breakGlass: true });
    const revoked = await as('ken', ['request', 'revoke', request.id, '--reason', 'incident over']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`request ${request.id} is revoked`);
  });

  it('request extend lengthens an active grant through a new request the policy approves', async () => {
    const created = await as('alice', [
      'request',
      'create',
      '--resource',
      'payments-db',
      '--action',
      'read',
      '--duration',
      '30m',
      '--justification',
      'INC-9',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const { id } = JSON.parse(created.stdout) as { id: string };
    expect((await as('alice', ['request', 'activate', id])).code).toBe(0);
    const run = await as('alice', ['request', 'extend', id, '--duration', '45m', '--justification', 'INC-9 runs on']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`is completed: extended the grant of request '${id}' until `));
    expect(run.stdout).toContain(`request ${id} is active until`);
    const refused = await as('alice', ['request', 'extend', id, '--duration', '9h']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/maximum of action 'read'/);
  });

  it('sod scan and audit tail work for an auditor; audit tail is refused to others', async () => {
    await activeRequest(); // some history to tail: tokens issued, a request created, approved, activated
    const sod = await as('olivia', ['sod', 'scan', '--json']);
    expect([0, 1]).toContain(sod.code);
    const scan = JSON.parse(sod.stdout) as { unsuppressed: number; humanOnly: unknown[] };
    expect(sod.code).toBe(scan.unsuppressed > 0 || scan.humanOnly.length > 0 ? 1 : 0);
    const tail = await as('olivia', ['audit', 'tail', '--limit', '5', '--json']);
    expect(tail.code).toBe(0);
    const events = (JSON.parse(tail.stdout) as { events: { seq: number; action: string }[] }).events;
    expect(events).toHaveLength(5);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const human = await as('olivia', ['audit', 'tail', '--limit', '3']);
    expect(human.stdout.trim().split('\n')).toHaveLength(3);
    expect(human.stdout).toMatch(/^#\d+ {2}\S+Z {2}\S+ {2}[a-z_]+\.[a-z_]+/m);
    const refused = await as('alice', ['audit', 'tail']);
    expect(refused.code).toBe(1);
  });

  it('drift scan lists open findings and exits 1 while there are any', async () => {
    const clean = await as('dan', ['drift', 'scan', '--resource', 'analytics-db']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("no open drift on 'analytics-db'");
    const observed = await server.t.call(
      'POST',
      '/v1/resources/analytics-db/observations',
      await server.t.tokenFor('peggy'),
      { config: { ssl: 'off', password_encryption: 'scram-sha-256', log_connections: 'on', superusers: ['postgres'] } },
    );
    expect(observed.statusCode).toBe(201);
    const drifted = await as('dan', ['drift', 'scan', '--resource', 'analytics-db']);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/analytics-db\s+tls-on\s+high\s+open/);
    expect(drifted.stdout).toContain('1 open finding');
  });

  it('audit tail --follow prints new events as they are appended and exits 0 when interrupted', async () => {
    const token = await server.t.tokenFor('olivia');
    const child = spawnBuiltCli(
      ['audit', 'tail', '--follow', '--limit', '1', '--interval', '1s', '--json'],
      clientEnv({ server: server.url, token }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (predicate: () => boolean): Promise<void> => {
      for (let waited = 0; !predicate(); waited += 100) {
        if (waited > 30_000) throw new Error(`timed out; stdout: ${stdout} stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor(() => stdout.split('\n').filter(Boolean).length >= 1);
    // A new audited change while it follows: a token minted for quinn.
    await server.t.tokenFor('quinn');
    await waitFor(() => stdout.includes('"subject":"identity:quinn"'));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; action: string });
    expect(lines.at(-1)).toMatchObject({ action: 'token.issue' });
    expect(stdout + stderr).not.toContain(token);
  });
});
