/**
 * The one shape of a separation-of-duties exception outside the application: `/v1/exceptions` answers it, the
 * SoD scan shows the exception that suppresses a conflict in it, `SodException` in the OpenAPI document. Its
 * status is read at a moment (an approved exception past its expiry is `expired`); times are ISO 8601.
 */
import { z } from 'zod';
import type { SodExceptionRecord } from '../../store/sod-exception-row.js';
import { iso, isoOrNull, isoTime, text } from '../../app/view-fields.js';

export const SOD_EXCEPTION_STATUSES = ['pending', 'active', 'expired', 'revoked'] as const;
export type SodExceptionStatus = (typeof SOD_EXCEPTION_STATUSES)[number];

export const sodExceptionViewSchema = z
  .object({
    id: text(100),
    rule: text(200),
    identity: text(200),
    status: z.enum(SOD_EXCEPTION_STATUSES),
    justification: text(4000),
    compensatingControl: text(4000),
    expiresAt: isoTime,
    createdBy: text(200),
    createdAt: isoTime,
    approvedBy: text(200).nullable(),
    approvedAt: isoTime.nullable(),
    revokedBy: text(200).nullable(),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: 'SodException' });

export type SodExceptionView = z.infer<typeof sodExceptionViewSchema>;

/** Where an exception stands at `now`. */
export function sodExceptionStatus(exception: SodExceptionRecord, now: number): SodExceptionStatus {
  if (exception.revokedAt !== null) return 'revoked';
  if (exception.expiresAt <= now) return 'expired';
  return exception.approvedBy === null ? 'pending' : 'active';
}

/** The view of an exception as it stands at `now`. */
export function toSodExceptionView(exception: SodExceptionRecord, now: number): SodExceptionView {
  return {
    id: exception.id,
    rule: exception.rule,
    identity: exception.identity,
    status: sodExceptionStatus(exception, now),
    justification: exception.justification,
    compensatingControl: exception.compensatingControl,
    expiresAt: iso(exception.expiresAt),
    createdBy: exception.createdBy,
    createdAt: iso(exception.createdAt),
    approvedBy: exception.approvedBy,
    approvedAt: isoOrNull(exception.approvedAt),
    revokedBy: exception.revokedBy,
    revokedAt: isoOrNull(exception.revokedAt),
  };
}
