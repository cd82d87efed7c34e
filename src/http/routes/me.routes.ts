/** `GET /v1/me`: the caller's identity and the duties it holds now. */
import { z } from 'zod';
import { describeMe } from '../../features/access/me.verbs.js';
import { DUTIES } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

const holding = z.object({ duty: z.enum(DUTIES), role: z.string().max(200), scope: z.string().max(4000) });

export const meSchema = z
  .object({
    identity: z.string().max(200),
    kind: z.string().max(20),
    email: z.string().max(320).nullable(),
    owner: z.string().max(200).nullable(),
    groups: z.array(z.string().max(200)).max(1000).readonly(),
    authenticatedWith: z.enum(['api_token', 'oidc']),
    duties: z.array(z.enum(DUTIES)).readonly(),
    holdings: z.array(holding).max(10_000).readonly(),
    eligible: z.array(holding).max(10_000).readonly(),
  })
  .meta({ id: 'Me' });

export function registerMeRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identities'],
        summary: 'Who am I: my identity and the duties I hold now',
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const me = await describeMe({ app: context, actor: principal.identity, input: {} });
      return { ...me, authenticatedWith: principal.method };
    },
  );
}
