/** Policy change diffs over HTTP: the plan and the change set both say what changed inside each document. */
import { beforeAll, expect, it } from 'vitest';
import {
  policyChangeDetailViewSchema,
  policyPlanViewSchema,
} from '../../src/features/governance/policy-change.view.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

async function reclassifiedConsole(): Promise<{ path: string; text: string }[]> {
  const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
  return sources.map((s) => ({
    path: s.path,
    text: s.path.endsWith('processor-console.yaml')
      ? s.text.replace('classification: confidential', 'classification: restricted')
      : s.text,
  }));
}

const CHANGED = [
  { op: '-', text: '  classification: confidential' },
  { op: '+', text: '  classification: restricted' },
];

describeEachDialect('policy change diffs over HTTP', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('a plan and the change set submitted from it show the same per-document diff', async () => {
    const peggy = await t.tokenFor('peggy');
    const files = await reclassifiedConsole();
    const planned = await t.call('POST', '/v1/policy/plan', peggy, { files });
    expect(planned.statusCode).toBe(200);
    const plan = policyPlanViewSchema.parse(planned.json());
    expect(plan.diff.map((d) => [d.document, d.change])).toEqual([['ResourceProfile processor-console', 'modified']]);
    expect(plan.diff[0]?.lines.filter((l) => l.op !== ' ')).toEqual(CHANGED);

    const submitted = await t.call('POST', '/v1/policy/changes', peggy, { files, description: 'tighten' });
    expect(submitted.statusCode).toBe(201);
    const id = submitted.json<{ id: string }>().id;
    const detail = await t.call('GET', `/v1/policy/changes/${id}`, await t.tokenFor('heidi'));
    expect(detail.statusCode).toBe(200);
    expect(policyChangeDetailViewSchema.parse(detail.json()).diff).toEqual(plan.diff);
  });

  it('shows no diff for documents that only differ in comments and layout', async () => {
    const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
    const files = sources.map((s) => ({ path: s.path, text: `# reviewed\n${s.text.replace(/\n\n/g, '\n')}` }));
    const planned = await t.call('POST', '/v1/policy/plan', await t.tokenFor('peggy'), { files });
    expect(planned.statusCode).toBe(200);
    expect(planned.json()).toMatchObject({ diff: [] });
  });
});
