/**
 * Fault: PostgreSQL refuses audit inserts (`REVOKE INSERT ON audit_events`) while grants expire and a person
 * revokes one (issue 10, finding 5; SPEC §2.8 "removing privilege never waits"). Countersign runs as a role
 * that is not a superuser (so the REVOKE has effect) on a private cluster. Expiry and the explicit revoke must
 * still reach the provider and `check` must deny; once `GRANT INSERT` is back, every grant ends exactly once in
 * the chain with the time of its revoke and the audit log verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { RevocationJournal } from '../../src/app/revocation-journal.js';
import { openLifecycleApp } from '../app/fixtures/lifecycle-app.js';
import { loggingProvider, revokeWhileStoreRefuses } from './fixtures/revoke-fixtures.js';
import { PrivateCluster, privateClusterUnavailable } from './private-cluster.js';

const unavailable = privateClusterUnavailable();
if (unavailable !== undefined) console.warn(`skipping the audit-refused revoke fault test: ${unavailable}`);

const ROLE = 'countersign_app';
const DATABASE = 'countersign';

describe.skipIf(unavailable !== undefined)('removing privilege while PostgreSQL refuses audit inserts', () => {
  let cluster: PrivateCluster;
  let app: AppContext;
  let admin: pg.Client;
  const scratch = mkdtempSync(join(tmpdir(), 'countersign-revoke-audit-'));
  const log = loggingProvider(20);

  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    const setup = new pg.Client({ connectionString: cluster.url });
    await setup.connect();
    await setup.query(`create role ${ROLE} login nosuperuser`);
    await setup.query(`create database ${DATABASE} owner ${ROLE}`);
    await setup.end();
    // The superuser, on Countersign's database: it revokes and grants back the audit inserts.
    admin = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/, `/${DATABASE}`) });
    await admin.connect();
    const url = `postgres://${ROLE}@127.0.0.1:${cluster.port}/${DATABASE}`;
    const opened = await openLifecycleApp(url, { providers: [log.provider] });
    app = { ...opened, revocations: await RevocationJournal.open(join(scratch, 'revocations')) };
  }, 120_000);

  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await app?.database.close();
    cluster?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('expires and revokes on the provider while audit inserts are refused, check denies, and the chain records each once when they are granted back', async () => {
    await revokeWhileStoreRefuses({
      label: 'audit inserts refused',
      app,
      log,
      refuseWrites: async () => {
        await admin.query(`revoke insert on audit_events from ${ROLE}`);
      },
      acceptWrites: async () => {
        await admin.query(`grant insert on audit_events to ${ROLE}`);
      },
      refusedCodes: ['audit_unavailable'],
    });
  }, 120_000);
});
