/**
 * Requests and their approvals in the database: the one module that writes the `requests` table. Rows are turned
 * into the `RequestRecord` that pure decisions read (src/decide/types.ts) and back. A request's status changes
 * only by a lifecycle event through the one table of legal moves (`moveRequest`, `moveRequests`, which ask
 * `transition`); `updateRequest` changes everything else. Every update of a single request names the `version`
 * it read (optimistic concurrency): when another transaction changed the row first, the update touches nothing
 * and the caller gets a `conflict`, so two racing verbs can never both move the same request. (Grants are
 * `grants/grants.repo.ts`.)
 */
import { PostgresAdapter, type Transaction, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { AppError } from '../../core/errors.js';
import type { PrincipalLink } from '../../decide/principal.js';
import { transition, type LifecycleEvent } from '../../decide/lifecycle.decide.js';
import type { ApprovalRecord, RequestRecord, RequestStatus } from '../../decide/types.js';
import type { ApprovalStep } from '../../policy/model.js';
import { fromFlag, fromJsonText, toFlag, toJsonText } from '../../store/columns.js';
import { isUniqueViolation } from '../../store/errors.js';
import type { RequestsTable, Row, Schema } from '../../store/schema.js';
import { credentialInUse } from '../../app/credential-context.js';
import { loadPrincipalLinks, withCallerLink } from '../../app/request-principals.js';

type Trx = Transaction<Schema>;
type RequestRow = Row<'requests'>;

/** A request as stored: the decision record plus the columns only the application layer reads. */
export interface StoredRequest {
  readonly record: RequestRecord;
  /** The version read; an update must name it. */
  readonly version: number;
  readonly statusReason?: string;
  readonly updatedAt: number;
  readonly reviewBy?: number;
  readonly reviewedAt?: number;
  readonly extendsRequest?: string;
  /** When the requester asked a person to provision it by hand (a `manual` provider's activation). */
  readonly provisioningRequestedAt?: number;
}

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

function toRecord(row: RequestRow, approvals: readonly ApprovalRecord[]): RequestRecord {
  const record: RequestRecord = {
    id: row.id,
    requester: row.requester,
    resource: row.resource,
    action: row.action,
    durationSeconds: row.duration_seconds,
    params: fromJsonText<Record<string, unknown>>(row.params),
    breakGlass: fromFlag(row.break_glass),
    profile: row.profile,
    profileVersion: row.profile_version,
    digest: row.digest,
    status: row.status,
    createdAt: row.created_at,
    matchedRule: row.matched_rule,
    steps: fromJsonText<ApprovalStep[]>(row.steps),
    approvals,
    otherActors: fromJsonText<{ identity: string; duty: string }[]>(row.other_actors),
  };
  return {
    ...record,
    ...(row.justification !== null ? { justification: row.justification } : {}),
    ...(row.ticket !== null ? { ticket: row.ticket } : {}),
    ...(row.approved_at !== null ? { approvedAt: row.approved_at } : {}),
    ...(row.activated_at !== null ? { activatedAt: row.activated_at } : {}),
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    ...(row.first_activated_at !== null ? { firstActivatedAt: row.first_activated_at } : {}),
    ...(row.provisioner !== null ? { provisioner: row.provisioner } : {}),
    ...(row.certifier !== null ? { certifier: row.certifier } : {}),
  };
}

function toStored(row: RequestRow, approvals: readonly ApprovalRecord[]): StoredRequest {
  const stored: StoredRequest = { record: toRecord(row, approvals), version: row.version, updatedAt: row.updated_at };
  return {
    ...stored,
    ...(row.status_reason !== null ? { statusReason: row.status_reason } : {}),
    ...(row.review_by !== null ? { reviewBy: row.review_by } : {}),
    ...(row.reviewed_at !== null ? { reviewedAt: row.reviewed_at } : {}),
    ...(row.extends_request !== null ? { extendsRequest: row.extends_request } : {}),
    ...(row.provisioning_requested_at !== null ? { provisioningRequestedAt: row.provisioning_requested_at } : {}),
  };
}

async function loadApprovals(trx: Trx, requestIds: readonly string[]): Promise<Map<string, ApprovalRecord[]>> {
  const byRequest = new Map<string, ApprovalRecord[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await trx
    .selectFrom('approvals')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('at', 'asc')
    .orderBy('approver', 'asc')
    .execute();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push({ approver: row.approver, step: row.step, at: row.at, digest: row.digest });
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

/**
 * The request with its approvals and principal links, or undefined. Every verb starts with it, so on PostgreSQL,
 * where each round trip counts, it is one query (approvals and links aggregated as JSON beside the row); on
 * SQLite, where a query is a function call, plain ones are cheaper than the JSON functions. The caller's own
 * link for the verb in progress (`credential-context.ts`) is added, so SoD checks see the token it acts with.
 */
export async function findRequest(trx: Trx, id: string): Promise<StoredRequest | undefined> {
  const found = await findRequestRow(trx, id);
  if (found === undefined) return undefined;
  // One principal (SPEC §2.4): who was one with each actor when it acted, and the caller acting now.
  const principalLinks = withCallerLink(found.links, credentialInUse()?.identity);
  return { ...found.stored, record: { ...found.stored.record, principalLinks } };
}

async function findRequestRow(
  trx: Trx,
  id: string,
): Promise<{ stored: StoredRequest; links: readonly PrincipalLink[] } | undefined> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) {
    const row = await trx.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    const approvals = await loadApprovals(trx, [id]);
    const links = (await loadPrincipalLinks(trx, [id])).get(id) ?? [];
    return { stored: toStored(row, approvals.get(id) ?? []), links };
  }
  const row = await trx
    .selectFrom('requests')
    .selectAll('requests')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('approvals')
          .select(['approvals.approver', 'approvals.step', 'approvals.at', 'approvals.digest'])
          .whereRef('approvals.request_id', '=', 'requests.id'),
      ).as('approval_list'),
    )
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('request_principals')
          .select(['request_principals.identity', 'request_principals.member', 'request_principals.link'])
          .whereRef('request_principals.request_id', '=', 'requests.id'),
      ).as('principal_list'),
    )
    .where('requests.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const { approval_list: approvals, principal_list: links, ...request } = row;
  return { stored: toStored(request, approvals.map(toApproval).sort(byTimeThenApprover)), links };
}

