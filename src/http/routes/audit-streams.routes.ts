/**
 * `GET /v1/audit/streams` (`audit` duty): each audit stream sink's cursor and lag (features/audit-stream). Read
 * only: the sinks are configured by the operator (`serve --audit-stream`), so no route can change or silence them.
 */
import { readAuditStreams } from '../../features/audit-stream/index.js';
import { auditStreamsViewSchema } from '../../features/audit-stream/audit-stream.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';

export function registerAuditStreamRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/audit/streams',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        summary:
          "The audit streams: each sink's cursor (the last event it acknowledged), its lag behind the log's head and its last failure",
        response: { 200: auditStreamsViewSchema },
      },
    },
    async () => readAuditStreams(context),
  );
}
