/**
 * The `check` hot path behind `POST /v1/check` (SPEC §4, §7: ≥ 8,000 req/s, p99 ≤ 5 ms over HTTP). A check is
 * answered from memory, never from the database: a `CheckIndex` built from a policy snapshot and the active
 * grants, with the snapshot's `DutyIndex` deciding who may ask about whom (`decideCheckAccess`).
 *
 * Freshness (the staleness bound). The index is refreshed by the requests themselves, never on a timer:
 *   - `changed(events)`, which the HTTP app subscribes to the app's change feed (`app/change-events.ts`), hears
 *     after commit what every transaction of this process announced, whichever verb or job made it (no route
 *     tells it by hand). A `grant` change calls `grantsChanged(requestId)`: the next check waits only for the
 *     grants of that request's identity to be read again and put in place in the index (one indexed read, no
 *     rebuild), so a grant activated, extended, completed or revoked here is reflected by the very next answer
 *     while checks stay flat under grant churn (issue #10). A `duties` or `identity_disabled` change calls
 *     `invalidate()`: the next check waits for a full rebuild;
 *   - at most every `pollIntervalMs` (250 ms) a check starts a background version check: the audit log's head
 *     (`max(seq)`, one index look-up; every state change is audited in its own transaction), and when it moved,
 *     a fingerprint of what the index depends on (active grants, disabled identities, role assignments,
 *     role activations); the index is rebuilt only when the fingerprint changed. Changes committed by the
 *     scheduler or another replica are therefore seen within 250 ms plus one refresh;
 *   - a full rebuild at most every `rebuildIntervalMs` (10 s) catches what no fingerprint shows (assignment
 *     and activation expiry at the clock's pace) and a policy swapped in memory is noticed on the next check;
 *   - no answer is ever given from a state older than `maxStalenessMs` (2 s): past that (an idle server, a
 *     failing database) the check waits for a refresh, and fails with the database rather than answer stale.
 * Grant expiry itself needs no refresh: the index compares each grant's `expiresAt` with the instant asked.
 * With PostgreSQL, replicas are also told of grant changes by `NOTIFY` (`refreshSoon`, wired in
 * `server/change-follower.ts`), so the 250 ms poll is the fallback rather than the rule.
 *
 * The decision log without a transaction per call: denials (and refused questions about others) are
 * aggregated in memory per (caller, identity, resource, action, reason code) with a count and first/last time,
 * and written as `check.denied` audit events every `denialFlushMs` (5 s) or once `denialFlushEntries` distinct
 * denials are pending, in one `inTransaction`. Past `maxDenialEntries` distinct entries, further new ones are
 * counted per caller in one overflow entry (`check.denials_overflowed`) so memory stays bounded and no denial
 * goes uncounted. A failed flush puts its entries back for the next one.
 */
