/**
 * The one mapping from a stored `sod_exceptions` row: to the record the governance feature answers with, lists and
 * exports (`SodExceptionRecord`), and from that to the policy's `SodException` that SoD decisions read (the
 * policy runtime's snapshot). It sits below the features, like `resource-row.ts`, because the kernel reads it too.
 */
import type { SodException } from '../policy/model.js';
import type { Row } from './schema.js';

/**
 * An SoD exception as stored: times are epoch milliseconds, what has not happened yet is null. (A type rather than
 * an interface, so that it is a plain JSON record where one is expected, as in an evidence bundle.)
 */
export type SodExceptionRecord = {
  readonly id: string;
  readonly rule: string;
  readonly identity: string;
  readonly justification: string;
  readonly compensatingControl: string;
  readonly expiresAt: number;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly approvedBy: string | null;
  readonly approvedAt: number | null;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
};

export function rowToSodException(row: Row<'sod_exceptions'>): SodExceptionRecord {
  return {
    id: row.id,
    rule: row.rule,
    identity: row.identity,
    justification: row.justification,
    compensatingControl: row.compensating_control,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/** The exception as SoD decisions see it: an unapproved one carries no `approvedBy` and suppresses nothing. */
export function toPolicyException(record: SodExceptionRecord): SodException {
  return {
    id: record.id,
    rule: record.rule,
    identity: record.identity,
    justification: record.justification,
    compensatingControl: record.compensatingControl,
    expiresAt: record.expiresAt,
    ...(record.approvedBy !== null ? { approvedBy: record.approvedBy } : {}),
  };
}
