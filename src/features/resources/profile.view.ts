/**
 * The shapes of resource profiles outside the application: a profile in a list (`ProfileSummary`), one in full
 * with its actions, approval rules summarised, baseline, break-glass, certification and governance (`Profile`),
 * and one version of it ever loaded (`ProfileVersion`). `/v1/profiles` answers them; times are ISO 8601.
 */
import { z } from 'zod';
import { COLUMN_MASKS } from '../../policy/model.js';
import { isoTime, text } from '../../app/view-fields.js';

const name = z.string().min(1).max(63);
const longText = text(4000);
const refs = z.array(text(220)).max(1000).readonly();
const duration = text(20);

export const profileSummaryViewSchema = z
  .object({
    name,
    version: text(100),
    classification: text(20),
    environment: text(200),
    owners: refs,
    labels: z.record(text(500), text(500)),
    extends: name.nullable(),
    provider: text(20),
    actions: z.array(text(200)).max(1000).readonly(),
  })
  .meta({ id: 'ProfileSummary' });

export type ProfileSummaryView = z.infer<typeof profileSummaryViewSchema>;

const approvalRuleViewSchema = z.object({
  name: text(200),
  when: longText.nullable(),
  outcome: z.enum(['auto', 'deny', 'steps']),
  message: longText.nullable(),
  steps: z
    .array(z.object({ from: refs, count: z.number().int(), independent: z.boolean() }))
    .max(100)
    .readonly(),
  /** One line a person can read: `when …: 1 of group:dba (independent), then 1 of group:security`. */
  summary: text(20_000),
});

export type ApprovalRuleView = z.infer<typeof approvalRuleViewSchema>;

/** An action's `gateway` block: what a statement through the gateway may do under a grant of it. */
const gatewayViewSchema = z.object({
  rules: z
    .array(
      z.object({
        name: text(200),
        when: longText.nullable(),
        outcome: z.enum(['allow', 'deny']),
        /** The refusal's message for a `deny` rule. */
        message: longText.nullable(),
      }),
    )
    .max(200)
    .readonly(),
  /** What a statement that no rule matches gets. */
  default: z.enum(['allow', 'deny']),
  statementTimeoutSeconds: z.number().int().nullable(),
  maxRows: z.number().int().nullable(),
  maxBytes: z.number().int().nullable(),
  masks: z
    .array(z.object({ table: text(200).nullable(), column: text(200), mask: z.enum(COLUMN_MASKS) }))
    .max(200)
    .readonly(),
});

const profileActionViewSchema = z.object({
  name: text(200),
  risk: text(20),
  description: longText.nullable(),
  kind: z.enum(['grant', 'execute']),
  maxDuration: duration,
  maxDurationSeconds: z.number().int(),
  requireJustification: z.boolean(),
  ticketPattern: text(1000).nullable(),
  pendingTimeout: duration,
  activationWindow: duration,
  params: z.record(z.string(), z.unknown()).nullable(),
  approval: z.array(approvalRuleViewSchema).max(100).readonly(),
  /** Null when the action's grants are not used through the gateway. */
  gateway: gatewayViewSchema.nullable(),
});

export type ProfileActionView = z.infer<typeof profileActionViewSchema>;

export const profileViewSchema = profileSummaryViewSchema
  .extend({
    loadedAt: isoTime.nullable(),
    actionDetails: z.array(profileActionViewSchema).max(1000).readonly(),
    baseline: z
      .array(
        z.object({
          name: text(200),
          expr: longText,
          severity: text(20),
          message: longText,
          whenAbsent: text(20),
        }),
      )
      .max(1000)
      .readonly(),
    breakGlass: z
      .object({
        allowed: refs,
        actions: z.array(text(200)).max(1000).readonly(),
        maxDuration: duration,
        reviewWithin: duration,
      })
      .nullable(),
    certification: z.object({ every: duration }).nullable(),
    governance: z.object({ approvers: refs }),
  })
  .meta({ id: 'Profile' });

export type ProfileView = z.infer<typeof profileViewSchema>;

export const profileVersionViewSchema = z
  .object({
    version: text(100),
    firstLoadedAt: isoTime,
    policyLoadId: text(100).nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'ProfileVersion' });

export type ProfileVersionView = z.infer<typeof profileVersionViewSchema>;
