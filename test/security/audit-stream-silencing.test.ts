/**
 * Attack: an administrator silences the audit stream, the tamper-evidence control that copies every audit event
 * out of the building, so that what they do next is seen by no consumer. The sinks are configured by the operator
 * where the server runs (`serve --audit-stream`), so no API call, by any duty, can add, change, pause or remove
 * one, nor move a sink's cursor: the only route is a read for the `audit` duty.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from '../http/http-fixtures.js';

describeEachDialect('an administrator silencing the audit stream', (ctx) => {
  let t: HttpTestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    admin = await t.tokenFor('peggy');
  });

  it('finds no route that writes a sink or its cursor, with any method', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      for (const url of ['/v1/audit/streams', '/v1/audit/streams/splunk', '/v1/audit/streams/splunk/cursor']) {
        const response = await t.call(method, url, admin, { enabled: false, deliveredSeq: 1_000_000 });
        expect([404, 405], `${method} ${url}`).toContain(response.statusCode);
      }
    }
    const patch = await t.http.inject({
      method: 'PATCH',
      url: '/v1/audit/streams',
      headers: { authorization: `Bearer ${admin}` },
      payload: { sinks: [] },
    });
    expect([404, 405]).toContain(patch.statusCode);
  });

  it('finds only a read of the streams in the API document', async () => {
    const document = (await t.http.inject({ url: '/openapi.json' })).json<{ paths: Record<string, object> }>();
    const streamPaths = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/audit/streams'));
    expect(streamPaths.map(([path, operations]) => [path, Object.keys(operations)])).toEqual([
      ['/v1/audit/streams', ['get']],
    ]);
  });

  it('cannot even read the streams without the audit duty', async () => {
    expect((await t.call('GET', '/v1/audit/streams', admin)).statusCode).toBe(403);
  });
});
