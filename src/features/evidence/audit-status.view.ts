/**
 * The shape of the audit log's verification status (`AuditStatus`) as the console's Audit page shows it: the
 * chain verified up to a seq, the last signed checkpoint, and whether the witness agrees with the database.
 * `GET /v1/audit/status` answers it; times are ISO 8601.
 */
import { z } from 'zod';
import { isoTime, text } from '../../app/view-fields.js';

const seq = z.number().int().min(0);

export const auditStatusViewSchema = z
  .object({
    verifiedThroughSeq: seq.describe('every event up to this seq is proven good (chain and checkpoints)'),
    headSeq: seq.describe('the last event when this status was computed'),
    verifiedAt: isoTime,
    ok: z
      .boolean()
      .describe(
        'true when nothing wrong was found; verifiedThroughSeq may trail headSeq while a long log is caught up',
      ),
    problem: z
      .object({ seq, kind: text(40), message: text(2000) })
      .optional()
      .describe('the first thing found wrong'),
    lastCheckpoint: z.object({ seq, at: isoTime, keyId: text(200) }).optional(),
    witness: z.object({
      configured: z.boolean(),
      agrees: z.boolean().optional().describe("whether every checkpoint the witness holds is the database's"),
      lastWitnessedSeq: seq.optional(),
      message: text(2000).optional(),
    }),
  })
  .meta({ id: 'AuditStatus' });

export type AuditStatusView = z.infer<typeof auditStatusViewSchema>;
