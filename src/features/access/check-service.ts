/**
 * The `check` hot path behind `POST /v1/check` (SPEC §4, §7: ≥ 8,000 req/s, p99 ≤ 5 ms over HTTP). A check is
 * answered from memory, never from the database: a `CheckIndex` built from a policy snapshot and the active
 * grants, with the snapshot's `DutyIndex` deciding who may ask about whom (`decideCheckAccess`). Its three
 * concerns, one file each:
 *   - this service: the answer, who may ask it, and what a denial tells the caller;
 *   - `fresh-check-index.ts`: the index kept fresh (the staleness bound: changes this process commits are seen
 *     by the very next check, the others within a poll; never an answer from a state older than 2 s);
 *   - `check-denial-log.ts`: the decision log, denials aggregated in memory and written as `check.denied`
 *     audit events, without a transaction per call.
 */
import { reason } from '../../core/decision.js';
import { AppError } from '../../core/errors.js';
import { unknownResource, type CheckIndex, type CheckResult } from '../../decide/check.decide.js';
import { decideCheckAccess, mayExplainOwnDenial } from '../../decide/request-visibility.decide.js';
import type { AppContext } from '../../app/context.js';
import type { ChangeEvent } from '../../app/change-events.js';
import { CheckDenialLog, type CheckDenialLogOptions } from './check-denial-log.js';
import { FreshCheckIndex, type FreshCheckIndexOptions } from './fresh-check-index.js';

export interface CheckQuery {
  readonly identity: string;
  readonly resource: string;
  readonly action: string;
}

/** The freshness bounds of the index and the flush bounds of the decision log (see their modules). */
export interface CheckServiceOptions extends FreshCheckIndexOptions, CheckDenialLogOptions {
  /** Background refresh and flush failures (they are retried; a check never answers from a stale state). */
  readonly onError?: (error: unknown) => void;
}

/**
 * `check` answered from memory, fresh within the bounds of `fresh-check-index.ts`. One per process (per
 * `AppContext`); the HTTP app creates it (or is given the wiring's, shared with the change follower) and
 * subscribes it to the app's change feed.
 */
export class CheckService {
  readonly #app: AppContext;
  readonly #fresh: FreshCheckIndex;
  readonly #denials: CheckDenialLog;

  constructor(app: AppContext, options: CheckServiceOptions = {}) {
    this.#app = app;
    this.#fresh = new FreshCheckIndex(app, options);
    this.#denials = new CheckDenialLog(app, options);
  }

  /**
   * Is `query.identity` allowed `query.action` on `query.resource` now, asked by `caller`? Invariant: the answer
   * is `CheckIndex.check` on a state verified at most `maxStalenessMs` ago and reflecting every `invalidate()`
   * made before the call; `forbidden` (with reasons) when `caller` may not ask about that identity; a denial of
   * the caller itself on a profile it may not read reads as an unknown resource (`mayExplainOwnDenial`).
   */
  async check(caller: string, query: CheckQuery): Promise<CheckResult> {
    // No await when the state may answer as it is: the hot path stays synchronous up to the answer.
    const state = this.#fresh.ready() ?? (await this.#fresh.refreshUntilCurrent());
    const now = this.#app.clock.now();
    const access = decideCheckAccess(state.policy, state.duties, caller, query.identity, query.resource);
    if (!access.allowed) {
      const first = access.reasons[0] ?? reason('check_access.not_self', 'may not ask about another identity');
      this.#denials.record({ caller, ...query, reason: first }, now);
      throw new AppError('forbidden', first.message, { reasons: access.reasons.map((r) => ({ ...r })) });
    }
    const result = this.#withoutRevoked(state.index, query, now);
    if (result.allowed) return result;
    // The decision log keeps the true reason; the caller learns it only about a profile it may read.
    this.#denials.record({ caller, ...query, reason: result.reason }, now);
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
    this.#fresh.changed(changes);
  }

  /** Duties or identities changed, committed by this process: the next check waits for a full rebuild. */
  invalidate(): void {
    this.#fresh.invalidate();
  }

  /**
   * The grant of request `requestId` changed, committed by this process (activated, extended, completed,
   * revoked, or the attempt failed): the next check waits until the grants of its identity are read again.
   */
  grantsChanged(requestId: string): void {
    this.#fresh.grantsChanged(requestId);
  }

  /** How many times the index was built in full (a metric: grant changes made here should not add to it). */
  get rebuilds(): number {
    return this.#fresh.rebuilds;
  }

  /**
   * Another replica committed a change (PostgreSQL `NOTIFY`): start the version check now rather than at the
   * next poll. Checks keep answering from the current state meanwhile, exactly as during a poll.
   */
  refreshSoon(): void {
    this.#fresh.refreshSoon();
  }

  /** Number of distinct denials waiting for the next flush. */
  get pendingDenials(): number {
    return this.#denials.pending;
  }

  /**
   * Writes the aggregated denials as `check.denied` audit events in one transaction; returns how many events.
   * On failure the entries are kept for the next flush and the error is thrown.
   */
  flushDenials(): Promise<number> {
    return this.#denials.flush();
  }

  /** Flushes what is pending and stops the flush timer; later denials are flushed only by `flushDenials`. */
  async close(): Promise<void> {
    this.#fresh.close();
    await this.#denials.close();
  }
}
