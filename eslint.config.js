// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { reactRefresh } from 'eslint-plugin-react-refresh';
import prettier from 'eslint-config-prettier';

const ioModules = ['fs', 'node:fs', 'node:fs/promises', 'http', 'node:http', 'pg', 'better-sqlite3', 'kysely', 'fastify', 'nats', 'node:child_process', 'node:net'];

export default tseslint.config(
  { ignores: ['eslint.config.js', 'dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bin/**', 'scripts/**', 'web/dist/**'] },
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
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    // Pure core: files without a role suffix and *.policy.ts inside contexts import no I/O.
    files: ['src/contexts/**/*.ts'],
    ignores: ['src/contexts/**/*.*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ioModules }] },
  },
  {
    files: ['src/contexts/**/*.policy.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ioModules }] },
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
