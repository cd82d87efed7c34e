/**
 * Attacks on policy change governance (issue #9 item 4): the author of a change set may not choose who approves
 * it. Governance approvers come from the policy in force only; a resource moving between profiles touches both;
 * roles, identities, groups, SoD rules, notifiers and resources beyond a profile move need an administrator
 * other than the author; an added profile needs one too. On both dialects, through the verbs.
 */
import { expect, it } from 'vitest';
import { approvePolicyChange, submitPolicyChange } from '../../src/features/governance/policy-changes.verbs.js';
import type { PolicySource } from '../../src/policy/load.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { createTestApp, EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';

/** The example policy with `edit` applied to the file whose path ends with `file`. */
async function examplePolicyWith(edits: Readonly<Record<string, (text: string) => string>>): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((source) => {
    const edit = Object.entries(edits).find(([file]) => source.path.endsWith(file))?.[1];
    return edit ? { path: source.path, text: edit(source.text) } : source;
  });
}

/** bob (a payments engineer, no `administer`) becomes a platform administrator. */
const bobBecomesAdmin = (text: string): string =>
  text.replace('subjects: [group:platform-admins]\n---', 'subjects: [group:platform-admins, identity:bob]\n---');

const DUMMY_PROFILE = `
---
apiVersion: countersign.dev/v1
kind: ResourceProfile
metadata: { name: dummy }
spec:
  classification: internal
  environment: staging
  owners: [group:payments]
  provider: { type: noop }
  governance: { approvers: [identity:bob] }
`;

describeEachDialect('policy change governance', (ctx) => {
  it("an added profile's own governance approvers never approve the change set that adds it", async () => {
    const { app } = await createTestApp(ctx);
    const documents = await examplePolicyWith({
      'roles.yaml': bobBecomesAdmin,
      'processor-console.yaml': (text) => `${text}${DUMMY_PROFILE}`,
    });
    expect(documents.find((d) => d.path.endsWith('roles.yaml'))?.text).toContain('identity:bob]');
    const change = await submitPolicyChange({ app, actor: 'peggy', input: { documents } });

    await expect(
      approvePolicyChange({ app, actor: 'bob', input: { id: change.id, digest: change.digest } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(app.policy.loaded.profiles.has('dummy')).toBe(false);

    const approved = await approvePolicyChange({
      app,
      actor: 'victor',
      input: { id: change.id, digest: change.digest },
    });
    expect(approved.change.status).toBe('applied');
    expect(app.policy.loaded.profiles.has('dummy')).toBe(true);
  });

  it("a resource moved from a strict profile to a lax one waits for the strict profile's governance approvers", async () => {
    const { app } = await createTestApp(ctx);
    const documents = await examplePolicyWith({
      'resources.yaml': (text) =>
        text.replace(
          'metadata: { name: payments-db, labels: { region: eu-west-1, team: payments } }\nspec:\n  profile: postgres-prod',
          'metadata: { name: payments-db, labels: { region: eu-west-1, team: payments } }\nspec:\n  profile: postgres-staging',
        ),
      'postgres.yaml': (text) => text.replace('maxDuration: 12h', 'maxDuration: 11h'),
    });
    expect(documents.find((d) => d.path.endsWith('resources.yaml'))?.text).toContain('profile: postgres-staging\n');
    const change = await submitPolicyChange({ app, actor: 'peggy', input: { documents } });
    expect(change.touched.all).toEqual(['postgres-prod', 'postgres-staging']);

    // carol governs postgres-staging (its owners), not postgres-prod.
    const afterCarol = await approvePolicyChange({
      app,
      actor: 'carol',
      input: { id: change.id, digest: change.digest },
    });
    expect(afterCarol.change.status).toBe('pending');
    expect(app.policy.loaded.resources.get('payments-db')?.profile).toBe('postgres-prod');

    const afterHeidi = await approvePolicyChange({
      app,
      actor: 'heidi',
      input: { id: change.id, digest: change.digest },
    });
    expect(afterHeidi.change.status).toBe('applied');
    expect(app.policy.loaded.resources.get('payments-db')?.profile).toBe('postgres-staging');
  });

  it("a role change slipped into a profile change waits for an administrator other than the author, whatever the profile's governance says", async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const documents = await examplePolicyWith({
      'roles.yaml': bobBecomesAdmin,
      'processor-console.yaml': (text) => text.replace('classification: confidential', 'classification: restricted'),
    });
    const change = await submitPolicyChange({ app, actor: 'peggy', input: { documents } });

    const afterHeidi = await approvePolicyChange({
      app,
      actor: 'heidi',
      input: { id: change.id, digest: change.digest },
    });
    expect(afterHeidi.change.status).toBe('pending');
    expect(app.policy.loaded.assignments.some((a) => a.subject.name === 'bob' && a.role === 'platform-admin')).toBe(
      false,
    );
    await expect(
      approvePolicyChange({ app, actor: 'peggy', input: { id: change.id, digest: change.digest } }),
    ).rejects.toMatchObject({ code: 'sod_violation' });

    const afterVictor = await approvePolicyChange({
      app,
      actor: 'victor',
      input: { id: change.id, digest: change.digest },
    });
    expect(afterVictor.change.status).toBe('applied');
    const apply = (await auditEvents()).find((e) => e.action === 'policy.change_apply');
    expect(apply?.details).toMatchObject({ author: 'peggy', approvers: ['heidi', 'victor'] });
  });
});
