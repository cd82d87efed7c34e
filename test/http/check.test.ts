import { beforeAll, expect, it } from 'vitest';
import { ChangeFeed } from '../../src/app/change-events.js';
import type { AppContext } from '../../src/app/context.js';
import { CheckService } from '../../src/features/access/check-service.js';
import {
  activateRequest,
  approveRequest,
  createRequest,
  revokeRequest,
} from '../../src/features/requests/requests.verbs.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { buildApp, type ZodFastify } from '../../src/http/app.js';
import { describeEachDialect } from '../store/dialects.js';
import { activateRole } from '../features/access/role-activation-fixtures.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

/** A 2h read of the payments database: data platform must approve it. */
const LONG_READ = { resource: 'payments-db', action: 'read', duration: '2h', justification: 'reconciliation' };

describeEachDialect('POST /v1/check', (ctx) => {
  let t: HttpTestApp;
  /** A second HTTP app over the same application, with a check service whose monotonic clock the test drives. */
  let http: ZodFastify;
  let checks: CheckService;
  let mono = 0;
  const tokens = new Map<string, string>();
  const token = async (identity: string): Promise<string> => {
    let found = tokens.get(identity);
    if (found === undefined) {
      found = await t.tokenFor(identity);
      tokens.set(identity, found);
    }
    return found;
  };
  const ask = async (caller: string, identity: string, resource: string, action: string, on = t.http) =>
    on.inject({
      method: 'POST',
      url: '/v1/check',
      headers: { authorization: `Bearer ${await token(caller)}` },
      payload: { identity, resource, action },
    });

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    checks = new CheckService(t.app, { monotonicNow: () => mono, denialFlushMs: 3_600_000 });
    http = buildApp({ app: t.app, auth: new BearerAuthenticator(t.app), ready: () => true, checks });
    await http.ready();
    return async () => {
      await http.close();
      await checks.close();
    };
  });

  /**
   * Grants `identity` a 2h read of the payments database through the verbs, not through this HTTP app; on `app`,
   * another replica's context when given.
   */
  async function grantRead(identity: string, app: AppContext = t.app): Promise<{ requestId: string; grantId: string }> {
    // DBAs hold production `request` through the eligible dba-admin role: it is activated (approved) first.
    await activateRole(app, identity, 'dba-admin', 'heidi');
    const created = await createRequest({ app, actor: identity, input: LONG_READ });
    await approveRequest({ app, actor: 'carol', input: { id: created.id } });
    const { request } = await activateRequest({ app, actor: identity, input: { id: created.id } });
    if (request.grant === undefined) throw new Error('activation gave no grant');
    return { requestId: created.id, grantId: request.grant.id };
  }

  it.each([
    ['anyone may ask about itself', 'alice', 'alice', 'payments-db', 200],
    ['an auditor may ask about anyone', 'olivia', 'judy', 'payments-db', 200],
    ['a provision holder may ask about anyone on its profile', 'peggy', 'alice', 'merchant-console', 200],
    ['a provision holder may not ask about another profile', 'peggy', 'alice', 'payments-db', 403],
    ['an identity without audit or provision may not ask about another', 'alice', 'judy', 'payments-db', 403],
  ] as const)('%s', async (_name, caller, identity, resource, status) => {
    const response = await ask(caller, identity, resource, 'read');
    expect(response.statusCode).toBe(status);
    if (status === 403) {
      expect(response.json()).toMatchObject({ code: 'forbidden', reasons: [{ code: 'check_access.not_self' }] });
    } else {
      expect(response.json()).toMatchObject({ allowed: expect.any(Boolean), reason: { code: expect.any(String) } });
    }
  });

  it('answers allowed through a standing role and denied with the reason otherwise', async () => {
    expect((await ask('erin', 'erin', 'analytics-db', 'read')).json()).toEqual({
      allowed: true,
      reason: {
        code: 'check.standing_role',
        message: "standing role 'dba-staging' gives 'use' on profile 'postgres-staging'",
      },
    });
    // Nobody has standing access to production in the example: without a grant, a payments engineer is denied.
    expect((await ask('alice', 'alice', 'payments-db', 'read')).json()).toMatchObject({
      allowed: false,
      reason: { code: 'check.no_grant' },
    });
    // Quinn holds no duty on postgres-prod: the denial reads as for an unknown resource.
    expect((await ask('quinn', 'quinn', 'payments-db', 'read')).json()).toMatchObject({
      allowed: false,
      reason: { code: 'check.unknown_resource' },
    });
    expect((await ask('alice', 'alice', 'payments-db', 'drop-db')).json()).toMatchObject({
      allowed: false,
      reason: { code: 'check.unknown_action' },
    });
  });

  it('sees a change committed elsewhere once its state is older than the staleness bound, and not before', async () => {
    expect((await ask('frank', 'frank', 'payments-db', 'read', http)).json()).toMatchObject({ allowed: false });
    // Another replica: the same database, a change feed of its own, so this process hears nothing of its commits.
    const { grantId } = await grantRead('frank', { ...t.app, changes: new ChangeFeed() });
    mono += 100; // within the poll interval: the answer comes from memory, as it was
    expect((await ask('frank', 'frank', 'payments-db', 'read', http)).json()).toMatchObject({ allowed: false });
    mono += 2100; // past the staleness bound: the check waits for a refresh
    expect((await ask('frank', 'frank', 'payments-db', 'read', http)).json()).toMatchObject({ allowed: true, grantId });
  });

  it('reflects a change at once after invalidate()', async () => {
    const { requestId, grantId } = await grantRead('grace');
    mono += 2100;
    expect((await ask('grace', 'grace', 'payments-db', 'read', http)).json()).toMatchObject({ grantId });
    await revokeRequest({ app: t.app, actor: 'grace', input: { id: requestId } });
    checks.invalidate();
    expect((await ask('grace', 'grace', 'payments-db', 'read', http)).json()).toMatchObject({
      allowed: false,
      reason: { code: 'check.no_grant' },
    });
  });

  it('records denials as aggregated check.denied audit events when it flushes, not one per call', async () => {
    await checks.flushDenials();
    await token('ken');
    await token('dan');
    const before = (await t.auditEvents()).length;
    for (let i = 0; i < 3; i++) await ask('ken', 'ken', 'analytics-db', 'read', http);
    expect((await ask('dan', 'ken', 'payments-db', 'read', http)).statusCode).toBe(403);
    expect((await t.auditEvents()).length).toBe(before);
    expect(checks.pendingDenials).toBe(2);

    expect(await checks.flushDenials()).toBe(2);
    expect(checks.pendingDenials).toBe(0);
    const denied = (await t.auditEvents()).slice(before).filter((e) => e.action === 'check.denied');
    expect(denied).toEqual([
      expect.objectContaining({
        actor: 'ken',
        subject: 'identity:ken',
        details: expect.objectContaining({
          resource: 'analytics-db',
          action: 'read',
          reason: expect.objectContaining({ code: 'check.no_grant' }),
          count: 3,
          firstAt: t.clock.now(),
          lastAt: t.clock.now(),
        }),
      }),
      expect.objectContaining({
        actor: 'dan',
        subject: 'identity:ken',
        details: expect.objectContaining({
          reason: expect.objectContaining({ code: 'check_access.not_self' }),
          count: 1,
        }),
      }),
    ]);
  });

  it('flushes pending denials when the HTTP app closes', async () => {
    const own = await createHttpTestApp(ctx);
    const before = (await own.auditEvents()).length;
    await own.call('POST', '/v1/check', await own.tokenFor('ken'), {
      identity: 'ken',
      resource: 'merchant-console',
      action: 'view',
    });
    await own.http.close();
    const denied = (await own.auditEvents()).slice(before).filter((e) => e.action === 'check.denied');
    expect(denied).toEqual([
      expect.objectContaining({ actor: 'ken', details: expect.objectContaining({ resource: 'merchant-console' }) }),
    ]);
  });
});
