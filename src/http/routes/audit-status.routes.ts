/**
 * `GET /v1/audit/status` (`audit` duty): the audit log's verification status computed by the server — the chain
 * verified up to a seq, the last signed checkpoint, the witness's agreement. Cheap enough to poll: each call
 * verifies only what was appended since the last (see `features/evidence/audit-status.queries.ts`).
 */
import { readAuditStatus } from '../../features/evidence/index.js';
import { auditStatusViewSchema } from '../../features/evidence/audit-status.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';

export function registerAuditStatusRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/audit/status',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        summary:
          'The audit log verified so far: up to which seq the chain and checkpoints are proven good, the last signed checkpoint and whether the witness agrees (incremental: cheap to poll)',
        response: { 200: auditStatusViewSchema },
      },
    },
    async () => readAuditStatus(context),
  );
}
