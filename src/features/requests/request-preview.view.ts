/**
 * What previewing a request answers (`POST /v1/requests/preview`, `RequestPreview`): what creating it now would
 * decide — allowed or the error it would answer, the rule that matched, whether the policy approves it at once —
 * and, for each approval step, who could approve it for this requester (after separation of duties), with a
 * warning for every step too few people could satisfy. Nothing is stored or audited.
 */
import { z } from 'zod';
import { text } from '../../app/view-fields.js';
import { reasonCodeSchema } from './inbox.view.js';

/** Eligible approvers listed per step; `eligibleCount` says how many there are in all. */
export const MAX_LISTED_APPROVERS = 50;

export const requestPreviewViewSchema = z
  .object({
    allowed: z.boolean().describe('creating it now would store it as pending or approved (not refuse or deny it)'),
    /** When not allowed: the problem `code` creating it would answer (`invalid`, `forbidden`, `policy_denied`, …). */
    code: text(40).optional(),
    reason: reasonCodeSchema.optional(),
    message: text(2000).optional(),
    reasons: z
      .array(z.object({ code: reasonCodeSchema, message: text(2000) }))
      .max(100)
      .readonly(),
    matchedRule: text(200).optional(),
    autoApproved: z.boolean(),
    steps: z
      .array(
        z.object({
          /** 1-based. */
          step: z.number().int(),
          required: z.number().int(),
          independent: z.boolean(),
          from: z.array(text(220)).max(100).readonly(),
          eligibleApprovers: z.array(text(200)).max(MAX_LISTED_APPROVERS).readonly(),
          eligibleCount: z.number().int(),
        }),
      )
      .max(50)
      .readonly(),
    warnings: z
      .array(z.object({ code: z.enum(['no_eligible_approver']), step: z.number().int(), message: text(2000) }))
      .max(50)
      .readonly(),
    /** The action's maximum duration; absent when the resource or action does not exist. */
    maxDurationSeconds: z.number().int().optional(),
  })
  .meta({ id: 'RequestPreview' });

export type RequestPreviewView = z.infer<typeof requestPreviewViewSchema>;
