/**
 * Policy change sets (SPEC §3): a proposed complete policy (its YAML documents) is validated and stored with
 * the profiles it touches; it takes effect only once a governance approver of every touched profile, other
 * than the author, approves the exact documents (their digest). Applying writes it to the store as a policy
 * load and swaps it into the runtime. A change planned against an older policy is refused at approval: it
 * would silently undo what was applied in between.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { canonicalDigest } from '../../core/canonical-json.js';
import { refusalOf, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import {
  decidePolicyChangeApproval,
  decidePolicyChangeRejection,
  decidePolicyChangeSubmission,
  policyChangeContext,
  policyChangeProgress,
  type PolicyChangeContext,
} from '../../decide/policy-change.decide.js';
import { formatProblem, parsePolicySources, type PolicySource } from '../../policy/load.js';
import type { PolicySet } from '../../policy/model.js';
import { fromJsonText, toJsonText } from '../../store/columns.js';
import type { Row, Schema } from '../../store/schema.js';
import { newId } from '../../core/clock.js';
import type { AppContext, PolicySnapshot, VerbCall } from '../../app/context.js';
import { policyHash, recordLoadOffboarding, syncPolicyToStore, type PolicyLoadSummary } from './policy-sync.js';
import { checkPolicySod, sodDetails } from './policy-sod.js';
import { parseInput } from '../../app/verb-support.js';
import { refuse } from '../../app/refuse.js';
import { inTransaction } from '../../app/transaction.js';
import { toPolicyChangeView, type PolicyChangeView } from './policy-change.view.js';

const MAX_DOCUMENTS = 2000;
const documentSchema = z.object({ path: z.string().min(1).max(500), text: z.string().max(1_000_000) });
/** What a submission carries; `policy-plan.verb.ts` takes the same, so a plan reads exactly what apply sends. */
export const submitPolicyChangeSchema = z.object({
  documents: z.array(documentSchema).min(1).max(MAX_DOCUMENTS),
  description: z.string().max(4000).optional(),
});
export type SubmitPolicyChangeInput = z.input<typeof submitPolicyChangeSchema>;

/** The digest approvals bind to: SHA-256 of the canonical submitted documents. */
export function changeDigest(documents: readonly PolicySource[]): string {
  return canonicalDigest(documents.map((d) => ({ path: d.path, text: d.text })));
}

/** The proposed policy, or `invalid` listing every problem as `file:line:col: message`. */
export function parseProposal(documents: readonly PolicySource[]): PolicySet {
  const loaded = parsePolicySources(documents);
  if (loaded.policy) return loaded.policy;
  const problems = loaded.problems.map(formatProblem);
  throw new AppError(
    'invalid',
    `the proposed policy has ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`,
    {
      problems: problems.slice(0, 200),
    },
  );
}

