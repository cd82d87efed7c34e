/**
 * `countersign policy plan|apply` and `policy changes …` over a real listening server: a plan shows what would
 * change and writes nothing; apply submits a change set that only another governance approver can apply.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { clientRunner, runClient, startClientServer, type ClientServer } from './client-harness.js';
import { REPO_ROOT } from './run-cli.js';

/** A copy of the example policy with the processor console's classification replaced. */
function editedPolicy(root: string, name: string, classification: string): string {
  const dir = join(root, name);
  cpSync(join(REPO_ROOT, EXAMPLE_POLICY_DIR), dir, { recursive: true });
  const file = join(dir, 'profiles', 'processor-console.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('classification: confidential');
  writeFileSync(file, text.replace('classification: confidential', `classification: ${classification}`));
  return dir;
}

describe('the client CLI over a real listening server: policy plan, apply and change sets', () => {
  let server: ClientServer;
  let root: string;
  let restricted: string;
  /** A runner of its own per test: its tokens are the test's server's. */
  let as: ReturnType<typeof clientRunner>;

  async function consoleVersion(): Promise<string> {
    const response = await server.t.call('GET', '/v1/profiles/processor-console', await server.t.tokenFor('peggy'));
    return response.json<{ version: string }>().version;
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'countersign-policy-cli-'));
    restricted = editedPolicy(root, 'restricted', 'restricted');
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  // Each test has a server of its own and submits the change set it needs, so none relies on another's.
  beforeEach(async () => {
    server = await startClientServer();
    as = clientRunner(() => server);
  });
  afterEach(async () => {
    await server.close();
  });

  /** peggy submits the restricted console as a change set: its id and the console's version it would bring. */
  async function submitted(): Promise<{ changeId: string; after: string }> {
    const run = await as('peggy', ['policy', 'apply', restricted, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { change, plan } = JSON.parse(run.stdout) as {
      change: { id: string };
      plan: { profiles: { to: string }[] };
    };
    return { changeId: change.id, after: plan.profiles[0]?.to ?? '' };
  }

  it('policy plan lists the changed profile with its old → new version and who must approve, and writes nothing', async () => {
    const before = await consoleVersion();
    const run = await as('peggy', ['policy', 'plan', restricted]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CHANGE\s+PROFILE\s+VERSION\s+GOVERNANCE APPROVERS/);
    expect(run.stdout).toMatch(
      new RegExp(`changed\\s+processor-console\\s+${before.slice(0, 12)} → [0-9a-f]{12}\\s+group:security`),
    );
    expect(run.stdout).toContain('0 to add, 1 to change, 0 to remove');
    expect(run.stdout).toContain('can approve it now: heidi, ivan');
    // What changed inside the document, not only its version.
    expect(run.stdout).toContain('~ ResourceProfile processor-console (modified)');
    expect(run.stdout).toContain('  -   classification: confidential\n  +   classification: restricted');

    const json = await as('peggy', ['policy', 'plan', restricted, '--json']);
    const plan = JSON.parse(json.stdout) as { profiles: { name: string; from: string; to: string }[] };
    expect(plan.profiles).toEqual([
      expect.objectContaining({ name: 'processor-console', change: 'changed', from: before }),
    ]);
    const after = plan.profiles[0]?.to ?? '';
    expect(after).not.toBe(before);

    const listed = await as('peggy', ['policy', 'changes', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual({ changes: [] });
    expect(await consoleVersion()).toBe(before);
  });

  it('policy plan on a broken directory reports file:line:col and exits 1 without contacting the server', async () => {
    // Nothing listens on port 9 and there is no token: reaching for the server would exit 4 or 3, not 1.
    const run = await runClient(['policy', 'plan', 'test/fixtures/cli-broken', '--server', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^test\/fixtures\/cli-broken\/roles\.yaml:7:\d+: .*missing-team/m);
    expect(run.stderr).toMatch(/\d+ problems found/);
    expect(run.stderr).not.toContain('cannot reach');
  });

  it('policy apply submits a pending change set and says who must approve it', async () => {
    const before = await consoleVersion();
    const run = await as('peggy', ['policy', 'apply', restricted, '--description', 'tighten the console']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const match = /^policy change (\S+) is pending: waiting for approval$/m.exec(run.stdout);
    expect(match, run.stdout).not.toBeNull();
    const changeId = match?.[1] ?? '';
    expect(run.stdout).toContain('profiles: processor-console');
    expect(run.stdout).toContain(
      "  a governance approver of profile 'processor-console' in force (group:security): heidi, ivan",
    );
    expect(run.stdout).toContain('can approve it now: heidi, ivan');

    const table = await as('heidi', ['policy', 'changes', 'list', '--status', 'pending']);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+AUTHOR\s+CREATED\s+PROFILES\s+APPROVALS\s+DESCRIPTION/);
    expect(table.stdout).toMatch(
      new RegExp(`${changeId}\\s+pending\\s+peggy\\s+\\S+\\s+processor-console\\s+-\\s+tighten the console`),
    );
    const shown = await as('heidi', ['policy', 'changes', 'show', changeId, '--files']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/changed:\s+'processor-console'/);
    expect(shown.stdout).toContain('profiles/processor-console.yaml');
    expect(shown.stdout).toContain('classification: restricted');
    expect(shown.stdout).toContain('~ ResourceProfile processor-console (modified)');
    expect(shown.stdout).toContain('  -   classification: confidential\n  +   classification: restricted');
    expect(shown.stdout).not.toContain(root);
    expect(await consoleVersion()).toBe(before);
  });

  it('the author approving their own change is refused with exit 1', async () => {
    const { changeId } = await submitted();
    const run = await as('peggy', ['policy', 'changes', 'approve', changeId]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("error: 'peggy' wrote this policy change and may not approve it");
  });

  it('another governance approver approves it and it applies: the profile has its new version', async () => {
    const before = await consoleVersion();
    const { changeId, after } = await submitted();
    const run = await as('heidi', ['policy', 'changes', 'approve', changeId]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`policy change ${changeId} is applied (approved by heidi`);
    expect(run.stdout).toContain(`profile processor-console: ${before.slice(0, 12)} → ${after.slice(0, 12)}`);
    expect(await consoleVersion()).toBe(after);
    const again = await as('peggy', ['policy', 'apply', restricted]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to apply; no change set submitted');
  });

  it('a governance approver rejects a change with a reason; an auditor may plan but not apply', async () => {
    const loose = editedPolicy(root, 'public', 'public');
    const applied = await as('victor', ['policy', 'apply', loose, '--json']);
    expect(applied.code).toBe(0);
    const { change } = JSON.parse(applied.stdout) as { change: { id: string; status: string } };
    expect(change.status).toBe('pending');
    const rejected = await as('ivan', ['policy', 'changes', 'reject', change.id, '--reason', 'too loose']);
    expect(rejected.code).toBe(0);
    expect(rejected.stdout.trim()).toBe(`policy change ${change.id} is rejected by ivan`);

    const plan = await as('olivia', ['policy', 'plan', loose]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/you may not apply it: 'olivia' does not hold 'administer'/);
    const apply = await as('olivia', ['policy', 'apply', loose]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/^error: 'olivia' does not hold the 'administer' duty/);
  });
});
