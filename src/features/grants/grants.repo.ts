/**
 * Grants in the database: the one module that writes the `grants` table, and the one mapper of its rows
 * (`GrantSummary`). Every status a grant row takes comes from the grant lifecycle table
 * (`decide/grant-lifecycle.decide.ts`): a new row's from its birth (`grantBirthStatus`), a change's from its event,
 * applied as one conditional statement (`set status = target … where status in (sources)`), so a row that a racing
 * writer moved first is left alone and the caller learns it was not moved. Writes that do not change the status
 * (leases, expiry, the revoker) name the state they expect (a status, their lease, an unset column) for the same
 * reason.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  grantBirthStatus,
  grantEventSources,
  grantEventTarget,
  type GrantBirth,
  type GrantEvent,
} from '../../decide/grant-lifecycle.decide.js';
import { toJsonText } from '../../store/columns.js';
import type { GrantStatus, Row, Schema } from '../../store/schema.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../requests/index.js';

type Trx = Transaction<Schema>;
type GrantRow = Row<'grants'>;

/** The grant of a request, without its provider handle. */
export interface GrantSummary {
  readonly id: string;
  readonly requestId: string;
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
  readonly provider: string;
  readonly status: GrantStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt?: number;
  readonly revokedBy?: string;
  readonly lastError?: string;
}

