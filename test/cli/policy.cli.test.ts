import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, REPO_ROOT, type CliRun } from './run-cli.js';

const EXAMPLE = 'examples/policy';
const BROKEN = 'test/fixtures/cli-broken';

/** The problems planted in test/fixtures/cli-broken, by file and line. */
const PLANTED = [
  { file: 'people.yaml', line: 9, mentions: /owner/ },
  { file: 'people.yaml', line: 14, mentions: /descripton/ },
  { file: 'roles.yaml', line: 7, mentions: /missing-team/ },
  { file: 'profiles.yaml', line: 15, mentions: /duration|int/ },
  { file: 'profiles.yaml', line: 16, mentions: /nobody/ },
] as const;

describe('countersign policy validate', () => {
  let clean: CliRun;
  let broken: CliRun;
  beforeAll(async () => {
    [clean, broken] = await Promise.all([
      runCli(['policy', 'validate', EXAMPLE]),
      runCli(['policy', 'validate', BROKEN]),
    ]);
  });

  it('exits 0 on the example policy and says that it is valid', () => {
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/is valid: \d+ identities/);
  });

  it('exits 1 on a broken policy and prints each planted problem as file:line:col: message', () => {
    expect(broken.code).toBe(1);
    const lines = broken.stderr.trim().split('\n');
    for (const planted of PLANTED) {
      const pattern = new RegExp(`(^|/)${planted.file.replace('.', '\\.')}:${planted.line}:\\d+: `);
      const hit = lines.find((line) => pattern.test(line));
      expect(hit, `no problem reported at ${planted.file}:${planted.line}\n${broken.stderr}`).toBeDefined();
      expect(hit).toMatch(planted.mentions);
    }
    expect(lines.at(-1)).toMatch(/^\d+ problems found$/);
  });

  it('prints { ok: true, problems: [] } with --json on the example policy', async () => {
    const run = await runCli(['policy', 'validate', EXAMPLE, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, problems: [] });
  });

  it('prints ok false and every problem with file, line, col and message with --json on a broken policy', async () => {
    const run = await runCli(['policy', 'validate', BROKEN, '--json']);
    expect(run.code).toBe(1);
    const body = JSON.parse(run.stdout) as {
      ok: boolean;
      problems: { file: string; line: number; col: number; message: string }[];
    };
    expect(body.ok).toBe(false);
    expect(body.problems.length).toBeGreaterThanOrEqual(PLANTED.length);
    for (const problem of body.problems) {
      expect(problem).toEqual({
        file: expect.any(String),
        line: expect.any(Number),
        col: expect.any(Number),
        message: expect.any(String),
      });
    }
    for (const planted of PLANTED) {
      expect(body.problems.some((p) => p.file.endsWith(planted.file) && p.line === planted.line)).toBe(true);
    }
  });

  it('exits 2 when the directory does not exist', async () => {
    const run = await runCli(['policy', 'validate', 'test/fixtures/no-such-directory']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-directory/);
  });
});

describe('countersign policy schema', () => {
  it('prints a JSON Schema that parses and describes the document kinds', async () => {
    const run = await runCli(['policy', 'schema']);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(typeof schema).toBe('object');
    expect(run.stdout).toContain('ResourceProfile');
    expect(run.stdout).toContain('SeparationOfDuties');
  });
});

describe('countersign policy explain', () => {
  let text: CliRun;
  let json: CliRun;
  beforeAll(async () => {
    [text, json] = await Promise.all([
      runCli(['policy', 'explain', EXAMPLE]),
      runCli(['policy', 'explain', EXAMPLE, '--json']),
    ]);
  });

  it('mentions every profile of the example with a short version hash', () => {
    expect(text.code).toBe(0);
    for (const profile of [
      'postgres-base',
      'postgres-prod',
      'postgres-staging',
      'k8s-prod',
      'pii-bucket',
      'processor-console',
    ]) {
      expect(text.stdout).toMatch(new RegExp(`^profile ${profile}  \\(version [0-9a-f]{12}\\)$`, 'm'));
    }
  });

  it('spells out approval rules in words, multi-step rules joined with "then"', () => {
    expect(text.stdout).toContain('1 approval from group:dba (independent), then 1 from group:security');
    expect(text.stdout).toContain('2 approvals from group:dba, then 1 from group:security (independent)');
    expect(text.stdout).toMatch(/\[short-human-reads\] auto when request\.duration <= duration\("1h"\)/);
    expect(text.stdout).toMatch(/\[people-only\] deny when requester\.kind != "human": admin access/);
  });

  it('shows break-glass, certification, governance, who may request and approve, SoD rules and NHI owners', () => {
    expect(text.stdout).toMatch(/break-glass: group:oncall-sre may use read, write at once for at most 1h/);
    expect(text.stdout).toContain('certification: standing access re-certified every 90d');
    expect(text.stdout).toContain('governance: changes approved by group:security');
    expect(text.stdout).toMatch(/who can request: .*erin, frank, grace \(role dba-admin, eligible\)/);
    expect(text.stdout).toContain('dba-admin: request, use; at most 8h per activation');
    expect(text.stdout).toContain('- [another-dba-or-security] 1 approval from group:dba or group:security');
    expect(text.stdout).toMatch(/who can approve: .*heidi, ivan \(role security-approver\)/);
    expect(text.stdout).toMatch(/admins-are-not-auditors \[global\]/);
    expect(text.stdout).toMatch(/deploy-bot\s+pipeline\s+judy\s+request/);
    expect(text.stdout).toMatch(/backup-service\s+service\s+erin\s+request/);
  });

  it('prints the same summary as JSON with --json', () => {
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as {
      profiles: { name: string; extends?: string; actions: { name: string; approval: string[] }[] }[];
      nonHumanIdentities: { name: string; owner: string }[];
    };
    const prod = summary.profiles.find((profile) => profile.name === 'postgres-prod');
    expect(prod?.extends).toBe('postgres-base');
    expect(prod?.actions.map((action) => action.name)).toEqual(['read', 'write', 'run-sql', 'admin']);
    expect(summary.nonHumanIdentities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'deploy-bot', owner: 'judy' }),
        expect.objectContaining({ name: 'backup-service', owner: 'erin' }),
      ]),
    );
  });

  it('exits 1 with the problems when the policy does not load', async () => {
    const run = await runCli(['policy', 'explain', BROKEN]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/roles\.yaml:7:\d+: /);
  });
});

describe('countersign usage', () => {
  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown policy subcommand', ['policy', 'frobnicate']],
    ['an unknown option', ['policy', 'validate', EXAMPLE, '--yaml']],
    ['a missing argument', ['policy', 'validate']],
    ['no command at all', []],
  ])('exits 2 with usage on %s', async (_what, args) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Usage: countersign|countersign --help/);
  });

  it('prints the package version with --version and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(manifest.version);
  });
});
