/**
 * The shapes of policy change sets outside the application (SPEC §3): a change set (`PolicyChange`), one with
 * its documents (`PolicyChangeDetail`), the answer of an approval (the change, and the load it applied), and a
 * plan (`PolicyPlan`, what the same documents would change and who would approve them). The verbs, the reads,
 * the routes, `countersign policy changes|plan` and the OpenAPI document share them; times are ISO 8601.
 */
import { z } from 'zod';
import { PLAN_KINDS } from '../../decide/policy-plan.decide.js';
import { withResources, type TouchedProfiles } from '../../decide/policy-change.decide.js';
import { fromJsonText } from '../../store/columns.js';
import type { ChangeSetStatus, Row } from '../../store/schema.js';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';

export const CHANGE_SET_STATUSES = [
  'pending',
  'applied',
  'rejected',
  'cancelled',
] as const satisfies readonly ChangeSetStatus[];

const names = z.array(text(200)).max(100_000).readonly();
const nameChanges = z.object({ added: names, changed: names, removed: names });
/** `resources`: profiles touched only through a resource bound to them (absent on change sets stored before it). */
const touchedSchema = z.object({
  added: names,
  changed: names,
  removed: names,
  resources: names.optional(),
  all: names,
});
const version = text(100).nullable();
/**
 * What changed in one policy document (`Kind name`), as a line diff of its canonical YAML with a little context
 * (`policy/document-diff.ts`); a context line with `skipped` stands for that many unchanged lines left out.
 */
export const policyDocumentDiffSchema = z
  .object({
    document: text(300),
    change: z.enum(['added', 'removed', 'modified']),
    lines: z
      .array(
        z.object({
          op: z.enum([' ', '+', '-']),
          text: text(1_000_000),
          skipped: z.number().int().min(1).optional(),
        }),
      )
      .max(1_000_000)
      .readonly(),
  })
  .meta({ id: 'PolicyDocumentDiff' });

export type PolicyDocumentDiffView = z.infer<typeof policyDocumentDiffSchema>;

const documentDiffs = z
  .array(policyDocumentDiffSchema)
  .max(100_000)
  .readonly()
  .describe('per document, what changed against the policy the change was planned on (unchanged ones left out)');

/** A policy document as submitted: its path and its text. */
export const policyFileSchema = z.object({ path: z.string().min(1).max(500), text: z.string().max(1_000_000) });

export const policyChangeViewSchema = z
  .object({
    id: text(100),
    author: text(200),
    status: z.enum(CHANGE_SET_STATUSES),
    description: text(4000).nullable(),
    digest: text(64),
    basePolicyHash: text(64).nullable(),
    touched: touchedSchema,
    approvals: z
      .array(z.object({ approver: text(200), at: isoTime }))
      .max(1000)
      .readonly(),
    createdAt: isoTime,
    decidedAt: isoTime.nullable(),
    decidedBy: text(200).nullable(),
    appliedAt: isoTime.nullable(),
  })
  .meta({ id: 'PolicyChange' });

export type PolicyChangeView = z.infer<typeof policyChangeViewSchema>;

export const policyChangeDetailViewSchema = policyChangeViewSchema
  .extend({ files: z.array(policyFileSchema).max(2000).readonly(), diff: documentDiffs })
  .meta({ id: 'PolicyChangeDetail' });

export type PolicyChangeDetailView = z.infer<typeof policyChangeDetailViewSchema>;

/** What an approval answers: the change, and the policy load it applied when governance was satisfied. */
export const policyChangeApprovalViewSchema = z.object({
  change: policyChangeViewSchema,
  applied: z
    .object({
      loadId: text(100),
      policyHash: text(64),
      changedProfiles: z.array(z.object({ name: text(200), from: version, to: text(100) })).readonly(),
      removedProfiles: names,
    })
    .nullable(),
});

export type PolicyChangeApprovalView = z.infer<typeof policyChangeApprovalViewSchema>;

export const policyPlanViewSchema = z
  .object({
    basePolicyHash: text(64).nullable(),
    digest: text(64),
    touched: touchedSchema,
    profiles: z
      .array(
        z.object({
          name: text(200),
          change: z.enum(['added', 'changed', 'removed', 'resources']),
          from: version,
          to: version,
          approvers: z.array(text(300)).max(1000).readonly(),
        }),
      )
      .max(100_000)
      .readonly(),
    kinds: z.object(
      Object.fromEntries(PLAN_KINDS.map((kind) => [kind, nameChanges])) as Record<
        (typeof PLAN_KINDS)[number],
        typeof nameChanges
      >,
    ),
    unchanged: z.boolean(),
    requirements: z
      .array(
        z.object({
          kind: z.enum(['governance', 'administrator']),
          profile: text(200).nullable(),
          description: text(100_000),
          eligible: names,
        }),
      )
      .max(100_000)
      .readonly(),
    eligibleApprovers: names,
    sodConflicts: z
      .array(z.object({ rule: text(200), identity: text(200), profile: text(200).nullable(), message: text(2000) }))
      .max(100_000)
      .readonly(),
    diff: documentDiffs,
    submit: z.object({
      allowed: z.boolean(),
      reasons: z
        .array(z.object({ code: text(200), message: text(2000) }))
        .max(100)
        .readonly(),
    }),
  })
  .meta({ id: 'PolicyPlan' });

export type PolicyPlanView = z.infer<typeof policyPlanViewSchema>;

type ChangeRow = Omit<Row<'policy_change_sets'>, 'documents' | 'plan'>;

/** The view of a stored change set with its approvals (`at` in epoch milliseconds, oldest first). */
export function toPolicyChangeView(
  row: ChangeRow,
  approvals: readonly { readonly approver: string; readonly at: number }[],
): PolicyChangeView {
  return {
    id: row.id,
    author: row.author,
    status: row.status,
    description: row.description,
    digest: row.digest,
    basePolicyHash: row.base_policy_hash,
    touched: withResources(fromJsonText<Partial<TouchedProfiles>>(row.touched_profiles)),
    approvals: approvals.map((a) => ({ approver: a.approver, at: iso(Number(a.at)) })),
    createdAt: iso(Number(row.created_at)),
    decidedAt: isoOrNull(row.decided_at === null ? null : Number(row.decided_at)),
    decidedBy: row.decided_by,
    appliedAt: isoOrNull(row.applied_at === null ? null : Number(row.applied_at)),
  };
}
