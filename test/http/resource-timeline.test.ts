/** A resource's timeline over HTTP: the window in the query string, and the same access as reading the resource. */
import { beforeAll, expect, it } from 'vitest';
import { activateRequest, createRequest } from '../../src/features/requests/requests.verbs.js';
import { resourceTimelineViewSchema } from '../../src/features/resources/resource-timeline.view.js';
import { as, SHORT_READ } from '../app/requests-fixtures.js';
import { TEST_START } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
const isoAt = (ms: number): string => new Date(ms).toISOString();

describeEachDialect('a resource timeline over HTTP', (ctx) => {
  let t: HttpTestApp;
  let requestId: string;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    const request = await createRequest(as(t.app, 'bob')(SHORT_READ));
    await activateRequest(as(t.app, 'bob')({ id: request.id }));
    requestId = request.id;
  });

  it('answers the last 30 days by default with the grant and the request, as its view says', async () => {
    const response = await t.call('GET', '/v1/resources/payments-db/timeline', await t.tokenFor('olivia'));
    expect(response.statusCode).toBe(200);
    const timeline = resourceTimelineViewSchema.parse(response.json());
    expect(timeline).toMatchObject({ from: isoAt(TEST_START - 30 * DAY), to: isoAt(TEST_START) });
    expect(timeline.grants).toEqual([
      {
        requestId,
        identity: 'bob',
        action: 'read',
        start: isoAt(TEST_START),
        end: null,
        status: 'active',
        breakGlass: false,
      },
    ]);
    expect(timeline.requests.map((r) => r.id)).toEqual([requestId]);
  });

  it('takes the window from the query string', async () => {
    const url = `/v1/resources/payments-db/timeline?from=${isoAt(TEST_START - 2 * DAY)}&to=${isoAt(TEST_START - DAY)}`;
    const response = await t.call('GET', url, await t.tokenFor('olivia'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ from: isoAt(TEST_START - 2 * DAY), grants: [], requests: [] });
  });

  it('refuses a window that is not ISO 8601, reversed or longer than 90 days as invalid problems', async () => {
    const token = await t.tokenFor('olivia');
    for (const query of [
      'from=yesterday',
      `from=${isoAt(TEST_START)}&to=${isoAt(TEST_START - 1000)}`,
      `from=${isoAt(TEST_START - 91 * DAY)}&to=${isoAt(TEST_START)}`,
      'window=7d',
    ]) {
      const response = await t.call('GET', `/v1/resources/payments-db/timeline?${query}`, token);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'invalid' });
    }
  });

  it('answers not_found to whoever may not read the resource, and 401 without a token', async () => {
    const hidden = await t.call('GET', '/v1/resources/payments-db/timeline', await t.tokenFor('quinn'));
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'not_found' });
    expect((await t.call('GET', '/v1/resources/payments-db/timeline')).statusCode).toBe(401);
  });
});
