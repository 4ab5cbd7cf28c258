import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const domainFolders = ['xapi', 'capture', 'cohorts', 'outcomes', 'reports', 'tenants'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Dependency direction (STYLE.md): domain folders never import express, ltijs or config.
  {
    files: domainFolders.map((d) => `src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['express', 'ltijs'],
          patterns: [{ group: ['**/config', '**/config.js', '**/web/**', '**/lti/**'], message: 'Domain code takes its settings as arguments; only app.ts and the web layer read config or HTTP.' }],
        },
      ],
    },
  },
  // Pure calculators import nothing but each other.
  {
    files: ['src/reports/stats/**/*.ts', 'src/reports/roi/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*', '!../../reports/*', 'express', 'ltijs', 'pg', 'kysely'], message: 'Calculators are pure: they import only other calculators.' }] },
      ],
    },
  },
  // ltijs stays inside src/lti.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lti/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'ltijs', message: 'Only src/lti/ imports ltijs.' }] }] },
  },
);
