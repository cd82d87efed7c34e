/**
 * The PostgreSQL provider's observe, listManaged and reconcile against a real server. Which role names observe
 * lists depends on every role of the server, and a shared server may hold more login roles than the list
 * keeps; so the claims about the list run on a cluster of the test's own, whose roles are exactly the ones the
 * test makes.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import { MAX_LISTED_ROLES } from '../../src/providers/postgres/postgres-observe.js';
import { findOrphans, reconcileRoles } from '../../src/providers/postgres/postgres-reconcile.js';
import type { ManagedRole } from '../../src/providers/postgres/postgres-roles.js';
import { makeAction, makeProfile, makeResource } from '../factories/profile.factory.js';
import { PrivateCluster, privateClusterUnavailable } from '../faults/private-cluster.js';
import { adminQuery, describePostgres, roleExists } from './postgres-fixtures.js';

describePostgres('postgres provider: observe, listManaged and reconcile on a real server', (suite) => {
  it('observe returns the baseline facts, matching what the server shows', async () => {
    const config = await suite.provider.observe(suite.resource, suite.profile());
    const [shown] = await adminQuery<Record<string, string>>(
      `select current_setting('ssl') as ssl, current_setting('password_encryption') as password_encryption,
              current_setting('log_connections') as log_connections, current_setting('log_statement') as log_statement,
              current_setting('server_version') as server_version`,
    );
    expect(config).toMatchObject({ ...shown, server_version_num: expect.any(Number) });
    expect(config.superusers).toContain('postgres');
    expect(config.superusers_count).toBeGreaterThanOrEqual(1);
    for (const key of ['createrole_roles', 'bypassrls_roles', 'roles_without_password_expiry']) {
      expect(Array.isArray(config[key])).toBe(true);
      expect((config[key] as string[]).length).toBeLessThanOrEqual(MAX_LISTED_ROLES);
      expect(config[`${key}_count`]).toBeTypeOf('number');
    }
    expect(config.log_disconnections).toMatch(/^(on|off)$/);
  });

  it('listManaged finds the roles granted for this resource only', async () => {
    const profile = suite.profile();
    const granted = await suite.provider.grant(suite.call(profile, 'read'));
    const other = makeResource({ ...suite.resource, name: `${suite.resource.name}-other` });
    const managed = await suite.provider.listManaged(suite.resource, profile);
    expect(managed.map((item) => item.handle)).toContainEqual(granted.handle);
    expect(managed.find((item) => item.handle.role === granted.handle.role)?.createdAt).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect(await suite.provider.listManaged(other, profile)).toEqual([]);
    await suite.provider.revoke(granted.handle, suite.resource, profile);
  });

  it('reconcile drops an orphan role, keeps the active grant, and reports what it removed', async () => {
    const profile = suite.profile();
    const active = await suite.provider.grant(suite.call(profile, 'read'));
    const orphan = await suite.provider.grant(suite.call(profile, 'read'));
    const report = await reconcileRoles(suite.provider, suite.resource, profile, [active.handle], {
      now: Date.now(),
      graceMs: 0,
    });
    expect(report).toEqual({ removed: [orphan.handle], failed: [], kept: 1 });
    expect(await roleExists(String(orphan.handle.role))).toBe(false);
    expect(await roleExists(String(active.handle.role))).toBe(true);
    await suite.provider.revoke(active.handle, suite.resource, profile);
  });

  it('reconcile leaves a role younger than the grace period alone', async () => {
    const profile = suite.profile();
    const young = await suite.provider.grant(suite.call(profile, 'read'));
    const report = await reconcileRoles(suite.provider, suite.resource, profile, [], { now: Date.now() });
    expect(report.removed).toEqual([]);
    expect(await roleExists(String(young.handle.role))).toBe(true);
    await suite.provider.revoke(young.handle, suite.resource, profile);
  });
});

const noPrivateCluster = privateClusterUnavailable();
if (noPrivateCluster !== undefined)
  console.warn(`skipping the observe tests on a cluster of their own: ${noPrivateCluster}`);

describe.skipIf(noPrivateCluster !== undefined)('postgres provider: observe on a cluster of its own', () => {
  let cluster: PrivateCluster;
  const env: Record<string, string | undefined> = {};
  const resource = makeResource({ name: 'observed-db', connection: { dsnEnv: 'OBSERVED_DSN' }, attributes: {} });
  const profile = makeProfile({
    name: 'pg-observed',
    provider: { type: 'postgres', settings: {} },
    actions: [makeAction({ name: 'read', grant: { role: 'reader' } })],
  });
  const provider = new PostgresProvider({ env, installationId: 'observed' });

  async function query(text: string): Promise<void> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    env.OBSERVED_DSN = cluster.url;
    await query('create role reader nologin');
  }, 60_000);
  afterAll(async () => {
    await provider.close();
    cluster?.destroy();
  });

  it('observe lists a login role without expiry and leaves out a granted role, which has one', async () => {
    await query('create role loose_login login');
    const action = profile.actions.get('read');
    if (action === undefined) throw new Error('the profile has no read action');
    const granted = await provider.grant({
      requestId: 'req_observed',
      identity: 'alice',
      resource,
      profile,
      action,
      params: {},
      expiresAt: Date.now() + 3600_000,
    });
    try {
      expect(await provider.observe(resource, profile)).toMatchObject({
        // initdb's bootstrap superuser and ours; the granted login expires, so it is not among them.
        roles_without_password_expiry: ['loose_login', 'postgres'],
        roles_without_password_expiry_count: 2,
      });
    } finally {
      await provider.revoke(granted.handle, resource, profile);
      await query('drop role loose_login');
    }
  });

  it(`observe lists the first ${MAX_LISTED_ROLES} names in order and counts them all`, async () => {
    const many = Array.from({ length: MAX_LISTED_ROLES }, (_, i) => `many_${String(i).padStart(3, '0')}`);
    await query(many.map((role) => `create role ${role} login;`).join('\n'));
    try {
      // The names sort before 'postgres', which the cut leaves out.
      expect(await provider.observe(resource, profile)).toMatchObject({
        roles_without_password_expiry: many,
        roles_without_password_expiry_count: MAX_LISTED_ROLES + 1,
      });
    } finally {
      await query(many.map((role) => `drop role ${role};`).join('\n'));
    }
  });
});

describe('findOrphans', () => {
  const now = Date.UTC(2026, 0, 1);
  const role = (name: string, overrides: Partial<ManagedRole> = {}): ManagedRole => ({
    role: name,
    requestId: 'req_1',
    resource: 'db',
    createdAt: now - 3600_000,
    kind: 'grant',
    ...overrides,
  });
  it.each([
    ['a role of an active grant', role('cs_a'), false],
    ['an old role of no grant', role('cs_b'), true],
    ['a role created within the grace period', role('cs_c', { createdAt: now - 1000 }), false],
    ['a statement login still valid', role('csx_d', { kind: 'execute', validUntil: now + 60_000 }), false],
    ['a statement login past its VALID UNTIL', role('csx_e', { kind: 'execute', validUntil: now - 1 }), true],
    ['a grant role of no grant, even before its VALID UNTIL', role('cs_f', { validUntil: now + 3600_000 }), true],
  ])('%s: orphan=%s', (_what, managed, orphan) => {
    const found = findOrphans([managed], [{ role: 'cs_a', resource: 'db' }], { now, graceMs: 60_000 });
    expect(found.length === 1).toBe(orphan);
  });
});

describe('postgres provider: validateConfig', () => {
  it.each([
    [
      'a resource with no DSN source',
      { connection: {} },
      {},
      "resource 'payments-db' has no connection.dsnEnv or connection.dsnFile",
    ],
    ['a resource with both sources', { connection: { dsnEnv: 'A', dsnFile: '/b' } }, {}, 'names both'],
    ['a grant action without a role', {}, { grant: {} }, "action 'read' grant.role is not set"],
    ['a target role that is too long', {}, { grant: { role: 'r'.repeat(64) } }, 'longer than 63 bytes'],
    [
      'a bad statement timeout',
      {},
      { grant: undefined, execute: { role: 'app', statementTimeout: 'soon' } },
      'statementTimeout',
    ],
    [
      'a zero maxRows',
      {},
      { grant: undefined, execute: { role: 'app', maxRows: 0 } },
      'maxRows must be a positive integer',
    ],
  ])('reports %s', (_what, resourceOverrides, actionOverrides, message) => {
    const profile = makeProfile({
      provider: { type: 'postgres', settings: {} },
      actions: [makeAction(actionOverrides)],
    });
    const problems = new PostgresProvider({ installationId: 'test' }).validateConfig(
      makeResource(resourceOverrides),
      profile,
    );
    expect(problems.join('\n')).toContain(message);
  });

  it('finds nothing wrong with a resource naming its DSN variable and actions naming roles', () => {
    const profile = makeProfile({
      provider: { type: 'postgres', settings: { database: 'payments' } },
      actions: [
        makeAction(),
        makeAction({
          name: 'run',
          grant: undefined,
          execute: { role: 'app_rw', statementTimeout: '30s', maxRows: 10 },
        }),
      ],
    });
    expect(new PostgresProvider({ installationId: 'test' }).validateConfig(makeResource(), profile)).toEqual([]);
  });
});
