/**
 * The building blocks of the policy schemas: bounded names, references, durations, timestamps, labels and
 * attributes, each with a message in product words that quotes the offending value.
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../core/duration.js';

export const MAX_NAME = 63;
export const MAX_TEXT = 2000;
export const MAX_EXPRESSION = 4000;
/** pendingTimeout and activationWindow: a request may not wait longer than this. */
export const MAX_REQUEST_WAIT_SECONDS = 30 * 86_400;

export const NAME_BODY = '[a-z0-9][a-z0-9._-]*';
const NAME_PATTERN = new RegExp(`^${NAME_BODY}$`);

export function nameFormatMessage(input: unknown, what = 'a name'): string {
  if (typeof input === 'string' && /(^|:)system:/.test(input)) {
    return `'${input}': names starting with 'system:' are reserved for Countersign`;
  }
  return `'${String(input)}' is not ${what}: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit`;
}

/** Free text, bounded. */
export function text(max = MAX_TEXT) {
  return z.string().min(1).max(max);
}

export const nameSchema = z
  .string()
  .max(MAX_NAME)
  .regex(NAME_PATTERN, { error: (issue) => nameFormatMessage(issue.input) });

export const subjectRefSchema = z
  .string()
  .max(MAX_NAME + 9)
  .regex(new RegExp(`^(?:group|identity):${NAME_BODY}$`), {
    error: (issue) =>
      /:system:/.test(String(issue.input))
        ? nameFormatMessage(issue.input)
        : `'${String(issue.input)}' is not a reference: write 'group:NAME' or 'identity:NAME'`,
  });

export const approverRefSchema = z
  .string()
  .max(MAX_NAME + 9)
  .regex(new RegExp(`^(?:(?:group|identity|role):${NAME_BODY}|owners)$`), {
    error: (issue) =>
      /:system:/.test(String(issue.input))
        ? nameFormatMessage(issue.input)
        : `'${String(issue.input)}' is not an approver reference: write 'group:NAME', 'role:NAME', 'identity:NAME' or 'owners'`,
  });

const DURATION_PATTERN = /^(?:\d{1,9}[smhdw])+$/;
function durationMessage(input: unknown): string {
  return `'${String(input)}' is not a duration: write e.g. 90s, 15m, 8h, 1h30m or 90d`;
}

/** A Slack member id: `U…` (or `W…` on Enterprise Grid), as `users.info` and interaction payloads carry it. */
export const slackUserIdSchema = z
  .string()
  .max(32)
  .regex(/^[UW][A-Z0-9]{2,30}$/, { error: (issue) => `'${String(issue.input)}' is not a Slack member id (U…)` });

export const durationSchema = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : durationMessage(issue.input)) })
  .max(32)
  .regex(DURATION_PATTERN, { error: (issue) => durationMessage(issue.input), abort: true })
  .refine((value) => parseDurationSeconds(value) !== undefined, {
    error: (issue) => `${durationMessage(issue.input)} (it must be longer than zero)`,
    abort: true,
  });

/** A duration that bounds how long a request may wait: at most 30 days. */
export const waitDurationSchema = durationSchema.refine(
  (value) => (parseDurationSeconds(value) ?? 0) <= MAX_REQUEST_WAIT_SECONDS,
  { error: (issue) => `'${String(issue.input)}' is longer than the 30d maximum` },
);

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
export const timestampSchema = z
  .string()
  .max(40)
  .regex(TIMESTAMP_PATTERN, {
    error: (issue) => `'${String(issue.input)}' is not an RFC 3339 timestamp such as 2027-01-01T00:00:00Z`,
    abort: true,
  })
  .refine((value) => Number.isFinite(Date.parse(value)), {
    error: (issue) => `'${String(issue.input)}' is not a valid date`,
  });

const labelKeySchema = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { error: (issue) => `'${String(issue.input)}' is not a label key` });
export const labelsSchema = z.record(labelKeySchema, z.string().max(253));

const attributeKeySchema = z
  .string()
  .max(MAX_NAME)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (issue) => `'${String(issue.input)}' is not an attribute name: use letters, digits and '_'`,
  });
const attributeValueSchema = z.union([z.string().max(MAX_TEXT), z.number(), z.boolean()], {
  error: 'an attribute value must be a string, a number or a boolean',
});
export const attributesSchema = z.record(attributeKeySchema, attributeValueSchema);

export const envNameSchema = z
  .string()
  .max(255)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (issue) => `'${String(issue.input)}' is not an environment variable name`,
  });
