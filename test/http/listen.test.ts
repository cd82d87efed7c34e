import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

describeEachDialect('the API on a real listening server', (ctx) => {
  let t: HttpTestApp;
  let base: string;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    await t.http.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.http.close();
  });

  it('mints a token with one token, then uses the new one, over TCP', async () => {
    const bootstrap = await t.tokenFor('dan');
    const minted = await fetch(`${base}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bootstrap}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttl: '30m' }),
    });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ identity: 'dan' });
  });

  it('answers problem+json to a client without credentials', async () => {
    const response = await fetch(`${base}/v1/tokens`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'unauthenticated', status: 401, instance: '/v1/tokens' });
  });
});
