/**
 * The `check` index kept fresh: what `CheckService` answers from, within the staleness bound. The index is
 * refreshed by the checks themselves, never on a timer:
 *   - `changed(events)`, which the HTTP app subscribes to the app's change feed (`app/change-events.ts`), hears
 *     after commit what every transaction of this process announced, whichever verb or job made it (no route
 *     tells it by hand). A `grant` change calls `grantsChanged(requestId)`: the next check waits only for the
 *     grants of that request's identity to be read again and put in place in the index (one indexed read, no
 *     rebuild), so a grant activated, extended, completed or revoked here is reflected by the very next answer
 *     while checks stay flat under grant churn (issue #10). A `duties`, `resources` or `identity_disabled` change
 *     calls `invalidate()`: the next check waits for a full rebuild;
 *   - at most every `pollIntervalMs` (250 ms) a check starts a background version check: the audit log's head
 *     (`max(seq)`, one index look-up; every state change is audited in its own transaction), and when it moved,
 *     a fingerprint of what the index depends on (active grants, disabled identities, role assignments,
 *     role activations, the overlay counter that directory membership changes move); the index is rebuilt only when the fingerprint changed. Changes committed by the
 *     scheduler or another replica are therefore seen within 250 ms plus one refresh;
 *   - a full rebuild at most every `rebuildIntervalMs` (10 s) catches what no fingerprint shows (assignment
 *     and activation expiry at the clock's pace);
 *   - a policy swapped in memory is noticed on the next check: the state built from another policy than the one
 *     in force for the check (within an HTTP call, the one the call is pinned to, `app/policy-call.ts`) is
 *     rebuilt before it answers. A swap is no change event: calls pinned to the old policy may still be running,
 *     and each must be answered under its own;
 *   - no answer is ever given from a state older than `maxStalenessMs` (2 s): past that (an idle server, a
 *     failing database) the check waits for a refresh, and fails with the database rather than answer stale.
 * Grant expiry itself needs no refresh: the index compares each grant's `expiresAt` with the instant asked.
 * With PostgreSQL, replicas are also told of grant changes by `NOTIFY` (`refreshSoon`, wired in
 * `server/change-follower.ts`), so the 250 ms poll is the fallback rather than the rule.
 */
import type { Transaction } from 'kysely';
import { CheckIndex } from '../../decide/check.decide.js';
import type { DutyIndex } from '../../decide/duties.js';
import type { ActiveGrant } from '../../core/domain.js';
import type { PolicySet } from '../../policy/model.js';
import type { Row, Schema } from '../../store/schema.js';
import type { AppContext } from '../../app/context.js';
import type { ChangeEvent } from '../../app/change-events.js';

export interface FreshCheckIndexOptions {
  /** How often a check may start a background version check (ms). */
  readonly pollIntervalMs?: number;
  /** Oldest verified state a check may answer from; older, it waits for a refresh (ms). */
  readonly maxStalenessMs?: number;
  /** Full rebuild at least this often (ms). */
  readonly rebuildIntervalMs?: number;
  /** Monotonic milliseconds for the refresh timing (default `performance.now`); decisions use the app clock. */
  readonly monotonicNow?: () => number;
  /** Background refresh failures (they are retried; a check never answers from a stale state). */
  readonly onError?: (error: unknown) => void;
}

/** What a check is answered from: one policy snapshot, its duties, and the index built from them. */
export interface CheckState {
  readonly policy: PolicySet;
  readonly duties: DutyIndex;
  readonly index: CheckIndex;
}

interface IndexState extends CheckState {
  /** The loaded policy (without overlays) the state was built from. */
  readonly loaded: PolicySet;
  readonly fingerprint: string;
  auditHead: string;
  readonly builtAt: number;
}

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
  // Directory memberships (SCIM, OIDC groups claims) have no timestamps to compare: their writers bump the
  // overlay counter, which every overlaid change moves.
  const overlay = await trx.selectFrom('overlay_version').select('version').where('id', '=', 1).executeTakeFirst();
  return [grants, identities, assignments, activations, overlay]
    .map((row) =>
      Object.values(row ?? {})
        .map((value) => String(value ?? '-'))
        .join(','),
    )
    .join('|');
}

