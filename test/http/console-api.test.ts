/**
 * The console's typed API client is generated from the OpenAPI document (issue 12): `console/src/api/schema.d.ts`
 * must be what openapi-typescript makes of `/openapi.json` today. When a route changes, regenerate it with
 * `npm run console:api` (this test with UPDATE_CONSOLE_API=1) and commit the result; the console's type check then
 * shows every page that the change breaks.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { beforeAll, expect, it } from 'vitest';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';
import { describeEachDialect } from '../store/dialects.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../console/src/api/schema.d.ts', import.meta.url));
const HEADER = '// Generated from /openapi.json by openapi-typescript (npm run console:api); do not edit by hand.\n';

describeEachDialect('the console API client', (ctx) => {
  let app: HttpTestApp;
  beforeAll(async () => {
    app = await createHttpTestApp(ctx);
  });

  it('is generated from the OpenAPI document the server serves now', async () => {
    const response = await app.call('GET', '/openapi.json');
    const document = JSON.parse(response.body) as Parameters<typeof openapiTS>[0];
    const generated = HEADER + astToString(await openapiTS(document, { alphabetize: true }));
    if (process.env.UPDATE_CONSOLE_API === '1') await writeFile(SCHEMA_FILE, generated);
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    expect(committed, 'console/src/api/schema.d.ts is stale: run npm run console:api').toBe(generated);
  });
});
