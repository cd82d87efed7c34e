/**
 * `/v1/resources`: resources you hold a duty on, with profile version, latest observation and open drift;
 * register or update an API resource (`PUT`, `administer` on its profile); push an observed configuration
 * (`POST …/observations`: `administer` or `provision` on its profile), which re-evaluates the baseline; list a
 * resource's observations with who sent each (`GET …/observations`, for whoever may see the resource).
 */
import { z } from 'zod';
import { observeResource } from '../../features/resources/resource-observe.verb.js';
import { putResource } from '../../features/resources/resource-put.verb.js';
import { getResource, listObservations, listResources } from '../../features/resources/resources.queries.js';
import { recordObservation } from '../../features/resources/resources.verbs.js';
import { SEVERITIES } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { countsBySeverity, epochOf, iso, isoTime, subjectText } from './route-schemas.js';
import { adminChangeViewSchema, toAdminChangeView } from '../../features/governance/admin-change.view.js';

const resourceName = z.string().min(1).max(63);
const short = z.string().max(500);
const attributes = z.record(short, z.union([short, z.number(), z.boolean()]));

export const resourceSchema = z
  .object({
    name: resourceName,
    profile: resourceName,
    profileVersion: z.string().max(100).nullable(),
    classification: z.string().max(20).nullable(),
    environment: z.string().max(200).nullable(),
    labels: z.record(short, short),
    owner: subjectText.nullable(),
    attributes,
    source: z.enum(['policy', 'api', 'discovery']),
    latestObservationAt: isoTime.nullable(),
    drift: countsBySeverity,
  })
  .meta({ id: 'Resource' });

const observationSchema = z
  .object({
    observationId: z.string().max(100),
    resource: resourceName,
    observedAt: isoTime,
    arrival: z.number().int().describe("its place in the resource's arrival order; the newest arrival is current"),
    profileVersion: z.string().max(100),
    results: z
      .array(
        z.object({
          check: z.string().max(200),
          severity: z.enum(SEVERITIES),
          status: z.string().max(30),
          message: z.string().max(2000),
        }),
      )
      .max(10_000)
      .readonly(),
    drift: countsBySeverity,
    newFindings: z.array(z.string().max(100)).max(10_000).readonly(),
    resolvedFindings: z.array(z.string().max(100)).max(10_000).readonly(),
  })
  .meta({ id: 'Observation' });

const idParams = z.object({ id: resourceName });

const observationListSchema = z
  .object({
    id: z.string().max(100),
    arrival: z.number().int(),
    observedAt: isoTime.describe('when the sender says the configuration was seen'),
    receivedAt: isoTime.describe('when Countersign recorded it'),
    sender: z.string().max(200).nullable().describe('who sent it'),
    source: z.enum(['provider', 'api']),
  })
  .meta({ id: 'ObservationRecord' });

export function registerResourceRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/resources',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary: 'Resources of the profiles you hold a duty on, with their drift',
        querystring: z.object({ profile: resourceName.optional() }).strict(),
        response: { 200: z.object({ resources: z.array(resourceSchema).max(1_000_000).readonly() }) },
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
        response: { 200: resourceSchema },
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
        response: { 200: resourceSchema, 202: adminChangeViewSchema },
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
        response: { 200: z.object({ observations: z.array(observationListSchema).max(500).readonly() }) },
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
            observedAt: isoTime.optional().describe('when the configuration was seen (default: now)'),
          })
          .strict(),
        response: { 201: observationSchema },
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
      return reply.code(201).send({ ...result, observedAt: iso(result.observedAt) });
    },
  );

  app.post(
    '/v1/resources/:id/observe',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['resources'],
        summary:
          "Ask the resource's provider for its configuration now, record it and re-evaluate the baseline ('administer' or 'provision')",
        params: idParams,
        response: { 201: observationSchema },
      },
    },
    async (request, reply) => {
      const result = await observeResource({
        app: context,
        actor: principalOf(request).identity,
        input: { resource: request.params.id },
      });
      return reply.code(201).send({ ...result, observedAt: iso(result.observedAt) });
    },
  );
}
