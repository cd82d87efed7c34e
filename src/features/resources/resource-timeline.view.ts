/**
 * The shape of a resource's timeline (`ResourceTimeline`): who had what access to it when — its grants with
 * their start and end, the requests made on it, and its drift findings, within one window of time.
 * `GET /v1/resources/{id}/timeline` answers it; the console draws it as a chart. Times are ISO 8601.
 */
import { z } from 'zod';
import { REQUEST_STATUSES, GRANT_STATUSES } from '../../core/domain.js';
import { SEVERITIES } from '../../policy/model.js';
import { isoTime, text } from '../../app/view-fields.js';
import { resourceViewSchema } from './resource.view.js';

/** Rows per list at most; a list cut there says so with `truncated`. */
export const TIMELINE_MAX_ROWS = 5000;

const identity = text(200);

export const resourceTimelineViewSchema = z
  .object({
    resource: resourceViewSchema,
    from: isoTime,
    to: isoTime,
    grants: z
      .array(
        z.object({
          requestId: text(100),
          identity,
          action: text(200),
          start: isoTime,
          end: isoTime.nullable().describe('null while the grant may still give access'),
          status: z.enum(GRANT_STATUSES),
          breakGlass: z.boolean(),
        }),
      )
      .max(TIMELINE_MAX_ROWS)
      .readonly(),
    requests: z
      .array(
        z.object({
          id: text(100),
          requester: identity,
          action: text(200),
          status: z.enum(REQUEST_STATUSES),
          createdAt: isoTime,
          decidedAt: isoTime.optional().describe('when it was approved, denied or cancelled'),
        }),
      )
      .max(TIMELINE_MAX_ROWS)
      .readonly(),
    drift: z
      .array(
        z.object({
          id: text(100),
          check: text(200),
          severity: z.enum(SEVERITIES),
          openedAt: isoTime,
          resolvedAt: isoTime.optional(),
        }),
      )
      .max(TIMELINE_MAX_ROWS)
      .readonly(),
    truncated: z
      .object({ grants: z.boolean(), requests: z.boolean(), drift: z.boolean() })
      .describe(
        `true for a list cut at ${TIMELINE_MAX_ROWS} rows (the most recent kept); narrow the window to see all`,
      ),
  })
  .meta({ id: 'ResourceTimeline' });

export type ResourceTimelineView = z.infer<typeof resourceTimelineViewSchema>;
