/**
 * The web console's files and the security headers of every answer (issue 12): the pages answer with the console,
 * hashed assets are cached for a year and `index.html` never, a strict Content-Security-Policy forbids inline
 * script and framing, and none of this opens anything under `/v1`. A small console folder stands in for the
 * built one, so these tests do not depend on `npm run build`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONSOLE_SECTIONS } from '../../src/http/console-sections.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

const INDEX =
  '<!doctype html><title>Countersign</title><div id="root"></div><script type="module" src="/assets/app-1a2b3c.js"></script>';

describeEachDialect('the web console over HTTP', (ctx) => {
  let t: HttpTestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("console")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createHttpTestApp(ctx, { build: { consoleDir: dir } });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers / and every page of the console with index.html, never cached, under a strict CSP', async () => {
    for (const path of ['/', ...CONSOLE_SECTIONS.map((s) => `/${s}`), '/requests/req_123', '/resources/db/prod']) {
      const response = await t.call('GET', path);
      expect(response.statusCode, path).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves hashed assets for a year without authentication, and no file outside the console folder', async () => {
    const asset = await t.call('GET', '/assets/app-1a2b3c.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    for (const path of ['/assets/missing.js', '/assets/..%2f..%2findex.html', '/assets/../../../etc/passwd']) {
      const response = await t.call('GET', path);
      expect(response.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('root:');
    }
  });

  it('leaves the API as it was: unknown /v1 paths are problem+json 404s, data still needs a credential', async () => {
    const unknown = await t.call('GET', '/v1/inboxx');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const data = await t.call('GET', '/v1/requests');
    expect(data.statusCode).toBe(401);
    const other = await t.call('GET', '/not-a-console-page');
    expect(other.statusCode).toBe(404);
  });

  it('lets a polling page revalidate an unchanged API answer with its ETag (304, no body)', async () => {
    const token = await t.tokenFor('alice');
    const first = await t.call('GET', '/v1/me', token);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = String(first.headers.etag);
    expect(etag).not.toBe('undefined');
    const again = await t.http.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${token}`, 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describeEachDialect('a server without a built console', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx, { build: { consoleDir: null } });
  });

  it('says at / how to build it, as problem+json', async () => {
    const response = await t.call('GET', '/');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', detail: expect.stringContaining('npm run build') });
  });
});
