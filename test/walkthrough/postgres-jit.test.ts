/**
 * docs/postgres-jit.md as an automated test, through the verbs, against the real PostgreSQL server on
 * 127.0.0.1:5432 (`COUNTERSIGN_TEST_PG_URL`): the example policy in examples/postgres-jit, its DSN variable
 * pointing at a scratch database that has a `reporting_ro` role and two tables, and the real `PostgresProvider`.
 * Countersign's own store is an embedded SQLite file, as in the walkthrough.
 *
 * request → self-approval refused → approval → activation → the credential reads what reporting_ro may and
 * nothing else → expiry (scheduler, manual clock) ends the session that is still open and drops the role;
 * observation records the server's real settings and opens drift findings where they differ from the
 * baseline; reconciliation removes a role that no grant owns.
 *
 * Without a server the suite is skipped with a message, except under CI=true, where it fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { reconcileResource } from '../../src/features/grants/reconcile.verb.js';
import {
  activateRequest,
  approveRequest,
  createRequest,
  type ActivationResult,
} from '../../src/features/requests/requests.verbs.js';
import { showVisibleRequest } from '../../src/features/requests/requests.queries.js';
import { observeResource } from '../../src/features/resources/resource-observe.verb.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { AppError } from '../../src/core/errors.js';
import { removeDdlGuard } from '../../src/providers/postgres/postgres-guard.js';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { readInstallationId } from '../../src/store/installation.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { JIT_POLICY_DIR, JIT_RESOURCE } from '../app/jit-fixtures.js';
import { ADMIN_URL, adminQuery, loginWith, rejectionOf, roleExists, urlOf } from '../providers/postgres-fixtures.js';

const IN_CI = process.env.CI === 'true';
const POSTGRES_AVAILABLE = await adminQuery('select 1').then(
  () => true,
  () => false,
);
const TARGET_ROLE = 'reporting_ro';
const MINUTE = 60_000;
const NAME = 'walkthrough: just-in-time access to a real PostgreSQL database';

interface Walkthrough {
  readonly scratch: string;
  readonly provider: PostgresProvider;
  readonly testApp: TestApp;
  readonly database: Database;
  readonly directory: string;
  /** Whether this suite created `reporting_ro` (and so drops it afterwards). */
  readonly createdTargetRole: boolean;
}

async function setUp(): Promise<Walkthrough> {
  const scratch = `countersign_jit_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${scratch}`);
  const exists = await roleExists(TARGET_ROLE);
  if (!exists) await adminQuery(`create role ${TARGET_ROLE} nologin`);
  await adminQuery(
    `create table report_data (id int primary key, label text);
     insert into report_data values (1, 'q1 revenue'), (2, 'q2 revenue');
     create table payroll (id int primary key, salary int);
     insert into payroll values (1, 100000);
     grant usage on schema public to ${TARGET_ROLE};
     grant select on report_data to ${TARGET_ROLE};`,
    [],
    scratch,
  );
  // The server's clock drives VALID UNTIL, so Countersign's manual clock starts at the real time.
  const clock = new ManualClock(Date.now());
  const directory = mkdtempSync(join(tmpdir(), 'countersign-walkthrough-'));
  const url = join(directory, 'demo.db');
  const database = await openDatabase(url);
  // As the server does: the provider marks its roles with the id the database was given when first migrated.
  const migrated = await migrateToLatest(database);
  if (migrated.error) throw migrated.error;
  const provider = new PostgresProvider({
    env: { COUNTERSIGN_DEMO_PG_DSN: urlOf(scratch) },
    installationId: await readInstallationId(database),
  });
  const testApp = await createTestApp(
    { dialect: 'sqlite', database, url, open: () => openDatabase(url) },
    { policyDir: JIT_POLICY_DIR, clock, providers: new Map([['postgres', provider]]) },
  );
  return { scratch, provider, testApp, database, directory, createdTargetRole: !exists };
}

