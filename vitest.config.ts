/**
 * The test suite in projects, from the inner loop outwards (`npm run test:<project>` runs one; `npm test` all):
 * - unit: the tests beside the code in src/, pure and fast;
 * - store: the database, the audit log's store, the features, the providers and the server's background
 *   workers, on SQLite and PostgreSQL;
 * - http: the HTTP API through `inject()` and a few real sockets, on SQLite (the layers below run on both);
 * - cli: the built `countersign` binary as a child process (test/cli and every `*.cli.test.ts`), on SQLite;
 * - e2e: the README quickstart, the walkthroughs and the shipped examples, as a newcomer runs them;
 * - security: one attack test per finding; faults: crashes, lost connections, full disks on a private cluster;
 * - gateway: the PostgreSQL wire-protocol gateway through real clients (psql, node-postgres, JDBC) to the real server;
 * - console: the web console in Debian's Chromium (playwright-core) against a real `serve`, with axe-core.
 * The projects that start the binary build `dist/` first when it is stale (test/cli/build-cli.setup.ts; the
 * console and e2e projects build `dist/console` too, test/console/build-console.setup.ts).
 * test/projects.test.ts checks that every test file belongs to exactly one project.
 */
import { configDefaults, defineConfig } from 'vitest/config';

const BUILD_CLI = ['test/cli/build-cli.setup.ts'];
/** The server and the web console (the quickstart opens the console too). */
const BUILD_CONSOLE = ['test/console/build-console.setup.ts'];
const CLI_TESTS = 'test/**/*.cli.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Only the unit project runs in threads (the others in forks, each file isolated): pure code, no mocks or
    // stubbed globals, so its files share one module graph, which makes the inner loop about twice as fast.
    // Vitest reads isolation per pool for the whole run, not per project; a unit test that mocks a module or
    // stubs a global would need it back.
    poolOptions: { threads: { isolate: false } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], pool: 'threads' } },
      {
        extends: true,
        test: {
          name: 'store',
          include: ['test/{store,features,app,audit,providers,server}/**/*.test.ts'],
          exclude: [...configDefaults.exclude, CLI_TESTS],
        },
      },
      {
        extends: true,
        test: { name: 'http', include: ['test/http/**/*.test.ts'], env: { COUNTERSIGN_TEST_DIALECTS: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts', CLI_TESTS],
          globalSetup: BUILD_CLI,
          env: { COUNTERSIGN_TEST_DIALECTS: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/{quickstart,walkthrough}/**/*.test.ts', 'test/examples.test.ts', 'test/projects.test.ts'],
          globalSetup: BUILD_CONSOLE,
        },
      },
      { extends: true, test: { name: 'security', include: ['test/security/**/*.test.ts'], globalSetup: BUILD_CLI } },
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], globalSetup: BUILD_CLI } },
      // The PostgreSQL gateway with real psql, node-postgres, JDBC and pgbench (some tests start the built binary).
      { extends: true, test: { name: 'gateway', include: ['test/gateway/**/*.test.ts'], globalSetup: BUILD_CLI } },
      {
        extends: true,
        test: {
          name: 'console',
          include: ['test/console/**/*.test.ts'],
          globalSetup: BUILD_CONSOLE,
          // A browser and a server per file: one file at a time (one fork for them all), on a small machine.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
