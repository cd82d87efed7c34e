/**
 * The only code touching `admin_changes`: pending administrative changes that widen access (SPEC §2.4). The
 * proposing verbs (`assignments.verbs.ts`, `resource-put.verb.ts`) insert one; `admin-changes.verbs.ts` decides
 * and applies it; `admin-changes.queries.ts` reads them.
 */
import type { Transaction } from 'kysely';
import { canonicalDigest } from '../core/canonical-json.js';
import { AppError } from '../core/errors.js';
import { ADMIN_CHANGE_LAPSED_REASON, adminChangeLapsed } from '../decide/admin-change.decide.js';
import type { PrincipalLink } from '../decide/principal.js';
import { fromJsonText, toJsonText } from '../store/columns.js';
import type { AdminChangeKind, AdminChangeStatus, Row, Schema } from '../store/schema.js';
import { newId } from '../core/clock.js';
import { callerMinter } from './credential-context.js';

/** How long a proposal waits for its second administrator before it expires. */
export const ADMIN_CHANGE_TTL_MS = 7 * 24 * 3_600_000;

export interface AdminChange {
  readonly id: string;
  readonly kind: AdminChangeKind;
  readonly target: string;
  /** `expired` once a pending change is past `expiresAt`, even before anyone touched it again. */
  readonly status: AdminChangeStatus;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly digest: string;
  readonly author: string;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly decidedAt: number | null;
  readonly decidedBy: string | null;
  readonly appliedAt: number | null;
  readonly result: Readonly<Record<string, unknown>> | null;
}

export function toAdminChange(row: Row<'admin_changes'>, now: number): AdminChange {
  const expired = adminChangeLapsed({ status: row.status, expiresAt: row.expires_at }, now);
  return {
    id: row.id,
    kind: row.kind,
    target: row.target,
    status: expired ? 'expired' : row.status,
    payload: fromJsonText<Record<string, unknown>>(row.payload),
    digest: row.digest,
    author: row.author,
    reason: expired ? ADMIN_CHANGE_LAPSED_REASON : row.reason,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    appliedAt: row.applied_at,
    result: row.result === null ? null : fromJsonText<Record<string, unknown>>(row.result),
  };
}

/** The links that make the caller one principal with someone else for this call (its token's minter). */
export function callerLinks(actor: string): PrincipalLink[] {
  const minter = callerMinter(actor);
  return minter === undefined ? [] : [{ identity: actor, member: minter, link: 'minter' }];
}

export function authorLinksOf(row: Row<'admin_changes'>): PrincipalLink[] {
  return fromJsonText<PrincipalLink[]>(row.author_links);
}

/**
 * Stores a pending change. Invariant: at most one pending, unexpired change per target, so that a reviewer
 * never approves one of two competing versions of the same thing by mistake.
 */
export async function insertAdminChange(
  trx: Transaction<Schema>,
  change: { kind: AdminChangeKind; target: string; payload: Record<string, unknown>; author: string; now: number },
): Promise<Row<'admin_changes'>> {
  const open = await trx
    .selectFrom('admin_changes')
    .select('id')
    .where('target', '=', change.target)
    .where('status', '=', 'pending')
    .where('expires_at', '>', change.now)
    .executeTakeFirst();
  if (open) {
    throw new AppError(
      'conflict',
      `administrative change '${open.id}' for the same ${change.kind === 'resource' ? 'resource' : 'assignment'} is still pending; approve, reject or withdraw it first`,
    );
  }
  const row: Row<'admin_changes'> = {
    id: newId('adc'),
    kind: change.kind,
    target: change.target,
    payload: toJsonText(change.payload),
    digest: canonicalDigest(change.payload),
    author: change.author,
    author_links: toJsonText(callerLinks(change.author)),
    status: 'pending',
    reason: null,
    created_at: change.now,
    expires_at: change.now + ADMIN_CHANGE_TTL_MS,
    updated_at: change.now,
    decided_at: null,
    decided_by: null,
    applied_at: null,
    result: null,
    version: 1,
  };
  await trx.insertInto('admin_changes').values(row).execute();
  return row;
}

export async function loadAdminChange(trx: Transaction<Schema>, id: string): Promise<Row<'admin_changes'>> {
  const row = await trx.selectFrom('admin_changes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `administrative change '${id}' does not exist`);
  return row;
}

/** Moves a change out of `pending` once (optimistic version check); `conflict` if someone else did first. */
export async function closeAdminChange(
  trx: Transaction<Schema>,
  row: Row<'admin_changes'>,
  update: {
    status: Exclude<AdminChangeStatus, 'pending'>;
    now: number;
    by: string | null;
    reason?: string;
    result?: Record<string, unknown>;
  },
): Promise<Row<'admin_changes'>> {
  const closed: Row<'admin_changes'> = {
    ...row,
    status: update.status,
    reason: update.reason ?? null,
    updated_at: update.now,
    decided_at: update.now,
    decided_by: update.by,
    applied_at: update.status === 'applied' ? update.now : null,
    result: update.result === undefined ? null : toJsonText(update.result),
    version: row.version + 1,
  };
  const updated = await trx
    .updateTable('admin_changes')
    .set({
      status: closed.status,
      reason: closed.reason,
      updated_at: closed.updated_at,
      decided_at: closed.decided_at,
      decided_by: closed.decided_by,
      applied_at: closed.applied_at,
      result: closed.result,
      version: closed.version,
    })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError('conflict', `administrative change '${row.id}' changed concurrently; look at it again`);
  }
  return closed;
}