/** The hash of the policy load in force: what a change is planned against. */
export async function currentPolicyHash(trx: Transaction<Schema>): Promise<string | null> {
  const row = await trx
    .selectFrom('policy_loads')
    .select('policy_hash')
    .orderBy('loaded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.policy_hash ?? null;
}

/**
 * The context every change decision and the plan read: the proposal against the snapshot in force and the
 * policy files in force (`filed`), with the profiles it touches and the approvals it needs
 * (`policyChangeContext`), computed the same way at submission, plan, approval and rejection.
 */
export function changeContext(snapshot: PolicySnapshot, proposed: PolicySet, filed: PolicySet): PolicyChangeContext {
  return policyChangeContext(snapshot.duties, proposed, filed);
}

async function toView(trx: Transaction<Schema>, row: Row<'policy_change_sets'>): Promise<PolicyChangeView> {
  const approvals = await trx
    .selectFrom('policy_change_approvals')
    .select(['approver', 'at'])
    .where('change_set_id', '=', row.id)
    .orderBy('at')
    .orderBy('approver')
    .execute();
  return toPolicyChangeView(row, approvals);
}

type Outcome<T> =
  { readonly done: T } | { readonly refused: readonly Reason[]; readonly details?: Readonly<Record<string, unknown>> };

async function refusal(
  app: AppContext,
  actor: string,
  action: string,
  subject: string,
  reasons: readonly Reason[],
  details?: Readonly<Record<string, unknown>>,
): Promise<AppError> {
  return refuse(app, {
    actor,
    action,
    subject,
    refusal: refusalOf(reasons),
    otherwise: `'${actor}' may not do that`,
    ...(details !== undefined ? { details } : {}),
  });
}

/**
 * Submits a change set (`policy.change_submit`). Invariants: the documents load without a single problem; the
 * author holds `administer` over every touched profile; nothing takes effect yet.
 */
export async function submitPolicyChange({
  app,
  actor,
  input,
}: VerbCall<SubmitPolicyChangeInput>): Promise<PolicyChangeView> {
  const parsed = parseInput(submitPolicyChangeSchema, input);
  const documents: PolicySource[] = parsed.documents.map((d) => ({ path: d.path, text: d.text }));
  const proposed = parseProposal(documents);
  const { value } = await inTransaction(
    app,
    async ({ trx, now, audit, notify }): Promise<Outcome<PolicyChangeView>> => {
      const snapshot = await app.policy.snapshot(trx, now);
      const ctx = changeContext(snapshot, proposed, app.policy.loaded);
      const touched = ctx.touched;
      const decision = decidePolicyChangeSubmission(ctx, actor);
      if (!decision.allowed) return { refused: decision.reasons };
      const sod = await checkPolicySod(app, trx, snapshot, proposed, now);
      if (!sod.allowed) return { refused: sod.reasons, details: sodDetails(sod) };
      const row: Row<'policy_change_sets'> = {
        id: newId('pcs'),
        author: actor,
        status: 'pending',
        description: parsed.description ?? null,
        documents: toJsonText(documents),
        digest: changeDigest(documents),
        base_policy_hash: await currentPolicyHash(trx),
        plan: toJsonText({ touched, proposedHash: policyHash(documents) }),
        touched_profiles: toJsonText(touched),
        created_at: now,
        updated_at: now,
        decided_at: null,
        decided_by: null,
        applied_at: null,
        version: 1,
      };
      await trx.insertInto('policy_change_sets').values(row).execute();
      audit({
        actor,
        action: 'policy.change_submit',
        subject: `policy_change:${row.id}`,
        details: {
          digest: row.digest,
          basePolicyHash: row.base_policy_hash,
          touched: { ...touched },
          description: row.description,
        },
      });
      notify('policy_change.submitted', { changeSetId: row.id, author: actor, touchedProfiles: touched.all });
      return { done: await toView(trx, row) };
    },
  );
  if ('done' in value) return value.done;
  throw await refusal(app, actor, 'policy.change_submit_refused', 'policy_change:new', value.refused, value.details);
}

const approveInput = z.object({ id: z.string().min(1).max(200), digest: z.string().regex(/^[0-9a-f]{64}$/) });
export type ApprovePolicyChangeInput = z.input<typeof approveInput>;

export interface ApprovePolicyChangeResult {
  readonly change: PolicyChangeView;
  /** Set when this approval satisfied governance and the change was applied. */
  readonly applied?: PolicyLoadSummary;
}

async function loadPending(trx: Transaction<Schema>, id: string): Promise<Row<'policy_change_sets'>> {
  const row = await trx.selectFrom('policy_change_sets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `policy change '${id}' does not exist`);
  if (row.status !== 'pending') throw new AppError('conflict', `policy change '${id}' is ${row.status}, not pending`);
  return row;
}

/**
 * Approves a change set for its exact documents (`policy.change_approve`) and, once governance is satisfied,
 * applies it in the same transaction (`policy.change_apply`: store sync, policy load row, status `applied`),
 * then swaps it into the runtime after commit. Invariants: the digest the approver reviewed is the stored one;
 * the policy in force is still the one the change was planned against; the approver is allowed by
 * `decidePolicyChangeApproval`; the change applies at most once (version check on the row).
 */
export async function approvePolicyChange({
  app,
  actor,
  input,
}: VerbCall<ApprovePolicyChangeInput>): Promise<ApprovePolicyChangeResult> {
  const { id, digest } = parseInput(approveInput, input);
  let appliedPolicy: PolicySet | undefined;
  const { value } = await inTransaction(app, async (scope): Promise<Outcome<ApprovePolicyChangeResult>> => {
    const { trx, now, audit, notify } = scope;
    const row = await loadPending(trx, id);
    if (row.digest !== digest) {
      throw new AppError(
        'conflict',
        `policy change '${id}' has digest '${row.digest}', not the '${digest}' that was reviewed`,
      );
    }
    const base = await currentPolicyHash(trx);
    if (row.base_policy_hash !== base) {
      throw new AppError(
        'conflict',
        `the policy in force changed since policy change '${id}' was submitted; submit it again`,
      );
    }
    const documents = fromJsonText<PolicySource[]>(row.documents);
    const proposed = parseProposal(documents);
    const snapshot = await app.policy.snapshot(trx, now);
    const ctx = changeContext(snapshot, proposed, app.policy.loaded);
    const decision = decidePolicyChangeApproval(ctx, row.author, actor);
    if (!decision.allowed) return { refused: decision.reasons };
    // Checked again at each approval: an API assignment made since submission may turn the change into a conflict.
    const sod = await checkPolicySod(app, trx, snapshot, proposed, now);
    if (!sod.allowed) return { refused: sod.reasons, details: sodDetails(sod) };
    const already = await trx
      .selectFrom('policy_change_approvals')
      .select('approver')
      .where('change_set_id', '=', id)
      .where('approver', '=', actor)
      .executeTakeFirst();
    if (already) throw new AppError('conflict', `'${actor}' already approved policy change '${id}'`);
    await trx
      .insertInto('policy_change_approvals')
      .values({ change_set_id: id, approver: actor, digest, at: now })
      .execute();
    audit({
      actor,
      action: 'policy.change_approve',
      subject: `policy_change:${id}`,
      details: { digest, reasons: decision.reasons.map((r) => ({ ...r })) },
    });
    const approvals = await trx
      .selectFrom('policy_change_approvals')
      .select('approver')
      .where('change_set_id', '=', id)
      .where('digest', '=', digest)
      .execute();
    const progress = policyChangeProgress(
      ctx,
      row.author,
      approvals.map((a) => a.approver),
    );
    const claimed = await trx
      .updateTable('policy_change_sets')
      .set({
        updated_at: now,
        version: row.version + 1,
        ...(progress.satisfied
          ? { status: 'applied' as const, decided_at: now, decided_by: actor, applied_at: now }
          : {}),
      })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0)
      throw new AppError('conflict', `policy change '${id}' changed concurrently; try again`);
    if (!progress.satisfied) {
      return { done: { change: await toView(trx, { ...row, updated_at: now, version: row.version + 1 }) } };
    }
    const summary = await syncPolicyToStore(trx, proposed, documents, {
      now,
      actor,
      source: 'change_set',
      changeSetId: id,
    });
    audit({
      actor,
      action: 'policy.change_apply',
      subject: `policy_change:${id}`,
      details: {
        author: row.author,
        approvers: approvals.map((a) => a.approver).sort(),
        digest,
        loadId: summary.loadId,
        policyHash: summary.policyHash,
        changedProfiles: summary.changedProfiles.map((c) => ({ name: c.name, from: c.from ?? null, to: c.to })),
        removedProfiles: summary.removedProfiles,
      },
    });
    recordLoadOffboarding(app, scope, actor, summary);
    notify('policy_change.applied', { changeSetId: id, author: row.author, approvedBy: actor });
    appliedPolicy = proposed;
    const applied = {
      ...row,
      status: 'applied' as const,
      decided_at: now,
      decided_by: actor,
      applied_at: now,
      updated_at: now,
      version: row.version + 1,
    };
    return { done: { change: await toView(trx, applied), applied: summary } };
  });
  if ('done' in value) {
    if (appliedPolicy) app.policy.replace(appliedPolicy);
    return value.done;
  }
  throw await refusal(app, actor, 'policy.change_approve_refused', `policy_change:${id}`, value.refused, value.details);
}

const rejectInput = z.object({ id: z.string().min(1).max(200), reason: z.string().min(1).max(4000) });
export type RejectPolicyChangeInput = z.input<typeof rejectInput>;

/**
 * Rejects a pending change set (`policy.change_reject`), or lets its author withdraw it (`policy.change_cancel`).
 * Invariant: only someone who could approve it rejects it; nothing of it ever takes effect afterwards.
 */
export async function rejectPolicyChange({
  app,
  actor,
  input,
}: VerbCall<RejectPolicyChangeInput>): Promise<PolicyChangeView> {
  const { id, reason } = parseInput(rejectInput, input);
  const { value } = await inTransaction(app, async ({ trx, now, audit }): Promise<Outcome<PolicyChangeView>> => {
    const row = await loadPending(trx, id);
    const proposed = parseProposal(fromJsonText<PolicySource[]>(row.documents));
    const ctx = changeContext(await app.policy.snapshot(trx, now), proposed, app.policy.loaded);
    const decision = decidePolicyChangeRejection(ctx, row.author, actor);
    if (!decision.allowed) return { refused: decision.reasons };
    const status = decision.as === 'author' ? ('cancelled' as const) : ('rejected' as const);
    const updated = await trx
      .updateTable('policy_change_sets')
      .set({ status, decided_at: now, decided_by: actor, updated_at: now, version: row.version + 1 })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      throw new AppError('conflict', `policy change '${id}' changed concurrently; try again`);
    audit({
      actor,
      action: status === 'cancelled' ? 'policy.change_cancel' : 'policy.change_reject',
      subject: `policy_change:${id}`,
      details: { reason, digest: row.digest },
    });
    return {
      done: await toView(trx, {
        ...row,
        status,
        decided_at: now,
        decided_by: actor,
        updated_at: now,
        version: row.version + 1,
      }),
    };
  });
  if ('done' in value) return value.done;
  throw await refusal(app, actor, 'policy.change_reject_refused', `policy_change:${id}`, value.refused);
}
