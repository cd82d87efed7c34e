/**
 * Reads behind `/v1/audit/…`: a page of events by `seq` (optionally of one actor, action or subject, or about one
 * resource, request or identity, the requests and grants of which are found through the subject index), the
 * signed checkpoints, and an online verification of the stored log. The route demands the `audit` duty.
 *
 * Online verification streams the log with constant memory but takes time proportional to its length, so it is
 * refused above `MAX_ONLINE_VERIFY_EVENTS`: large logs are verified offline with `countersign audit verify`
 * (which can also check signatures with the public key and compare witness files).
 */
import { readAuditCheckpoints, readAuditHead, verifyStoredAuditLog } from '../../audit/store/audit-store.js';
import type { AuditVerification } from '../../audit/verify.js';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.js';
import {
  decideAuditVisibility,
  eventProfile,
  type VisibilityDecision,
} from '../../decide/request-visibility.decide.js';
import type { AppContext } from '../../app/context.js';
import { readWithSnapshot, type ReadScope } from '../../app/snapshot.queries.js';
import type { AuditCheckpointView, AuditEventView } from './audit.view.js';

export const MAX_ONLINE_VERIFY_EVENTS = 200_000;

export interface AuditEventQuery {
  readonly after?: number;
  readonly limit?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly subject?: string;
  /** Events about this resource: on it, or on a request or grant for it. */
  readonly resource?: string;
  /** Events about this request: on it, or on its grant. */
  readonly request?: string;
  /** Events by or about this identity: it acted, it is the subject, or they are on its requests or grants. */
  readonly identity?: string;
}

/** A scoped reader looks at up to this many events per page for the ones it may read. */
const SCOPED_SCAN_FACTOR = 10;

/**
 * Events `reader` may read with `seq > after` in ascending order, at most `limit` (default 100, at most 1000);
 * `next` continues. Invariant: an auditor of every profile reads every event; one scoped to some profiles only
 * the events `eventProfile` places on them (`decideAuditVisibility`). A scoped page looks at no more than
 * `SCOPED_SCAN_FACTOR × limit` events, so it may hold fewer than `limit` while `next` is set.
 */
export async function readAuditPage(
  app: AppContext,
  reader: string,
  query: AuditEventQuery,
): Promise<{ events: AuditEventView[]; next: number | null }> {
  return readWithSnapshot(app, (scope) => readAuditPageIn(scope, reader, query));
}

/** `readAuditPage` inside a transaction the caller holds (opening sealed values audits in the same one). */
export async function readAuditPageIn(
  scope: ReadScope,
  reader: string,
  query: AuditEventQuery,
): Promise<{ events: AuditEventView[]; next: number | null }> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const visibility = decideAuditVisibility(scope.snapshot.duties, reader);
  if (visibility.scope === 'all') return readEvents(scope, query, limit);
  const scanned = await readEvents(scope, query, limit * SCOPED_SCAN_FACTOR);
  const visible = await visibleEvents(scope, visibility, scanned.events);
  const events = visible.slice(0, limit);
  if (visible.length > limit) return { events, next: events.at(-1)?.seq ?? null };
  return { events, next: scanned.next };
}

/** The events of `events` on the profiles `visibility` names, in order. */
async function visibleEvents(
  { trx, snapshot }: ReadScope,
  visibility: VisibilityDecision,
  events: readonly AuditEventView[],
): Promise<AuditEventView[]> {
  const ids = (kind: string) => [
    ...new Set(events.filter((e) => e.subject.startsWith(`${kind}:`)).map((e) => e.subject.slice(kind.length + 1))),
  ];
  const requestIds = ids('request');
  const grantIds = ids('grant');
  const requests =
    requestIds.length === 0
      ? []
      : await trx.selectFrom('requests').select(['id', 'profile']).where('id', 'in', requestIds).execute();
  const grants =
    grantIds.length === 0
      ? []
      : await trx
          .selectFrom('grants')
          .innerJoin('requests', 'requests.id', 'grants.request_id')
          .select(['grants.id as id', 'requests.profile as profile'])
          .where('grants.id', 'in', grantIds)
          .execute();
  const lookup = {
    requestProfile: new Map(requests.map((r) => [r.id, r.profile])),
    grantProfile: new Map(grants.map((g) => [g.id, g.profile])),
    resourceProfile: (name: string) => snapshot.policy.resources.get(name)?.profile,
  };
  return events.filter((event) => {
    const profile = eventProfile(event, lookup);
    return profile !== undefined && visibility.profiles.has(profile);
  });
}

