/**
 * `POST /v1/policy/plan` (SPEC §3, `policy plan`): what submitting these policy documents would change on the
 * server, document by document, and who would have to approve it. A read: it writes nothing, no change set and no
 * audit event. Its readers are those of change sets (`administer`, `audit` or `approve`), who see the same diff
 * there.
 */
import { planPolicyChange } from '../../decide/policy-plan.decide.js';
import { decideAreaRead } from '../../decide/visibility.decide.js';
import type { PolicySource } from '../../policy/load.js';
import type { VerbCall } from '../../app/context.js';
import {
  changeContext,
  changeDigest,
  currentPolicyHash,
  parseProposal,
  submitPolicyChangeSchema,
  type SubmitPolicyChangeInput,
} from './policy-changes.verbs.js';
import { policyDocumentDiff } from './policy-diff.queries.js';
import { checkPolicySod } from './policy-sod.js';
import { parseInput } from '../../app/verb-support.js';
import { readWithSnapshot, requireRead } from '../../app/snapshot.queries.js';
import type { PolicyPlanView } from './policy-change.view.js';

/**
 * Plans a proposed policy for `actor` as its would-be author. Invariants: the documents load without a single
 * problem (else `invalid` with every problem, as a submission); the touched profiles and the SoD conflicts are
 * computed as a submission computes them; nothing is written.
 */
export async function planPolicyChangeSet({
  app,
  actor,
  input,
}: VerbCall<SubmitPolicyChangeInput>): Promise<PolicyPlanView> {
  const parsed = parseInput(submitPolicyChangeSchema, input);
  const documents: PolicySource[] = parsed.documents.map((d) => ({ path: d.path, text: d.text }));
  const proposed = parseProposal(documents);
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    requireRead(decideAreaRead(snapshot.duties, actor, 'policy_changes'));
    const plan = planPolicyChange(changeContext(snapshot, proposed, app.policy.loaded), app.policy.loaded, actor);
    const sod = await checkPolicySod(app, trx, snapshot, proposed, now);
    const basePolicyHash = await currentPolicyHash(trx);
    return {
      ...plan,
      submit: sod.allowed || !plan.submit.allowed ? plan.submit : { allowed: false, reasons: sod.reasons },
      basePolicyHash,
      digest: changeDigest(documents),
      sodConflicts: sod.conflicts.map((c) => ({
        rule: c.rule,
        identity: c.identity,
        profile: c.profile ?? null,
        message: c.reason.message,
      })),
      diff: await policyDocumentDiff(trx, basePolicyHash, documents),
    };
  });
}