import type { Transaction } from 'kysely';
import { reason, type Reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { CheckIndex, unknownResource, type CheckResult } from '../../decide/check.decide.js';
import type { DutyIndex } from '../../decide/duties.js';
import { decideCheckAccess, mayExplainOwnDenial } from '../../decide/request-visibility.decide.js';
import type { PolicySet } from '../../policy/model.js';
import type { Schema } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import type { ChangeEvent } from '../../app/change-events.js';
import { inTransaction } from '../../app/transaction.js';

export interface CheckQuery {
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
}

export interface CheckServiceOptions {
  /** How often a check may start a background version check (ms). */
  readonly pollIntervalMs?: number;
  /** Oldest verified state a check may answer from; older, it waits for a refresh (ms). */
  readonly maxStalenessMs?: number;
  /** Full rebuild at least this often (ms). */
  readonly rebuildIntervalMs?: number;
  readonly denialFlushMs?: number;
  readonly denialFlushEntries?: number;
  readonly maxDenialEntries?: number;
  /** Monotonic milliseconds for the refresh timing (default `performance.now`); decisions use the app clock. */
  readonly monotonicNow?: () => number;
  /** Background refresh and flush failures (they are retried; a check never answers from a stale state). */
  readonly onError?: (error: unknown) => void;
}

interface IndexState {
  readonly loaded: PolicySet;
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly index: CheckIndex;
  readonly fingerprint: string;
  auditHead: string;
  readonly builtAt: number;
}

interface DenialEntry {
  readonly caller: string;
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
  readonly reason: Reason;
  count: number;
  firstAt: number;
  lastAt: number;
}

const OVERFLOW_REASON = reason(
  'check.denials_overflowed',
  'more distinct denials than one flush aggregates; counted here without their detail',
);

type Trx = Transaction<Schema>;

async function auditHead(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return String(row?.seq ?? 0);
}

/** What the index depends on in the database, as one comparable string. */
async function fingerprint(trx: Trx): Promise<string> {
  const grants = await trx
    .selectFrom('grants')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('expires_at').as('s'), eb.fn.max('expires_at').as('m')])
    .where('status', '=', 'active')
    .executeTakeFirst();
  const identities = await trx
    .selectFrom('identities')
    .select((eb) => [eb.fn.count('disabled_at').as('n'), eb.fn.max('disabled_at').as('m')])
    .executeTakeFirst();
  const assignments = await trx
    .selectFrom('role_assignments')
    // Policy-file rows count too: a certification revoke suspends one by ending it (`removed_at`).
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('created_at').as('c'), eb.fn.max('removed_at').as('r')])
    .executeTakeFirst();
  const activations = await trx
    .selectFrom('role_activations')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('created_at').as('c'), eb.fn.max('ended_at').as('e')])
    .executeTakeFirst();
  return [grants, identities, assignments, activations]
    .map((row) =>
      Object.values(row ?? {})
        .map((value) => String(value ?? '-'))
        .join(','),
    )
    .join('|');
}

/**
 * `check` answered from memory, fresh within the bounds of the module header. One per process (per
 * `AppContext`); the HTTP app creates it (or is given the wiring's, shared with the change follower) and
 * subscribes it to the app's change feed.
 */
export class CheckService {
  readonly #app: AppContext;
  readonly #pollMs: number;
  readonly #maxStaleMs: number;
  readonly #rebuildMs: number;
  readonly #flushMs: number;
  readonly #flushEntries: number;
  readonly #maxEntries: number;
  readonly #mono: () => number;
  readonly #onError: (error: unknown) => void;

  #state: IndexState | undefined;
  #verifiedAt = Number.NEGATIVE_INFINITY;
  /**
   * Bumped by `invalidate()` and `grantsChanged()`; the state reflects every change up to `#builtGeneration`
   * (a rebuild, or a read of the changed grants, started at that generation).
   */
  #generation = 0;
  #builtGeneration = -1;
  /** The generation of the last `invalidate()`: a state older than it needs a full rebuild. */
  #fullGeneration = 0;
  /** Requests whose grant changed here, with the generation of their latest change, until the state has it. */
  readonly #changedRequests = new Map<string, number>();
  #rebuilds = 0;
  #refreshing: Promise<void> | undefined;

  #denials = new Map<string, DenialEntry>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<number> | undefined;
  #closed = false;