// The subjects events on a request or a grant carry (`request:ID`, `grant:ID`), built in SQL so that a filter is
// one query on the subject index. `||` concatenates on SQLite and PostgreSQL alike.
const REQUEST_SUBJECT = sql<string>`'request:' || ${sql.ref('requests.id')}`.as('subject');
const GRANT_SUBJECT = sql<string>`'grant:' || ${sql.ref('grants.id')}`.as('subject');

async function readEvents(
  { trx }: ReadScope,
  query: AuditEventQuery,
  limit: number,
): Promise<{ events: AuditEventView[]; next: number | null }> {
  let select = trx
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', query.after ?? 0);
  if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  if (query.subject !== undefined) select = select.where('subject', '=', query.subject);
  const { resource, request, identity } = query;
  if (request !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('subject', '=', `request:${request}`),
        eb('subject', 'in', eb.selectFrom('grants').select(GRANT_SUBJECT).where('grants.request_id', '=', request)),
      ]),
    );
  }
  if (resource !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('subject', '=', `resource:${resource}`),
        eb(
          'subject',
          'in',
          eb.selectFrom('requests').select(REQUEST_SUBJECT).where('requests.resource', '=', resource),
        ),
        eb('subject', 'in', eb.selectFrom('grants').select(GRANT_SUBJECT).where('grants.resource', '=', resource)),
      ]),
    );
  }
  if (identity !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('actor', '=', identity),
        eb('subject', '=', `identity:${identity}`),
        eb(
          'subject',
          'in',
          eb.selectFrom('requests').select(REQUEST_SUBJECT).where('requests.requester', '=', identity),
        ),
        eb('subject', 'in', eb.selectFrom('grants').select(GRANT_SUBJECT).where('grants.identity', '=', identity)),
      ]),
    );
  }
  const rows = await select.orderBy('seq').limit(limit).execute();
  const events = rows.map((row) => ({
    seq: Number(row.seq),
    time: new Date(Number(row.time)).toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
  return { events, next: rows.length === limit ? (events.at(-1)?.seq ?? null) : null };
}

/** Signed checkpoints by ascending size (`after`: only those over that size; at most `limit`, default 1000). */
export async function readCheckpointPage(
  app: AppContext,
  query: { after?: number; limit?: number },
): Promise<AuditCheckpointView[]> {
  const limit = Math.min(Math.max(query.limit ?? 1000, 1), 10_000);
  const checkpoints = await readAuditCheckpoints(app.database.db, {
    ...(query.after !== undefined ? { afterSeq: query.after } : {}),
    batchSize: limit,
  });
  return checkpoints.map((c) => ({ ...c, time: new Date(c.time).toISOString() }));
}

/**
 * Verifies the stored log (hash chain, Merkle roots of the checkpoints; signatures when the server knows the
 * public key). Invariant: never runs over more than `MAX_ONLINE_VERIFY_EVENTS` events.
 */
export async function verifyAuditOnline(app: AppContext): Promise<AuditVerification> {
  const head = await readAuditHead(app.database.db);
  if (head.seq > MAX_ONLINE_VERIFY_EVENTS) {
    throw new AppError(
      'invalid',
      `the audit log holds ${head.seq} events, more than the ${MAX_ONLINE_VERIFY_EVENTS} verified online; run 'countersign audit verify' against the database instead`,
      { events: head.seq, limit: MAX_ONLINE_VERIFY_EVENTS },
    );
  }
  return verifyStoredAuditLog(app.database.db);
}
