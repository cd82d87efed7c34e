/**
 * The shapes of the audit log outside the application: an event (`AuditEvent`, with its sealed output values
 * opened when asked: `AuditOpenedValue`), a signed checkpoint (`AuditCheckpoint`) and an online verification
 * (`AuditVerification`). `/v1/audit/…` answers them and `countersign audit tail` prints events; times are
 * ISO 8601.
 */
import { z } from 'zod';
import { AUDIT_PROBLEM_KINDS } from '../../audit/verify.js';
import { isoTime, text } from '../../app/view-fields.js';

const hash = text(128);

export const auditOpenedValueViewSchema = z
  .union([
    // The sealed form first: an object of it would also pass as `{ value }` with `value` left out.
    z.object({ sealed: z.enum(['no_key', 'other_key', 'not_authentic', 'hmac_only']), message: text(500) }),
    z.object({ value: z.unknown() }),
  ])
  .meta({ id: 'AuditOpenedValue' });

export const auditEventViewSchema = z
  .object({
    seq: z.number().int(),
    time: isoTime,
    actor: text(200),
    action: text(200),
    subject: text(500),
    details: z.record(z.string(), z.unknown()),
    prevHash: hash,
    hash,
    opened: z
      .record(text(2000), auditOpenedValueViewSchema)
      .optional()
      .describe('with ?open=true: each output value of the event by JSON Pointer, opened or still sealed'),
  })
  .meta({ id: 'AuditEvent' });

export type AuditEventView = z.infer<typeof auditEventViewSchema>;

export const auditCheckpointViewSchema = z
  .object({
    size: z.number().int(),
    head: hash,
    root: hash,
    time: isoTime,
    keyId: text(200),
    signature: text(500),
  })
  .meta({ id: 'AuditCheckpoint' });

export type AuditCheckpointView = z.infer<typeof auditCheckpointViewSchema>;

export const auditVerificationViewSchema = z
  .object({
    ok: z.boolean(),
    eventsVerified: z.number().int(),
    checkpointsVerified: z.number().int(),
    witnessCheckpointsVerified: z.number().int(),
    signaturesChecked: z.boolean(),
    head: z.object({ seq: z.number().int(), hash }).optional(),
    root: hash.optional(),
    firstBadSeq: z.number().int().optional(),
    problem: z.object({ kind: z.enum(AUDIT_PROBLEM_KINDS), seq: z.number().int(), message: text(4000) }).optional(),
  })
  .meta({ id: 'AuditVerification' });

export type AuditVerificationView = z.infer<typeof auditVerificationViewSchema>;