  constructor(app: AppContext, options: CheckServiceOptions = {}) {
    this.#app = app;
    this.#pollMs = options.pollIntervalMs ?? 250;
    this.#maxStaleMs = options.maxStalenessMs ?? 2000;
    this.#rebuildMs = options.rebuildIntervalMs ?? 10_000;
    this.#flushMs = options.denialFlushMs ?? 5000;
    this.#flushEntries = options.denialFlushEntries ?? 1000;
    this.#maxEntries = options.maxDenialEntries ?? 10_000;
    this.#mono = options.monotonicNow ?? (() => performance.now());
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * Is `query.identity` allowed `query.action` on `query.resource` now, asked by `caller`? Invariant: the answer
   * is `CheckIndex.check` on a state verified at most `maxStalenessMs` ago and reflecting every `invalidate()`
   * made before the call; `forbidden` (with reasons) when `caller` may not ask about that identity; a denial of
   * the caller itself on a profile it may not read reads as an unknown resource (`mayExplainOwnDenial`).
   */
  async check(caller: string, query: CheckQuery): Promise<CheckResult> {
    const t = this.#mono();
    let state = this.#state;
    if (state === undefined || this.#mustWait(state, t)) {
      state = await this.#refreshUntilCurrent();
    } else if (t - this.#verifiedAt >= this.#pollMs) {
      this.#refreshInBackground();
    }
    const now = this.#app.clock.now();
    const access = decideCheckAccess(state.policy, state.duties, caller, query.identity, query.resource);
    if (!access.allowed) {
      const first = access.reasons[0] ?? reason('check_access.not_self', 'may not ask about another identity');
      this.#recordDenial(caller, query, first, now);
      throw new AppError('forbidden', first.message, { reasons: access.reasons.map((r) => ({ ...r })) });
    }
    const result = this.#withoutRevoked(state.index, query, now);
    if (result.allowed) return result;
    // The decision log keeps the true reason; the caller learns it only about a profile it may read.
    this.#recordDenial(caller, query, result.reason, now);
    if (caller === query.identity && !mayExplainOwnDenial(state.policy, state.duties, caller, query.resource)) {
      return unknownResource(query.resource);
    }
    return result;
  }

  /**
   * `index.check`, except that a grant revoked on its provider while the store refused writes (SPEC §2.8) no
   * longer allows, though the store shows it active until the revocation journal is recorded: it leaves the
   * index (a rebuild may bring it back; it leaves again) and the answer is what it will be once recorded.
   */
  #withoutRevoked(index: CheckIndex, query: CheckQuery, now: number): CheckResult {
    let revoked: string | undefined;
    for (;;) {
      const result = index.check(query.identity, query.resource, query.action, now);
      const grantId = result.allowed ? result.grantId : undefined;
      if (grantId === undefined || this.#app.revocations?.isRevoked(grantId, now) !== true) {
        if (result.allowed || revoked === undefined) return result;
        return { allowed: false, reason: reason('check.grant_revoked', `grant '${revoked}' was revoked`) };
      }
      revoked = grantId;
      index.removeGrant(grantId);
    }
  }

  /**
   * What a transaction of this process committed (the app's change feed): a grant change re-reads that grant's
   * identity, a change of duties or resources or a disabled identity rebuilds; tokens and notifications do not
   * concern it.
   */
  changed(changes: readonly ChangeEvent[]): void {
    for (const change of changes) {
      if (change.kind === 'grant') this.grantsChanged(change.requestId);
      else if (change.kind === 'duties' || change.kind === 'resources' || change.kind === 'identity_disabled') {
        this.invalidate();
      }
    }
  }

  /** Duties or identities changed, committed by this process: the next check waits for a full rebuild. */
  invalidate(): void {
    this.#generation++;
    this.#fullGeneration = this.#generation;
  }

  /**
   * The grant of request `requestId` changed, committed by this process (activated, extended, completed,
   * revoked, or the attempt failed): the next check waits until the grants of its identity are read again.
   */
  grantsChanged(requestId: string): void {
    this.#generation++;
    this.#changedRequests.set(requestId, this.#generation);
  }

  /** How many times the index was built in full (a metric: grant changes made here should not add to it). */
  get rebuilds(): number {
    return this.#rebuilds;
  }

