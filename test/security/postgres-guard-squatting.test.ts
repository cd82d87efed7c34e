/**
 * Issue #9, item 1, the DDL guard's own footing: its functions live in schema `countersign_guard`. A role that
 * may create schemas in a database could make that schema first; as its owner it could later drop the guard's
 * functions with CASCADE, and the event triggers with them. The provider must refuse to install the guard into
 * a schema that a superuser does not own, and so make no grant.
 *
 * Runs on a PostgreSQL cluster of its own: a squatted database would make every other suite's grants on a
 * shared server fail.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import { makeAction, makeProfile, makeResource } from '../factories/profile.factory.js';
import { PrivateCluster, privateClusterUnavailable } from '../faults/private-cluster.js';

const noPrivateCluster = privateClusterUnavailable();
if (noPrivateCluster !== undefined) console.warn(`skipping the guard squatting test: ${noPrivateCluster}`);

describe.skipIf(noPrivateCluster !== undefined)(
  'security: the DDL guard never lives in a schema someone else owns',
  () => {
    let cluster: PrivateCluster;
    const env: Record<string, string | undefined> = {};
    const resource = makeResource({ name: 'guarded-db', connection: { dsnEnv: 'GUARDED_DSN' }, attributes: {} });
    const profile = makeProfile({
      name: 'pg-guarded',
      provider: { type: 'postgres', settings: {} },
      actions: [makeAction({ name: 'read', grant: { role: 'reader' } })],
    });
    const provider = new PostgresProvider({ env, installationId: 'squatted' });

    async function query(text: string, database = 'postgres', user = 'postgres'): Promise<pg.QueryResultRow[]> {
      const url = new URL(cluster.url);
      url.pathname = `/${database}`;
      url.username = user;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      cluster = await PrivateCluster.create();
      env.GUARDED_DSN = cluster.url;
      await query('create role reader nologin');
      await query('create role squatter login');
      await query('create database squatted');
      await query('grant create on database squatted to squatter');
      await query('create schema countersign_guard', 'squatted', 'squatter');
    }, 60_000);
    afterAll(async () => {
      await provider.close();
      cluster?.destroy();
    });

    it('a grant is refused while countersign_guard is owned by a role that is not a superuser, and none is made', async () => {
      const action = profile.actions.get('read');
      if (action === undefined) throw new Error('the profile has no read action');
      const call = { requestId: 'req_squat', identity: 'alice', resource, profile, action, params: {} };
      const refused = await provider.grant({ ...call, expiresAt: Date.now() + 3600_000 }).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(refused?.message).toContain("schema 'countersign_guard' in database 'squatted' is owned by 'squatter'");
      expect(await query("select rolname from pg_roles where rolname like 'cs\\_squatted\\_%'")).toEqual([]);
      expect(await query("select proname from pg_proc where proname like 'countersign_guard_%'", 'squatted')).toEqual(
        [],
      );
    });
  },
);