async function tearDown(walk: Walkthrough): Promise<void> {
  const { provider, testApp } = walk;
  const resource = testApp.app.policy.loaded.resources.get(JIT_RESOURCE);
  const profile = resource && testApp.app.policy.loaded.profiles.get(resource.profile);
  if (resource && profile) {
    for (const managed of await provider.listManaged(resource, profile).catch(() => [])) {
      await provider.revoke(managed.handle, resource, profile).catch(() => undefined);
    }
  }
  await provider.close();
  await removeDdlGuard(ADMIN_URL, await readInstallationId(walk.database));
  await walk.database.close();
  rmSync(walk.directory, { recursive: true, force: true });
  await adminQuery(`drop database if exists ${walk.scratch} with (force)`);
  if (walk.createdTargetRole) await adminQuery(`drop role if exists ${TARGET_ROLE}`);
}

function walkthrough(fn: (get: () => Walkthrough) => void): void {
  if (!POSTGRES_AVAILABLE) {
    if (IN_CI) {
      describe(NAME, () => {
        it('has a PostgreSQL server to run against', () => {
          throw new Error(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}; CI requires it (CI=true)`);
        });
      });
      return;
    }
    console.warn(`\n⚠ PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: skipping '${NAME}'.\n`);
    describe.skip(NAME, () => fn(() => undefined as never));
    return;
  }
  describe(NAME, () => {
    let walk: Walkthrough | undefined;
    beforeAll(async () => {
      walk = await setUp();
    });
    afterAll(async () => {
      if (walk) await tearDown(walk);
    });
    fn(() => {
      if (!walk) throw new Error('the walkthrough was not set up');
      return walk;
    });
  });
}

walkthrough((get) => {
  it('ana asks, is refused approving her own request, omar approves, and the credential reads only what reporting_ro may; expiry ends the open session and drops the role', async () => {
    const { testApp } = get();
    const { app, clock } = testApp;

    const pending = await createRequest({
      app,
      actor: 'ana',
      input: { resource: JIT_RESOURCE, action: 'read', duration: '2m', justification: 'check the Q2 report' },
    });
    expect(pending).toMatchObject({ status: 'pending', requester: 'ana', profile: 'postgres-local' });

    const selfApproval = await rejectionOf(approveRequest({ app, actor: 'ana', input: { id: pending.id } }));
    expect(selfApproval).toBeInstanceOf(AppError);
    expect((selfApproval as AppError).code).toBe('sod_violation');
    expect(selfApproval.message).toBe(`'ana' requested '${pending.id}' and cannot approve it`);
    expect((selfApproval as AppError).details?.reasons).toContainEqual(
      expect.objectContaining({ code: 'sod.own_request' }),
    );

    const approved = await approveRequest({ app, actor: 'omar', input: { id: pending.id, digest: pending.digest } });
    expect(approved.status).toBe('approved');

    const activation: ActivationResult = await activateRequest({ app, actor: 'ana', input: { id: pending.id } });
    expect(activation.request.status).toBe('active');
    const credential = activation.credential;
    expect(credential).toMatchObject({ host: '127.0.0.1', database: get().scratch });
    const role = String(credential?.username);
    expect(await roleExists(role)).toBe(true);

    const session = await loginWith(credential);
    session.on('error', () => undefined);
    const rows = await session.query<{ label: string }>('select label from report_data order by id');
    expect(rows.rows.map((row) => row.label)).toEqual(['q1 revenue', 'q2 revenue']);
    expect((await rejectionOf(session.query("insert into report_data values (3, 'forged')"))).message).toMatch(
      /permission denied/,
    );
    expect((await rejectionOf(session.query('select salary from payroll'))).message).toMatch(/permission denied/);

    // The session stays open across the expiry: revocation must end it, not just drop the role.
    clock.advance(2 * MINUTE + 1000);
    const run = await new Scheduler(app, { logger: { error: () => undefined } }).runOnce();
    expect(run).toMatchObject({ expired: 1, revokeFailed: 0, errors: 0 });

    expect((await rejectionOf(session.query('select 1'))).message).toMatch(/terminat|connection|closed/i);
    await session.end().catch(() => undefined);
    expect(await roleExists(role)).toBe(false);
    expect(await rejectionOf(loginWith(credential))).toBeInstanceOf(Error);
    expect((await showVisibleRequest({ app, actor: 'ana', input: { id: pending.id } })).status).toBe('expired');

    const events = (await testApp.auditEvents()).map((event) => event.action);
    expect(events).toEqual(
      expect.arrayContaining(['request.create', 'request.approve_refused', 'request.approve', 'grant.create']),
    );
    expect(JSON.stringify(await testApp.auditEvents())).not.toContain(String(credential?.password));
  });

  it("observation records the server's real settings and opens a drift finding where they differ from the baseline", async () => {
    const { testApp } = get();
    const { app } = testApp;
    const [shown] = await adminQuery<{ ssl: string; log_connections: string; password_encryption: string }>(
      `select current_setting('ssl') as ssl, current_setting('log_connections') as log_connections,
              current_setting('password_encryption') as password_encryption`,
    );

    const observed = await observeResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

    const status = (check: string) => observed.results.find((result) => result.check === check)?.status;
    const expected = (compliant: boolean) => (compliant ? 'compliant' : 'non_compliant');
    expect(status('tls-on')).toBe(expected(shown?.ssl === 'on'));
    expect(status('log-connections')).toBe(expected(shown?.log_connections === 'on'));
    expect(status('scram-passwords')).toBe(expected(shown?.password_encryption === 'scram-sha-256'));

    const open = await app.database.db
      .selectFrom('drift_findings')
      .select(['check_name', 'severity'])
      .where('resource', '=', JIT_RESOURCE)
      .where('status', '=', 'open')
      .execute();
    const failing = observed.results.filter((result) => result.status === 'non_compliant').map((r) => r.check);
    expect(open.map((finding) => finding.check_name).sort()).toEqual([...failing].sort());
    expect(observed.newFindings).toHaveLength(failing.length);
    if (shown?.log_connections !== 'on') {
      expect(open).toContainEqual({ check_name: 'log-connections', severity: 'medium' });
    }
  });

  it('reconciliation drops a role no grant owns and keeps the one an active grant owns', async () => {
    const { testApp, provider } = get();
    const { app, clock } = testApp;
    const live = await createRequest({
      app,
      actor: 'ana',
      input: { resource: JIT_RESOURCE, action: 'read', duration: '30m', justification: 'finish the Q2 report' },
    });
    await approveRequest({ app, actor: 'omar', input: { id: live.id, digest: live.digest } });
    const activation = await activateRequest({ app, actor: 'ana', input: { id: live.id } });
    const liveRole = String(activation.credential?.username);

    // Behind Countersign's back: the provider makes a role whose grant is never recorded (as after a crash
    // between the two), and someone creates a login role by hand, which Countersign must never touch.
    const resource = app.policy.loaded.resources.get(JIT_RESOURCE);
    const profile = app.policy.loaded.profiles.get('postgres-local');
    const action = profile?.actions.get('read');
    if (!resource || !profile || !action) throw new Error('the example policy lost local-db or its read action');
    const orphan = await provider.grant({
      requestId: 'req_lost',
      identity: 'ana',
      resource,
      profile,
      action,
      params: {},
      expiresAt: Date.now() + 30 * MINUTE,
    });
    const manual = `jit_manual_${randomBytes(3).toString('hex')}`;
    await adminQuery(`create role ${manual} login`);
    try {
      clock.advance(10 * MINUTE); // past the grace period that protects a grant being recorded right now

      const result = await reconcileResource({ app, actor: 'system:observer', input: { resource: JIT_RESOURCE } });

      expect(result.removed).toEqual([orphan.handle]);
      expect(result.failed).toEqual([]);
      expect(result.kept).toEqual([
        expect.objectContaining({ handle: { role: liveRole, resource: JIT_RESOURCE }, reason: expect.anything() }),
      ]);
      expect(await roleExists(String(orphan.handle.role))).toBe(false);
      expect(await roleExists(liveRole)).toBe(true);
      expect(await roleExists(manual)).toBe(true);
      const event = (await testApp.auditEvents()).find((e) => e.action === 'resource.reconcile');
      expect(event?.details).toMatchObject({ removed: [orphan.handle], removedCount: 1, keptCount: 1 });
    } finally {
      await adminQuery(`drop role if exists ${manual}`);
    }
  });
});
