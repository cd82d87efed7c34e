/**
 * `/v1/profiles`: the resource profiles you hold a duty on; one in full (actions with risk, maximum duration and
 * approval rules summarised, baseline, break-glass, certification, governance); every version ever loaded.
 */
import { z } from 'zod';
import { getProfile, listProfileVersions, listProfiles } from '../../features/resources/profiles.queries.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { isoTime } from './route-schemas.js';

const name = z.string().min(1).max(63);
const text = z.string().max(4000);
const refs = z.array(z.string().max(220)).max(1000).readonly();
const duration = z.string().max(20);

const summarySchema = z
  .object({
    name,
    version: z.string().max(100),
    classification: z.string().max(20),
    environment: z.string().max(200),
    owners: refs,
    labels: z.record(z.string().max(500), z.string().max(500)),
    extends: name.nullable(),
    provider: z.string().max(20),
    actions: z.array(z.string().max(200)).max(1000).readonly(),
  })
  .meta({ id: 'ProfileSummary' });

const ruleSchema = z.object({
  name: z.string().max(200),
  when: text.nullable(),
  outcome: z.enum(['auto', 'deny', 'steps']),
  message: text.nullable(),
  steps: z
    .array(z.object({ from: refs, count: z.number().int(), independent: z.boolean() }))
    .max(100)
    .readonly(),
  summary: z.string().max(20_000),
});

const profileSchema = summarySchema
  .extend({
    loadedAt: isoTime.nullable(),
    actionDetails: z
      .array(
        z.object({
          name: z.string().max(200),
          risk: z.string().max(20),
          description: text.nullable(),
          kind: z.enum(['grant', 'execute']),
          maxDuration: duration,
          maxDurationSeconds: z.number().int(),
          requireJustification: z.boolean(),
          ticketPattern: z.string().max(1000).nullable(),
          pendingTimeout: duration,
          activationWindow: duration,
          params: z.record(z.string(), z.unknown()).nullable(),
          approval: z.array(ruleSchema).max(100).readonly(),
        }),
      )
      .max(1000)
      .readonly(),
    baseline: z
      .array(
        z.object({
          name: z.string().max(200),
          expr: text,
          severity: z.string().max(20),
          message: text,
          whenAbsent: z.string().max(20),
        }),
      )
      .max(1000)
      .readonly(),
    breakGlass: z
      .object({
        allowed: refs,
        actions: z.array(z.string().max(200)).max(1000).readonly(),
        maxDuration: duration,
        reviewWithin: duration,
      })
      .nullable(),
    certification: z.object({ every: duration }).nullable(),
    governance: z.object({ approvers: refs }),
  })
  .meta({ id: 'Profile' });

const versionSchema = z
  .object({
    version: z.string().max(100),
    firstLoadedAt: isoTime,
    policyLoadId: z.string().max(100).nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'ProfileVersion' });

const nameParams = z.object({ name });

export function registerProfileRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/profiles',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary: 'The resource profiles in force that you hold a duty on',
        response: { 200: z.object({ profiles: z.array(summarySchema).max(100_000).readonly() }) },
      },
    },
    async (request) => ({
      profiles: await listProfiles({ app: context, actor: principalOf(request).identity, input: {} }),
    }),
  );

  app.get(
    '/v1/profiles/:name',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary: 'A profile in force: actions, approval rules, baseline, break-glass, certification, governance',
        params: nameParams,
        response: { 200: profileSchema },
      },
    },
    async (request) =>
      getProfile({ app: context, actor: principalOf(request).identity, input: { name: request.params.name } }),
  );

  app.get(
    '/v1/profiles/:name/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary: 'Every version of a profile ever loaded, oldest first',
        params: nameParams,
        response: { 200: z.object({ versions: z.array(versionSchema).max(100_000).readonly() }) },
      },
    },
    async (request) => ({
      versions: await listProfileVersions({
        app: context,
        actor: principalOf(request).identity,
        input: { name: request.params.name },
      }),
    }),
  );
}
