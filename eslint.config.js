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
const tests = ['**/*.test.ts', '**/src/testing/**'];

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
  // evaluation: core and db (reads); config and notify for their types only; reports for the report read
  {
    files: ['packages/evaluation/src/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...Object.values(drivers),
            {
              group: [
                '@vigil/*',
                '!@vigil/core',
                '!@vigil/db',
                '!@vigil/config',
                '!@vigil/notify',
                '!@vigil/reports',
              ],
              message: 'packages/evaluation may import core, db (reads) and reports (ARCHITECTURE.md)',
            },
            {
              group: ['@vigil/config', '@vigil/notify'],
              allowTypeImports: true,
              message: 'packages/evaluation takes config and alert types only',
            },
          ],
        },
      ],
    },
  },
  // the step is pure: no I/O, no database, no clock (time and ids are its inputs)
  {
    files: ['packages/evaluation/src/step/**/*.ts'],
    ignores: tests,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'net', 'http', 'https', 'crypto'],
              message: 'the evaluation step is pure: no I/O imports',
            },
            {
              group: ['@vigil/*', '!@vigil/core', '!@vigil/config', '!@vigil/notify'],
              message: 'the evaluation step sees domain types, not the database or other packages',
            },
            {
              group: ['@vigil/config', '@vigil/notify'],
              allowTypeImports: true,
              message: 'the evaluation step takes config and alert types only',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'the evaluation step is pure' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the evaluation step takes time as an input' },
        { object: 'Math', property: 'random', message: 'the evaluation step takes ids as an input' },
      ],
    },
  },
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
