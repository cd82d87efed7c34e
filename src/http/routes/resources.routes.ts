/**
 * `/v1/resources`: resources you hold a duty on, with profile version, latest observation and open drift;
 * register or update an API resource (`PUT`, `administer` on its profile); push an observed configuration
 * (`POST …/observations`: `administer` or `provision` on its profile), which re-evaluates the baseline; list a
 * resource's observations with who sent each (`GET …/observations`, for whoever may see the resource).
 */
import { z } from 'zod';
import { observeResource } from '../../features/resources/index.js';
import { putResource } from '../../features/resources/index.js';
import { getResource, listObservations, listResources } from '../../features/resources/index.js';
import { recordObservation } from '../../features/resources/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { epochOf, isoTime, policyName, subjectText } from './route-schemas.js';
import { adminChangeViewSchema, toAdminChangeView } from '../../features/governance/admin-change.view.js';
import {
  observationRecordViewSchema,
  observationViewSchema,
  resourceViewSchema,
  toObservationView,
} from '../../features/resources/resource.view.js';

const resourceName = policyName;
const short = z.string().max(500);
const attributes = z.record(short, z.union([short, z.number(), z.boolean()]));

const idParams = z.object({ id: resourceName });

export function registerResourceRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/resources',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary: 'Resources of the profiles you hold a duty on, with their drift',
        querystring: z.object({ profile: resourceName.optional() }).strict(),
        response: { 200: z.object({ resources: z.array(resourceViewSchema).max(1_000_000).readonly() }) },
      },
    },
    async (request) => ({
      resources: await listResources({ app: context, actor: principalOf(request).identity, input: request.query }),
    }),
  );

  app.get(
    '/v1/resources/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary: "A resource with its profile's version, latest observation time and open drift counts",
        params: idParams,
        response: { 200: resourceViewSchema },
      },
    },
    async (request) =>
      getResource({ app: context, actor: principalOf(request).identity, input: { name: request.params.id } }),
  );

  app.put(
    '/v1/resources/:id',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['resources'],
        summary:
          'Register a resource through the API, or update one registered so. Registering or re-binding it (profile, connection, owner, labels) answers 202 with a change a second administrator approves; an update of attributes alone applies at once',
        params: idParams,
        body: z
          .object({
            profile: resourceName,
            labels: z.record(short, short).optional(),
            owner: subjectText.optional(),
            connection: z
              .record(short, short)
              .optional()
              .describe(
                "{ name } of a connection the operator allow-listed ('serve --allow-connection'); nothing else",
              ),
            attributes: attributes.optional(),
          })
          .strict(),
        response: { 200: resourceViewSchema, 202: adminChangeViewSchema },
      },
    },
    async (request, reply) => {
      const actor = principalOf(request).identity;
      const result = await putResource({
        app: context,
        actor,
        input: { name: request.params.id, ...request.body },
      });
      if ('pending' in result) return reply.code(202).send(toAdminChangeView(result.pending));
      const view = await getResource({ app: context, actor, input: { name: request.params.id } });
      return reply.code(200).send(view);
    },
  );

  app.get(
    '/v1/resources/:id/observations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary: "A resource's observations, newest arrival first, with who sent each and when it arrived",
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict(),
        response: { 200: z.object({ observations: z.array(observationRecordViewSchema).max(500).readonly() }) },
      },
    },
    async (request) => ({
      observations: await listObservations({
        app: context,
        actor: principalOf(request).identity,
        input: {
          name: request.params.id,
          ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
        },
      }),
    }),
  );

  app.post(
    '/v1/resources/:id/observations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary:
          "Record a resource's observed configuration and re-evaluate its baseline ('administer' or 'provision')",
        params: idParams,
        body: z
          .object({
            config: z.record(z.string().max(200), z.unknown()),
            observedAt: isoTime
              .optional()
              .describe('when the configuration was seen, RFC 3339 with its zone (default: now)'),
          })
          .strict(),
        response: { 201: observationViewSchema },
      },
    },
    async (request, reply) => {
      const { config, observedAt } = request.body;
      const result = await recordObservation({
        app: context,
        actor: principalOf(request).identity,
        input: {
          resource: request.params.id,
          config,
          source: 'api',
          ...(observedAt === undefined ? {} : { observedAt: epochOf('observedAt', observedAt) }),
        },
      });
      return reply.code(201).send(toObservationView(result));
    },
  );

  app.post(
    '/v1/resources/:id/observe',
    {
      config: { access: 'authenticated', problems: ['provider_failed'] },
      schema: {
        tags: ['resources'],
        summary:
          "Ask the resource's provider for its configuration now, record it and re-evaluate the baseline ('administer' or 'provision')",
        params: idParams,
        response: { 201: observationViewSchema },
      },
    },
    async (request, reply) => {
      const result = await observeResource({
        app: context,
        actor: principalOf(request).identity,
        input: { resource: request.params.id },
      });
      return reply.code(201).send(toObservationView(result));
    },
  );
}
