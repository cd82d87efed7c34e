/**
 * The static SoD check of a whole proposed policy (`decidePolicySod`) against the policy in force, with the
 * database's overlays (API assignments, activations, disabled identities, exceptions) applied to both sides,
 * read inside the caller's transaction. Used by change-set submission and approval, the plan, and policy loads.
 */
import type { Transaction } from 'kysely';
import { decidePolicySod, type PolicySodDecision } from '../../decide/policy-sod.decide.js';
import type { PolicySet } from '../../policy/model.js';
import type { Schema } from '../../store/schema.js';
import type { AppContext, PolicySnapshot } from '../../app/context.js';

/**
 * Would `proposed` create an unsuppressed static conflict not present in `inForce` (the snapshot in force;
 * undefined when nothing is loaded yet, so that every conflict counts)?
 */
export async function checkPolicySod(
  app: AppContext,
  trx: Transaction<Schema>,
  inForce: PolicySnapshot | undefined,
  proposed: PolicySet,
  now: number,
): Promise<PolicySodDecision> {
  const preview = await app.policy.preview(trx, proposed, now);
  return decidePolicySod({
    ...(inForce !== undefined ? { inForce } : {}),
    proposed: preview,
    exceptions: preview.exceptions,
    now,
  });
}

/** The rules and identities of a refused proposal, for the refusal's audit details and the error. */
export function sodDetails(decision: PolicySodDecision): Record<string, unknown> {
  return {
    violatedRules: [...new Set(decision.conflicts.map((c) => c.rule))].sort(),
    conflicts: decision.conflicts.slice(0, 50).map((c) => ({
      rule: c.rule,
      identity: c.identity,
      profile: c.profile ?? null,
    })),
  };
}
