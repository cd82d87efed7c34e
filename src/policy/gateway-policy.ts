/**
 * An action's `gateway` block (issue 14; docs/policy.md "Gateway"): its YAML schema and how it becomes the
 * model's `GatewayPolicy`. Rules are tried in order (first match wins) after the built-in denials of
 * `decide/gateway-statement.decide.ts`; `default` is `deny` unless written. Budgets: `maxRows` a count,
 * `maxBytes` a number of bytes or a size with PostgreSQL's units (`kB`, `MB`, `GB`, `TB`, powers of 1024).
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../core/duration.js';
import { COLUMN_MASKS, type CompiledExpression, type GatewayPolicy, type GatewayRule } from './model.js';
import { MAX_EXPRESSION, MAX_NAME, durationSchema, nameSchema, text } from './schema-primitives.js';

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};
const SIZE_PATTERN = /^(\d{1,12})\s?(B|kB|MB|GB|TB)$/;
/** No session budget above 1 PB: a larger number is a typo. */
const MAX_BUDGET = 1024 ** 5;

/** `200MB` → 209715200; a whole number is a number of bytes; undefined when neither. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const match = SIZE_PATTERN.exec(value);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (SIZE_UNITS[match[2] as string] ?? 0);
  return bytes > 0 && bytes <= MAX_BUDGET ? bytes : undefined;
}

const byteSizeSchema = z.union([z.number(), z.string().max(32)]).refine((value) => parseByteSize(value) !== undefined, {
  error: (issue) =>
    `'${String(issue.input)}' is not a size: write a number of bytes or e.g. 512kB, 200MB, 2GB (units of 1024)`,
});

const gatewayRuleSchema = z
  .strictObject({
    name: nameSchema.optional(),
    when: text(MAX_EXPRESSION).optional(),
    allow: z.literal(true, { error: "'allow' can only be true; use 'deny: MESSAGE' to refuse" }).optional(),
    deny: text().optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.allow === undefined) === (rule.deny === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          rule.allow === undefined
            ? "a gateway rule needs one outcome: 'allow: true' or 'deny: MESSAGE'"
            : "a gateway rule has exactly one outcome, this one has 'allow' and 'deny'",
      });
    }
  });

const columnMaskSchema = z.strictObject({
  column: z.string().min(1).max(MAX_NAME),
  table: z
    .string()
    .min(1)
    .max(2 * MAX_NAME + 1)
    .optional(),
  mask: z.enum(COLUMN_MASKS),
});

/** The YAML of an action's `gateway` block. */
export const gatewaySpecSchema = z
  .strictObject({
    rules: z.array(gatewayRuleSchema).max(200).optional(),
    default: z.enum(['deny', 'allow']).optional(),
    statementTimeout: durationSchema.optional(),
    maxRows: z.number().int().positive().max(MAX_BUDGET).optional(),
    maxBytes: byteSizeSchema.optional(),
    masks: z.array(columnMaskSchema).max(200).optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    for (const [i, rule] of (spec.rules ?? []).entries()) {
      if (rule.name === undefined) continue;
      if (seen.has(rule.name)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `rule '${rule.name}' is named twice` });
      }
      seen.add(rule.name);
    }
  });

export type GatewaySpec = z.infer<typeof gatewaySpecSchema>;

/**
 * The model of a `gateway` block. `expressionAt(i)` is the compiled `when` of rule `i` (compiled where it is
 * written, by `profile-parts.compile.ts`).
 */
export function buildGatewayPolicy(
  spec: GatewaySpec,
  expressionAt: (index: number) => CompiledExpression | undefined,
): GatewayPolicy {
  const rules: GatewayRule[] = (spec.rules ?? []).map((rule, i) => {
    const when = rule.when === undefined ? undefined : expressionAt(i);
    if (rule.when !== undefined && when === undefined) throw new Error(`internal: '${rule.when}' was not compiled`);
    return {
      name: rule.name ?? `rule-${i + 1}`,
      ...(when ? { when } : {}),
      ...(rule.allow === true ? { allow: true as const } : { deny: rule.deny ?? 'denied' }),
    };
  });
  const timeout = spec.statementTimeout === undefined ? undefined : parseDurationSeconds(spec.statementTimeout);
  const maxBytes = spec.maxBytes === undefined ? undefined : parseByteSize(spec.maxBytes);
  return {
    rules,
    otherwise: spec.default ?? 'deny',
    ...(timeout !== undefined ? { statementTimeoutSeconds: timeout } : {}),
    ...(spec.maxRows !== undefined ? { maxRows: spec.maxRows } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    masks: (spec.masks ?? []).map((mask) => ({
      column: mask.column,
      ...(mask.table !== undefined ? { table: mask.table } : {}),
      mask: mask.mask,
    })),
  };
}
