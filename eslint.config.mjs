// ESLint flat config: typescript-eslint's recommended rules over all TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/test-results/**',
      'proto/gen/**',
      '.tools/**',
      '.data/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A promise nobody awaits loses its error: a missed publish or a silent failed write.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The console's web app (services/console/web has its own tsconfig, checked by npm run typecheck).
    files: ['**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is bundled for every case:
    // no clients, no Node built-ins, no zod, and from the domain only its pure entry.
    // Activities, the worker and client helpers live beside it and are excluded here.
    files: ['workflows/src/**/*.ts'],
    ignores: [
      'workflows/src/activities.ts',
      'workflows/src/*/activities.ts',
      'workflows/src/config.ts',
      'workflows/src/index.ts',
      'workflows/src/worker.ts',
      'workflows/src/worker-factory.ts',
      'workflows/src/calendar-source.ts',
      'workflows/src/search-attributes-admin.ts',
      'workflows/src/http-rejection.ts',
      'workflows/src/duties/start.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@duban/domain',
              message: 'workflow code imports @duban/domain/pure (the root loads zod and the calendars)',
              allowTypeImports: true,
            },
            { name: 'zod', message: 'validation belongs in services and activities, not in workflow code' },
            {
              name: '@temporalio/client',
              message: 'workflow code talks to Temporal through @temporalio/workflow only',
              allowTypeImports: true,
            },
            {
              name: '@temporalio/worker',
              message: 'workflow code talks to Temporal through @temporalio/workflow only',
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'crypto',
                'http',
                'https',
                'net',
                'child_process',
                'events',
                'stream',
                'util',
              ],
              message: 'Node built-ins are not deterministic in workflow code',
            },
            {
              group: ['@duban/*/src/*', '@duban/*/src/**'],
              message: 'import a package through its entry, not its src/ files',
              allowTypeImports: true,
            },
            { group: ['mongoose', 'kafkajs', 'pino', 'express'], message: 'I/O belongs in activities' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
  },
);
