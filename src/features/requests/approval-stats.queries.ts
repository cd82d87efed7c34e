/**
 * `approvalStats`, the read behind the console's Approval health page (`GET /v1/stats/approvals`): pending
 * requests and their ages, time to approve (creation → final approval) per profile and per UTC day, and the
 * approvers with the longest queues (the requests whose current step names them: `isInInbox`, the inbox's own
 * rule). Computed from the stored requests over a window of at most 90 days, narrowed to the requests the reader
 * may see (`decideRequestVisibility`: `approve` or `audit` on their profiles). Reads change nothing.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { ApprovalContext } from '../../decide/approval.decide.js';
import { isInInbox } from '../../decide/approver-eligibility.decide.js';
import { decideRequestVisibility } from '../../decide/request-visibility.decide.js';
import type { RequestRecord } from '../../decide/types.js';
import type { Schema } from '../../store/schema.js';
import type { VerbCall } from '../../app/context.js';
import { readWithSnapshot } from '../../app/snapshot.queries.js';
import { parseInput } from '../../app/verb-support.js';
import { iso } from '../../app/view-fields.js';
import {
  AGE_BUCKETS,
  MAX_QUEUES,
  STATS_WINDOWS,
  type ApprovalStatsView,
  type StatsWindow,
} from './approval-stats.view.js';
import { pendingRecords, type PendingScope } from './pending-requests.queries.js';

const DAY_MS = 86_400_000;
const WINDOW_DAYS: Readonly<Record<StatsWindow, number>> = { '7d': 7, '30d': 30, '90d': 90 };
const BUCKET_SECONDS: Readonly<Record<(typeof AGE_BUCKETS)[number], number>> = {
  '1h': 3600,
  '4h': 4 * 3600,
  '1d': 86_400,
  '3d': 3 * 86_400,
  '+Inf': Number.POSITIVE_INFINITY,
};

export const approvalStatsQuerySchema = z.strictObject({ window: z.enum(STATS_WINDOWS).optional() });
export type ApprovalStatsQuery = z.input<typeof approvalStatsQuerySchema>;

/** Which requests the reader's numbers cover: every one, or those on `profiles` and its own. */
type Scope = PendingScope;

/** A request people decided in the window: approved (with its time to approve) or denied. */
interface Decision {
  readonly profile: string;
  readonly at: number;
  readonly approvedAfterSeconds?: number;
}

/**
 * The approval health the reader may see. Invariants: only requests the reader may list count (its own and those
 * on the profiles its `approve` or `audit` covers); decisions are those people made (a request whose matched
 * rule had approval steps), never the policy's automatic approvals or denials, nor break-glass; the window is
 * whole UTC days, today included, at most 90 of them.
 */
export async function approvalStats({ app, actor, input }: VerbCall<ApprovalStatsQuery>): Promise<ApprovalStatsView> {
  const window = parseInput(approvalStatsQuerySchema, input).window ?? '7d';
  return readWithSnapshot(app, async ({ trx, snapshot, now }) => {
    const visibility = decideRequestVisibility(snapshot.duties, actor);
    const scope: Scope =
      visibility.scope === 'all' ? undefined : { requester: actor, profiles: [...visibility.profiles] };
    const since = startOfDay(now) - (WINDOW_DAYS[window] - 1) * DAY_MS;
    const pending = await pendingRecords(trx, scope);
    const decisions = await decisionsSince(trx, since, scope);
    return {
      window,
      since: iso(since),
      pending: pendingSummary(pending, now),
      perProfile: perProfile(decisions),
      perDay: perDay(decisions, since, now),
      longestQueues: longestQueues({ ...snapshot, now }, pending),
    };
  });
}

function ageSeconds(record: RequestRecord, now: number): number {
  return Math.max(0, Math.floor((now - record.createdAt) / 1000));
}

function pendingSummary(pending: readonly RequestRecord[], now: number): ApprovalStatsView['pending'] {
  const ages = pending.map((record) => ageSeconds(record, now));
  return {
    count: pending.length,
    oldestAgeSeconds: ages.length === 0 ? null : Math.max(...ages),
    ageBuckets: AGE_BUCKETS.map((le) => ({ le, count: ages.filter((age) => age <= BUCKET_SECONDS[le]).length })),
  };
}

