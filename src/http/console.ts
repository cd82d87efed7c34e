/**
 * Serves the web console (SPEC §4, issue 12): the single-page app `npm run build` puts in `dist/console`, with
 * - hashed assets (`/assets/*`) cached for a year, `index.html` never cached, and the console's pages
 *   (`CONSOLE_SECTIONS`) answered with `index.html` so that reloads and bookmarks work;
 * - the security headers of every answer: a strict Content-Security-Policy (no inline script or style, nothing
 *   from another origin, `frame-ancestors 'none'`), `nosniff`, no referrer, no framing. API answers get the
 *   strictest policy (`default-src 'none'`); the API docs page (`/docs`) keeps the one its plugin sets.
 * The static files are public (SPEC §4: everything but health and the console's static files needs
 * authentication); every piece of data the console shows comes through `/v1` and its authorization.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../core/errors.js';
import { CONSOLE_SECTIONS } from './console-sections.js';
import { isPublicDocsRoute } from './guard.js';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Hashed file names change with their content, so a browser may keep them as long as it likes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Where the built console is: `dist/console` beside the compiled server (`dist/http/console.js`), or, when the
 * server runs from the sources (tests, `tsx`), the same folder under the repository.
 */
export function defaultConsoleDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../console'), resolve(here, '../../dist/console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

const CONSOLE_MISSING =
  'the web console is not built into this installation: run `npm run build` (the API is at /v1, its docs at /docs)';

export function installConsole(app: FastifyInstance, consoleDir: string | undefined): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.url;
    if (!reply.hasHeader('content-security-policy') && !isPublicDocsRoute(url.split('?')[0] ?? url)) {
      const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      void reply.header('content-security-policy', html || url.startsWith('/assets/') ? CONSOLE_CSP : API_CSP);
    }
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  if (consoleDir === undefined) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async () => {
      throw new AppError('not_found', CONSOLE_MISSING);
    });
    return;
  }
  void app.register(fastifyStatic, { root: consoleDir, serve: false });

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  for (const section of CONSOLE_SECTIONS) {
    for (const path of [`/${section}`, `/${section}/*`]) {
      app.get(path, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
        sendIndex(reply),
      );
    }
  }
  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) =>
      reply.header('cache-control', IMMUTABLE).sendFile(`assets/${request.params['*']}`, { cacheControl: false }),
  );
  app.get('/favicon.svg', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('favicon.svg', { cacheControl: false }),
  );
}
