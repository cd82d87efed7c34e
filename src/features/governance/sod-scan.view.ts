/**
 * The detective separation-of-duties scan as `GET /v1/sod/conflicts` answers it and `countersign sod scan`
 * prints it (`SodScan`, `SodConflict` in the OpenAPI document): every conflict in force, a suppressed one with
 * the exception that suppresses it.
 */
import { z } from 'zod';
import { DUTIES } from '../../policy/model.js';
import { isoTime, text } from '../../app/view-fields.js';
import { sodExceptionViewSchema } from './sod-exception.view.js';

export const sodConflictViewSchema = z
  .object({
    rule: text(200),
    scope: z.enum(['profile', 'global']),
    identity: text(200),
    profile: text(200).nullable(),
    holdings: z
      .array(
        z.object({
          duty: z.enum(DUTIES),
          role: text(200),
          via: text(220),
          assignment: z.enum(['standing', 'eligible']),
        }),
      )
      .max(1000)
      .readonly(),
    message: text(4000),
    /** The approved, unexpired exception that suppresses this conflict. */
    exception: sodExceptionViewSchema.nullable(),
  })
  .meta({ id: 'SodConflict' });

export type SodConflictView = z.infer<typeof sodConflictViewSchema>;

export const sodScanViewSchema = z
  .object({
    at: isoTime,
    identities: z.number().int(),
    rules: z.number().int(),
    unsuppressed: z.number().int(),
    suppressed: z.number().int(),
    conflicts: z.array(sodConflictViewSchema).max(1_000_000).readonly(),
    humanOnly: z
      .array(z.object({ identity: text(200), duty: z.enum(DUTIES), role: text(200), message: text(2000) }))
      .max(1_000_000)
      .readonly(),
  })
  .meta({ id: 'SodScan' });

export type SodScanView = z.infer<typeof sodScanViewSchema>;
