import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Dependency direction (STYLE.md): web -> services -> storage. In flat config the last matching block
// sets a rule, so the blocks go from the widest folder set to the narrowest, each repeating what it keeps.
const domainFolders = ['xapi', 'capture', 'cohorts', 'outcomes', 'reports', 'tenants', 'health'];
const noLtijs = { name: 'ltijs', message: 'Only src/lti/ imports ltijs.' };
const noExpress = { name: 'express', message: 'Domain code has no HTTP inside; routes live in src/web.' };
const noAppLayers = {
  group: ['**/config', '**/config.js', '**/web/**', '**/lti/**'],
  message: 'Domain code takes its settings as arguments; only app.ts and the web layer read config or HTTP.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lti/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noLtijs] }] },
  },
  {
    files: domainFolders.map((d) => `src/${d}/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { paths: [noLtijs, noExpress], patterns: [noAppLayers] }] },
  },
  // Storage serves the domain: of the domain folders it imports only the model files (types and invariants).
  {
    files: ['src/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noLtijs],
          patterns: [
            {
              regex: `^(\\.\\./)+(${[...domainFolders, 'learning', 'lti', 'web', 'dev', 'cli'].join('|')})/(?!(.*/)?model\\.js$)`,
              message: "Storage imports nothing from the domain but its areas' model.ts files.",
            },
          ],
        },
      ],
    },
  },
  // Pure calculators import nothing but each other (and the stdlib distribution packages).
  {
    files: ['src/reports/stats/**/*.ts', 'src/reports/roi/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noLtijs, noExpress, 'pg', 'kysely'],
          patterns: [
            noAppLayers,
            {
              group: ['../../*', '!../../reports'],
              message: 'Calculators are pure: they import only other calculators.',
            },
          ],
        },
      ],
    },
  },
);
