/**
 * `/v1/tokens`: mint a token (for oneself, or for an NHI one owns), list one's own tokens
 * (metadata only) and revoke one. The secret is in the `POST` answer only.
 */
import { z } from 'zod';
import { issueToken, listTokens, revokeToken } from '../../features/access/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { issuedTokenViewSchema, revokedTokenViewSchema, tokenViewSchema } from '../../features/access/token.view.js';
import { durationSchema } from '../../policy/schema-primitives.js';
import { idSchema, policyName } from './route-schemas.js';

const issueBody = z
  .object({
    identity: policyName.optional().describe('whose token: yourself (default) or a non-human identity you own'),
    ttl: durationSchema
      .max(20)
      .optional()
      .describe('lifetime such as 1h (default 1h; at most 12h for humans, 30d for NHIs)'),
    description: z.string().max(200).optional(),
  })
  .strict();

export function registerTokenRoutes(app: ZodFastify, { app: context, tokenLimits }: RouteDeps): void {
  app.post(
    '/v1/tokens',
    {
      config: { access: 'authenticated', problems: ['not_found'] },
      schema: {
        tags: ['tokens'],
        summary: 'Mint an API token (shown once)',
        body: issueBody,
        response: { 201: issuedTokenViewSchema },
      },
    },
    async (request, reply) => {
      const actor = principalOf(request).identity;
      const { identity = actor, ttl, description } = request.body;
      const issued = await issueToken({
        app: context,
        actor,
        input: {
          identity,
          ...(ttl === undefined ? {} : { ttl }),
          ...(description === undefined ? {} : { description }),
        },
        limits: tokenLimits,
      });
      return reply.code(201).send(issued);
    },
  );

  app.get(
    '/v1/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['tokens'],
        summary: 'My API tokens (metadata only)',
        querystring: z.object({ all: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: z.object({ tokens: z.array(tokenViewSchema) }) },
      },
    },
    async (request) => ({
      tokens: await listTokens({
        app: context,
        actor: principalOf(request).identity,
        input: { includeInactive: request.query.all === 'true' },
      }),
    }),
  );

  app.delete(
    '/v1/tokens/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['tokens'],
        operationId: 'revokeToken',
        summary: "Revoke an API token (your own, an NHI's you own, or anyone's as an administer holder)",
        params: z.object({ id: idSchema }),
        response: { 200: revokedTokenViewSchema },
      },
    },
    async (request) =>
      revokeToken({
        app: context,
        actor: principalOf(request).identity,
        input: { id: request.params.id },
      }),
  );
}
