/**
 * The web console's build: a single-page app under `console/`, built by `npm run build` into `dist/console`, which
 * `serve` hands out (`src/http/console.ts`). Assets get content hashes in their names so the server can let
 * browsers cache them for a year; `index.html` is never cached. No inline script or style anywhere: the
 * Content-Security-Policy the server sends forbids both.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => {
  // A build is always the production build, even when started from a test runner that sets NODE_ENV=test (Vite
  // would then keep React's development code: a larger, slower bundle than the one users get).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: '/',
    esbuild: { jsx: 'automatic' },
    // `npm run console:dev`: pages reload as they are edited, against a `countersign serve` on port 8080.
    server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/auth': 'http://127.0.0.1:8080' } },
    build: {
      outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
      emptyOutDir: true,
      assetsDir: 'assets',
      // Vite would inline small assets as data: URLs; the CSP allows them for images only, so keep files.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
      target: 'es2022',
      reportCompressedSize: false,
      rollupOptions: {
        onwarn(warning, warn) {
          // React libraries mark modules "use client" for server-component bundlers; meaningless in a plain SPA.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
  };
});
