/**
 * Approval health (`GET /v1/stats/approvals`, `ApprovalStats`; the console's Approval health page): how many
 * requests wait and for how long, how long people take to approve them per profile and per day, and which
 * approvers have the longest queues — SPEC's "identifying bottlenecks". Durations are in seconds; days are UTC.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

export const STATS_WINDOWS = ['7d', '30d', '90d'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

/** The age buckets of pending requests: Prometheus-style upper bounds, each counting every request up to it. */
export const AGE_BUCKETS = ['1h', '4h', '1d', '3d', '+Inf'] as const;

/** Approvers listed in `longestQueues`. */
export const MAX_QUEUES = 10;

const seconds = z.number().int().nullable();

export const approvalStatsViewSchema = z
  .object({
    window: z.enum(STATS_WINDOWS),
    /** The first instant the window covers (the start of its first UTC day). */
    since: isoTime,
    pending: z.object({
      count: z.number().int(),
      /** Null when nothing is pending. */
      oldestAgeSeconds: seconds,
      ageBuckets: z
        .array(z.object({ le: z.enum(AGE_BUCKETS), count: z.number().int() }))
        .length(AGE_BUCKETS.length)
        .readonly()
        .describe('cumulative, like a Prometheus histogram: each bucket counts every pending request at most that old'),
    }),
    perProfile: z
      .array(
        z.object({
          profile: text(200),
          /** Requests people approved or denied in the window (not the ones the policy decided at once). */
          decided: z.number().int(),
          approved: z.number().int(),
          denied: z.number().int(),
          /** Time from creation to the final approval; null when none was approved in the window. */
          p50Seconds: seconds,
          p90Seconds: seconds,
        }),
      )
      .max(10_000)
      .readonly(),
    perDay: z
      .array(
        z.object({
          day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day YYYY-MM-DD'),
          approved: z.number().int(),
          denied: z.number().int(),
          p50Seconds: seconds,
        }),
      )
      .max(91)
      .readonly(),
    longestQueues: z
      .array(z.object({ identity: text(200), pending: z.number().int(), oldestAgeSeconds: z.number().int() }))
      .max(MAX_QUEUES)
      .readonly()
      .describe('approvers by the pending requests whose current step names them (their inbox), longest first'),
  })
  .meta({ id: 'ApprovalStats' });

export type ApprovalStatsView = z.infer<typeof approvalStatsViewSchema>;
