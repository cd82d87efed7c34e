import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Schema } from '../../src/store/schema.js';
import { describeEachDialect } from './dialects.js';
import { T0 } from './factories.js';

const TABLES: readonly (keyof Schema)[] = [
  'identities',
  'groups',
  'group_memberships',
  'roles',
  'role_assignments',
  'role_activations',
  'role_activation_requests',
  'sod_rules',
  'notifiers',
  'profiles',
  'profile_versions',
  'resources',
  'observations',
  'drift_findings',
  'requests',
  'approvals',
  'grants',
  'sod_exceptions',
  'api_tokens',
  'request_principals',
  'audit_events',
  'audit_checkpoints',
  'outbox',
  'policy_change_sets',
  'policy_change_approvals',
  'policy_loads',
  'scheduler_leases',
];

describeEachDialect(
  'migrations',
  (context) => {
    it('apply every migration in order on a fresh database', async () => {
      expect(await pendingMigrations(context.database)).toEqual(MIGRATIONS.map((migration) => migration.name));
      const outcome = await migrateToLatest(context.database);
      expect(outcome.error).toBeUndefined();
      expect(outcome.results.map((result) => [result.migrationName, result.status])).toEqual(
        MIGRATIONS.map((migration) => [migration.name, 'Success']),
      );
      const tables = (await context.database.db.introspection.getTables()).map((table) => table.name);
      expect(tables).toEqual(expect.arrayContaining([...TABLES]));
    });

    it('apply nothing the second time', async () => {
      const outcome = await migrateToLatest(context.database);
      expect(outcome).toEqual({ results: [] });
      expect(await pendingMigrations(context.database)).toEqual([]);
    });

    it('report a failing migration as a result, keeping the ones before it and hiding the SQL', async () => {
      const broken = {
        name: '9999-broken',
        up: async (db: Parameters<(typeof MIGRATIONS)[number]['up']>[0]) => {
          await sql`select * from no_such_table`.execute(db);
        },
      };
      const outcome = await migrateToLatest(context.database, [...MIGRATIONS, broken]);
      expect(outcome.results).toEqual([{ migrationName: '9999-broken', direction: 'Up', status: 'Error' }]);
      expect(isAppError(outcome.error)).toBe(true);
      expect(outcome.error?.message).toBe("unexpected database error while applying migration '9999-broken'");
      expect(await pendingMigrations(context.database)).toEqual([]);
    });

    it('store epoch-millisecond times as integers that come back as numbers', async () => {
      const late = 8_640_000_000_000_000; // the last instant a JS Date can hold
      await context.database.db
        .insertInto('identities')
        .values({ name: 'alice', kind: 'human', source: 'policy', created_at: T0, updated_at: late })
        .execute();
      const row = await context.database.db
        .selectFrom('identities')
        .select(['created_at', 'updated_at', 'attributes'])
        .where('name', '=', 'alice')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ created_at: T0, updated_at: late, attributes: '{}' });
      const { count } = await context.database.db
        .selectFrom('identities')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(count).toBe(1);
    });
  },
  { migrate: false },
);

describe('the migration list', () => {
  it('is sorted by name with no duplicates, so every database applies them in the same order', () => {
    const names = MIGRATIONS.map((migration) => migration.name);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });
});
