/**
 * SoD exceptions in the database: the one module that writes the `sod_exceptions` table. Rows come back through
 * the one row mapper (`store/sod-exception-row.ts`). Every change names the state it expects (not yet approved,
 * not yet revoked), so of two racing writers only one changes the row and the other learns it did not.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../store/schema.js';
import { rowToSodException, type SodExceptionRecord } from '../../store/sod-exception-row.js';

type Trx = Transaction<Schema>;

export async function findException(trx: Trx, id: string): Promise<SodExceptionRecord | undefined> {
  const row = await trx.selectFrom('sod_exceptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToSodException(row);
}

/** Inserts a new, unapproved exception and returns it as stored. */
export async function insertException(
  trx: Trx,
  exception: Omit<SodExceptionRecord, 'approvedBy' | 'approvedAt' | 'revokedAt' | 'revokedBy'>,
): Promise<SodExceptionRecord> {
  const row = {
    id: exception.id,
    rule: exception.rule,
    identity: exception.identity,
    justification: exception.justification,
    compensating_control: exception.compensatingControl,
    expires_at: exception.expiresAt,
    created_by: exception.createdBy,
    created_at: exception.createdAt,
    approved_by: null,
    approved_at: null,
    revoked_at: null,
    revoked_by: null,
  };
  await trx.insertInto('sod_exceptions').values(row).execute();
  return rowToSodException(row);
}

/** Records the approval of an exception nobody has approved yet. False when someone approved it first. */
export async function markExceptionApproved(trx: Trx, id: string, approver: string, at: number): Promise<boolean> {
  const result = await trx
    .updateTable('sod_exceptions')
    .set({ approved_by: approver, approved_at: at })
    .where('id', '=', id)
    .where('approved_by', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends an exception that is not revoked yet, at `at`, by `revoker`. False when it already ended. */
export async function markExceptionRevoked(trx: Trx, id: string, revoker: string, at: number): Promise<boolean> {
  const result = await trx
    .updateTable('sod_exceptions')
    .set({ revoked_at: at, revoked_by: revoker })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Unrevoked exceptions whose expiry has passed, at most `limit`: what the scheduler ends. */
export async function dueExceptions(trx: Trx, now: number, limit: number): Promise<SodExceptionRecord[]> {
  const rows = await trx
    .selectFrom('sod_exceptions')
    .selectAll()
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
  return rows.map(rowToSodException);
}
