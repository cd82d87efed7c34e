/**
 * The read behind `GET /v1/resources/{id}/timeline`: who had what access to a resource when. Within a window
 * (default the last 30 days, at most 90), the grants on it that overlapped the window, the requests made on it in
 * the window, and its drift findings open at some time in the window. Whoever may see the resource may read its
 * timeline (`not_found` otherwise, as `GET /v1/resources/{id}`); the grants and requests of other identities are
 * shown only to those who may see them on the resource's profile (`decideGrantVisibility`,
 * `decideRequestVisibility`), so a requester sees its own. Every grant comes from a request, and the request's
 * view already carries its grant's state and end, so whoever may read the requests (an approver of the profile)
 * also sees their grants here: who had the access they approved.
 */
import { AppError } from '../../core/errors.js';
import {
  decideGrantVisibility,
  decideRequestVisibility,
  type VisibilityDecision,
} from '../../decide/request-visibility.decide.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { iso } from '../../app/view-fields.js';
import { getResource } from './resources.queries.js';
import { TIMELINE_MAX_ROWS, type ResourceTimelineView } from './resource-timeline.view.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const TIMELINE_DEFAULT_DAYS = 30;
export const TIMELINE_MAX_DAYS = 90;

export interface TimelineInput {
  readonly name: string;
  /** Epoch milliseconds; default `to` minus 30 days. */
  readonly from?: number;
  /** Epoch milliseconds; default now. */
  readonly to?: number;
}

/** The window asked for, defaults filled in; `invalid` when it is empty, reversed or longer than 90 days. */
export function timelineWindow(input: Pick<TimelineInput, 'from' | 'to'>, now: number): { from: number; to: number } {
  const to = input.to ?? now;
  const from = input.from ?? to - TIMELINE_DEFAULT_DAYS * DAY_MS;
  if (from >= to) throw new AppError('invalid', `the window's from (${iso(from)}) must be before its to (${iso(to)})`);
  if (to - from > TIMELINE_MAX_DAYS * DAY_MS) {
    throw new AppError('invalid', `a timeline window is at most ${TIMELINE_MAX_DAYS} days`, {
      maxDays: TIMELINE_MAX_DAYS,
    });
  }
  return { from, to };
}

/** Whether the viewer sees only its own rows on `profile` (not everyone's). */
function onlyOwn(decision: VisibilityDecision, profile: string): boolean {
  return decision.scope !== 'all' && !decision.profiles.has(profile);
}

/**
 * The most recent `TIMELINE_MAX_ROWS` rows (asked newest first, one more than kept to know whether the list was
 * cut), oldest first.
 */
function keepRecent<T>(rows: readonly T[]): { rows: T[]; truncated: boolean } {
  return { rows: rows.slice(0, TIMELINE_MAX_ROWS).reverse(), truncated: rows.length > TIMELINE_MAX_ROWS };
}

/** A resource's grants, requests and drift findings within a window of at most 90 days, oldest first. */
export async function getResourceTimeline({
  app,
  actor,
  input,
}: VerbCall<TimelineInput>): Promise<ResourceTimelineView> {
  const { from, to } = timelineWindow(input, app.clock.now());
  const resource = await getResource({ app, actor, input: { name: input.name } });
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const ownRequests = onlyOwn(decideRequestVisibility(snapshot.duties, actor), resource.profile);
    const ownGrants = ownRequests && onlyOwn(decideGrantVisibility(snapshot.duties, actor), resource.profile);

    let grantQuery = trx
      .selectFrom('grants as g')
      .innerJoin('requests as r', 'r.id', 'g.request_id')
      .select([
        'g.request_id',
        'g.identity',
        'g.action',
        'g.status',
        'g.created_at',
        'g.expires_at',
        'g.revoked_at',
        'g.updated_at',
        'r.break_glass',
      ])
      .where('g.resource', '=', input.name)
      .where('g.created_at', '<=', to)
      // A grant that ended before the window is not in it; one that has not ended is.
      .where((eb) =>
        eb.not(
          eb.or([
            eb.and([eb('g.status', '=', 'expired'), eb('g.expires_at', '<', from)]),
            eb.and([eb('g.status', '=', 'revoked'), eb(eb.fn.coalesce('g.revoked_at', 'g.updated_at'), '<', from)]),
          ]),
        ),
      );
    if (ownGrants) grantQuery = grantQuery.where('g.identity', '=', actor);
    const grants = keepRecent(
      await grantQuery
        .orderBy('g.created_at', 'desc')
        .orderBy('g.id', 'desc')
        .limit(TIMELINE_MAX_ROWS + 1)
        .execute(),
    );

    let requestQuery = trx
      .selectFrom('requests')
      .select(['id', 'requester', 'action', 'status', 'created_at', 'updated_at', 'approved_at'])
      .where('resource', '=', input.name)
      .where('created_at', '>=', from)
      .where('created_at', '<=', to);
    if (ownRequests) requestQuery = requestQuery.where('requester', '=', actor);
    const requests = keepRecent(
      await requestQuery
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(TIMELINE_MAX_ROWS + 1)
        .execute(),
    );

    const drift = keepRecent(
      await trx
        .selectFrom('drift_findings')
        .select(['id', 'check_name', 'severity', 'first_seen', 'resolved_at'])
        .where('resource', '=', input.name)
        .where('first_seen', '<=', to)
        .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
        .orderBy('first_seen', 'desc')
        .orderBy('id', 'desc')
        .limit(TIMELINE_MAX_ROWS + 1)
        .execute(),
    );

    return {
      resource,
      from: iso(from),
      to: iso(to),
      grants: grants.rows.map((row) => ({
        requestId: row.request_id,
        identity: row.identity,
        action: row.action,
        start: iso(Number(row.created_at)),
        end: grantEnd(row),
        status: row.status,
        breakGlass: Boolean(row.break_glass),
      })),
      requests: requests.rows.map((row) => {
        const decidedAt = decidedAtOf(row);
        return {
          id: row.id,
          requester: row.requester,
          action: row.action,
          status: row.status,
          createdAt: iso(Number(row.created_at)),
          ...(decidedAt === undefined ? {} : { decidedAt: iso(decidedAt) }),
        };
      }),
      drift: drift.rows.map((row) => ({
        id: row.id,
        check: row.check_name,
        severity: row.severity,
        openedAt: iso(Number(row.first_seen)),
        ...(row.resolved_at === null ? {} : { resolvedAt: iso(Number(row.resolved_at)) }),
      })),
      truncated: { grants: grants.truncated, requests: requests.truncated, drift: drift.truncated },
    };
  });
}

/**
 * When a grant stopped giving access: its expiry for an expired grant, its revocation for a revoked one, and
 * `null` while it may still give access (provisioning, active, revoking, or a revoke that failed).
 */
function grantEnd(row: { status: string; expires_at: number; revoked_at: number | null; updated_at: number }) {
  if (row.status === 'expired') return iso(Number(row.expires_at));
  if (row.status === 'revoked') return iso(Number(row.revoked_at ?? row.updated_at));
  return null;
}

/** When a person decided the request: its final approval, or the move to denied or cancelled. */
function decidedAtOf(row: { status: string; approved_at: number | null; updated_at: number }): number | undefined {
  if (row.approved_at !== null) return Number(row.approved_at);
  if (row.status === 'denied' || row.status === 'cancelled') return Number(row.updated_at);
  return undefined;
}
