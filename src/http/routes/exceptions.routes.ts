/**
 * `/v1/exceptions`: SoD exceptions. Anyone may ask for one for themselves and read those that concern them;
 * `administer` holders create them for others and approve them (never their own); the beneficiary or an
 * administrator revokes one. Readers of all of them: `administer` or `audit` holders.
 */
import { z } from 'zod';
import { listExceptions, type ExceptionListItem } from '../../features/access/admin.queries.js';
import { approveException, createException, revokeException, type ExceptionView } from '../../features/governance/exceptions.verbs.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, idSchema, iso, isoOrNull, isoTime, nameSchema, reasonText } from './route-schemas.js';

const STATUSES = ['pending', 'active', 'expired', 'revoked'] as const;

export const exceptionSchema = z
  .object({
    id: idSchema,
    rule: nameSchema,
    identity: nameSchema,
    status: z.enum(STATUSES),
    justification: z.string().max(4000),
    compensatingControl: z.string().max(4000),
    expiresAt: isoTime,
    createdBy: nameSchema,
    createdAt: isoTime,
    approvedBy: nameSchema.nullable(),
    approvedAt: isoTime.nullable(),
    revokedBy: nameSchema.nullable(),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: 'SodException' });

function toItem(view: ExceptionView, now: number): ExceptionListItem {
  const status =
    view.revokedAt !== null ? 'revoked' : view.expiresAt <= now ? 'expired' : view.approvedBy ? 'active' : 'pending';
  return {
    ...view,
    status,
    expiresAt: iso(view.expiresAt),
    createdAt: iso(view.createdAt),
    approvedAt: isoOrNull(view.approvedAt),
    revokedAt: isoOrNull(view.revokedAt),
  };
}

const idParams = z.object({ id: idSchema });

export function registerExceptionRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/exceptions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['sod'],
        summary: "SoD exceptions: all for 'administer' or 'audit' holders, else those concerning you",
        querystring: z
          .object({ status: z.enum(STATUSES).optional(), identity: nameSchema.optional(), rule: nameSchema.optional() })
          .strict(),
        response: { 200: z.object({ exceptions: z.array(exceptionSchema).max(5000).readonly() }) },
      },
    },
    async (request) => ({
      exceptions: await listExceptions({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );

  app.post(
    '/v1/exceptions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['sod'],
        summary: 'Ask for an exception from a separation-of-duties rule (it counts once someone else approves it)',
        body: z
          .object({
            rule: nameSchema,
            identity: nameSchema,
            justification: z.string().min(1).max(4000),
            compensatingControl: z.string().min(1).max(4000),
            expiresAt: isoTime.describe('ISO-8601 expiry, at most one year away'),
          })
          .strict(),
        response: { 201: exceptionSchema },
      },
    },
    async (request, reply) => {
      const view = await createException({
        app: context,
        actor: principalOf(request).identity,
        input: { ...request.body, expiresAt: epochOf('expiresAt', request.body.expiresAt) },
      });
      return reply.code(201).send(toItem(view, context.clock.now()));
    },
  );

  app.post(
    '/v1/exceptions/:id/approve',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['sod'],
        summary: 'Approve an exception (an administrator who is neither its beneficiary nor its creator)',
        params: idParams,
        response: { 200: exceptionSchema },
      },
    },
    async (request) =>
      toItem(
        await approveException({
          app: context,
          actor: principalOf(request).identity,
          input: { id: request.params.id },
        }),
        context.clock.now(),
      ),
  );

  app.post(
    '/v1/exceptions/:id/revoke',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['sod'],
        summary: 'Revoke an exception (its beneficiary or an administrator)',
        params: idParams,
        body: z.object({ reason: reasonText.optional() }).strict().nullish(),
        response: { 200: exceptionSchema },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      const view = await revokeException({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...(reason === undefined ? {} : { reason }) },
      });
      return toItem(view, context.clock.now());
    },
  );
}
