/**
 * `/v1/exceptions`: SoD exceptions. Anyone may ask for one for themselves and read those that concern them;
 * `administer` holders create them for others and approve them (never their own); the beneficiary or an
 * administrator revokes one. Readers of all of them: `administer` or `audit` holders.
 */
import { z } from 'zod';
import { listExceptions } from '../../features/governance/index.js';
import { approveException, createException, revokeException } from '../../features/governance/index.js';
import {
  SOD_EXCEPTION_STATUSES,
  sodExceptionViewSchema,
  toSodExceptionView,
} from '../../features/governance/sod-exception.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, idSchema, isoTime, policyName, reasonText } from './route-schemas.js';

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
          .object({
            status: z.enum(SOD_EXCEPTION_STATUSES).optional(),
            identity: policyName.optional(),
            rule: policyName.optional(),
          })
          .strict(),
        response: { 200: z.object({ exceptions: z.array(sodExceptionViewSchema).max(5000).readonly() }) },
      },
    },
    async (request) => ({
      exceptions: await listExceptions({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );

  app.post(
    '/v1/exceptions',
    {
      config: { access: 'authenticated', problems: ['not_found'] },
      schema: {
        tags: ['sod'],
        summary: 'Ask for an exception from a separation-of-duties rule (it counts once someone else approves it)',
        body: z
          .object({
            rule: policyName,
            identity: policyName,
            justification: z.string().min(1).max(4000),
            compensatingControl: z.string().min(1).max(4000),
            expiresAt: isoTime.describe('RFC 3339 expiry (with its zone), at most one year away'),
          })
          .strict(),
        response: { 201: sodExceptionViewSchema },
      },
    },
    async (request, reply) => {
      const view = await createException({
        app: context,
        actor: principalOf(request).identity,
        input: { ...request.body, expiresAt: epochOf('expiresAt', request.body.expiresAt) },
      });
      return reply.code(201).send(toSodExceptionView(view, context.clock.now()));
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
        response: { 200: sodExceptionViewSchema },
      },
    },
    async (request) =>
      toSodExceptionView(
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
        response: { 200: sodExceptionViewSchema },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      const view = await revokeException({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id, ...(reason === undefined ? {} : { reason }) },
      });
      return toSodExceptionView(view, context.clock.now());
    },
  );
}
