/**
 * `/v1/identities`: list identities and read one (readers: `administer` or `audit`; anyone reads itself), and
 * offboard one (`POST …/disable`, `administer`): revokes its grants, cancels its requests, invalidates its
 * tokens and flags the NHIs it owns, in one audited step.
 */
import { z } from 'zod';
import { getIdentity, listIdentities } from '../../features/access/index.js';
import { disableIdentity } from '../../features/access/index.js';
import { IDENTITY_KINDS } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { limitSchema, policyName, reasonText } from './route-schemas.js';
import {
  disabledIdentityViewSchema,
  identityViewSchema,
  toDisabledIdentityView,
} from '../../features/access/identity.view.js';

const nameParams = z.object({ name: policyName });

export function registerIdentityRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/identities',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identities'],
        summary: "Identities by name, a page at a time ('administer' or 'audit' holders)",
        querystring: z
          .object({ kind: z.enum(IDENTITY_KINDS).optional(), after: policyName.optional(), limit: limitSchema(1000) })
          .strict(),
        response: {
          200: z.object({ identities: z.array(identityViewSchema).readonly(), next: policyName.nullable() }),
        },
      },
    },
    async (request) => listIdentities({ app: context, actor: principalOf(request).identity, input: request.query }),
  );

  app.get(
    '/v1/identities/:name',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['identities'],
        summary: "One identity: your own, or anyone's as an 'administer' or 'audit' holder",
        params: nameParams,
        response: { 200: identityViewSchema },
      },
    },
    async (request) =>
      getIdentity({ app: context, actor: principalOf(request).identity, input: { name: request.params.name } }),
  );

  app.post(
    '/v1/identities/:name/disable',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['identities'],
        summary: 'Offboard an identity: revoke its grants, cancel its requests, invalidate its tokens',
        params: nameParams,
        body: z.object({ reason: reasonText.optional() }).strict().nullish(),
        response: { 200: disabledIdentityViewSchema },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      const result = await disableIdentity({
        app: context,
        actor: principalOf(request).identity,
        input: { identity: request.params.name, ...(reason === undefined ? {} : { reason }) },
      });
      return toDisabledIdentityView(result);
    },
  );
}
