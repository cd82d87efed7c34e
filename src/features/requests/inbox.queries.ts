/**
 * `listInbox`, the read behind the console's Inbox (`GET /v1/inbox`): the pending requests whose current step
 * names the caller as an approver (`isInInbox`), newest first, each with the context an approver decides on and
 * whether the caller's approval would count now (`decideMyApproval`: the approve verb's own decision, over the
 * same request, principal links and policy snapshot). Someone who holds `approve` nowhere gets an empty inbox.
 * Reads change nothing and write no audit event.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { formatDurationSeconds } from '../../core/duration.js';
import type { ApprovalContext } from '../../decide/approval.decide.js';
import { decideMyApproval, isInInbox } from '../../decide/approver-eligibility.decide.js';
import { formatSubject } from '../../decide/request.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import { SEVERITIES, type PolicySet } from '../../policy/model.js';
import type { Schema } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { parseInput } from '../../app/verb-support.js';
import { iso } from '../../app/view-fields.js';
import { MAX_INBOX_PAGE, MAX_OPEN_DRIFT, RECENT_REQUESTS, type InboxItemView, type InboxView } from './inbox.view.js';
import { toRequestView } from './request.view.js';
import { pendingRecords } from './pending-requests.queries.js';
import { DEFAULT_PAGE_SIZE, findRequest, type StoredRequest } from './requests.repo.js';

type Trx = Transaction<Schema>;

export const inboxQuerySchema = z.strictObject({
  limit: z.number().int().min(1).max(MAX_INBOX_PAGE).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
export type InboxQuery = z.input<typeof inboxQuerySchema>;

/** The profiles on which `actor` holds `approve` now: the only ones whose requests can be in its inbox. */
export function approvableProfiles(ctx: Pick<ApprovalContext, 'policy' | 'duties'>, actor: string): string[] {
  return [...ctx.policy.profiles.values()]
    .filter((profile) => ctx.duties.holds(actor, 'approve', profile) !== undefined)
    .map((profile) => profile.name);
}

/**
 * The caller's inbox, a page at a time. Invariants: a request is listed exactly when `isInInbox` says its
 * current step names the caller (so never one the caller may not see: holding `approve` on its profile is what
 * lets an approver read it); `myApproval.counts` is what `decideApproval` decides for the caller now, with the
 * principal links the approve verb would load (the caller's token minter included); `total` counts every
 * listed request, not only this page.
 */
export async function listInbox({ app, actor, input }: VerbCall<InboxQuery>): Promise<InboxView> {
  const query = parseInput(inboxQuerySchema, input);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    const ctx: ApprovalContext = { ...snapshot, now };
    const profiles = approvableProfiles(ctx, actor);
    if (profiles.length === 0) return { items: [], total: 0 };
    const pending = await pendingRecords(trx, { requester: actor, profiles });
    const listed = pending.filter((record) => isInInbox(ctx, record, actor));
    const start = after === undefined ? 0 : startAfter(listed, after);
    const page = start < 0 ? [] : listed.slice(start, start + limit);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < listed.length;
    return {
      items: await itemsOf(trx, ctx, actor, page),
      total: listed.length,
      ...(more && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
    };
  });
}

async function itemsOf(
  trx: Trx,
  ctx: ApprovalContext,
  actor: string,
  page: readonly RequestRecord[],
): Promise<InboxItemView[]> {
  if (page.length === 0) return [];
  // Each item in full, loaded as the approve verb loads it: with its recorded principal links and the caller's own
  // (the minter of the token in use), so `myApproval` is decided on exactly what approving would decide on.
  const loaded: StoredRequest[] = [];
  for (const record of page) {
    const stored = await findRequest(trx, record.id);
    if (stored !== undefined) loaded.push(stored);
  }
  const drift = await openDrift(trx, [...new Set(loaded.map((stored) => stored.record.resource))]);
  const recent = await recentRequests(trx, loaded);
  return loaded.map((stored) => {
    const { record } = stored;
    const mine = decideMyApproval(ctx, record, actor);
    const view = toRequestView(stored);
    return {
      request: view,
      context: {
        requester: requesterOf(ctx.policy, record.requester),
        resource: resourceOf(ctx.policy, record.resource, record.profile, drift.get(record.resource) ?? []),
        action: actionOf(ctx.policy, record.profile, record.action),
        rule: { name: record.matchedRule, steps: view.steps },
        recentRequests: (recent.get(`${record.requester}\u0000${record.resource}`) ?? [])
          .filter((other) => other.id !== record.id)
          .slice(0, RECENT_REQUESTS),
        myApproval: { counts: mine.counts, reason: mine.reason.code, message: mine.reason.message },
      },
    };
  });
}

type Context = InboxItemView['context'];

