/**
 * Row leases for background work (grant expiry and revoke retries, outbox delivery) and named leases for
 * singleton jobs. A claimed row carries `lease_owner`/`lease_until`; until the lease runs out no other worker
 * can claim it, and a worker that dies simply lets its lease lapse, so the work is picked up again.
 *
 * On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED` in a short transaction, so replicas claiming at
 * the same moment take disjoint rows without waiting on each other. On SQLite the claim is the same
 * transaction under `BEGIN IMMEDIATE` (see `dialects/sqlite.ts`): the single writer makes it exclusive.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from './database.js';
import type { EpochMs, LeaseColumns, Row, Schema } from './schema.js';

/** Tables whose rows have an `id` and lease columns. */
export type LeasedTable = {
  [T in keyof Schema]: Schema[T] extends LeaseColumns & { id: string } ? T : never;
}[keyof Schema];

export const MAX_CLAIM = 1000;

export interface ClaimOptions<T extends LeasedTable> {
  readonly table: T;
  /** Who claims: a stable id per process (e.g. `host:pid:random`). */
  readonly owner: string;
  readonly now: EpochMs;
  /** How long the claim holds. Longer than the work takes, or another worker may redo it. */
  readonly leaseMs: number;
  /** At most this many rows (1 … 1000). */
  readonly limit: number;
  /** Which rows are due, besides being unleased: e.g. `status = 'active' and expires_at <= now`. */
  readonly due: (eb: ExpressionBuilder<Schema, T>) => Expression<SqlBool>;
  /** Most urgent first. */
  readonly orderBy: readonly (readonly [column: keyof Schema[T] & string, direction: 'asc' | 'desc'])[];
}

/**
 * Claims up to `limit` due rows whose lease is free or lapsed, and returns them with the new lease set.
 * Invariant: a row is handed to at most one owner per lease period, however many workers claim at once.
 */
export async function claimDue<T extends LeasedTable>(database: Database, options: ClaimOptions<T>): Promise<Row<T>[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_CLAIM);
  const leaseUntil = options.now + Math.max(1, Math.trunc(options.leaseMs));
  // Kysely cannot check a query over a table chosen by a type parameter, so the query is written against the
  // columns every leased table shares; the options above are fully typed for callers.
  const db = database.db as unknown as Kysely<{ leased: LeaseColumns & { id: string } }>;
  const table = options.table as unknown as 'leased';
  const due = options.due as unknown as (
    eb: ExpressionBuilder<{ leased: LeaseColumns }, 'leased'>,
  ) => Expression<SqlBool>;
  const claimed = await db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom(table)
      .select('id')
      .where(due)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', options.now)]))
      .limit(limit);
    for (const [column, direction] of options.orderBy) query = query.orderBy(column as 'id', direction);
    if (database.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const ids = (await query.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable(table)
      .set({ lease_owner: options.owner, lease_until: leaseUntil })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    const position = new Map(ids.map((id, index) => [id, index]));
    return rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  });
  return claimed as unknown as Row<T>[];
}

/**
 * Extends leases this owner still holds to `leaseUntil` (a heartbeat while the work goes on). Rows whose lease
 * another owner has taken meanwhile are left alone. Returns how many were renewed.
 */
export async function renewLeases(
  db: Kysely<Schema>,
  table: LeasedTable,
  ids: readonly string[],
  owner: string,
  leaseUntil: EpochMs,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable(table)
    .set({ lease_until: leaseUntil })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NamedLeaseOptions {
  readonly name: string;
  readonly owner: string;
  readonly now: EpochMs;
  readonly leaseMs: number;
}

/**
 * Takes or renews the named lease (`scheduler_leases`) when it is free, lapsed or already ours. Returns
 * whether this owner now holds it. Invariant: at most one owner holds a name until its lease runs out.
 */
export async function acquireNamedLease(db: Kysely<Schema>, options: NamedLeaseOptions): Promise<boolean> {
  const leaseUntil = options.now + Math.max(1, Math.trunc(options.leaseMs));
  const result = await db
    .insertInto('scheduler_leases')
    .values({ name: options.name, owner: options.owner, lease_until: leaseUntil })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet({ owner: options.owner, lease_until: leaseUntil })
        .where((eb) =>
          eb.or([
            eb('scheduler_leases.lease_until', '<=', options.now),
            eb('scheduler_leases.owner', '=', options.owner),
          ]),
        ),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Lets go of a named lease held by this owner (on orderly shutdown), so another replica takes over at once. */
export async function releaseNamedLease(db: Kysely<Schema>, name: string, owner: string): Promise<void> {
  await db.deleteFrom('scheduler_leases').where('name', '=', name).where('owner', '=', owner).execute();
}

/**
 * A named lease as one worker holds it: `hold()` takes it, or renews it for another `leaseMs` from now, unless
 * another owner holds it; `release()` gives it back. A job calls `hold()` at the start of each run (and before
 * each item of a long one); the periodic worker running the job calls `release()` once it has stopped.
 */
export class NamedLease {
  readonly name: string;
  readonly owner: string;
  readonly leaseMs: number;
  readonly #db: Kysely<Schema>;
  readonly #now: () => EpochMs;

  constructor(db: Kysely<Schema>, options: { name: string; owner: string; leaseMs: number; now: () => EpochMs }) {
    this.#db = db;
    this.name = options.name;
    this.owner = options.owner;
    this.leaseMs = options.leaseMs;
    this.#now = options.now;
  }

  /** True when this owner now holds the lease. */
  hold(): Promise<boolean> {
    return acquireNamedLease(this.#db, { name: this.name, owner: this.owner, now: this.#now(), leaseMs: this.leaseMs });
  }

  release(): Promise<void> {
    return releaseNamedLease(this.#db, this.name, this.owner);
  }
}
