import { afterEach, beforeAll, expect, it } from 'vitest';
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

/**
 * Issue #10: a grant change committed by this process is applied to the check index on its own (the grants of
 * the request's identity are read again), so checks meanwhile never wait for a full rebuild, and the very next
 * check still reflects the change.
 */
describeEachDialect('check index updated incrementally', (ctx) => {
  let t: HttpTestApp;
  let http: ZodFastify;
  let checks: CheckService;
  let token: string;
  let mono = 0; // the monotonic clock stands still unless a test moves it: no poll, no staleness, no rebuild
  const check = (identity: string) => checks.check(identity, { identity, resource: 'payments-db', action: 'read' });

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    checks = new CheckService(t.app, { monotonicNow: () => mono, denialFlushMs: 3_600_000 });
    http = buildApp({ app: t.app, auth: new BearerAuthenticator(t.app), ready: () => true, checks });
    await http.ready();
    token = await t.tokenFor('grace');
    return async () => {
      await http.close();
      await checks.close();
    };
  });

  // Denials are written while the database is open (the dialect closes it before this suite's cleanup).
  afterEach(async () => {
    await checks.flushDenials();
  });

  async function approvedRead(identity: string): Promise<string> {
    const created = await createRequest({ app: t.app, actor: identity, input: LONG_READ });
    await approveRequest({ app: t.app, actor: 'carol', input: { id: created.id } });
    return created.id;
  }

  it('reflects each activation and revocation at the very next check without a full rebuild', async () => {
    // Duties change first (an eligible role activated): that one is a full rebuild, as before.
    await activateRole(t.app, 'frank', 'dba-admin', 'heidi');
    await activateRole(t.app, 'grace', 'dba-admin', 'heidi');
    checks.invalidate();
    expect((await check('grace')).allowed).toBe(false);
    const rebuilds = checks.rebuilds;

    for (let round = 0; round < 3; round++) {
      const id = await approvedRead('frank');
      const { request } = await activateRequest({ app: t.app, actor: 'frank', input: { id } });
      checks.grantsChanged(id);
      expect(await check('frank')).toMatchObject({ allowed: true, grantId: request.grant?.id });
      await revokeRequest({ app: t.app, actor: 'frank', input: { id } });
      checks.grantsChanged(id);
      expect(await check('frank')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    }
    expect(checks.rebuilds).toBe(rebuilds);
  });

  it('applies a grant change made through the HTTP routes without a full rebuild', async () => {
    expect((await check('grace')).allowed).toBe(false);
    const rebuilds = checks.rebuilds;
    const id = await approvedRead('grace');
    const activated = await http.inject({
      method: 'POST',
      url: `/v1/requests/${id}/activate`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(activated.statusCode).toBe(200);
    expect(await check('grace')).toMatchObject({ allowed: true });
    const revoked = await http.inject({
      method: 'POST',
      url: `/v1/requests/${id}/revoke`,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(revoked.statusCode).toBe(200);
    expect(await check('grace')).toMatchObject({ allowed: false });
    expect(checks.rebuilds).toBe(rebuilds);
  });

  it('reflects a change committed while a background refresh that read the state before it is running', async () => {
    expect((await check('grace')).allowed).toBe(false);
    for (let round = 0; round < 3; round++) {
      const id = await approvedRead('grace');
      mono += 300; // a poll is due: this check starts a background refresh and answers from memory
      const polling = check('grace');
      const { request } = await activateRequest({ app: t.app, actor: 'grace', input: { id } });
      checks.grantsChanged(id);
      expect((await polling).allowed).toBe(false);
      expect(await check('grace')).toMatchObject({ allowed: true, grantId: request.grant?.id });
      mono += 300;
      const again = check('grace');
      await revokeRequest({ app: t.app, actor: 'grace', input: { id } });
      checks.grantsChanged(id);
      await again;
      expect(await check('grace')).toMatchObject({ allowed: false, reason: { code: 'check.no_grant' } });
    }
  });

  it('still rebuilds in full when duties change (invalidate)', async () => {
    expect((await check('grace')).allowed).toBe(false);
    const rebuilds = checks.rebuilds;
    checks.invalidate();
    await check('grace');
    expect(checks.rebuilds).toBe(rebuilds + 1);
  });
});
