// Lint rules that keep the layering honest: the pure core (policy/, decide/, core/) may not reach I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';

const ioModules = [
  'kysely',
  'better-sqlite3',
  'pg',
  'fastify',
  'pino',
  'prom-client',
  'commander',
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'node:path',
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'child_process',
];

/**
 * The folders and who may import whom (docs/architecture.md, "The rules"). The graph has no cycle, so no two
 * folders can depend on each other; a feature reaches another only through that feature's index.ts.
 */
/** What the pure core and the policy language may never import: everything with I/O around them. */
const outerFolders = [
  '**/store/**',
  '**/http/**',
  '**/app/**',
  '**/features/**',
  '**/server/**',
  '**/cli/**',
  '**/providers/**',
];

/** The kernel and everything below it: what every feature, and everything above the features, may use. */
const kernelAndBelow = ['core', 'policy', 'decide', 'store', 'audit', 'audit-store', 'providers', 'app'];
const layers = [
  { type: 'core', pattern: 'src/core/**', allow: ['core'] },
  { type: 'policy', pattern: 'src/policy/**', allow: ['core', 'policy'] },
  { type: 'decide', pattern: 'src/decide/**', allow: ['core', 'policy', 'decide'] },
  { type: 'store', pattern: 'src/store/**', allow: ['core', 'policy', 'decide', 'store'] },
  { type: 'audit-store', pattern: 'src/audit/store/**', allow: ['core', 'store', 'audit', 'audit-store'] },
  { type: 'audit', pattern: 'src/audit/**', allow: ['core', 'audit'] },
  { type: 'providers', pattern: 'src/providers/**', allow: ['core', 'policy', 'decide', 'audit', 'providers'] },
  { type: 'app', pattern: 'src/app/**', allow: kernelAndBelow },
  // A feature's views (one zod schema per answer) are shared vocabulary: the routes, the CLI and other features'
  // views use them directly.
  {
    type: 'view',
    pattern: 'src/features/*/*.view.ts',
    capture: ['feature'],
    allow: ['core', 'policy', 'decide', 'store', 'audit', 'app', 'view'],
  },
  {
    type: 'feature',
    pattern: 'src/features/*/**',
    capture: ['feature'],
    allow: [...kernelAndBelow, 'view', 'feature'],
  },
  { type: 'http', pattern: 'src/http/**', allow: [...kernelAndBelow, 'view', 'feature', 'http'] },
  // Protocol gateways (issue 14): an outer ring beside http; each protocol in its own folder (src/gateway/postgres/).
  { type: 'gateway', pattern: 'src/gateway/**', allow: [...kernelAndBelow, 'view', 'feature', 'gateway'] },
  {
    type: 'server',
    pattern: 'src/server/**',
    allow: [...kernelAndBelow, 'view', 'feature', 'http', 'gateway', 'server'],
  },
  {
    type: 'cli',
    pattern: 'src/cli/**',
    allow: [...kernelAndBelow, 'view', 'feature', 'http', 'gateway', 'server', 'cli'],
  },
];

/**
 * Which feature may use which (besides itself). No cycle but one: a request and its grant are one lifecycle whose
 * rows change status together in one transaction, so `requests` and `grants` may use each other.
 */
const featureUses = {
  resources: [],
  notifications: [],
  evidence: [],
  'audit-stream': [],
  requests: ['grants', 'resources'],
  grants: ['requests', 'resources'],
  access: ['grants', 'requests'],
  certifications: ['grants', 'requests'],
  // The gateway's logins and session records (issue 14): a login is a grant of a gateway-only action; an API token
  // of the same identity may stand for its secret.
  sessions: ['access', 'grants', 'requests', 'resources'],
  governance: ['access', 'resources'],
  // Approvals in chat (issue 13): requests decided through the requests verbs, drift from resources, delivery
  // through the notification outbox's senders.
  chat: ['requests', 'resources', 'notifications'],
  directory: ['access'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.db', '**/*.db'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/decide/**/*.ts'],
    // The system clock is the one place that reads the time; everything else is handed a Clock.
    ignores: ['**/*.test.ts', 'src/core/clock.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'the pure core does no I/O' })),
          patterns: outerFolders,
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'time comes in as an argument' }],
    },
  },
  {
    files: ['src/policy/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/policy/policy-files.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'policy parsing is pure; file reading lives in policy-files.ts',
          })),
          patterns: outerFolders,
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      // A feature is its folder (so its files import each other freely); the other layers match by full path.
      'boundaries/elements': layers.map(({ type, pattern, capture }) =>
        type === 'feature'
          ? { type, pattern: 'src/features/*', mode: 'folder', capture }
          : { type, pattern, mode: 'full' },
      ),
    },
    rules: {
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          rules: [
            ...layers.filter(({ type }) => type !== 'feature').map(({ type, allow }) => ({ from: type, allow })),
            // A view may read the types of the records it is made from.
            {
              from: ['view'],
              allow: ['feature'],
              importKind: 'type',
            },
            ...Object.entries(featureUses).map(([feature, uses]) => ({
              from: [['feature', { feature }]],
              allow: [
                ...kernelAndBelow,
                'view',
                ['feature', { feature }],
                ...uses.map((used) => ['feature', { feature: used }]),
              ],
            })),
          ],
        },
      ],
      // Nothing imports a feature's inside: another folder reaches it only through its index.ts.
      'boundaries/entry-point': [
        'error',
        {
          default: 'allow',
          rules: [
            { target: ['feature'], disallow: '*' },
            { target: ['feature'], allow: 'index.ts' },
            // Types are erased at run time, so they couple nothing a cycle could break; values go through index.ts.
            { target: ['feature'], allow: '*', importKind: 'type' },
          ],
        },
      ],
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    // The web console runs in the browser: it keeps no credential there (the session is an HttpOnly cookie) and
    // writes no raw HTML (the server's text reaches the page as text only).
    files: ['console/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'the console keeps nothing in the browser: the session is a cookie' },
        { name: 'sessionStorage', message: 'the console keeps nothing in the browser: the session is a cookie' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'render text, never HTML: what the server says reaches the page as text',
        },
      ],
    },
  },
);