function toApproval(raw: ApprovalRecord): ApprovalRecord {
  return { approver: raw.approver, step: Number(raw.step), at: Number(raw.at), digest: raw.digest };
}

/** The order `loadApprovals` reads in: by time, then approver. */
function byTimeThenApprover(a: ApprovalRecord, b: ApprovalRecord): number {
  return a.at - b.at || (a.approver < b.approver ? -1 : a.approver > b.approver ? 1 : 0);
}

/** The request with its approvals; `not_found` when there is none. */
export async function getRequest(trx: Trx, id: string): Promise<StoredRequest> {
  const found = await findRequest(trx, id);
  if (found === undefined) throw new AppError('not_found', `request '${id}' does not exist`, { request: id });
  return found;
}

/** Columns set at creation besides the record itself. */
export interface NewRequestExtras {
  readonly statusReason?: string;
  readonly reviewBy?: number;
  readonly extendsRequest?: string;
}

/** Inserts a new request (version 1) and the approvals it was born with (auto-approval). */
export async function insertRequest(trx: Trx, record: RequestRecord, extras: NewRequestExtras = {}): Promise<void> {
  await trx
    .insertInto('requests')
    .values({
      id: record.id,
      requester: record.requester,
      resource: record.resource,
      action: record.action,
      duration_seconds: record.durationSeconds,
      justification: record.justification ?? null,
      ticket: record.ticket ?? null,
      params: toJsonText(record.params ?? {}),
      break_glass: toFlag(record.breakGlass),
      profile: record.profile,
      profile_version: record.profileVersion,
      digest: record.digest,
      status: record.status,
      status_reason: extras.statusReason ?? null,
      matched_rule: record.matchedRule,
      steps: toJsonText(record.steps),
      created_at: record.createdAt,
      updated_at: record.createdAt,
      approved_at: record.approvedAt ?? null,
      activated_at: record.activatedAt ?? null,
      expires_at: record.expiresAt ?? null,
      first_activated_at: record.firstActivatedAt ?? null,
      extends_request: extras.extendsRequest ?? null,
      provisioner: record.provisioner ?? null,
      certifier: record.certifier ?? null,
      other_actors: toJsonText(record.otherActors ?? []),
      review_by: extras.reviewBy ?? null,
      reviewed_at: null,
      version: 1,
    })
    .execute();
  for (const approval of record.approvals) await insertApproval(trx, record.id, approval);
}

