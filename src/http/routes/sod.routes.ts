/** `GET /v1/sod/conflicts`: the detective separation-of-duties scan over the policy in force (`administer` or `audit`). */
import { z } from 'zod';
import { scanSodConflicts } from '../../features/access/admin.queries.js';
import { DUTIES } from '../../policy/model.js';
import type { RouteDeps, ZodFastify } from '../app.js';
import { principalOf } from '../guard.js';
import { isoTime, nameSchema } from './route-schemas.js';
import { exceptionSchema } from './exceptions.routes.js';

const conflictSchema = z
  .object({
    rule: nameSchema,
    scope: z.enum(['profile', 'global']),
    identity: nameSchema,
    profile: nameSchema.nullable(),
    holdings: z
      .array(
        z.object({
          duty: z.enum(DUTIES),
          role: nameSchema,
          via: z.string().max(220),
          assignment: z.enum(['standing', 'eligible']),
        }),
      )
      .max(1000)
      .readonly(),
    message: z.string().max(4000),
    exception: exceptionSchema.nullable(),
  })
  .meta({ id: 'SodConflict' });

const scanSchema = z
  .object({
    at: isoTime,
    identities: z.number().int(),
    rules: z.number().int(),
    unsuppressed: z.number().int(),
    suppressed: z.number().int(),
    conflicts: z.array(conflictSchema).max(1_000_000).readonly(),
    humanOnly: z
      .array(z.object({ identity: nameSchema, duty: z.enum(DUTIES), role: nameSchema, message: z.string().max(2000) }))
      .max(1_000_000)
      .readonly(),
  })
  .meta({ id: 'SodScan' });

export function registerSodRoutes(app: ZodFastify, { app: context }: RouteDeps): void {
  app.get(
    '/v1/sod/conflicts',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['sod'],
        summary:
          "Every current separation-of-duties conflict, suppressed ones with their exception ('administer' or 'audit')",
        response: { 200: scanSchema },
      },
    },
    async (request) => scanSodConflicts({ app: context, actor: principalOf(request).identity, input: {} }),
  );
}
