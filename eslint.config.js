// Lint rules that keep the layering honest: the pure core (policy/, decide/, core/) may not reach I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
          patterns: [
            '**/store/**',
            '**/http/**',
            '**/app/**',
            '**/features/**',
            '**/server/**',
            '**/cli/**',
            '**/providers/**',
          ],
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
          patterns: [
            '**/store/**',
            '**/http/**',
            '**/app/**',
            '**/features/**',
            '**/server/**',
            '**/cli/**',
            '**/providers/**',
          ],
        },
      ],
    },
  },
);
