/**
 * The gateway's session records (issue 14): `GET /v1/sessions` (your own sessions; those on the profiles you
 * approve or audit), `GET /v1/sessions/{id}` (its statements in order with decisions, timing, rows and errors; with
 * `open=true`, their text too, for `audit` holders, audited), and `POST /v1/refusals/{id}/request`, which turns a
 * statement the gateway refused into a request for the profile's `execute` action bound to that statement.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import {
  createRequestFromRefusal,
  listSessions,
  MAX_SESSION_PAGE,
  showSession,
} from '../../features/sessions/index.js';
import { SESSION_STATUSES, sessionDetailSchema, sessionViewSchema } from '../../features/sessions/session.view.js';
import { requestViewSchema, type RequestView } from '../../features/requests/request.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { idSchema, limitSchema, nameSchema } from './route-schemas.js';

const tags = ['sessions'];

export function registerGatewaySessionRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/sessions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'listGatewaySessions',
        summary: 'Gateway sessions, newest first: your own, or those on the profiles you approve or audit',
        querystring: z
          .object({
            identity: nameSchema.optional(),
            resource: nameSchema.optional(),
            grant: idSchema.optional(),
            status: z.enum(SESSION_STATUSES).optional(),
            limit: limitSchema(MAX_SESSION_PAGE),
          })
          .strict(),
        response: { 200: z.object({ sessions: z.array(sessionViewSchema).max(MAX_SESSION_PAGE).readonly() }) },
      },
    },
    async (request) => {
      const sessions = await listSessions({
        app: context,
        actor: principalOf(request).identity,
        input: request.query,
      });
      return { sessions };
    },
  );

  app.get(
    '/v1/sessions/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getGatewaySession',
        summary: 'One gateway session with its statements in order (a page from `after`)',
        params: z.object({ id: idSchema }).strict(),
        querystring: z
          .object({
            open: z
              .enum(['true', 'false'])
              .optional()
              .describe("true: the statements' text and parameters too (audit holders; the opening is audited)"),
            after: z.coerce.number().int().min(0).optional(),
            limit: limitSchema(1000),
          })
          .strict(),
        response: { 200: sessionDetailSchema },
      },
    },
    async (request) => {
      const { open, ...page } = request.query;
      return showSession({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...page, ...(open === 'true' ? { open: true } : {}) },
      });
    },
  );

  app.post(
    '/v1/refusals/:id/request',
    {
      config: { access: 'request', problems: ['policy_denied'] },
      schema: {
        tags,
        operationId: 'requestFromRefusal',
        summary: 'Ask approval for a statement the gateway refused you: a request for the profile’s execute action',
        description: "The request's `params.sql` is the refused statement's text as recorded; only its sender may ask.",
        params: z.object({ id: idSchema }).strict(),
        body: z
          .object({
            duration: z.string().min(2).max(20).optional(),
            justification: z.string().max(2000).optional(),
            ticket: z.string().max(200).optional(),
          })
          .strict()
          .optional(),
        response: { 201: requestViewSchema },
      },
    },
    async (request, reply) => {
      const view = await createRequestFromRefusal({
        app: context,
        actor: principalOf(request).identity,
        input: { refusal: request.params.id, ...(request.body ?? {}) },
      });
      if (view.status === 'denied') throw deniedByPolicy(view);
      return reply.code(201).send(view);
    },
  );
}

function deniedByPolicy(view: RequestView): AppError {
  const message = view.statusReason ?? `request '${view.id}' was denied by rule '${view.matchedRule}'`;
  return new AppError('policy_denied', message, { request: view.id, status: view.status, rule: view.matchedRule });
}
