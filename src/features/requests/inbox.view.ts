/**
 * What an approver's inbox answers (`GET /v1/inbox`, `Inbox`): each pending request whose current step names the
 * caller, with the context an approver decides on beside it (`InboxItem`: the requester and their groups, the
 * resource with its classification, owners and open drift, the action's risk and maximum duration, the matched
 * rule's steps with who approved, the requester's recent requests on the resource) and whether the caller's
 * approval would count now, and why (`myApproval`, the approve decision itself). Times are ISO 8601.
 */
import { z } from 'zod';
import { REASON_KINDS, type ReasonCode } from '../../core/decision.js';
import { CLASSIFICATIONS, RISKS, SEVERITIES } from '../../policy/model.js';
import { REQUEST_STATUSES } from '../../decide/types.js';
import { isoTime, text } from '../../app/view-fields.js';
import { requestViewSchema, stepViewSchema } from './request.view.js';

/** Largest page of the inbox. */
export const MAX_INBOX_PAGE = 200;
/** How many of the requester's earlier requests on the resource an item shows. */
export const RECENT_REQUESTS = 5;
/** Open drift findings shown per resource (the most severe first). */
export const MAX_OPEN_DRIFT = 50;

/** Every reason code, for answers that name one (`docs/reasons.md` lists them). */
export const reasonCodeSchema = z.enum(Object.keys(REASON_KINDS) as [ReasonCode, ...ReasonCode[]]);

const name = text(200);

export const inboxItemViewSchema = z
  .object({
    request: requestViewSchema,
    context: z.object({
      requester: z.object({
        name,
        /** `unknown` when the identity is no longer in the policy. */
        kind: z.enum(['human', 'nhi', 'unknown']),
        /** The precise kind of a non-human identity (`service`, `pipeline`, `workload`). */
        identityKind: text(20).optional(),
        groups: z.array(name).max(1000).readonly(),
        /** A non-human identity's owner, who answers for it. */
        owners: z.array(name).max(10).readonly().optional(),
      }),
      resource: z.object({
        id: name,
        profile: name,
        /** Null when the profile is no longer in the policy. */
        classification: z.enum(CLASSIFICATIONS).nullable(),
        /** The profile's owners and the resource's own, as `group:NAME` or `identity:NAME`. */
        owners: z.array(text(220)).max(100).readonly(),
        openDrift: z
          .array(z.object({ check: name, severity: z.enum(SEVERITIES), since: isoTime }))
          .max(MAX_OPEN_DRIFT)
          .readonly(),
      }),
      /** Risk and limits are absent when the profile no longer has the action. */
      action: z.object({
        name: text(100),
        risk: z.enum(RISKS).optional(),
        maxDuration: text(32).optional(),
        maxDurationSeconds: z.number().int().optional(),
      }),
      rule: z.object({ name, steps: z.array(stepViewSchema).max(50).readonly() }),
      recentRequests: z
        .array(z.object({ id: text(100), action: text(100), status: z.enum(REQUEST_STATUSES), createdAt: isoTime }))
        .max(RECENT_REQUESTS)
        .readonly(),
      myApproval: z.object({
        counts: z.boolean().describe('whether approving now would count (the approve verb would accept it)'),
        reason: reasonCodeSchema,
        message: text(2000),
      }),
    }),
  })
  .meta({ id: 'InboxItem' });

export type InboxItemView = z.infer<typeof inboxItemViewSchema>;

export const inboxViewSchema = z
  .object({
    items: z.array(inboxItemViewSchema).max(MAX_INBOX_PAGE).readonly(),
    /** Every request in the inbox, across pages. */
    total: z.number().int(),
    nextCursor: text(200).optional(),
  })
  .meta({ id: 'Inbox' });

export type InboxView = z.infer<typeof inboxViewSchema>;
