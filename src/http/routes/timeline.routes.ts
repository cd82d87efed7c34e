/**
 * `GET /v1/resources/{id}/timeline`: who had what access to a resource when — its grants, requests and drift
 * findings within a window (default the last 30 days, at most 90), for whoever may see the resource.
 */
import { z } from 'zod';
import { getResourceTimeline } from '../../features/resources/index.js';
import { resourceTimelineViewSchema } from '../../features/resources/resource-timeline.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, isoTime } from './route-schemas.js';

export function registerTimelineRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/resources/:id/timeline',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary:
          "Who had what access to a resource when: its grants, requests and drift findings within a window of at most 90 days (default the last 30); others' grants and requests only for those who may see them",
        params: z.object({ id: z.string().min(1).max(63) }),
        querystring: z
          .object({
            from: isoTime.optional().describe('start of the window, ISO 8601 (default: 30 days before to)'),
            to: isoTime.optional().describe('end of the window, ISO 8601 (default: now)'),
          })
          .strict(),
        response: { 200: resourceTimelineViewSchema },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return getResourceTimeline({
        app: context,
        actor: principalOf(request).identity,
        input: {
          name: request.params.id,
          ...(from === undefined ? {} : { from: epochOf('from', from) }),
          ...(to === undefined ? {} : { to: epochOf('to', to) }),
        },
      });
    },
  );
}
