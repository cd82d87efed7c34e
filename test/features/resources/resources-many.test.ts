/**
 * `/v1/resources` with more resources than a statement may bind parameters (SQLite 32,766, PostgreSQL 65,535):
 * the list of every resource read each one's posture with one parameter per name, so at 100,000 resources the
 * whole list failed with a database error (found by the server-memory benchmark).
 */
import { expect, it } from 'vitest';
import { getResource, listResources, recordObservation } from '../../../src/features/resources/index.js';
import type { NewRow } from '../../../src/store/schema.js';
import { describeEachDialect } from '../../store/dialects.js';
import { createTestApp } from '../../app/harness.js';

const MANY = 70_000;

describeEachDialect('many resources', (ctx) => {
  it('an administrator lists 70,000 registered resources with the posture of each', async () => {
    const { app, clock } = await createTestApp(ctx);
    const now = clock.now();
    // One transaction per thousand: on PostgreSQL the overlay trigger's update of one row per insert would
    // otherwise pile up 70,000 versions of that row in one transaction.
    for (let start = 0; start < MANY; start += 1_000) {
      const rows: NewRow<'resources'>[] = [];
      for (let i = start; i < start + 1_000; i += 1) {
        const name = `bulk-${String(i).padStart(5, '0')}`;
        rows.push({ name, profile: 'postgres-prod', source: 'api', created_at: now, updated_at: now });
      }
      await app.database.db.insertInto('resources').values(rows).execute();
    }
    await recordObservation({
      app,
      actor: 'peggy',
      input: { resource: 'bulk-69999', config: { ssl: 'off', superusers: ['postgres'] } },
    });

    const listed = await listResources({ app, actor: 'peggy', input: {} });
    const bulk = listed.filter((resource) => resource.name.startsWith('bulk-'));
    expect(bulk).toHaveLength(MANY);
    const observed = bulk.find((resource) => resource.name === 'bulk-69999');
    expect(observed?.latestObservationAt).toBe(new Date(now).toISOString());
    expect(observed?.drift.high).toBeGreaterThan(0);
    expect(bulk[0]).toMatchObject({ name: 'bulk-00000', latestObservationAt: null });

    // One profile's page and one resource are read by their own query, with the same answer as the full list.
    const ofProfile = await listResources({ app, actor: 'peggy', input: { profile: 'postgres-prod' } });
    expect(ofProfile).toEqual(listed.filter((resource) => resource.profile === 'postgres-prod'));
    expect(await getResource({ app, actor: 'peggy', input: { name: 'bulk-69999' } })).toEqual(observed);
    const fromFiles = listed.find((resource) => resource.source === 'policy');
    expect(await getResource({ app, actor: 'peggy', input: { name: fromFiles!.name } })).toEqual(fromFiles);
  }, 120_000);
});