  /**
   * Another replica committed a change (PostgreSQL `NOTIFY`): start the version check now rather than at the
   * next poll. Checks keep answering from the current state meanwhile, exactly as during a poll.
   */
  refreshSoon(): void {
    if (this.#closed || this.#state === undefined) return;
    this.#refreshInBackground();
  }

  /** Starts a version check unless one is running; checks go on answering from the current state meanwhile. */
  #refreshInBackground(): void {
    if (this.#refreshing !== undefined) return;
    this.#refreshing = this.#refresh().finally(() => (this.#refreshing = undefined));
    this.#refreshing.catch(this.#onError);
  }

  /** Number of distinct denials waiting for the next flush. */
  get pendingDenials(): number {
    return this.#denials.size;
  }

  /**
   * Writes the aggregated denials as `check.denied` audit events in one transaction; returns how many events.
   * On failure the entries are kept for the next flush and the error is thrown.
   */
  async flushDenials(): Promise<number> {
    while (this.#flushing !== undefined) await this.#flushing.catch(() => undefined);
    this.#flushing = this.#flush().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Flushes what is pending and stops the flush timer; later denials are flushed only by `flushDenials`. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#denials.size > 0) await this.flushDenials();
  }

  #mustWait(state: IndexState, t: number): boolean {
    return (
      state.loaded !== this.#app.policy.loaded ||
      this.#builtGeneration < this.#generation ||
      t - this.#verifiedAt > this.#maxStaleMs
    );
  }

  async #refreshUntilCurrent(): Promise<IndexState> {
    for (;;) {
      if (this.#refreshing === undefined) {
        this.#refreshing = this.#refresh().finally(() => (this.#refreshing = undefined));
      }
      await this.#refreshing;
      const state = this.#state;
      if (state !== undefined && !this.#mustWait(state, this.#mono())) return state;
    }
  }

  async #refresh(): Promise<void> {
    const started = this.#mono();
    const generation = this.#generation;
    const loaded = this.#app.policy.loaded;
    const now = this.#app.clock.now();
    const state = this.#state;
    const rebuild =
      state === undefined ||
      state.loaded !== loaded ||
      this.#builtGeneration < this.#fullGeneration ||
      started - state.builtAt >= this.#rebuildMs;
    if (state !== undefined && !rebuild && this.#builtGeneration < generation) {
      // Only grants changed here since the state was current: read those again, leave the rest as verified.
      await this.#applyGrantChanges(state, this.#builtGeneration, now);
      this.#covered(generation);
      return;
    }
    const current = rebuild ? undefined : state;
    const next = await this.#app.database.db.transaction().execute(async (trx) => {
      // Read the head first: whatever is read after it is at least as new, so a change is never missed.
      const head = await auditHead(trx);
      if (current !== undefined && head === current.auditHead) return undefined;
      const print = await fingerprint(trx);
      if (current !== undefined && print === current.fingerprint) {
        current.auditHead = head;
        return undefined;
      }
      return this.#build(trx, loaded, head, print, now, started);
    });
    if (next !== undefined) {
      this.#state = next;
      this.#rebuilds++;
      this.#covered(generation);
    }
    this.#verifiedAt = started;
  }

  /** The state now reflects every change up to `generation`; changes it has are no longer pending. */
  #covered(generation: number): void {
    this.#builtGeneration = generation;
    for (const [id, changedAt] of this.#changedRequests) {
      if (changedAt <= generation) this.#changedRequests.delete(id);
    }
  }

  /**
   * Reads again, in one transaction, the active grants of every identity whose request's grant changed after
   * generation `since`, and puts them in place of that identity's grants in `state.index`. A grant no longer
   * active (revoked, completed, still provisioning) leaves the index; one extended is replaced.
   */
  async #applyGrantChanges(state: IndexState, since: number, now: number): Promise<void> {
    const ids = [...this.#changedRequests].filter(([, changedAt]) => changedAt > since).map(([id]) => id);
    if (ids.length === 0) return;
    const { identities, rows } = await this.#app.database.db.transaction().execute(async (trx) => {
      const requesters = await trx.selectFrom('requests').select('requester').where('id', 'in', ids).execute();
      const holders = await trx.selectFrom('grants').select('identity').where('request_id', 'in', ids).execute();
      const names = [...new Set([...requesters.map((r) => r.requester), ...holders.map((g) => g.identity)])];
      if (names.length === 0) return { identities: names, rows: [] };
      const active = await trx
        .selectFrom('grants')
        .select(['id', 'request_id', 'identity', 'resource', 'action', 'expires_at'])
        .where('identity', 'in', names)
        .where('status', '=', 'active')
        .where('expires_at', '>', now)
        .execute();
      return { identities: names, rows: active };
    });
    for (const identity of identities) {
      const grants = rows
        .filter((row) => row.identity === identity)
        .map((row) => ({
          id: row.id,
          requestId: row.request_id,
          identity: row.identity,
          resource: row.resource,
          action: row.action,
          expiresAt: Number(row.expires_at),
        }));
      state.index.replaceGrantsOf(identity, grants);
    }
  }

  async #build(
    trx: Trx,
    loaded: PolicySet,
    head: string,
    print: string,
    now: number,
    started: number,
  ): Promise<IndexState> {
    const snapshot = await this.#app.policy.snapshot(trx, now);
    const rows = await trx
      .selectFrom('grants')
      .select(['id', 'request_id', 'identity', 'resource', 'action', 'expires_at'])
      .where('status', '=', 'active')
      .where('expires_at', '>', now)
      .execute();
    const grants = rows.map((row) => ({
      id: row.id,
      requestId: row.request_id,
      identity: row.identity,
      resource: row.resource,
      action: row.action,
      expiresAt: Number(row.expires_at),
    }));
    return {
      loaded,
      policy: snapshot.policy,
      duties: snapshot.duties,
      index: new CheckIndex(snapshot.policy, snapshot.duties, grants),
      fingerprint: print,
      auditHead: head,
      builtAt: started,
    };
  }

  #recordDenial(caller: string, query: CheckQuery, why: Reason, now: number): void {
    const key = `${caller}\u0000${query.identity}\u0000${query.resource}\u0000${query.action}\u0000${why.code}`;
    const entry = this.#denials.get(key);
    if (entry !== undefined) {
      entry.count++;
      entry.lastAt = now;
    } else if (this.#denials.size < this.#maxEntries) {
      this.#denials.set(key, { caller, ...query, reason: why, count: 1, firstAt: now, lastAt: now });
    } else {
      this.#merge(overflowEntry(caller, 1, now, now));
    }
    if (this.#denials.size >= this.#flushEntries && this.#flushing === undefined) {
      this.flushDenials().catch(this.#onError);
    } else {
      this.#armFlush();
    }
  }

  #armFlush(): void {
    if (this.#flushTimer !== undefined || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.flushDenials().catch(this.#onError);
    }, this.#flushMs);
    this.#flushTimer.unref();
  }

  /** Adds an entry's counts into the pending map (used for overflow and for putting back a failed flush). */
  #merge(entry: DenialEntry): void {
    const key = `${entry.caller}\u0000${entry.identity}\u0000${entry.resource}\u0000${entry.action}\u0000${entry.reason.code}`;
    const pending = this.#denials.get(key);
    if (pending !== undefined) {
      pending.count += entry.count;
      pending.firstAt = Math.min(pending.firstAt, entry.firstAt);
      pending.lastAt = Math.max(pending.lastAt, entry.lastAt);
    } else if (this.#denials.size < this.#maxEntries || entry.reason.code === OVERFLOW_REASON.code) {
      this.#denials.set(key, { ...entry });
    } else {
      this.#merge(overflowEntry(entry.caller, entry.count, entry.firstAt, entry.lastAt));
    }
  }

  async #flush(): Promise<number> {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const entries = [...this.#denials.values()];
    if (entries.length === 0) return 0;
    this.#denials = new Map();
    try {
      await inTransaction(this.#app, async ({ audit }) => {
        for (const entry of entries) {
          audit({
            actor: entry.caller,
            action: 'check.denied',
            subject: `identity:${entry.identity}`,
            details: {
              identity: entry.identity,
              resource: entry.resource,
              action: entry.action,
              reason: { code: entry.reason.code, message: entry.reason.message },
              count: entry.count,
              firstAt: entry.firstAt,
              lastAt: entry.lastAt,
            },
          });
        }
      });
    } catch (error) {
      for (const entry of entries) this.#merge(entry);
      this.#armFlush();
      throw error;
    }
    return entries.length;
  }
}

function overflowEntry(caller: string, count: number, firstAt: number, lastAt: number): DenialEntry {
  return { caller, identity: '*', resource: '*', action: '*', reason: OVERFLOW_REASON, count, firstAt, lastAt };
}
