import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layers } from './eslint.layers.mjs';

// Dependency direction (STYLE.md, docs/architecture.md): web -> domain -> storage. The folders each rule
// names live in eslint.layers.mjs, and test/unit/architecture/layers.test.ts holds them to the tree.
// In flat config the last matching block sets a rule, so the blocks go from the widest folder set to the
// narrowest, each repeating what it keeps.
const { domain, calculators, composition } = layers;
const noLtijs = {
  regex: '^ltijs(-sequelize)?(/|$)',
  message: 'Only src/lti/ltijs/ imports ltijs: use the LTI adapter (src/lti) instead.',
};
const noDev = {
  group: ['**/dev/**', '!**/dev-*'],
  message:
    'Development code (src/dev) is loaded only by composition code: server.ts, the CLI, tests, benchmarks.',
};
const noExpress = { name: 'express', message: 'Domain code has no HTTP inside; routes live in src/web.' };
const noAppLayers = {
  group: [
    '**/config',
    '**/config.js',
    '**/web/**',
    '**/app.js',
    '**/services.js',
    '**/bootstrap.js',
    '**/server.js',
  ],
  message:
    'Domain code takes its settings and collaborators as arguments; only composition code reads config.',
};
const domainNames = domain.map((d) => d.split('/')[0]);
// A regex, since a gitignore negation cannot re-include reports/kpi/model.js under an excluded folder.
const storageSeesOnlyModels = {
  regex: `^(\\.\\./)+(${[...new Set(domainNames)].join('|')})/(?!(.*/)?model\\.js$)`,
  message: "Storage serves the domain: it imports nothing from the domain but its areas' model.ts files.",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-artifacts/', 'deploy/**/data/'] },
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
  // Everything in src: ltijs only behind src/lti/ltijs, development code only from composition code.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lti/ltijs/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noLtijs] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/lti/ltijs/**', ...composition],
    rules: { 'no-restricted-imports': ['error', { patterns: [noLtijs, noDev] }] },
  },
  { files: ['src/lti/ltijs/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noDev] }] } },
  // Domain areas: no HTTP, no configuration, no composition code.
  {
    files: domain.map((d) => `src/${d}/**/*.ts`),
    ignores: ['src/lti/ltijs/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noExpress], patterns: [noLtijs, noDev, noAppLayers] }],
    },
  },
  // Storage: SQL for the domain; it knows the domain's models only.
  {
    files: ['src/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noExpress], patterns: [noLtijs, noDev, noAppLayers, storageSeesOnlyModels] },
      ],
    },
  },
  // Pure calculators import nothing but each other (and the stdlib distribution packages).
  {
    files: calculators.map((d) => `src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noExpress, 'pg', 'kysely'],
          patterns: [
            noLtijs,
            noDev,
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