/**
 * Records one approval. The primary key (request_id, approver) is the last line of defence: a second approval by
 * the same identity, even one racing past every check, is refused here as a `conflict`.
 */
export async function insertApproval(trx: Trx, requestId: string, approval: ApprovalRecord): Promise<void> {
  try {
    await trx
      .insertInto('approvals')
      .values({
        request_id: requestId,
        approver: approval.approver,
        step: approval.step,
        digest: approval.digest,
        at: approval.at,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', `'${approval.approver}' has already approved request '${requestId}'`, {
        request: requestId,
        reason: 'already_approved',
      });
    }
    throw error;
  }
}

/**
 * What an update may change on a request besides its status (which only a lifecycle event changes,
 * `moveRequest`); `updated_at` and `version` are set by the update.
 */
export interface RequestPatch {
  readonly statusReason?: string | null;
  readonly approvedAt?: number | null;
  readonly activatedAt?: number | null;
  readonly expiresAt?: number | null;
  readonly firstActivatedAt?: number | null;
  readonly provisioner?: string | null;
  readonly certifier?: string | null;
  readonly otherActors?: readonly { readonly identity: string; readonly duty: string }[];
  readonly reviewBy?: number | null;
  readonly reviewedAt?: number | null;
  readonly provisioningRequestedAt?: number | null;
}

/**
 * Updates a request only if it is still at `readVersion`, and bumps the version. Invariant: of two transactions
 * that read the same version, at most one update lands; the other gets `conflict` and must roll back.
 */
export async function updateRequest(
  trx: Trx,
  id: string,
  readVersion: number,
  patch: RequestPatch,
  now: number,
): Promise<number> {
  return applyUpdate(trx, id, readVersion, columnsOf(patch, now));
}

/** Where a request stood when it was read: what a move starts from. `StoredRequest` is one. */
export interface RequestAt {
  readonly record: { readonly id: string; readonly status: RequestStatus };
  readonly version: number;
}

/**
 * Moves a request by a lifecycle `event` (`transition`, the one table of legal moves), with the other columns of
 * `patch`, only if it is still at the version read. Invariant: no request takes a status the table does not
 * reach from its own; an illegal move is a `conflict` (`lifecycle.illegal_transition`) and writes nothing.
 * Returns the status reached and the new version.
 */
export async function moveRequest(
  trx: Trx,
  current: RequestAt,
  event: LifecycleEvent,
  patch: RequestPatch,
  now: number,
): Promise<{ readonly to: RequestStatus; readonly version: number }> {
  const { id, status } = current.record;
  const moved = transition(status, event);
  if (!moved.ok) {
    throw new AppError('conflict', moved.reason.message, { request: id, reason: moved.reason.code });
  }
  const set = { ...columnsOf(patch, now), status: moved.to };
  return { to: moved.to, version: await applyUpdate(trx, id, current.version, set) };
}

/**
 * Moves many requests at once (a batch of teardowns, an offboarding): each by the event its current status calls
 * for in `events`, through `transition`, with the other columns of `patch`, in one statement per status.
 * Requests in any other status (for instance `completed` by their execution) are left as they are. Returns every
 * request's status afterwards.
 */
export async function moveRequests(
  trx: Trx,
  ids: readonly string[],
  events: Readonly<Partial<Record<RequestStatus, LifecycleEvent>>>,
  patch: Pick<RequestPatch, 'statusReason' | 'expiresAt'>,
  now: number,
): Promise<Map<string, RequestStatus>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('requests').select(['id', 'status']).where('id', 'in', ids).execute();
  const after = new Map(rows.map((row) => [row.id, row.status]));
  const byStatus = new Map<RequestStatus, string[]>();
  for (const row of rows) byStatus.set(row.status, [...(byStatus.get(row.status) ?? []), row.id]);
  for (const [from, sameStatus] of byStatus) {
    const event = events[from];
    const moved = event === undefined ? undefined : transition(from, event);
    if (moved === undefined || !moved.ok) continue;
    await trx
      .updateTable('requests')
      .set((eb) => ({ ...columnsOf(patch, now), status: moved.to, version: eb('version', '+', 1) }))
      .where('id', 'in', sameStatus)
      .where('status', '=', from)
      .execute();
    for (const id of sameStatus) after.set(id, moved.to);
  }
  return after;
}

