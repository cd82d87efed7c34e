/**
 * `/v1/profiles`: the resource profiles you hold a duty on; one in full (actions with risk, maximum duration and
 * approval rules summarised, baseline, break-glass, certification, governance); one explained in words (as
 * `countersign policy explain` prints it); every version ever loaded.
 */
import { z } from 'zod';
import {
  explainProfileInForce,
  getProfile,
  listProfileVersions,
  listProfiles,
} from '../../features/resources/index.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { policyName } from './route-schemas.js';
import {
  profileSummaryViewSchema,
  profileVersionViewSchema,
  profileViewSchema,
} from '../../features/resources/profile.view.js';
import { profileExplanationViewSchema } from '../../features/resources/profile-explain.view.js';

const nameParams = z.object({ name: policyName });

export function registerProfileRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/profiles',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary: 'The resource profiles in force that you hold a duty on',
        response: { 200: z.object({ profiles: z.array(profileSummaryViewSchema).max(100_000).readonly() }) },
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
        response: { 200: profileViewSchema },
      },
    },
    async (request) =>
      getProfile({ app: context, actor: principalOf(request).identity, input: { name: request.params.name } }),
  );

  app.get(
    '/v1/profiles/:name/explain',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary:
          'A profile in force explained in words, as `countersign policy explain` prints it: overview, baseline, actions and their approval rules, who holds which duty',
        params: nameParams,
        response: { 200: profileExplanationViewSchema },
      },
    },
    async (request) =>
      explainProfileInForce({
        app: context,
        actor: principalOf(request).identity,
        input: { name: request.params.name },
      }),
  );

  app.get(
    '/v1/profiles/:name/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['profiles'],
        summary: 'Every version of a profile ever loaded, oldest first',
        params: nameParams,
        response: { 200: z.object({ versions: z.array(profileVersionViewSchema).max(100_000).readonly() }) },
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
