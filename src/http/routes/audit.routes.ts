/**
 * `/v1/audit/…` (`audit` duty): read the log a page at a time by `seq` (with `open=true`, its sealed output values
 * opened, which is audited), list the signed checkpoints, and verify the stored log online. Online verification
 * is bounded (`MAX_ONLINE_VERIFY_EVENTS`); a large log is verified offline with `countersign audit verify`, which
 * can also check signatures and witnesses.
 */
import { z } from 'zod';
import { readOpenedAuditPage } from '../../features/evidence/index.js';
import { readAuditPage, readCheckpointPage, verifyAuditOnline } from '../../features/evidence/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { limitSchema, nameSchema } from './route-schemas.js';
import {
  auditCheckpointViewSchema,
  auditEventViewSchema,
  auditVerificationViewSchema,
} from '../../features/evidence/audit.view.js';

const seq = z.coerce.number().int().min(0).optional();

export function registerAuditRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/audit/events',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        summary:
          'Audit events in seq order after a given seq, optionally of one actor, action or subject, or about one resource, request or identity (an auditor of some profiles reads only theirs)',
        querystring: z
          .object({
            after: seq,
            limit: limitSchema(1000),
            actor: nameSchema.optional(),
            action: z.string().min(1).max(200).optional(),
            subject: z.string().min(1).max(500).optional(),
            resource: z
              .string()
              .min(1)
              .max(63)
              .optional()
              .describe('events on the resource and on the requests and grants for it'),
            request: z.string().min(1).max(100).optional().describe('events on the request and on its grant'),
            identity: nameSchema
              .optional()
              .describe('events the identity caused, about it, or on its requests and grants'),
            open: z
              .enum(['true', 'false'])
              .optional()
              .describe('true: open the sealed output values (provider errors, rows, command output); audited'),
          })
          .strict(),
        response: {
          200: z.object({
            events: z.array(auditEventViewSchema).max(1000).readonly(),
            next: z.number().int().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const { open, ...query } = request.query;
      const reader = principalOf(request).identity;
      if (open !== 'true') return readAuditPage(context, reader, query);
      return readOpenedAuditPage({ app: context, actor: reader, input: query });
    },
  );

  app.get(
    '/v1/audit/checkpoints',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        summary: 'Signed checkpoints of the audit log, by ascending size',
        querystring: z.object({ after: seq, limit: limitSchema(10_000) }).strict(),
        response: { 200: z.object({ checkpoints: z.array(auditCheckpointViewSchema).max(10_000).readonly() }) },
      },
    },
    async (request) => ({ checkpoints: await readCheckpointPage(context, request.query) }),
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['audit'],
        operationId: 'verifyAuditLog',
        summary: 'Verify the stored audit log (hash chain and checkpoints); large logs: countersign audit verify',
        response: { 200: auditVerificationViewSchema },
      },
    },
    async () => verifyAuditOnline(context),
  );
}