/** Requests approved (finally) or denied by people since `since`, read in one pass over the store. */
async function decisionsSince(trx: Transaction<Schema>, since: number, scope: Scope): Promise<Decision[]> {
  let query = trx
    .selectFrom('requests')
    .select(['profile', 'status', 'created_at', 'approved_at', 'updated_at'])
    // A request whose matched rule had steps waited for people; `[]` is the policy's own decision or break-glass.
    .where('steps', '<>', '[]')
    .where('break_glass', '=', 0)
    .where((eb) =>
      eb.or([
        eb('approved_at', '>=', since),
        eb.and([eb('status', '=', 'denied'), eb('approved_at', 'is', null), eb('updated_at', '>=', since)]),
      ]),
    );
  if (scope !== undefined) {
    query = query.where((eb) =>
      scope.profiles.length === 0
        ? eb('requester', '=', scope.requester)
        : eb.or([eb('requester', '=', scope.requester), eb('profile', 'in', scope.profiles)]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => {
    const approvedAt = row.approved_at === null ? undefined : Number(row.approved_at);
    if (approvedAt === undefined) return { profile: row.profile, at: Number(row.updated_at) };
    const createdAt = Number(row.created_at);
    return { profile: row.profile, at: approvedAt, approvedAfterSeconds: Math.round((approvedAt - createdAt) / 1000) };
  });
}

/** The nearest-rank percentile of `values` (sorted ascending), or null when there are none. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function approvalTimes(decisions: readonly Decision[]): number[] {
  return decisions
    .flatMap((decision) => (decision.approvedAfterSeconds === undefined ? [] : [decision.approvedAfterSeconds]))
    .sort((a, b) => a - b);
}

function perProfile(decisions: readonly Decision[]): ApprovalStatsView['perProfile'] {
  const byProfile = new Map<string, Decision[]>();
  for (const decision of decisions) {
    const list = byProfile.get(decision.profile);
    if (list === undefined) byProfile.set(decision.profile, [decision]);
    else list.push(decision);
  }
  return [...byProfile.keys()].sort().map((profile) => {
    const list = byProfile.get(profile) ?? [];
    const times = approvalTimes(list);
    return {
      profile,
      decided: list.length,
      approved: times.length,
      denied: list.length - times.length,
      p50Seconds: percentile(times, 50),
      p90Seconds: percentile(times, 90),
    };
  });
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function perDay(decisions: readonly Decision[], since: number, now: number): ApprovalStatsView['perDay'] {
  const days: ApprovalStatsView['perDay'][number][] = [];
  for (let day = since; day <= now; day += DAY_MS) {
    const that = decisions.filter((decision) => startOfDay(decision.at) === day);
    const times = approvalTimes(that);
    days.push({
      day: iso(day).slice(0, 10),
      approved: times.length,
      denied: that.length - times.length,
      p50Seconds: percentile(times, 50),
    });
  }
  return days;
}

/**
 * For every human who holds `approve` on the profile of a pending request, the requests in their inbox; the
 * longest queues first (then the oldest request, then by name).
 */
function longestQueues(ctx: ApprovalContext, pending: readonly RequestRecord[]): ApprovalStatsView['longestQueues'] {
  const approversOf = new Map<string, string[]>();
  const humans = [...ctx.policy.identities.values()].filter((identity) => identity.kind === 'human');
  const queues = new Map<string, { pending: number; oldest: number }>();
  for (const record of pending) {
    let approvers = approversOf.get(record.profile);
    if (approvers === undefined) {
      const profile = ctx.policy.profiles.get(record.profile);
      approvers =
        profile === undefined
          ? []
          : humans.filter((h) => ctx.duties.holds(h.name, 'approve', profile) !== undefined).map((h) => h.name);
      approversOf.set(record.profile, approvers);
    }
    for (const approver of approvers) {
      if (!isInInbox(ctx, record, approver)) continue;
      const queue = queues.get(approver) ?? { pending: 0, oldest: ctx.now };
      queues.set(approver, { pending: queue.pending + 1, oldest: Math.min(queue.oldest, record.createdAt) });
    }
  }
  return [...queues.entries()]
    .map(([identity, queue]) => ({
      identity,
      pending: queue.pending,
      oldestAgeSeconds: Math.max(0, Math.floor((ctx.now - queue.oldest) / 1000)),
    }))
    .sort(
      (a, b) =>
        b.pending - a.pending ||
        b.oldestAgeSeconds - a.oldestAgeSeconds ||
        (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0),
    )
    .slice(0, MAX_QUEUES);
}
