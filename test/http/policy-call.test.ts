/**
 * One policy snapshot per HTTP call (`app/policy-call.ts`): the guard checks the caller's duty against a
 * snapshot, and the route's verb decides with that same snapshot, so a policy reload that lands between the two
 * (another replica's change picked up by the change follower) cannot make them disagree. The next call sees the
 * new policy at its guard, and so does a call whose body was still arriving when the reload came: it is checked
 * again, so a client holding a request open cannot carry a replaced policy into its verb.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../src/features/access/tokens.verbs.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { SYSTEM_OPERATOR, type PolicySet } from '../../src/policy/model.js';
import { createTestApp, type TestApp } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';

/** A 2h read of the payments database: longer than the auto-approved hour, so data platform must approve. */
const LONG_READ = { resource: 'payments-db', action: 'read', duration: '2h', justification: 'nightly reconciliation' };

/** `policy` with `identity` in no group: it loses every duty it held through one. */
function withoutGroups(policy: PolicySet, identity: string): PolicySet {
  const identities = new Map(policy.identities);
  const found = identities.get(identity);
  if (found === undefined) throw new Error(`fixture identity '${identity}' is not in the policy`);
  identities.set(identity, { ...found, groups: [] });
  return { ...policy, identities };
}

describeEachDialect('one policy snapshot per HTTP call', (ctx) => {
  let t: TestApp;
  let http: FastifyInstance;
  /** A policy to swap in once the guard of the next call is done and before its handler runs. */
  let reloadAfterGuard: PolicySet | undefined;
  /** A policy to swap in once the next call's body has arrived, before the guard looks at the call again. */
  let reloadWithBody: PolicySet | undefined;

  beforeAll(async () => {
    t = await createTestApp(ctx);
    const built = buildApp({ app: t.app, auth: new BearerAuthenticator(t.app), ready: () => true });
    // preValidation runs once the body is parsed, before every preHandler hook.
    built.addHook('preValidation', async () => {
      if (reloadWithBody === undefined) return;
      t.runtime.replace(reloadWithBody);
      reloadWithBody = undefined;
    });
    // preHandler hooks run after the guard's onRequest hook and before the route's handler, outside the call:
    // exactly where a reload by the change follower can land.
    built.addHook('preHandler', async () => {
      if (reloadAfterGuard === undefined) return;
      t.runtime.replace(reloadAfterGuard);
      reloadAfterGuard = undefined;
    });
    await built.ready();
    http = built;
  });

  afterAll(async () => {
    await http?.close();
  });

  async function call(identity: string, url: string, payload: unknown) {
    const { token } = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity, ttl: '1h' } });
    return http.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as Record<string, unknown>,
    });
  }

  it('a reload between the guard and the verb does not make them disagree: the verb decides with the guard’s snapshot', async () => {
    const original = t.runtime.loaded;
    try {
      const created = await call('alice', '/v1/requests', LONG_READ);
      expect(created.statusCode).toBe(201);
      const request = created.json<{ id: string; digest: string; status: string }>();
      expect(request.status).toBe('pending');

      // carol approves as a data-platform member; the reload that takes her out of the group lands after the
      // guard admitted her and before the verb runs. The verb approves with the policy the guard saw.
      reloadAfterGuard = withoutGroups(original, 'carol');
      const approved = await call('carol', `/v1/requests/${request.id}/approve`, { digest: request.digest });
      expect(reloadAfterGuard).toBeUndefined();
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', approvals: [{ approver: 'carol' }] });

      // The next call begins under the new policy: its guard refuses carol the duty she no longer holds.
      const second = await call('alice', '/v1/requests', LONG_READ);
      const next = second.json<{ id: string; digest: string }>();
      const refused = await call('carol', `/v1/requests/${next.id}/approve`, { digest: next.digest });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden', details: { duty: 'approve' } });
    } finally {
      t.runtime.replace(original);
    }
  });

  it('a reload that lands while the body is arriving sends the call through the guard again, under the new policy', async () => {
    const original = t.runtime.loaded;
    try {
      const created = await call('alice', '/v1/requests', LONG_READ);
      const request = created.json<{ id: string; digest: string }>();

      // carol's approval passed the guard when it began, but her body arrived after the reload took her out.
      reloadWithBody = withoutGroups(original, 'carol');
      const refused = await call('carol', `/v1/requests/${request.id}/approve`, { digest: request.digest });
      expect(reloadWithBody).toBeUndefined();
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden', details: { duty: 'approve' } });
      const after = await t.app.database.db
        .selectFrom('approvals')
        .select('approver')
        .where('request_id', '=', request.id)
        .execute();
      expect(after).toEqual([]);
    } finally {
      t.runtime.replace(original);
    }
  });
});
