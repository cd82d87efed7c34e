/**
 * Attack on static separation of duties through whole policies (issue #9 item 9): a role assignment through the
 * API that creates a conflict is refused, so the same conflict must not arrive through a change set or a policy
 * load either; `policy validate` reports it offline. On both dialects, through the verbs and the CLI.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { submitPolicyChange } from '../../src/features/governance/policy-changes.verbs.js';
import { planPolicyChangeSet } from '../../src/features/governance/policy-plan.verb.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { parsePolicySources, type PolicySource } from '../../src/policy/load.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { parseServeConfig } from '../../src/server/serve-config.js';
import { startCountersign } from '../../src/server/start.js';
import { createTestApp, EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { runCli } from '../cli/run-cli.js';
import { describeEachDialect } from '../store/dialects.js';

/** The platform admins (peggy, victor) also become auditors: rule 'admins-are-not-auditors' forbids it. */
const adminsAudit = (text: string): string =>
  text.replace(
    /(metadata: \{ name: auditor \}\nspec:\n(?: {2}.*\n)*? {2}subjects: \[)group:auditors\]/,
    '$1group:auditors, group:platform-admins]',
  );

async function conflictingPolicy(): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  const edited = sources.map((s) => (s.path.endsWith('roles.yaml') ? { path: s.path, text: adminsAudit(s.text) } : s));
  expect(edited.find((s) => s.path.endsWith('roles.yaml'))?.text).toContain('group:auditors, group:platform-admins]');
  return edited;
}

describeEachDialect('static SoD on whole policies', (ctx) => {
  it('a change set that makes administrators auditors is refused with sod_violation naming the rule', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    await expect(
      submitPolicyChange({ app, actor: 'peggy', input: { documents: await conflictingPolicy() } }),
    ).rejects.toMatchObject({
      code: 'sod_violation',
      message: expect.stringMatching(/'(peggy|victor)'.*rule 'admins-are-not-auditors'/),
    });
    const events = await auditEvents();
    expect(events.map((e) => e.action)).toEqual(['policy.change_submit_refused']);
    expect(events[0]?.details).toMatchObject({ violatedRules: ['admins-are-not-auditors'] });
    const pending = await app.database.db.selectFrom('policy_change_sets').select('id').execute();
    expect(pending).toEqual([]);
  });

  it('a plan shows the conflicts and that its author may not apply it', async () => {
    const { app } = await createTestApp(ctx);
    const plan = await planPolicyChangeSet({ app, actor: 'peggy', input: { documents: await conflictingPolicy() } });
    expect(plan.sodConflicts.map((c) => [c.rule, c.identity])).toEqual([
      ['admins-are-not-auditors', 'peggy'],
      ['admins-are-not-auditors', 'victor'],
    ]);
    expect(plan.submit).toMatchObject({ allowed: false, reasons: [{ code: 'sod.rule_conflict' }, expect.anything()] });
  });

  it('a policy directory load that creates the conflict is refused and the policy in force stays', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const before = app.policy.loaded;
    const documents = await conflictingPolicy();
    const policy = parsePolicySources(documents).policy;
    if (!policy) throw new Error('the edited example policy does not load');
    await expect(
      loadPolicy({ app, actor: 'system:operator', input: { policy, documents, location: 'edited' } }),
    ).rejects.toMatchObject({ code: 'sod_violation', message: expect.stringContaining("'admins-are-not-auditors'") });
    expect(app.policy.loaded).toBe(before);
    const loads = await app.database.db.selectFrom('policy_loads').select('location').execute();
    expect(loads.map((l) => l.location)).not.toContain('edited');
    expect((await auditEvents()).map((e) => e.action)).toEqual(['policy.load_refused']);
  });
});

it('policy validate reports the conflict offline as file:line: message at the rule and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sod-'));
  try {
    cpSync(EXAMPLE_POLICY_DIR, dir, { recursive: true });
    const roles = join(dir, 'roles.yaml');
    writeFileSync(roles, adminsAudit(readFileSync(roles, 'utf8')));
    const run = await runCli(['policy', 'validate', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /sod\.yaml:\d+:\d+: 'peggy' holds conflicting roles 'auditor' and 'platform-admin', which rule 'admins-are-not-auditors' forbids/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it('serve --policy with a conflicting directory refuses to start, naming the rule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sod-serve-'));
  try {
    const policyDir = join(dir, 'policy');
    cpSync(EXAMPLE_POLICY_DIR, policyDir, { recursive: true });
    const roles = join(policyDir, 'roles.yaml');
    writeFileSync(roles, adminsAudit(readFileSync(roles, 'utf8')));
    const config = parseServeConfig({ db: join(dir, 'cs.db'), policy: policyDir, port: '0', dryRun: 'true' }, {});
    await expect(startCountersign(config, { logger: pino({ level: 'silent' }) })).rejects.toMatchObject({
      code: 'sod_violation',
      message: expect.stringContaining("rule 'admins-are-not-auditors'"),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
