/** Policy change sets over HTTP: submit YAML, read, approve by a governance approver, reject; on both dialects. */
import { expect, it } from 'vitest';
import type { PolicySource } from '../../src/policy/load.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp } from './http-fixtures.js';

async function editedConsole(classification: string): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) =>
    s.path.endsWith('processor-console.yaml')
      ? { path: s.path, text: s.text.replace('classification: confidential', `classification: ${classification}`) }
      : { path: s.path, text: s.text },
  );
}

interface Change {
  id: string;
  digest: string;
  status: string;
}

describeEachDialect('policy changes over HTTP', (ctx) => {
  it('a submitted change is read by its reviewers and applies once a governance approver approves its digest', async () => {
    const t = await createHttpTestApp(ctx);
    const peggy = await t.tokenFor('peggy');
    const heidi = await t.tokenFor('heidi');
    const submitted = await t.call('POST', '/v1/policy/changes', peggy, {
      files: await editedConsole('restricted'),
      description: 'tighten the console',
    });
    expect(submitted.statusCode).toBe(201);
    const change = submitted.json<Change>();
    expect(change).toMatchObject({
      status: 'pending',
      author: 'peggy',
      touched: { changed: ['processor-console'], all: ['processor-console'] },
      approvals: [],
    });

    const listed = await t.call('GET', '/v1/policy/changes?status=pending', heidi);
    expect(listed.json<{ changes: Change[] }>().changes.map((c) => c.id)).toEqual([change.id]);
    const detail = await t.call('GET', `/v1/policy/changes/${change.id}`, heidi);
    expect(detail.statusCode).toBe(200);
    const files = detail.json<{ files: PolicySource[] }>().files;
    expect(files.find((f) => f.path.endsWith('processor-console.yaml'))?.text).toContain('classification: restricted');
    expect((await t.call('GET', '/v1/policy/changes', await t.tokenFor('quinn'))).statusCode).toBe(403);

    const own = await t.call('POST', `/v1/policy/changes/${change.id}/approve`, peggy, { digest: change.digest });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'sod_violation' });
    const approved = await t.call('POST', `/v1/policy/changes/${change.id}/approve`, heidi, { digest: change.digest });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      change: { id: change.id, status: 'applied', approvals: [{ approver: 'heidi' }] },
      applied: { changedProfiles: [{ name: 'processor-console' }] },
    });
    const profile = await t.call('GET', '/v1/profiles/processor-console', peggy);
    expect(profile.json()).toMatchObject({ classification: 'restricted' });

    const events = (await t.auditEvents()).filter((e) => e.subject === `policy_change:${change.id}`);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['policy.change_submit', 'peggy'],
      ['policy.change_approve_refused', 'peggy'],
      ['policy.change_approve', 'heidi'],
      ['policy.change_apply', 'heidi'],
    ]);
  });

  it('a governance approver rejects a change, which then never applies', async () => {
    const t = await createHttpTestApp(ctx);
    const victor = await t.tokenFor('victor');
    const ivan = await t.tokenFor('ivan');
    const change = (
      await t.call('POST', '/v1/policy/changes', victor, { files: await editedConsole('public') })
    ).json<Change>();
    const rejected = await t.call('POST', `/v1/policy/changes/${change.id}/reject`, ivan, { reason: 'too loose' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: 'ivan' });
    const late = await t.call('POST', `/v1/policy/changes/${change.id}/approve`, ivan, { digest: change.digest });
    expect(late.statusCode).toBe(409);
    const events = (await t.auditEvents()).filter((e) => e.subject === `policy_change:${change.id}`);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'policy.change_reject',
        actor: 'ivan',
        details: expect.objectContaining({ reason: 'too loose' }),
      }),
    );
  });

  it('a proposal that does not load is refused with every problem as file:line:col: message', async () => {
    const t = await createHttpTestApp(ctx);
    const response = await t.call('POST', '/v1/policy/changes', await t.tokenFor('peggy'), {
      files: [
        {
          path: 'roles.yaml',
          text: 'apiVersion: countersign.dev/v1\nkind: Role\nmetadata: { name: pilots }\nspec: { duties: [fly], profiles: ["*"] }\n',
        },
      ],
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ code: string; problems: string[] }>();
    expect(problem.code).toBe('invalid');
    expect(problem.problems.length).toBeGreaterThan(0);
    for (const line of problem.problems) expect(line).toMatch(/^roles\.yaml:\d+:\d+: /);
    expect((await t.auditEvents()).filter((e) => e.action === 'policy.change_submit')).toEqual([]);
  });

  it('a plan shows the touched profile with its old and new version and who must approve, and writes nothing', async () => {
    const t = await createHttpTestApp(ctx);
    const peggy = await t.tokenFor('peggy');
    const before = (await t.call('GET', '/v1/profiles/processor-console', peggy)).json<{ version: string }>();
    const auditBefore = (await t.auditEvents()).length;
    const changesBefore = (await t.call('GET', '/v1/policy/changes', peggy)).json<unknown>();
    const response = await t.call('POST', '/v1/policy/plan', peggy, { files: await editedConsole('restricted') });
    expect(response.statusCode).toBe(200);
    const plan = response.json<{ profiles: { to: string }[] }>();
    expect(plan).toMatchObject({
      touched: { changed: ['processor-console'], all: ['processor-console'] },
      profiles: [{ name: 'processor-console', change: 'changed', from: before.version, approvers: ['group:security'] }],
      kinds: { identities: { added: [], changed: [], removed: [] }, roles: { changed: [] } },
      unchanged: false,
      requirements: [{ kind: 'governance', profile: 'processor-console', eligible: ['heidi', 'ivan'] }],
      eligibleApprovers: ['heidi', 'ivan'],
      submit: { allowed: true },
    });
    expect(plan.profiles[0]?.to).not.toBe(before.version);
    expect((await t.call('GET', '/v1/policy/changes', peggy)).json()).toEqual(changesBefore);
    expect((await t.auditEvents()).length).toBe(auditBefore);
  });

  it('a plan of the policy in force changes nothing; a plan is refused to identities that may not read changes', async () => {
    const t = await createHttpTestApp(ctx);
    const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
    const files = sources.map((s) => ({ path: s.path, text: s.text }));
    const same = await t.call('POST', '/v1/policy/plan', await t.tokenFor('olivia'), { files });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({
      unchanged: true,
      profiles: [],
      requirements: [{ kind: 'administrator', profile: null }],
    });
    const refused = await t.call('POST', '/v1/policy/plan', await t.tokenFor('quinn'), { files });
    expect(refused.statusCode).toBe(403);
  });

  it('refuses submissions without files and oversized file paths', async () => {
    const t = await createHttpTestApp(ctx);
    const peggy = await t.tokenFor('peggy');
    expect((await t.call('POST', '/v1/policy/changes', peggy, { files: [] })).statusCode).toBe(400);
    const long = await t.call('POST', '/v1/policy/changes', peggy, { files: [{ path: 'x'.repeat(501), text: '' }] });
    expect(long.statusCode).toBe(400);
  });
});