const GRANT_COLUMNS = ['id', 'request_id', 'identity', 'resource', 'action', 'expires_at'] as const;

function toActiveGrant(row: Pick<Row<'grants'>, (typeof GRANT_COLUMNS)[number]>): ActiveGrant {
  return {
    id: row.id,
    requestId: row.request_id,
    identity: row.identity,
    resource: row.resource,
    action: row.action,
    expiresAt: Number(row.expires_at),
  };
}

/**
 * The `check` index of one process (per `AppContext`), fresh within the bounds of the module header; the
 * check service asks it for the state to answer from and forwards it what the change feed tells.
 */
export class FreshCheckIndex {
  readonly #app: AppContext;
  readonly #pollMs: number;
  readonly #maxStaleMs: number;
  readonly #rebuildMs: number;
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
  #closed = false;

  constructor(app: AppContext, options: FreshCheckIndexOptions = {}) {
    this.#app = app;
    this.#pollMs = options.pollIntervalMs ?? 250;
    this.#maxStaleMs = options.maxStalenessMs ?? 2000;
    this.#rebuildMs = options.rebuildIntervalMs ?? 10_000;
    this.#mono = options.monotonicNow ?? (() => performance.now());
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * The state to answer from at once, or undefined when the check must wait for `refreshUntilCurrent()` (none
   * yet, built from another policy, older than a change heard, or verified too long ago). Past the poll interval
   * it starts a version check in the background and answers from the current state meanwhile.
   */
  ready(): CheckState | undefined {
    const t = this.#mono();
    const state = this.#state;
    if (state === undefined || this.#mustWait(state, t)) return undefined;
    if (t - this.#verifiedAt >= this.#pollMs) this.#refreshInBackground();
    return state;
  }

  /**
   * Refreshes until the state may answer. Invariant: it was verified at most `maxStalenessMs` ago, built from
   * the policy in force, and reflects every `invalidate()` and `grantsChanged()` made before the call.
   */
  async refreshUntilCurrent(): Promise<CheckState> {
    for (;;) {
      if (this.#refreshing === undefined) {
        this.#refreshing = this.#refresh().finally(() => (this.#refreshing = undefined));
      }
      await this.#refreshing;
      const state = this.#state;
      if (state !== undefined && !this.#mustWait(state, this.#mono())) return state;
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

  /** From now on `refreshSoon` does nothing; checks still refresh as they need. */
  close(): void {
    this.#closed = true;
  }

  /** Starts a version check unless one is running; checks go on answering from the current state meanwhile. */
  #refreshInBackground(): void {
    if (this.#refreshing !== undefined) return;
    this.#refreshing = this.#refresh().finally(() => (this.#refreshing = undefined));
    this.#refreshing.catch(this.#onError);
  }

  #mustWait(state: IndexState, t: number): boolean {
    return (
      state.loaded !== this.#app.policy.loaded ||
      this.#builtGeneration < this.#generation ||
      t - this.#verifiedAt > this.#maxStaleMs
    );
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
        .select(GRANT_COLUMNS)
        .where('identity', 'in', names)
        .where('status', '=', 'active')
        .where('expires_at', '>', now)
        .execute();
      return { identities: names, rows: active };
    });
    for (const identity of identities) {
      const grants = rows.filter((row) => row.identity === identity).map(toActiveGrant);
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
      .select(GRANT_COLUMNS)
      .where('status', '=', 'active')
      .where('expires_at', '>', now)
      .execute();
    return {
      loaded,
      policy: snapshot.policy,
      duties: snapshot.duties,
      index: new CheckIndex(snapshot.policy, snapshot.duties, rows.map(toActiveGrant)),
      fingerprint: print,
      auditHead: head,
      builtAt: started,
    };
  }
}
