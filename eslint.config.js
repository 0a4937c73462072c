// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { reactRefresh } from 'eslint-plugin-react-refresh';
import prettier from 'eslint-config-prettier';

const entryPoints = ['**/src/main.ts', '**/src/cli.ts', '**/src/demo/**'];
const ioModules = [
  'fs',
  'node:fs',
  'node:fs/promises',
  'http',
  'node:http',
  'pg',
  'better-sqlite3',
  'kysely',
  'fastify',
  'nats',
  'node:child_process',
  'node:net',
];

export default tseslint.config(
  {
    ignores: [
      'eslint.config.js',
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bin/**',
      'scripts/**',
      'web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
    },
  },
  // Import direction (docs/architecture.md): kernel <- platform <- contexts <- entry points (main, cli, demo).
  {
    files: ['src/kernel/**/*.ts'],
    // kysely builds the SQL form of the rule; it opens nothing.
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.filter((m) => m !== 'kysely'),
          patterns: [
            {
              group: ['**/platform/**', '**/contexts/**', ...entryPoints],
              message: 'kernel/ imports nothing of the project',
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations are the schema's history: they may use pure context modules (ids, timestamps, fixed objects).
    files: ['src/platform/**/*.ts'],
    ignores: ['src/platform/db/migrations/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/contexts/**', ...entryPoints], message: 'platform/ imports only kernel/' }] },
      ],
    },
  },
  {
    files: ['src/contexts/**/*.*.ts'],
    ignores: ['**/*.test.ts', 'src/contexts/**/*.policy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: entryPoints, message: 'contexts never import the entry points' }] },
      ],
    },
  },
  {
    // Pure core: files without a role suffix and *.policy.ts inside contexts import no I/O.
    files: ['src/contexts/**/*.ts'],
    ignores: ['src/contexts/**/*.*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioModules, patterns: [{ group: entryPoints, message: 'contexts never import the entry points' }] },
      ],
    },
  },
  {
    files: ['src/contexts/**/*.policy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioModules, patterns: [{ group: entryPoints, message: 'contexts never import the entry points' }] },
      ],
    },
  },
  {
    // The console bundles only the access kernel, the wire schemas and shared rendering data from the server.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    ignores: ['web/src/**/*.test.ts', 'web/src/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '/src/(?!kernel/|contexts/[a-z-]+/[a-z-]+\\.schema\\.ts$|contexts/treaty/areas\\.ts$|contexts/sharing/iso-numeric\\.ts$|contexts/briefings/(situation-map|figures|svg)\\.ts$)',
              message: 'web/ imports from the server only kernel/, *.schema.ts and shared rendering modules',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The console: the rules of hooks, and modules Vite can hot-reload (components only, or constants).
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    ...reactHooks.configs.flat.recommended,
  },
  { files: ['web/src/**/*.tsx'], ...reactRefresh.configs.vite() },
  // Formatting is Prettier's (npm run format); no lint rule argues with it.
  prettier,
);