/** The columns a patch sets, with `updated_at`; the version is the caller's to set. */
function columnsOf(patch: RequestPatch, now: number): Updateable<RequestsTable> {
  const set: Updateable<RequestsTable> = { updated_at: now };
  if (patch.statusReason !== undefined) set.status_reason = patch.statusReason;
  if (patch.approvedAt !== undefined) set.approved_at = patch.approvedAt;
  if (patch.activatedAt !== undefined) set.activated_at = patch.activatedAt;
  if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
  if (patch.firstActivatedAt !== undefined) set.first_activated_at = patch.firstActivatedAt;
  if (patch.provisioner !== undefined) set.provisioner = patch.provisioner;
  if (patch.certifier !== undefined) set.certifier = patch.certifier;
  if (patch.otherActors !== undefined) set.other_actors = toJsonText(patch.otherActors);
  if (patch.reviewBy !== undefined) set.review_by = patch.reviewBy;
  if (patch.reviewedAt !== undefined) set.reviewed_at = patch.reviewedAt;
  if (patch.provisioningRequestedAt !== undefined) set.provisioning_requested_at = patch.provisioningRequestedAt;
  return set;
}

async function applyUpdate(trx: Trx, id: string, readVersion: number, set: Updateable<RequestsTable>): Promise<number> {
  const result = await trx
    .updateTable('requests')
    .set({ ...set, version: readVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', readVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw versionConflict(id);
  return readVersion + 1;
}

export function versionConflict(id: string): AppError {
  return new AppError('conflict', `request '${id}' changed concurrently; retry`, {
    request: id,
    reason: 'version_conflict',
    retryable: true,
  });
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof AppError && error.code === 'conflict' && error.details.reason === 'version_conflict';
}

export interface RequestFilter {
  readonly status?: readonly RequestStatus[];
  readonly requester?: string;
  readonly resource?: string;
  /** Only requests made by `requester` or on one of `profiles` (a reader's scope, `request-visibility.decide.ts`). */
  readonly visibleTo?: { readonly requester: string; readonly profiles: readonly string[] };
  /** Page size, clamped to 1 … `MAX_PAGE_SIZE`. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface RequestPage {
  readonly requests: readonly StoredRequest[];
  /** Pass back as `cursor` for the next page; unset on the last page. */
  readonly nextCursor?: string;
}

/** Newest first, keyset-paginated on (created_at, id) so that pages stay stable while requests are added. */
export async function listRequests(trx: Trx, filter: RequestFilter = {}): Promise<RequestPage> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  let query = trx.selectFrom('requests').selectAll();
  if (filter.status !== undefined && filter.status.length > 0) query = query.where('status', 'in', filter.status);
  if (filter.requester !== undefined) query = query.where('requester', '=', filter.requester);
  if (filter.resource !== undefined) query = query.where('resource', '=', filter.resource);
  const visibleTo = filter.visibleTo;
  if (visibleTo !== undefined) {
    query = query.where((eb) =>
      visibleTo.profiles.length === 0
        ? eb('requester', '=', visibleTo.requester)
        : eb.or([eb('requester', '=', visibleTo.requester), eb('profile', 'in', visibleTo.profiles)]),
    );
  }
  if (filter.cursor !== undefined) {
    const { createdAt, id } = decodeCursor(filter.cursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const approvals = await loadApprovals(
    trx,
    page.map((row) => row.id),
  );
  const requests = page.map((row) => toStored(row, approvals.get(row.id) ?? []));
  const last = page.at(-1);
  return {
    requests,
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(last.created_at, last.id) } : {}),
  };
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(`${createdAt}:${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,16}):([\w-]{1,100})$/.exec(text);
  if (match === null) throw new AppError('invalid', 'the cursor is not one this server issued', { cursor });
  return { createdAt: Number(match[1]), id: match[2] as string };
}
