/**
 * Attack tests for issue #10 finding 3 with the `postgres` provider: a process that dies between creating the
 * temporary role and recording the grant must not leave a login nobody revokes. The provider names its role
 * before granting (from the grant's idempotency key), the intent records that name, and the scheduler's
 * compensation drops the role. A retried grant with the same key makes the same role afresh.
 * Against the real PostgreSQL server on a scratch database (test/providers/postgres-fixtures.ts).
 */
import { expect, it } from 'vitest';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { Scheduler } from '../../src/server/scheduler.js';
import { PostgresProvider } from '../../src/providers/postgres/postgres-provider.js';
import type { GrantResult, ProviderCall } from '../../src/providers/provider.js';
import { createTestApp } from '../app/harness.js';
import { as, eventsOf } from '../app/requests-fixtures.js';
import { human, makePolicy } from '../factories/policy.factory.js';
import { makeResource } from '../factories/profile.factory.js';
import {
  adminQuery,
  describePostgres,
  loginWith,
  roleExists,
  type PostgresSuite,
} from '../providers/postgres-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';
import { dbProfile } from './execute-fixtures.js';

/** The real provider, except that with `hang` a grant creates its role and then never answers (a crash). */
class CrashingPostgresProvider extends PostgresProvider {
  readonly granted: GrantResult[] = [];
  hang = false;

  override async grant(call: ProviderCall): Promise<GrantResult> {
    const result = await super.grant(call);
    this.granted.push(result);
    if (this.hang) await new Promise<never>(() => undefined);
    return result;
  }
}

const quiet = { error: () => undefined };

describePostgres('postgres provider: the handle is named before the grant', (suite) => {
  it('intendedHandle is exactly the handle grant returns, and revoking it drops the role', async () => {
    const profile = suite.profile();
    const call = { ...suite.call(profile, 'read'), idempotencyKey: 'grt_Ab-Cd_0123456789xyz' };
    const intended = suite.provider.intendedHandle(call);
    expect(intended).toBeDefined();
    const granted = await suite.provider.grant(call);
    expect(granted.handle).toEqual(intended);
    expect(Buffer.byteLength(String(granted.handle.role))).toBeLessThanOrEqual(63);
    expect(await roleExists(String(granted.handle.role))).toBe(true);
    await suite.provider.revoke(intended ?? {}, suite.resource, profile);
    expect(await roleExists(String(granted.handle.role))).toBe(false);
  });

  it('two grants of one request with different keys name different roles', () => {
    const profile = suite.profile();
    const call = suite.call(profile, 'read');
    const first = suite.provider.intendedHandle({ ...call, idempotencyKey: 'grt_one' });
    const second = suite.provider.intendedHandle({ ...call, idempotencyKey: 'grt_two' });
    expect(first?.role).not.toBe(second?.role);
  });

  it('a grant retried with the same key makes the same role afresh: sessions of the first attempt end, its password is gone', async () => {
    const profile = suite.profile();
    const call = { ...suite.call(profile, 'read'), idempotencyKey: 'grt_retried' };
    const first = await suite.provider.grant(call);
    const role = String(first.handle.role);
    const before = await roleFacts(role);
    const held = await loginWith(first.credential);
    const ended = new Promise<Error>((resolve) => held.on('error', resolve));
    await held.query('select 1');

    const second = await suite.provider.grant(call);
    expect(second.handle).toEqual(first.handle);
    expect(String(await ended)).toMatch(/terminat/);
    await held.end().catch(() => undefined);
    const after = await roleFacts(role);
    expect(after?.oid).not.toBe(before?.oid);
    expect(after?.stored).not.toBe(before?.stored);
    expect(await adminQuery('select 1 from pg_roles where rolname = $1', [role])).toHaveLength(1);

    await suite.provider.revoke(second.handle, suite.resource, profile);
    expect(await roleExists(role)).toBe(false);
  });
});

async function roleFacts(role: string): Promise<{ oid: number; stored: string } | undefined> {
  const [row] = await adminQuery<{ oid: number; stored: string }>(
    'select oid, rolpassword as stored from pg_authid where rolname = $1',
    [role],
  );
  return row;
}

describePostgres('activation intent after a crash, postgres provider', (suite: PostgresSuite) => {
  describeEachDialect('store', (ctx) => {
    it('a crash between creating the role and recording the grant is compensated: the scheduler drops the role', async () => {
      const provider = new CrashingPostgresProvider({ env: suite.env, installationId: suite.installationId });
      const policy = makePolicy({
        identities: [human('alice', ['eng']), human('carol', ['dba'])],
        roles: [
          { name: 'engineers', duties: ['request'], subjects: ['group:eng'] },
          { name: 'dbas', duties: ['approve'], subjects: ['group:dba'] },
        ],
        profiles: [dbProfile(suite.reader, 'postgres')],
        resources: [makeResource({ name: suite.resource.name, profile: 'db', connection: { dsnEnv: suite.dsnEnv } })],
      });
      const t = await createTestApp(ctx, { policy, providers: new Map([['postgres', provider]]) });
      try {
        // The server's clock drives VALID UNTIL, so the manual clock starts at the real time.
        t.clock.advance(Math.max(0, Date.now() - t.clock.now()));
        const request = await createRequest(
          as(t.app, 'alice')({ resource: suite.resource.name, action: 'read', duration: '30m' }),
        );
        provider.hang = true;
        void activateRequest(as(t.app, 'alice')({ id: request.id }));
        await waitFor(() => provider.granted.length === 1);
        provider.hang = false;
        const role = String(provider.granted[0]?.handle.role);
        expect(await roleExists(role)).toBe(true);

        const events = await t.auditEvents();
        expect(eventsOf(events, 'grant.intent')[0]?.details.handle).toEqual(provider.granted[0]?.handle);

        const scheduler = new Scheduler(t.app, { workerId: 'takeover', logger: quiet });
        t.clock.advance(5 * 60_000);
        expect(await scheduler.runOnce()).toMatchObject({ intentsCompensated: 1 });
        expect(await roleExists(role)).toBe(false);
        expect(eventsOf(await t.auditEvents(), 'grant.compensated')).toHaveLength(1);
        expect(eventsOf(await t.auditEvents(), 'grant.intent_unresolved')).toHaveLength(0);

        // The request is still approved and can be activated again, with a role of its own.
        const activation = await activateRequest(as(t.app, 'alice')({ id: request.id }));
        expect(activation.request.status).toBe('active');
        const client = await loginWith(activation.credential);
        await client.end();
      } finally {
        await provider.close();
      }
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
}
