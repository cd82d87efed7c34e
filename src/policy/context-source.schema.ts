/**
 * The `ContextSource` policy kind (docs/integrations.md "Context sources: on-call and tickets"): an outside
 * system that approval rules and break-glass conditions may consult in CEL — who is on call (`pagerduty`,
 * `opsgenie`), what a ticket says (`jira`), or fields of any JSON answer (`http`). The credential is named by an
 * environment variable, never written in YAML, and every call is bounded by a timeout and cached for a while.
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../core/duration.js';
import { durationSchema, envNameSchema, MAX_NAME, text } from './schema-primitives.js';

/** Longest a single call to a source may take, and longest its answers may be cached. */
export const MAX_CONTEXT_TIMEOUT_SECONDS = 30;
export const MAX_CONTEXT_CACHE_SECONDS = 86_400;

/** Placeholders a generic `http` source may use in its path; each value is encoded as one path segment or value. */
export const HTTP_PLACEHOLDERS = ['requester', 'resource', 'action', 'ticket', 'profile'] as const;

const baseUrlSchema = z
  .string()
  .max(500)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.search === '' && url.hash === '';
      } catch {
        return false;
      }
    },
    { error: (issue) => `'${String(issue.input)}' is not an http(s) base URL without query or fragment` },
  );

const timeoutSchema = durationSchema.refine(
  (value) => (parseDurationSeconds(value) ?? 0) <= MAX_CONTEXT_TIMEOUT_SECONDS,
  { error: (issue) => `'${String(issue.input)}' is longer than the ${MAX_CONTEXT_TIMEOUT_SECONDS}s maximum` },
);

// `0s` turns caching off, which the general duration schema (longer than zero) does not accept.
const cacheTtlSchema = z
  .union([z.literal('0s'), durationSchema])
  .refine((value) => (parseDurationSeconds(value) ?? 0) <= MAX_CONTEXT_CACHE_SECONDS, {
    error: (issue) => `'${String(issue.input)}' is longer than the 1d maximum`,
  });

/** How a service's users become Countersign identities: by e-mail address, or by an identity attribute. */
const identityMappingSchema = z.union([
  z.strictObject({ match: z.literal('email') }),
  z.strictObject({
    match: z.literal('attribute'),
    attribute: z
      .string()
      .max(MAX_NAME)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: (issue) => `'${String(issue.input)}' is not an attribute name`,
      }),
  }),
]);

const serviceId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, { error: (issue) => `'${String(issue.input)}' is not a service id` });

const common = {
  baseUrl: baseUrlSchema,
  timeout: timeoutSchema.optional(),
  cacheTtl: cacheTtlSchema.optional(),
  description: text().optional(),
};

const fieldName = z
  .string()
  .max(MAX_NAME)
  .regex(/^[a-z][A-Za-z0-9_]*$/, {
    error: (issue) => `'${String(issue.input)}' is not a field name: a lower-case letter, then letters, digits, '_'`,
  });

/** `$.a.b[0].c`: dotted names and list indices, nothing evaluated. */
export const JSON_PATH_PATTERN = /^\$(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d{1,6}\])*$/;

const jsonPath = z
  .string()
  .max(300)
  .regex(JSON_PATH_PATTERN, {
    error: (issue) => `'${String(issue.input)}' is not a JSON path such as '$.data.owner' or '$.items[0].id'`,
  });

const pathTemplate = z
  .string()
  .max(500)
  .regex(/^\/[^\s#]*$/, { error: (issue) => `'${String(issue.input)}' is not a path starting with '/'` })
  .superRefine((value, ctx) => {
    for (const [, name] of value.matchAll(/\{([^}]*)\}/g)) {
      if (!(HTTP_PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
        ctx.addIssue({
          code: 'custom',
          message: `'{${name}}' is not a placeholder (available: ${HTTP_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
        });
      }
    }
  });

export const contextSourceSpecSchema = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('pagerduty'),
      ...common,
      tokenEnv: envNameSchema,
      schedules: z.array(serviceId).min(1).max(20).optional(),
      escalationPolicies: z.array(serviceId).min(1).max(20).optional(),
      identities: identityMappingSchema.optional(),
    })
    .superRefine((spec, ctx) => {
      if (spec.schedules === undefined && spec.escalationPolicies === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: "a pagerduty source needs 'schedules' or 'escalationPolicies'",
        });
      }
    }),
  z.strictObject({
    type: z.literal('opsgenie'),
    ...common,
    tokenEnv: envNameSchema,
    schedule: serviceId,
    identities: identityMappingSchema.optional(),
  }),
  z
    .strictObject({
      type: z.literal('jira'),
      ...common,
      auth: z.enum(['basic', 'bearer']).optional(),
      tokenEnv: envNameSchema,
      userEnv: envNameSchema.optional(),
      identities: identityMappingSchema.optional(),
      tickets: z.boolean().optional(),
    })
    .superRefine((spec, ctx) => {
      if ((spec.auth ?? 'bearer') === 'basic' && spec.userEnv === undefined) {
        ctx.addIssue({ code: 'custom', path: [], message: "'auth: basic' needs 'userEnv' (the account's e-mail)" });
      }
      if ((spec.auth ?? 'bearer') === 'bearer' && spec.userEnv !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['userEnv'], message: "'userEnv' is for 'auth: basic' only" });
      }
    }),
  z.strictObject({
    type: z.literal('http'),
    ...common,
    path: pathTemplate,
    tokenEnv: envNameSchema.optional(),
    fields: z.record(fieldName, jsonPath).refine((fields) => Object.keys(fields).length > 0, {
      message: "an http source needs at least one field in 'fields'",
    }),
  }),
]);

export type ContextSourceSpec = z.infer<typeof contextSourceSpecSchema>;
