/**
 * Issue #9, item 7: observations cannot blind drift. Over HTTP on both dialects, an administrator of the example
 * company pushes observations: one dated 2099 that would have pinned drift at zero for ever, one dated a few
 * minutes ahead followed by a newer arrival, and then everyone who may see the resource reads who sent what.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';

/** What the example's PostgreSQL baselines want (production's too). */
const CLEAN = {
  ssl: 'on',
  password_encryption: 'scram-sha-256',
  log_connections: 'on',
  log_statement: 'ddl',
  superusers: ['postgres'],
};
const TLS_OFF = { ...CLEAN, ssl: 'off' };

interface ResourceBody {
  drift: { high: number };
  latestObservationAt: string | null;
}

describeEachDialect('observations cannot blind drift', (ctx) => {
  let t: HttpTestApp;
  let peggy: string;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    peggy = await t.tokenFor('peggy');
  });

  const at = (offsetMs: number): string => new Date(t.clock.now() + offsetMs).toISOString();

  it('an observation dated 2099 is refused, so a later failing observation still opens drift', async () => {
    const future = await t.call('POST', '/v1/resources/payments-db/observations', peggy, {
      config: CLEAN,
      observedAt: '2099-01-01T00:00:00.000Z',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json<{ code: string; detail: string }>()).toMatchObject({ code: 'invalid' });
    expect(future.json<{ detail: string }>().detail).toContain('future');

    const failing = await t.call('POST', '/v1/resources/payments-db/observations', peggy, { config: TLS_OFF });
    expect(failing.statusCode).toBe(201);
    const resource = await t.call('GET', '/v1/resources/payments-db', peggy);
    expect(resource.json<ResourceBody>().drift.high).toBe(1);
  });

  it('drift follows the observation that arrived last, whatever observedAt an earlier one claimed', async () => {
    const ahead = await t.call('POST', '/v1/resources/analytics-db/observations', peggy, {
      config: CLEAN,
      observedAt: at(4 * 60_000),
    });
    expect(ahead.statusCode).toBe(201);
    t.clock.advance(1000);
    const newer = await t.call('POST', '/v1/resources/analytics-db/observations', peggy, {
      config: TLS_OFF,
      observedAt: at(0),
    });
    expect(newer.statusCode).toBe(201);
    expect(newer.json<{ drift: { high: number } }>().drift.high).toBe(1);
    const resource = await t.call('GET', '/v1/resources/analytics-db', peggy);
    expect(resource.json<ResourceBody>()).toMatchObject({ drift: { high: 1 }, latestObservationAt: at(0) });
  });

  it('every observation is listed with who sent it, when it was seen and when it arrived, newest arrival first', async () => {
    t.clock.advance(1000);
    const sent = await t.call('POST', '/v1/resources/prod-eu-cluster/observations', peggy, { config: {} });
    expect(sent.statusCode).toBe(201);
    const listed = await t.call('GET', '/v1/resources/prod-eu-cluster/observations', peggy);
    expect(listed.statusCode).toBe(200);
    const { observations } = listed.json<{ observations: Record<string, unknown>[] }>();
    expect(observations[0]).toMatchObject({
      id: sent.json<{ observationId: string }>().observationId,
      sender: 'peggy',
      source: 'api',
      observedAt: at(0),
      receivedAt: at(0),
    });
    // Someone with no duty on the profile learns nothing, not even that the resource exists.
    const outsider = await t.call('GET', '/v1/resources/prod-eu-cluster/observations', await t.tokenFor('carol'));
    expect(outsider.statusCode).toBe(404);
  });
});
