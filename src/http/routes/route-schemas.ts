/**
 * Zod pieces the route modules share for what they read: bounded names and texts, ISO-8601 times in requests and
 * their conversion to the epoch milliseconds verbs speak. What a route answers is a feature's view
 * (`features/<feature>/*.view.ts`), never a schema of its own.
 *
 * These schemas are also the OpenAPI document the console's client is generated from, so each says exactly what
 * the server accepts (no looser): names as the policy writes them, ids as the server makes them, times with their
 * zone. A path parameter is at most 200 characters (`router-errors.ts` counts on it).
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { nameSchema as policyNameSchema, subjectRefSchema, timestampSchema } from '../../policy/schema-primitives.js';

/** Free text naming something (an audit actor, which may be `system:…`): bounded, nothing more. */
export const nameSchema = z.string().min(1).max(200);
/**
 * A name the policy gave (identity, group, role, profile, resource, SoD rule): lower-case letters, digits, `.`, `_`
 * and `-`, at most 63 characters; nothing else can name one.
 */
export const policyName = policyNameSchema;
/** An id the server made (`req_…`, `tok_…`): a prefix and base64url, case-sensitive. */
export const idSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id such as req_4mT0…: letters, digits, "_" and "-"');
/** An RFC 3339 time with its zone (`2026-01-15T09:00:00Z`, `…+02:00`); a time without one would be ambiguous. */
export const isoTime = timestampSchema;
export const reasonText = z.string().min(1).max(2000);
/** A calendar day, `2026-01-31` (ISO 8601). */
export const isoDate = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-01-31');
/** `group:NAME` or `identity:NAME`, NAME a policy name. */
export const subjectText = subjectRefSchema;

/**
 * A comma-separated list of `values` in a query string (`status=pending,approved`), as the list it names; spaces
 * around the commas are allowed, an empty string means no filter.
 */
export function commaSeparated<const T extends string>(values: readonly [T, ...T[]]) {
  const one = `(?:${values.join('|')})`;
  const pattern = new RegExp(`^(?:\\s*${one}\\s*(?:,\\s*${one}\\s*)*)?$`);
  return z
    .string()
    .max(200)
    .regex(pattern, `a comma-separated list of ${values.join(', ')}`)
    .transform((text): T[] | undefined => {
      const list = text
        .split(',')
        .map((value) => value.trim())
        .filter((value) => value !== '');
      return list.length === 0 ? undefined : ([...new Set(list)] as T[]);
    })
    .describe(`comma-separated: ${values.join(', ')}`);
}
/** A page size in a query string: 1 … `max`. */
export function limitSchema(max: number): z.ZodOptional<z.ZodCoercedNumber<unknown>> {
  return z.coerce.number().int().min(1).max(max).optional();
}

/** An ISO-8601 time from a request as epoch milliseconds; `invalid` names the field when it is not one. */
export function epochOf(field: string, text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new AppError('invalid', `${field} '${text}' is not an ISO-8601 time such as 2026-01-15T09:00:00Z`);
  }
  return ms;
}

/** `group:NAME` / `identity:NAME` as a subject reference. */
export function parseSubjectText(text: string): { type: 'group' | 'identity'; name: string } {
  const at = text.indexOf(':');
  return { type: text.slice(0, at) === 'group' ? 'group' : 'identity', name: text.slice(at + 1) };
}
