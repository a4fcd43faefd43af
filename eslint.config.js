// Lint rules, including the package boundaries of ARCHITECTURE.md (only one package may import each driver).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const only = (owner, names) => ({
  group: names,
  message: `only ${owner} may import this (see ARCHITECTURE.md)`,
});

const drivers = {
  db: only('packages/db', [
    'drizzle-orm',
    'drizzle-orm/*',
    'pg',
    '@electric-sql/pglite',
    '@electric-sql/pglite/*',
  ]),
  queue: only('packages/queue', ['bullmq', 'ioredis']),
  probes: only('packages/probes', ['undici']),
  notify: only('packages/notify', ['@slack/webhook', 'nodemailer']),
};

const restrict = (allowed = [], extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...Object.entries(drivers)
          .filter(([k]) => !allowed.includes(k))
          .map(([, v]) => v),
        ...extra,
      ],
    },
  ],
});

// test helpers: `*.test.ts` beside the source, shared builders in `src/testing/`
const tests = ['**/*.test.ts', '**/src/testing/**', 'apps/evaluator/src/test-support.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'migrations/**', '.vigil/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      ...restrict(),
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@vigil/*', 'fs', 'path', 'os', 'net', 'http', 'https', 'crypto'],
              message: 'packages/core is pure: no I/O imports',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'packages/core is pure: no process.env' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'packages/core takes time as an argument' },
      ],
    },
  },
  { files: ['packages/db/**/*.ts'], rules: restrict(['db']) },
  { files: ['packages/queue/**/*.ts'], rules: restrict(['queue']) },
  { files: ['packages/probes/**/*.ts'], rules: restrict(['probes']) },
  { files: ['packages/notify/**/*.ts'], rules: restrict(['notify']) },
  {
    files: ['apps/**/*.ts'],
    ignores: tests,
    rules: restrict(
      [],
      [
        {
          group: ['@vigil/testing'],
          message: '@vigil/testing holds test fixtures: never a runtime dependency',
        },
      ],
    ),
  },
  {
    files: ['packages/simulator/src/**/*.ts'],
    ignores: tests,
    rules: restrict(
      [],
      [
        {
          group: ['@vigil/*', '!@vigil/core'],
          message: 'packages/simulator may import only core (ARCHITECTURE.md)',
        },
      ],
    ),
  },
  // the testing package stands up real servers and databases for tests and benchmarks
  {
    files: ['packages/testing/**/*.ts', 'packages/simulator/**/*.test.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
