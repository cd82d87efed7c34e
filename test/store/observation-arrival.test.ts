/**
 * Migration 0015 on both dialects: observations recorded before it are numbered per resource in the order they
 * were recorded (not by the `observed_at` their senders claimed), and the unique index keeps two observations of
 * one resource from sharing a place in the arrival order.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { describeEachDialect } from './dialects.js';

describeEachDialect(
  'migration 0015: observations in arrival order',
  (context) => {
    it('numbers existing observations by when they were recorded and refuses a duplicate place', async () => {
      const before = MIGRATIONS.filter((migration) => migration.name < '0015');
      expect((await migrateToLatest(context.database, before)).error).toBeUndefined();
      const db = context.database.db;
      for (const name of ['db-a', 'db-b']) {
        await sql`insert into resources (name, profile, source, created_at, updated_at)
          values (${name}, 'postgres-prod', 'api', 1, 1)`.execute(db);
      }
      // (id, resource, observed_at, recorded_at): the 2099 one arrived first.
      const rows: [string, string, number, number][] = [
        ['obs_c', 'db-a', Date.UTC(2099, 0, 1), 1000],
        ['obs_a', 'db-a', 2000, 2000],
        ['obs_b', 'db-a', 1500, 3000],
        ['obs_z', 'db-b', 10, 500],
      ];
      for (const [id, resource, observedAt, recordedAt] of rows) {
        await sql`insert into observations (id, resource, observed_at, config, source, recorded_by, recorded_at)
          values (${id}, ${resource}, ${observedAt}, '{}', 'api', 'peggy', ${recordedAt})`.execute(db);
      }
      expect((await migrateToLatest(context.database)).error).toBeUndefined();
      const numbered = await db
        .selectFrom('observations')
        .select(['id', 'arrival'])
        .orderBy('resource')
        .orderBy('arrival')
        .execute();
      expect(numbered.map((row) => [row.id, Number(row.arrival)])).toEqual([
        ['obs_c', 1],
        ['obs_a', 2],
        ['obs_b', 3],
        ['obs_z', 1],
      ]);
      await expect(
        db
          .insertInto('observations')
          .values({
            id: 'obs_d',
            resource: 'db-a',
            observed_at: 4000,
            config: '{}',
            source: 'api',
            recorded_by: 'peggy',
            recorded_at: 4000,
            arrival: 3,
          })
          .execute(),
      ).rejects.toThrow();
    });
  },
  { migrate: false },
);
