/**
 * Observations in arrival order (issue #9, item 7). Drift used to follow the observation with the latest
 * `observed_at` — a time the sender chooses — so one observation dated 2099 pinned a resource's drift for ever.
 * Each observation now gets `arrival`, a per-resource sequence number assigned when it is recorded; the
 * newest arrival is the resource's current state. A unique index on (resource, arrival) is the monotonic
 * guard: two observations of one resource can never share a place in the order, whatever the clocks say.
 * Existing observations are numbered in the order they were recorded.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreMigration } from './migration.js';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('observations').addColumn('arrival', 'bigint').execute();
  // `UPDATE … FROM` with a window function: the same statement on SQLite (3.33+) and PostgreSQL.
  await sql`update observations set arrival = numbered.n
    from (select id, row_number() over (partition by resource order by recorded_at, id) as n from observations)
      as numbered
    where observations.id = numbered.id`.execute(db);
  await db.schema
    .createIndex('observations_resource_arrival_idx')
    .on('observations')
    .columns(['resource', 'arrival'])
    .unique()
    .execute();
}

export const observationArrival: StoreMigration = { name: '0015-observation-arrival', up };
