/**
 * What a committed transaction changed, told to what this process keeps in memory: the `check` index
 * (`features/access/fresh-check-index.ts`), the authentication cache (`http/auth/cached-authenticator.ts`) and the
 * outbox delivery (`features/notifications/outbox-delivery.job.ts`). Verbs announce their changes with
 * `TransactionScope.announce`; `inTransaction` publishes them on the app's `ChangeFeed` once the transaction
 * committed, and never when it rolled back. So no route or command tells a cache by hand, and a change made by
 * any verb (or a job) reaches every cache the same way.
 *
 * Events are hints to refresh, not the state: a listener reads the store again (or forgets what it cached). Other
 * replicas learn of changes by their own means (the `check` poll and PostgreSQL `NOTIFY`, the cache's TTL).
 *
 * What no in-memory state depends on is not announced: SoD exceptions (created, approved, revoked or expired) are
 * read only by verbs, through the policy snapshot, whose cache follows the database's `overlay_version`; `check`
 * and the token cache never consult them. A policy swapped in memory (`PolicyRuntime.replace`) is no event
 * either: the check service compares the policy it built from with the one in force for the call it answers
 * (within an HTTP call, the one the call is pinned to), which an event fired once at the swap could not replace.
 */

export type ChangeEvent =
  /**
   * The grant of request `requestId` started or stopped allowing (activated, claimed for revoke) or its expiry
   * moved. A grant reaching its expiry needs no event: the check index compares expiry with the instant asked.
   */
  | { readonly kind: 'grant'; readonly requestId: string }
  /**
   * Who holds which duty changed: a role assigned (an approved administrative change) or removed, a role
   * assignment revoked or suspended by a certification or restored by an operator, a role activation begun or
   * ended (by a person, or by the scheduler at its expiry). The check index is rebuilt.
   */
  | { readonly kind: 'duties' }
  /**
   * A resource was registered through the API or bound to another profile: the check index is rebuilt, so that it
   * knows the resource and answers by its profile's actions and roles.
   */
  | { readonly kind: 'resources' }
  /** An API token was revoked: it must not authenticate again. */
  | { readonly kind: 'token_revoked'; readonly tokenId: string }
  /** An identity was disabled (offboarded): its tokens, grants and duties are gone. */
  | { readonly kind: 'identity_disabled'; readonly identity: string }
  /** Notifications were queued in the outbox; `urgent` when one of them is (delivered at once, not on the poll). */
  | { readonly kind: 'notifications_queued'; readonly urgent: boolean }
  /** Audit events were appended, up to `headSeq`: the audit streams deliver them at once, not on their poll. */
  | { readonly kind: 'audit_appended'; readonly headSeq: number };

export type ChangeListener = (changes: readonly ChangeEvent[]) => void;

/**
 * The after-commit event sink of an `AppContext`: `inTransaction` publishes, the wiring subscribes. Listeners
 * run synchronously, before the verb returns, so the caller's next request already sees the change; they only
 * mark state or wake a worker, and one that throws is reported to `onError` without keeping the others from
 * hearing (the transaction has committed: nothing is undone).
 */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void = () => undefined) {
    this.#onError = onError;
  }

  /** Calls `listener` with the changes of every transaction committed from now on; returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void {
    const own: ChangeListener = (changes) => listener(changes);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }

  /** Tells every listener; called by `inTransaction` after commit only. */
  publish(changes: readonly ChangeEvent[]): void {
    if (changes.length === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(changes);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

/** The same changes without repeats (a batch revoke of one request's grant, many urgent notifications). */
export function distinctChanges(changes: readonly ChangeEvent[]): ChangeEvent[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    const key = JSON.stringify(change);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Wakes `worker` (the outbox delivery) after every commit that queued an urgent notification, so that one is
 * delivered at once rather than on the next poll; returns the unsubscribe.
 */
export function wakeOnUrgentNotifications(feed: ChangeFeed, worker: { wake(): void }): () => void {
  return feed.subscribe((changes) => {
    if (changes.some((change) => change.kind === 'notifications_queued' && change.urgent)) worker.wake();
  });
}

/** Wakes `worker` (an audit stream) after every commit that appended audit events; returns the unsubscribe. */
export function wakeOnAuditAppends(feed: ChangeFeed, worker: { wake(): void }): () => void {
  return feed.subscribe((changes) => {
    if (changes.some((change) => change.kind === 'audit_appended')) worker.wake();
  });
}
