/** A policy change's readable diff, document by document, in its plan and in the stored change set; on both dialects. */
import { beforeAll, expect, it } from 'vitest';
import { getPolicyChange, planPolicyChangeSet, submitPolicyChange } from '../../../src/features/governance/index.js';
import type { PolicySource } from '../../../src/policy/load.js';
import { readPolicyDirectory } from '../../../src/policy/policy-files.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp, EXAMPLE_POLICY_DIR, type TestApp } from '../../app/harness.js';

/** The example policy with the console reclassified and a comment reworded. */
async function edited(): Promise<PolicySource[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) => {
    if (s.path.endsWith('processor-console.yaml')) {
      return { path: s.path, text: s.text.replace('classification: confidential', 'classification: restricted') };
    }
    // Comments and layout are not policy: a reworded comment changes no document.
    return { path: s.path, text: s.text.replace(/^# /m, '#  ') };
  });
}

describeEachDialect('the diff of a policy change', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx);
  });

  it('plans the change as one modified document with the changed line and its context', async () => {
    const plan = await planPolicyChangeSet({ app: t.app, actor: 'peggy', input: { documents: await edited() } });
    expect(plan.diff.map((d) => [d.document, d.change])).toEqual([['ResourceProfile processor-console', 'modified']]);
    const changed = plan.diff[0]?.lines.filter((line) => line.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '  classification: confidential' },
      { op: '+', text: '  classification: restricted' },
    ]);
    expect(plan.diff[0]?.lines.some((line) => line.op === ' ' && line.skipped === undefined)).toBe(true);
  });

  it('shows the same diff on the stored change set, against the policy it was planned on', async () => {
    const documents = await edited();
    const plan = await planPolicyChangeSet({ app: t.app, actor: 'peggy', input: { documents } });
    const change = await submitPolicyChange({ app: t.app, actor: 'peggy', input: { documents } });
    const shown = await getPolicyChange({ app: t.app, actor: 'olivia', input: { id: change.id } });
    expect(shown.diff).toEqual(plan.diff);
  });

  it('shows a removed document and an added one', async () => {
    const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
    const documents = sources.map((s) =>
      s.path.endsWith('notifiers.yaml')
        ? {
            path: s.path,
            text: `${s.text.trimEnd()}\n---\napiVersion: countersign.dev/v1\nkind: Group\nmetadata: { name: interns }\nspec: { description: "Summer interns" }\n`,
          }
        : s,
    );
    const plan = await planPolicyChangeSet({ app: t.app, actor: 'peggy', input: { documents } });
    expect(plan.diff).toEqual([
      {
        document: 'Group interns',
        change: 'added',
        lines: [
          { op: '+', text: 'apiVersion: countersign.dev/v1' },
          { op: '+', text: 'kind: Group' },
          { op: '+', text: 'metadata:' },
          { op: '+', text: '  name: interns' },
          { op: '+', text: 'spec:' },
          { op: '+', text: '  description: Summer interns' },
        ],
      },
    ]);
    const without = sources.filter((s) => !s.path.endsWith('notifiers.yaml'));
    const removal = await planPolicyChangeSet({ app: t.app, actor: 'peggy', input: { documents: without } });
    expect(removal.diff.length).toBeGreaterThan(0);
    expect(removal.diff.every((d) => d.change === 'removed' && d.document.startsWith('Notifier '))).toBe(true);
  });
});
