/** `POST /v1/requests/{id}/provision` over HTTP on the example policy's processor console (manual provider). */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('manual provisioning over HTTP', (ctx) => {
  let t: HttpTestApp;
  const call = async (identity: string, url: string, payload?: unknown) =>
    t.call('POST', url, await t.tokenFor(identity), payload);

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('a platform admin confirms an activated console request; someone without provision is refused at the door', async () => {
    const created = await call('alice', '/v1/requests', {
      resource: 'merchant-console',
      action: 'support-access',
      duration: '1h',
      justification: 'dispute D-2',
    });
    const request = created.json<{ id: string; digest: string }>();
    expect((await call('bob', `/v1/requests/${request.id}/approve`, { digest: request.digest })).statusCode).toBe(200);
    const activated = await call('alice', `/v1/requests/${request.id}/activate`);
    expect(activated.json()).toMatchObject({
      request: { status: 'approved', statusReason: 'awaiting manual provisioning' },
    });

    // bob (the approver) holds no `provision` anywhere: the route guard answers before the verb.
    const byApprover = await call('bob', `/v1/requests/${request.id}/provision`, {});
    expect(byApprover.statusCode).toBe(403);

    const confirmed = await call('peggy', `/v1/requests/${request.id}/provision`, { note: 'invited alice' });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: request.id, status: 'active', grant: { status: 'active' } });
    const actions = (await t.auditEvents())
      .filter((event) => event.subject === `request:${request.id}`)
      .map((event) => [event.action, event.actor]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['request.provision_requested', 'alice'],
        ['request.activate', 'peggy'],
      ]),
    );
  });
});
