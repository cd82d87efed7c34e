/**
 * Per-provider shapes (the table in docs/policy.md): the provider settings of a profile and the `grant` and
 * `execute` settings of its actions. Provider settings are checked where they are written; an action's
 * `grant`/`execute` is checked against the provider of the resolved profile, since `extends` may supply it.
 */
import { z } from 'zod';
import { durationSchema, envNameSchema } from './schema-primitives.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const ANY_PLACEHOLDERS = ['params', 'resource', 'request', 'grant'] as const;
type PlaceholderSource = (typeof ANY_PLACEHOLDERS)[number];

function placeholderProblem(element: string, allowed: readonly PlaceholderSource[]): string | undefined {
  for (const [, inner] of element.matchAll(PLACEHOLDER)) {
    const ok =
      (allowed.includes('params') && /^params\.[A-Za-z_][A-Za-z0-9_]*$/.test(inner ?? '')) ||
      (allowed.includes('resource') && /^resource\.(?:name|attributes\.[A-Za-z_][A-Za-z0-9_]*)$/.test(inner ?? '')) ||
      (allowed.includes('request') && inner === 'request.id') ||
      (allowed.includes('grant') && inner === 'grant.expiresAt');
    if (!ok) {
      const names = [
        allowed.includes('params') ? '{params.NAME}' : undefined,
        allowed.includes('resource') ? '{resource.name}, {resource.attributes.NAME}' : undefined,
        allowed.includes('request') ? '{request.id}' : undefined,
        allowed.includes('grant') ? '{grant.expiresAt}' : undefined,
      ].filter((name) => name !== undefined);
      return `unknown placeholder '{${inner ?? ''}}' (allowed here: ${names.join(', ')})`;
    }
  }
  return undefined;
}

function argvSchema(allowed: readonly PlaceholderSource[]) {
  return z
    .array(
      z
        .string()
        .min(1)
        .max(4000)
        .superRefine((element, ctx) => {
          const problem = placeholderProblem(element, allowed);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .min(1)
    .max(256);
}

const pgRoleSchema = z
  .string()
  .max(63)
  .regex(/^[a-z_][a-z0-9_$]*$/, {
    error: (issue) => `'${String(issue.input)}' is not a PostgreSQL role name (lower-case letters, digits, '_')`,
  });
const freeSettings = z.record(z.string().max(63), z.unknown());
const instructions = z.string().min(1).max(2000);

/** Provider settings as written in one profile: every setting optional (a derived profile may set some). */
export const providerSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('postgres'), database: z.string().min(1).max(63).optional() }),
    z.strictObject({
      type: z.literal('exec'),
      timeout: durationSchema.optional(),
      maxOutputBytes: z.number().int().min(1).max(100_000_000).optional(),
      observeArgv: argvSchema(['resource']).optional(),
      list: z.strictObject({ argv: argvSchema(['resource']), timeout: durationSchema.optional() }).optional(),
    }),
    z.strictObject({
      type: z.literal('webhook'),
      urlEnv: envNameSchema.optional(),
      secretEnv: envNameSchema.optional(),
      timeout: durationSchema.optional(),
    }),
    z.strictObject({ type: z.literal('manual') }),
    z.strictObject({ type: z.literal('noop') }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' && issue.input !== undefined
        ? `'${String((issue.input as { type?: unknown }).type)}' is not a provider type: use postgres, exec, webhook, manual or noop`
        : undefined,
  },
);

/** Settings that the resolved provider must have, after `extends` has merged them. */
export const REQUIRED_PROVIDER_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  webhook: ['urlEnv', 'secretEnv'],
};

interface ActionShapes {
  readonly grant: z.ZodType;
  readonly execute: z.ZodType;
}

/** The `grant` and `execute` shapes per provider type. */
export const ACTION_SHAPES: Readonly<Record<string, ActionShapes>> = {
  postgres: {
    grant: z.strictObject({ role: pgRoleSchema }),
    execute: z.strictObject({
      role: pgRoleSchema,
      statementTimeout: durationSchema.optional(),
      maxRows: z.number().int().min(1).max(1_000_000).optional(),
      maxBytes: z.number().int().min(1).max(1_000_000_000).optional(),
    }),
  },
  exec: {
    grant: z.strictObject({
      argv: argvSchema(ANY_PLACEHOLDERS),
      revokeArgv: argvSchema(ANY_PLACEHOLDERS).optional(),
      timeout: durationSchema.optional(),
    }),
    execute: z.strictObject({
      argv: argvSchema(['params', 'resource', 'request']),
      timeout: durationSchema.optional(),
    }),
  },
  webhook: { grant: freeSettings, execute: freeSettings },
  manual: {
    grant: z.strictObject({ instructions: instructions.optional() }),
    execute: z.strictObject({ instructions: instructions.optional() }),
  },
  noop: { grant: freeSettings, execute: freeSettings },
};
