/**
 * The one way verbs change state: `inTransaction` opens a short transaction, lets the verb read, decide and
 * write, then appends the verb's audit events and outbox rows in the same transaction. If the audit append
 * fails, everything rolls back and the caller gets `audit_unavailable` (fail closed). Work that talks to the
 * network (providers, webhooks) is registered with `afterCommit` and runs only once the commit succeeded.
 * What the verb changed for this process's in-memory caches is announced with `announce` (and queued
 * notifications by `notify` itself) and published on `app.changes` once the commit succeeded, before the
 * `afterCommit` tasks run; a transaction that rolls back publishes nothing (`change-events.ts`).
 * Events of the caller acting with an API token carry `details.via` (token id and minter), and acts on a
 * request record who was one principal with the actor (`request-principals.ts`).
 */
import type { Transaction } from 'kysely';
import type { AuditRecord, NewAuditEvent } from '../audit/audit-event.js';
import { toJsonText } from '../store/columns.js';
import { toStoreError } from '../store/errors.js';
import type { Schema } from '../store/schema.js';
import { newId } from '../core/clock.js';
import type { AppContext } from './context.js';
import { distinctChanges, type ChangeEvent } from './change-events.js';
import { credentialInUse } from './credential-context.js';
import { recordPrincipalLinks } from './request-principals.js';
import { isAppError } from '../core/errors.js';

export interface NotifyOptions {
  /** Urgent notifications (break-glass use, revoke failures) are delivered first and marked as such. */
  readonly urgent?: boolean;
}

export interface TransactionScope {
  readonly trx: Transaction<Schema>;
  /** The instant of this verb: read once, used by every decision inside it. */
  readonly now: number;
  /** Records an audit event; it is appended when the verb returns, in the same transaction. */
  audit(event: Omit<NewAuditEvent, 'time'>): void;
  /** Queues a notification (SPEC §2.12) for every notifier subscribed to `event`, in the same transaction. */
  notify(event: string, payload: Readonly<Record<string, unknown>>, options?: NotifyOptions): void;
  /** Runs after a successful commit (provider calls, waking workers); never inside the transaction. */
  afterCommit(task: () => Promise<void> | void): void;
  /** Records a change for the in-memory caches, published on `app.changes` only once this transaction commits. */
  announce(change: ChangeEvent): void;
}

export interface TransactionResult<T> {
  readonly value: T;
  readonly auditEvents: readonly AuditRecord[];
}

/** Runs `work` in one transaction with its audit events; see the module header for the guarantees. */
export async function inTransaction<T>(
  app: AppContext,
  work: (scope: TransactionScope) => Promise<T>,
): Promise<TransactionResult<T>> {
  const now = app.clock.now();
  const afterCommit: (() => Promise<void> | void)[] = [];
  const changes: ChangeEvent[] = [];
  let outcome: TransactionResult<T>;
  try {
    outcome = await app.database.db.transaction().execute(async (trx) => {
      const events: NewAuditEvent[] = [];
      const notifications: { event: string; payload: Readonly<Record<string, unknown>>; urgent: boolean }[] = [];
      const value = await work({
        trx,
        now,
        audit: (event) => events.push({ ...stampCredential(event), time: now }),
        notify: (event, payload, options) => notifications.push({ event, payload, urgent: options?.urgent === true }),
        afterCommit: (task) => afterCommit.push(task),
        announce: (change) => changes.push(change),
      });
      await recordPrincipalLinks(trx, app.policy.loaded, events, now);
      const queued = await enqueueNotifications(app, trx, now, notifications);
      if (queued.length > 0) changes.push({ kind: 'notifications_queued', urgent: queued.some((n) => n.urgent) });
      const auditEvents = await app.auditLog.append(trx, events);
      const appended = auditEvents.at(-1);
      if (appended !== undefined) changes.push({ kind: 'audit_appended', headSeq: appended.seq });
      return { value, auditEvents };
    });
  } catch (error) {
    throw isAppError(error) ? error : toStoreError(error);
  }
  try {
    if (outcome.auditEvents.length > 0) await app.auditLog.awaitDurable(app.database.db);
  } finally {
    // Committed, durable or not yet confirmed so: the caches read the store again either way.
    app.changes.publish(distinctChanges(changes));
  }
  for (const task of afterCommit) await task();
  return outcome;
}

/** The caller's own events record the API token it acted with and who minted it (SPEC §2.4). */
function stampCredential(event: Omit<NewAuditEvent, 'time'>): Omit<NewAuditEvent, 'time'> {
  const credential = credentialInUse();
  if (credential?.tokenId === undefined || credential.identity !== event.actor) return event;
  const stamp = { tokenId: credential.tokenId, mintedBy: credential.mintedBy ?? null };
  return { ...event, details: { ...event.details, via: stamp } };
}

async function enqueueNotifications(
  app: AppContext,
  trx: Transaction<Schema>,
  now: number,
  notifications: readonly { event: string; payload: Readonly<Record<string, unknown>>; urgent: boolean }[],
): Promise<readonly { readonly urgent: boolean }[]> {
  if (notifications.length === 0) return [];
  const notifiers = app.policy.notifiers();
  const rows = notifications.flatMap(({ event, payload, urgent }) =>
    notifiers
      .filter((notifier) => notifier.events.includes(event) || notifier.events.includes('*'))
      .map((notifier) => ({
        id: newId('ntf'),
        event,
        payload: toJsonText({ event, urgent, time: now, ...payload }),
        notifier: notifier.name,
        priority: urgent ? 10 : 0,
        status: 'pending' as const,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        delivered_at: null,
        lease_owner: null,
        lease_until: null,
      })),
  );
  if (rows.length > 0) await trx.insertInto('outbox').values(rows).execute();
  return rows.map((row) => ({ urgent: row.priority > 0 }));
}
