/**
 * Reads of requests and grants as the API serves them, narrowed to what the reader may see
 * (`request-visibility.decide.ts`): everyone sees its own requests and grants; approvers and auditors see every
 * request; auditors and provisioners (a gateway) see every grant. Reads change nothing and write no audit event.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import {
  decideGrantVisibility,
  decideRequestVisibility,
  mayView,
  type VisibilityDecision,
} from '../../decide/request-visibility.decide.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { GRANT_STATUSES, toGrantView, type GrantView } from '../grants/grant.view.js';
import { parseInput } from '../../app/verb-support.js';
import { toRequestView, type RequestView } from './request.view.js';
import { remindersOf } from './request-reminders.repo.js';
import { grantsByRequest, listGrants } from '../grants/index.js';
import { findRequest, listRequests, MAX_PAGE_SIZE, type RequestFilter } from './requests.repo.js';
import { listRequestsSchema, showRequestSchema, type ListRequestsInput, type RequestList } from './requests.verbs.js';

function refuseOthers(decision: VisibilityDecision, what: string): AppError {
  return new AppError('forbidden', `${decision.reasons[0]?.message ?? 'you see only your own'}; ${what}`, {
    reasons: decision.reasons.map((r) => ({ ...r })),
  });
}

/** The filter narrowed to what `actor` may see. */
function scopedRequestFilter(filter: RequestFilter, visibility: VisibilityDecision, actor: string): RequestFilter {
  switch (visibility.scope) {
    case 'all':
      return filter;
    case 'own':
      return { ...filter, requester: actor };
    case 'profiles':
      return { ...filter, visibleTo: { requester: actor, profiles: [...visibility.profiles] } };
  }
}

/**
 * A page of the requests `actor` may see, newest first. Invariant: without `approve` or `audit`, the page holds
 * only the actor's own requests, and asking for another requester's is `forbidden`; with them, the actor's own
 * and those on the profiles the duty covers (`decideRequestVisibility`).
 */
export async function listVisibleRequests({ app, actor, input }: VerbCall<ListRequestsInput>): Promise<RequestList> {
  const filter = parseInput(listRequestsSchema, input);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const visibility = decideRequestVisibility(snapshot.duties, actor);
    if (visibility.scope === 'own' && filter.requester !== undefined && filter.requester !== actor) {
      throw refuseOthers(visibility, `the requests of '${filter.requester}' are not yours to list`);
    }
    const page = await listRequests(trx, scopedRequestFilter(filter, visibility, actor));
    const grants = await grantsByRequest(
      trx,
      page.requests.map((stored) => stored.record.id),
    );
    return {
      requests: page.requests.map((stored) => toRequestView(stored, grants.get(stored.record.id))),
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    };
  });
}

/**
 * One request, if `actor` may see it. Invariant: a request the actor may not see answers `not_found`, exactly as
 * one that does not exist, so its existence is not disclosed.
 */
export async function showVisibleRequest({
  app,
  actor,
  input,
}: VerbCall<z.input<typeof showRequestSchema>>): Promise<RequestView> {
  const { id } = parseInput(showRequestSchema, input);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const stored = await findRequest(trx, id);
    if (
      stored === undefined ||
      !mayView(decideRequestVisibility(snapshot.duties, actor), actor, stored.record.requester, stored.record.profile)
    ) {
      throw new AppError('not_found', `request '${id}' does not exist`, { request: id });
    }
    const grants = await grantsByRequest(trx, [id]);
    const reminders = (await remindersOf(trx, [id])).get(id) ?? [];
    return toRequestView(stored, grants.get(id), reminders);
  });
}

export const listGrantsSchema = z.strictObject({
  identity: z.string().min(1).max(200).optional(),
  resource: z.string().min(1).max(200).optional(),
  /** Default: active grants only. */
  status: z.array(z.enum(GRANT_STATUSES)).max(GRANT_STATUSES.length).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type ListGrantsInput = z.input<typeof listGrantsSchema>;

/**
 * The grants `actor` may see, soonest expiry first (active ones unless `status` says otherwise). Invariant:
 * without `audit` or `provision`, only the actor's own grants, and asking for another identity's is `forbidden`;
 * with them, the actor's own and those from requests on the profiles the duty covers.
 */
export async function listVisibleGrants({ app, actor, input }: VerbCall<ListGrantsInput>): Promise<GrantView[]> {
  const filter = parseInput(listGrantsSchema, input);
  return readWithSnapshot(app, async ({ trx, snapshot }) => {
    const visibility = decideGrantVisibility(snapshot.duties, actor);
    if (visibility.scope === 'own' && filter.identity !== undefined && filter.identity !== actor) {
      throw refuseOthers(visibility, `the grants of '${filter.identity}' are not yours to list`);
    }
    const grants = await listGrants(trx, {
      ...filter,
      status: filter.status ?? ['active'],
      ...(visibility.scope === 'own' ? { identity: actor } : {}),
      ...(visibility.scope === 'profiles'
        ? { visibleTo: { identity: actor, profiles: [...visibility.profiles] } }
        : {}),
    });
    return grants.map(toGrantView);
  });
}
