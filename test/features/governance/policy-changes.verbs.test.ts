/** Policy change sets: submitted, approved by governance approvers other than the author, applied; on both dialects. */
import { expect, it } from 'vitest';
import {
  approvePolicyChange,
  rejectPolicyChange,
  submitPolicyChange,
} from '../../../src/features/governance/policy-changes.verbs.js';
import { restorePolicy } from '../../../src/features/governance/policy-sync.js';
import type { PolicySource } from '../../../src/policy/load.js';
import { readPolicyDirectory } from '../../../src/policy/policy-files.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, EXAMPLE_POLICY_DIR } from '../../app/harness.js';

async function editedConsole(classification: string): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) =>
    s.path.endsWith('processor-console.yaml')
      ? { path: s.path, text: s.text.replace('classification: confidential', `classification: ${classification}`) }
      : s,
  );
}

describeEachDialect('policy change sets', (ctx) => {
  it('a change applies once a governance approver other than the author approves its exact documents', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const before = app.policy.loaded.profiles.get('processor-console')?.version;
    const change = await submitPolicyChange({
      app,
      actor: 'peggy',
      input: { documents: await editedConsole('restricted'), description: 'tighten the console' },
    });
    expect(change.touched).toEqual({
      added: [],
      changed: ['processor-console'],
      removed: [],
      resources: [],
      all: ['processor-console'],
    });
    expect(change.status).toBe('pending');

    await expect(
      approvePolicyChange({ app, actor: 'peggy', input: { id: change.id, digest: change.digest } }),
    ).rejects.toMatchObject({ code: 'sod_violation' });
    await expect(
      approvePolicyChange({ app, actor: 'olivia', input: { id: change.id, digest: change.digest } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      approvePolicyChange({ app, actor: 'heidi', input: { id: change.id, digest: 'f'.repeat(64) } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(app.policy.loaded.profiles.get('processor-console')?.version).toBe(before);

    const approved = await approvePolicyChange({
      app,
      actor: 'heidi',
      input: { id: change.id, digest: change.digest },
    });
    expect(approved.change.status).toBe('applied');
    const after = app.policy.loaded.profiles.get('processor-console');
    expect(after?.classification).toBe('restricted');
    expect(approved.applied?.changedProfiles).toEqual([
      { name: 'processor-console', from: before, to: after?.version },
    ]);
    expect((await restorePolicy(app.database))?.policy.profiles.get('processor-console')?.version).toBe(after?.version);

    const events = await auditEvents();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['policy.change_submit', 'peggy'],
      ['policy.change_approve_refused', 'peggy'],
      ['policy.change_approve_refused', 'olivia'],
      ['policy.change_approve', 'heidi'],
      ['policy.change_apply', 'heidi'],
    ]);
    expect(events[4]).toMatchObject({
      subject: `policy_change:${change.id}`,
      details: { author: 'peggy', approvers: ['heidi'] },
    });
  });

  it('a change planned against an older policy is refused at approval', async () => {
    const { app } = await createTestApp(ctx);
    const first = await submitPolicyChange({
      app,
      actor: 'peggy',
      input: { documents: await editedConsole('restricted') },
    });
    const second = await submitPolicyChange({
      app,
      actor: 'victor',
      input: { documents: await editedConsole('internal') },
    });
    await approvePolicyChange({ app, actor: 'ivan', input: { id: first.id, digest: first.digest } });
    await expect(
      approvePolicyChange({ app, actor: 'heidi', input: { id: second.id, digest: second.digest } }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a governance approver rejects a change and its author withdraws another; neither takes effect', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const before = app.policy.loaded;
    const rejected = await submitPolicyChange({
      app,
      actor: 'peggy',
      input: { documents: await editedConsole('public') },
    });
    expect(
      (await rejectPolicyChange({ app, actor: 'ivan', input: { id: rejected.id, reason: 'public is too open' } }))
        .status,
    ).toBe('rejected');
    const withdrawn = await submitPolicyChange({
      app,
      actor: 'peggy',
      input: { documents: await editedConsole('internal') },
    });
    expect(
      (await rejectPolicyChange({ app, actor: 'peggy', input: { id: withdrawn.id, reason: 'wrong file' } })).status,
    ).toBe('cancelled');
    await expect(
      rejectPolicyChange({ app, actor: 'bob', input: { id: withdrawn.id, reason: 'x' } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      approvePolicyChange({ app, actor: 'heidi', input: { id: rejected.id, digest: rejected.digest } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(app.policy.loaded).toBe(before);
    expect((await auditEvents()).map((e) => e.action)).toEqual([
      'policy.change_submit',
      'policy.change_reject',
      'policy.change_submit',
      'policy.change_cancel',
    ]);
  });

  it('a change whose documents do not load is refused with every problem, and a non-administrator may not submit', async () => {
    const { app, auditEvents } = await createTestApp(ctx);
    const broken = (await editedConsole('restricted')).map((s) =>
      s.path.endsWith('groups.yaml') ? { ...s, text: `${s.text}\n---\nkind: Nonsense\n` } : s,
    );
    await expect(submitPolicyChange({ app, actor: 'peggy', input: { documents: broken } })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(
      submitPolicyChange({ app, actor: 'bob', input: { documents: await editedConsole('restricted') } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect((await auditEvents()).map((e) => e.action)).toEqual(['policy.change_submit_refused']);
  });
});
