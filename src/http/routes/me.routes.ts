/** `GET /v1/me`: the caller's identity and the duties it holds now. */
import { describeMe } from '../../features/access/index.js';
import { meViewSchema } from '../../features/access/me.view.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';

export function registerMeRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identities'],
        summary: 'Who am I: my identity and the duties I hold now',
        response: { 200: meViewSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const me = await describeMe({ app: context, actor: principal.identity, input: {} });
      return { ...me, authenticatedWith: principal.method };
    },
  );
}