function requesterOf(policy: PolicySet, name: string): Context['requester'] {
  const identity = policy.identities.get(name);
  if (identity === undefined) return { name, kind: 'unknown', groups: [] };
  if (identity.kind === 'human') return { name, kind: 'human', groups: [...identity.groups] };
  return {
    name,
    kind: 'nhi',
    identityKind: identity.kind,
    groups: [...identity.groups],
    ...(identity.owner !== undefined ? { owners: [identity.owner] } : {}),
  };
}

function resourceOf(
  policy: PolicySet,
  id: string,
  requestedProfile: string,
  openDriftFindings: Context['resource']['openDrift'],
): Context['resource'] {
  const resource = policy.resources.get(id);
  const profileName = resource?.profile ?? requestedProfile;
  const profile = policy.profiles.get(profileName);
  const owners = [...(profile?.owners ?? []), ...(resource?.owner !== undefined ? [resource.owner] : [])];
  return {
    id,
    profile: profileName,
    classification: profile?.classification ?? null,
    owners: [...new Set(owners.map(formatSubject))],
    openDrift: openDriftFindings,
  };
}

function actionOf(policy: PolicySet, profileName: string, name: string): Context['action'] {
  const action = policy.profiles.get(profileName)?.actions.get(name);
  if (action === undefined) return { name };
  return {
    name,
    risk: action.risk,
    maxDuration: formatDurationSeconds(action.maxDurationSeconds),
    maxDurationSeconds: action.maxDurationSeconds,
  };
}

/** Open drift findings of each resource, the most severe first, then the oldest. */
async function openDrift(
  trx: Trx,
  resources: readonly string[],
): Promise<Map<string, Context['resource']['openDrift']>> {
  const rows = await trx
    .selectFrom('drift_findings')
    .select(['resource', 'check_name', 'severity', 'first_seen'])
    .where('resource', 'in', resources)
    .where('status', '=', 'open')
    .orderBy('first_seen', 'asc')
    .orderBy('check_name', 'asc')
    .execute();
  const rank = (severity: string) => -SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]);
  const byResource = new Map<string, Context['resource']['openDrift'][number][]>();
  for (const row of [...rows].sort((a, b) => rank(a.severity) - rank(b.severity))) {
    const list = byResource.get(row.resource) ?? [];
    if (list.length < MAX_OPEN_DRIFT) {
      list.push({ check: row.check_name, severity: row.severity, since: iso(Number(row.first_seen)) });
    }
    byResource.set(row.resource, list);
  }
  return byResource;
}

/**
 * The latest requests of each (requester, resource) pair of the page, newest first: one query, ranked by the
 * database (`row_number` over each pair), one more than shown so that an item can leave itself out.
 */
async function recentRequests(
  trx: Trx,
  page: readonly StoredRequest[],
): Promise<Map<string, Context['recentRequests'][number][]>> {
  const requesters = [...new Set(page.map((stored) => stored.record.requester))];
  const resources = [...new Set(page.map((stored) => stored.record.resource))];
  const rows = await trx
    .selectFrom((eb) =>
      eb
        .selectFrom('requests')
        .select(['id', 'requester', 'resource', 'action', 'status', 'created_at'])
        .select((inner) =>
          inner.fn
            .agg<number>('row_number')
            .over((over) =>
              over.partitionBy(['requester', 'resource']).orderBy('created_at', 'desc').orderBy('id', 'desc'),
            )
            .as('rank'),
        )
        .where('requester', 'in', requesters)
        .where('resource', 'in', resources)
        .as('ranked'),
    )
    .selectAll()
    .where('rank', '<=', RECENT_REQUESTS + 1)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const byPair = new Map<string, Context['recentRequests'][number][]>();
  for (const row of rows) {
    const key = `${row.requester}\u0000${row.resource}`;
    const list = byPair.get(key) ?? [];
    list.push({ id: row.id, action: row.action, status: row.status, createdAt: iso(Number(row.created_at)) });
    byPair.set(key, list);
  }
  return byPair;
}

interface InboxCursor {
  readonly createdAt: number;
  readonly id: string;
}

/**
 * Where the page after `cursor` starts: just past the cursor's request, or, when it has left the inbox since,
 * at the first request older than it (newest first on (created_at, id), the order `listRequests` reads in).
 */
function startAfter(listed: readonly RequestRecord[], cursor: InboxCursor): number {
  const at = listed.findIndex((record) => record.id === cursor.id);
  return at >= 0 ? at + 1 : listed.findIndex((record) => comesAfter(record, cursor));
}

function comesAfter(record: RequestRecord, cursor: InboxCursor): boolean {
  const { createdAt, id } = record;
  return createdAt < cursor.createdAt || (createdAt === cursor.createdAt && id < cursor.id);
}

function encodeCursor(record: RequestRecord): string {
  return Buffer.from(`inbox:${record.createdAt}:${record.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): InboxCursor {
  const match = /^inbox:(\d{1,16}):([\w-]{1,100})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) throw new AppError('invalid', 'the cursor is not one this server issued', { cursor });
  return { createdAt: Number(match[1]), id: match[2] as string };
}