function toGrant(row: GrantRow): GrantSummary {
  return {
    id: row.id,
    requestId: row.request_id,
    identity: row.identity,
    resource: row.resource,
    action: row.action,
    provider: row.provider,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
    ...(row.revoked_by !== null ? { revokedBy: row.revoked_by } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
  };
}

export async function findGrantByRequest(trx: Trx, requestId: string): Promise<GrantSummary | undefined> {
  const row = await trx.selectFrom('grants').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  return row === undefined ? undefined : toGrant(row);
}

export async function grantsByRequest(trx: Trx, requestIds: readonly string[]): Promise<Map<string, GrantSummary>> {
  const byRequest = new Map<string, GrantSummary>();
  if (requestIds.length === 0) return byRequest;
  const rows = await trx.selectFrom('grants').selectAll().where('request_id', 'in', requestIds).execute();
  for (const row of rows) byRequest.set(row.request_id, toGrant(row));
  return byRequest;
}

export interface GrantFilter {
  readonly status?: readonly GrantStatus[];
  readonly identity?: string;
  readonly resource?: string;
  readonly limit?: number;
  /** Only grants held by `identity` or from requests on one of `profiles` (a reader's scope). */
  readonly visibleTo?: { readonly identity: string; readonly profiles: readonly string[] };
}

/** Grants, soonest expiry first (what `GET /v1/grants` lists), at most `MAX_PAGE_SIZE`. */
export async function listGrants(trx: Trx, filter: GrantFilter = {}): Promise<GrantSummary[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  let query = trx.selectFrom('grants').selectAll();
  if (filter.status !== undefined && filter.status.length > 0) query = query.where('status', 'in', filter.status);
  if (filter.identity !== undefined) query = query.where('identity', '=', filter.identity);
  if (filter.resource !== undefined) query = query.where('resource', '=', filter.resource);
  const visibleTo = filter.visibleTo;
  if (visibleTo !== undefined) {
    query = query.where((eb) =>
      visibleTo.profiles.length === 0
        ? eb('identity', '=', visibleTo.identity)
        : eb.or([
            eb('identity', '=', visibleTo.identity),
            eb('request_id', 'in', eb.selectFrom('requests').select('id').where('profile', 'in', visibleTo.profiles)),
          ]),
    );
  }
  const rows = await query.orderBy('expires_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
  return rows.map(toGrant);
}

/** The rows of the grants named, as stored (what a teardown claims and records); missing ones are left out. */
export async function grantRows(trx: Trx, ids: readonly string[]): Promise<GrantRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('grants').selectAll().where('id', 'in', ids).execute();
}

export interface NewGrant {
  readonly id: string;
  readonly requestId: string;
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
  readonly provider: string;
  /** The provider's handle: what revoke needs, never a credential. Unset when it is not known yet (an intent). */
  readonly handle?: Readonly<Record<string, unknown>>;
  readonly expiresAt: number;
  /** An intent's deadline: past it, the scheduler compensates the intent. */
  readonly nextAttemptAt?: number;
}

/**
 * Inserts a grant in the status its birth gives it: `intend` (a `provisioning` intent, before the provider call)
 * or `record` (an `active` grant a person made by hand). `request_id` is unique: a second grant for the same
 * request is a unique violation the caller turns into a `conflict`.
 */
export async function insertGrant(trx: Trx, birth: GrantBirth, grant: NewGrant, now: number): Promise<void> {
  await trx
    .insertInto('grants')
    .values({
      id: grant.id,
      request_id: grant.requestId,
      identity: grant.identity,
      resource: grant.resource,
      action: grant.action,
      provider: grant.provider,
      status: grantBirthStatus(birth),
      handle: grant.handle === undefined ? null : toJsonText(grant.handle),
      created_at: now,
      updated_at: now,
      expires_at: grant.expiresAt,
      next_attempt_at: grant.nextAttemptAt ?? null,
      last_error: null,
      revoked_at: null,
      revoked_by: null,
      lease_owner: null,
      lease_until: null,
    })
    .execute();
}

/** `update grants set status = <event's target>, … where status in (<event's sources>)`: one move of the table. */
function moveGrants(trx: Trx, event: GrantEvent) {
  return trx
    .updateTable('grants')
    .set({ status: grantEventTarget(event) })
    .where('status', 'in', grantEventSources(event));
}

/**
 * `provision`: the intent becomes the active grant with the provider's handle. False when the intent is gone or
 * claimed for compensation (the caller then undoes its own provider grant).
 */
export async function provisionGrant(
  trx: Trx,
  grantId: string,
  granted: { readonly handle: Readonly<Record<string, unknown>>; readonly expiresAt: number },
  now: number,
): Promise<boolean> {
  const result = await moveGrants(trx, 'provision')
    .set({ handle: toJsonText(granted.handle), expires_at: granted.expiresAt, next_attempt_at: null, updated_at: now })
    .where('id', '=', grantId)
    .where('lease_owner', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** `extend`: an active grant runs until `expiresAt`. False when it is no longer active. */
export async function extendGrant(trx: Trx, grantId: string, expiresAt: number, now: number): Promise<boolean> {
  const result = await moveGrants(trx, 'extend')
    .set({ expires_at: expiresAt, updated_at: now })
    .where('id', '=', grantId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * `claim_teardown`: moves grants that still hold privilege to `revoking` under `owner`'s lease, and returns the
 * rows it moved: the one statement that claims a grant for its revoke. Without `takeOver`, only grants whose lease
 * is free, lapsed or already `owner`'s are moved; with it (the provider's revoke is already done, only its record
 * is missing), any worker's claim is taken.
 */
export async function claimGrantsForTeardown(
  trx: Trx,
  ids: readonly string[],
  options: { readonly owner: string; readonly now: number; readonly leaseMs: number; readonly takeOver: boolean },
): Promise<GrantRow[]> {
  const { owner, now, leaseMs } = options;
  if (ids.length === 0) return [];
  let query = moveGrants(trx, 'claim_teardown')
    .set((eb) => ({ lease_owner: owner, lease_until: now + leaseMs, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', ids);
  if (!options.takeOver) {
    query = query.where((eb) =>
      eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<=', now)]),
    );
  }
  return query.returningAll().execute();
}

/**
 * Remembers who revokes a grant as it is claimed (first revoker wins), so that a worker taking over an
 * interrupted revoke records it as a revoke even once the grant's expiry has passed.
 */
export async function rememberRevoker(trx: Trx, grantId: string, actor: string): Promise<void> {
  await trx
    .updateTable('grants')
    .set({ revoked_by: actor })
    .where('id', '=', grantId)
    .where('revoked_by', 'is', null)
    .execute();
}

/**
 * `revoke` or `expire`: records the grants `owner` claimed as gone from their provider. Returns the ids it
 * recorded; a grant missing there had our lease lapse and was taken over, and its new owner records it.
 */
export async function recordGrantsEnded(
  trx: Trx,
  ids: readonly string[],
  ended: { readonly event: 'revoke' | 'expire'; readonly actor: string; readonly revokedAt: number },
  owner: string,
  now: number,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await moveGrants(trx, ended.event)
    .set((eb) => ({
      revoked_at: ended.revokedAt,
      revoked_by: ended.actor,
      last_error: null,
      next_attempt_at: null,
      lease_owner: null,
      lease_until: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** `revoke_fail`: records a failed revoke of a grant `owner` claimed, with its next attempt. False when taken over. */
export async function recordGrantRevokeFailed(
  trx: Trx,
  grantId: string,
  failure: { readonly attempts: number; readonly nextAttemptAt: number; readonly error: string },
  owner: string,
  now: number,
): Promise<boolean> {
  const result = await moveGrants(trx, 'revoke_fail')
    .set((eb) => ({
      revoke_attempts: failure.attempts,
      next_attempt_at: failure.nextAttemptAt,
      last_error: failure.error,
      lease_owner: null,
      lease_until: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', grantId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Makes an identity's grants that still hold privilege due for revocation now (offboarding), and returns their
 * ids. They stay `active` (or `revoke_failed`), so the scheduler, or the teardown after commit, revokes them.
 */
export async function makeGrantsDueNow(trx: Trx, identity: string, now: number): Promise<string[]> {
  const grants = await trx
    .selectFrom('grants')
    .select('id')
    .where('identity', '=', identity)
    .where('status', 'in', ['active', 'revoke_failed'])
    .execute();
  const ids = grants.map((g) => g.id).sort();
  if (ids.length > 0) {
    await trx
      .updateTable('grants')
      .set((eb) => ({ expires_at: now, next_attempt_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', 'in', ids)
      .where('status', '=', 'active')
      .execute();
  }
  return ids;
}

/** Provisioning intents past their deadline and not leased, most overdue first (what compensation picks up). */
export async function overdueGrantIntents(db: Kysely<Schema>, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('id')
    .where('status', '=', grantBirthStatus('intend'))
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** An overdue intent leased for its compensation. */
export interface LeasedIntent {
  readonly requestId: string;
  readonly handle: string | null;
  readonly resource: string;
}

/**
 * Leases an overdue intent to `owner` for its compensation; undefined when it is no longer an overdue, unleased
 * intent (another worker took it, or its activation recorded it meanwhile).
 */
export async function leaseOverdueIntent(
  trx: Trx,
  grantId: string,
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<LeasedIntent | undefined> {
  const result = await trx
    .updateTable('grants')
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', '=', grantId)
    .where('status', '=', grantBirthStatus('intend'))
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  const row = await trx
    .selectFrom('grants')
    .select(['request_id', 'handle', 'resource'])
    .where('id', '=', grantId)
    .executeTakeFirstOrThrow();
  return { requestId: row.request_id, handle: row.handle, resource: row.resource };
}

/** Gives back `owner`'s lease on an intent and sets when compensation tries again (null: never by itself). */
export async function deferGrantIntent(
  trx: Trx,
  grantId: string,
  owner: string,
  nextAttemptAt: number | null,
  now: number,
): Promise<void> {
  await trx
    .updateTable('grants')
    .set({ lease_owner: null, lease_until: null, next_attempt_at: nextAttemptAt, updated_at: now })
    .where('id', '=', grantId)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Deletes an intent whose provider grant failed or was undone (`mayDiscard`: it never held privilege; every
 * other row is history). With `owner`, only while that worker's lease holds. False when it is no longer an intent.
 */
export async function discardGrantIntent(trx: Trx, grantId: string, owner?: string): Promise<boolean> {
  let query = trx.deleteFrom('grants').where('id', '=', grantId).where('status', '=', grantBirthStatus('intend'));
  if (owner !== undefined) query = query.where('lease_owner', '=', owner);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
